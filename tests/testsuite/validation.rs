//! Bad input: one fixture folder per case under `tests/invalid/`, each with
//! the exact report that `schede check` prints, in English (`expected.txt`,
//! with `LANG=C`) and in Italian (`expected.it.txt`, with
//! `LANG=it_IT.UTF-8`). Set `UPDATE_EXPECTED=1` to rewrite the expected
//! reports after a deliberate change.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common::root;

/// Runs schede in `dir` with the locale `lang`, with the real templates
/// unless `dir` has its own.
fn schede_in(lang: &str, dir: &Path, args: &[&str]) -> Output {
    let mut command = crate::common::in_language(lang);
    // A failed build keeps its Typst source in the temporary folder.
    fs::create_dir_all(dir.join("tmp")).unwrap();
    command
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", dir.join("tmp"));
    if !dir.join("templates").is_dir() {
        command.arg("--templates").arg(root().join("templates"));
    }
    command.output().unwrap()
}

/// A report with the random name of the run's folder of failed sources
/// (`$TMPDIR/schede-failed-a1B2c3/`) as `$TMPDIR/schede-failed-RUN/`.
fn without_run_names(report: &str) -> String {
    const FOLDER: &str = "$TMPDIR/schede-failed-";
    let mut out = String::new();
    let mut rest = report;
    while let Some(at) = rest.find(FOLDER) {
        let after = &rest[at + FOLDER.len()..];
        out.push_str(&rest[..at]);
        out.push_str(FOLDER);
        out.push_str("RUN");
        rest = &after[after.find('/').unwrap_or(after.len())..];
    }
    out.push_str(rest);
    out
}

/// Runs schede in `dir` in English.
fn schede(dir: &Path, args: &[&str]) -> Output {
    schede_in("C", dir, args)
}

#[test]
fn every_invalid_case_reports_its_exact_message() {
    every_invalid_case_reports_in("C", "expected.txt");
}

#[test]
fn every_invalid_case_reports_its_exact_message_in_italian() {
    every_invalid_case_reports_in("it_IT.UTF-8", "expected.it.txt");
}

fn every_invalid_case_reports_in(lang: &str, expected_file: &str) {
    let mut cases = 0;
    let mut failures = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(root().join("tests/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        cases += 1;
        // A case runs `check`, or what its `command` file says, in a copy.
        let command = fs::read_to_string(dir.join("command")).unwrap_or("check".into());
        let copy = tempfile::tempdir().unwrap();
        crate::common::copy_dir(&dir, copy.path());
        let output = schede_in(lang, copy.path(), &[command.trim(), "--deny-warnings"]);
        let tmp = copy.path().join("tmp").display().to_string();
        let report = String::from_utf8(output.stderr)
            .unwrap()
            .replace(&tmp, "$TMPDIR");
        let report = without_run_names(&report);
        let expected_path = dir.join(expected_file);
        // A failed build leaves no output folder behind (its Typst source,
        // if any, is kept in the temporary folder).
        if copy.path().join("output").exists() {
            failures.push(format!(
                "{}: the failed build wrote `output/`",
                dir.display()
            ));
        }
        if std::env::var_os("UPDATE_EXPECTED").is_some() {
            fs::write(&expected_path, &report).unwrap();
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if report != expected || output.status.code() != Some(1) {
            failures.push(format!(
                "{}: exit {:?}\n--- got\n{report}--- expected\n{expected}",
                dir.display(),
                output.status.code()
            ));
        }
    }
    assert!(cases >= 20, "only {cases} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&root().join("tests/invalid/inconsistent_heads"), dir.path());
    let output = schede(dir.path(), &["check"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .ends_with("0 errors, 2 warnings\n")
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&root().join("tests/valid/bom_crlf"), dir.path());
    let output = schede(dir.path(), &["check"]);
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn shipped_plan_checks_clean() {
    let dir = crate::common::project(&root().join("sheets"));
    let output = schede(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(String::from_utf8(output.stderr).unwrap(), "");
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "checked 1 plan and 1 sheet\n"
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_build_with_errors_writes_nothing() {
    let dir = crate::common::project(&root().join("tests/invalid/many_errors/sheets"));
    let output = schede(dir.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.path().join("output").exists());
}

#[cfg(unix)]
#[test]
fn failed_sources_go_to_a_private_folder_of_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let copy = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&root().join("tests/invalid/typst_error"), copy.path());
    let tmp = copy.path().join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    // The fixed name of old, planted as a link to somewhere else.
    let elsewhere = copy.path().join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, tmp.join("schede-failed")).unwrap();
    let output = schede(copy.path(), &["build"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    let folders: Vec<_> = fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.is_symlink())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let mode = fs::metadata(&folders[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700);
    assert!(folders[0].join("2019/2019_A1.typ").is_file());
}
