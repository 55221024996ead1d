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
    command
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", dir.join("tmp"));
    if !dir.join("templates").is_dir() {
        command.arg("--templates").arg(root().join("templates"));
    }
    command.output().unwrap()
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
