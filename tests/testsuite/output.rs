//! The output folder: a build deletes or overwrites only what it wrote and
//! recorded; an output folder around or inside the sources is refused; the
//! consistency of heads is a matter of one plan year; warnings are printed.

use std::fs;
use std::path::Path;
use std::process::Output;

use crate::common::{project, root, run_schede as schede};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` with its bytes, paths relative to `dir`.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap().display().to_string();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn output_dot_in_a_project_deletes_nothing_of_the_user() {
    let dir = project(&root().join("sheets"));
    fs::write(dir.path().join("notes.html"), b"<p>mine</p>").unwrap();
    fs::create_dir_all(dir.path().join("docs")).unwrap();
    fs::write(dir.path().join("docs/report.pdf"), b"%PDF mine").unwrap();
    let before = snapshot(dir.path());
    let output = schede(dir.path(), &["build", "--output", "."]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        ".: error: the output folder contains the sheets folder `sheets`\n  hint: write the outputs to a folder of their own, like `--output output`\n1 error, 0 warnings\n"
    );
    assert_eq!(snapshot(dir.path()), before);
    // The next build, to the usual folder, still finds its templates.
    assert!(schede(dir.path(), &["build"]).status.success());
}

#[test]
fn an_output_folder_inside_the_sources_is_refused() {
    let dir = project(&root().join("sheets"));
    for (output, message) in [
        ("sheets/out", "lies inside the sheets folder `sheets`"),
        ("sheets", "is the sheets folder `sheets`"),
        (
            "templates/../templates/pdf",
            "lies inside the templates folder `templates`",
        ),
    ] {
        let before = snapshot(dir.path());
        let result = schede(dir.path(), &["build", "--output", output]);
        assert_eq!(result.status.code(), Some(1), "{output}");
        let report = stderr(&result);
        assert!(
            report.starts_with(&format!("{output}: error: the output folder {message}\n")),
            "{report}"
        );
        assert_eq!(snapshot(dir.path()), before, "{output}");
    }
}

#[test]
fn a_folder_of_unrelated_files_keeps_them_all() {
    let dir = project(&root().join("tests/publish/sheets"));
    let site = dir.path().join("site");
    fs::create_dir_all(site.join("2019")).unwrap();
    fs::write(site.join("readme.txt"), b"mine").unwrap();
    fs::write(site.join("2019/old-plan.pdf"), b"%PDF mine").unwrap();
    fs::write(site.join("2019/notes.html"), b"<p>mine</p>").unwrap();
    let built = schede(dir.path(), &["build", "--output", "site"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(site.join("2019/2019_Z101.pdf").is_file());

    // A withdrawn sheet: its files go, the user's stay.
    fs::remove_file(dir.path().join("sheets/2019/2019_A01.md")).unwrap();
    let rebuilt = schede(dir.path(), &["build", "--output", "site"]);
    assert!(rebuilt.status.success(), "{}", stderr(&rebuilt));
    assert!(!site.join("2019/2019_A01.pdf").exists());
    assert!(!site.join("2019/2019_A01.html").exists());
    assert_eq!(fs::read(site.join("readme.txt")).unwrap(), b"mine");
    assert_eq!(
        fs::read(site.join("2019/old-plan.pdf")).unwrap(),
        b"%PDF mine"
    );
    assert_eq!(
        fs::read(site.join("2019/notes.html")).unwrap(),
        b"<p>mine</p>"
    );

    // Even `--force` does not remove them.
    let forced = schede(dir.path(), &["build", "--output", "site", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_eq!(fs::read(site.join("readme.txt")).unwrap(), b"mine");
}

#[test]
fn a_file_of_the_user_in_the_way_is_an_error_not_a_casualty() {
    let dir = project(&root().join("sheets"));
    let out = dir.path().join("output");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), b"<p>the office's own page</p>").unwrap();
    let before = snapshot(dir.path());
    for args in [&["build"][..], &["build", "--force"]] {
        let result = schede(dir.path(), args);
        assert_eq!(result.status.code(), Some(1));
        assert!(
            stderr(&result).starts_with(
                "output/index.html: error: a file that schede did not write is in the way\n"
            ),
            "{}",
            stderr(&result)
        );
        assert_eq!(snapshot(dir.path()), before, "nothing written or removed");
    }
}

#[test]
fn a_file_the_user_changed_is_not_removed_when_withdrawn() {
    let dir = project(&root().join("tests/publish/sheets"));
    assert!(schede(dir.path(), &["build"]).status.success());
    let html = dir.path().join("output/2019/2019_A01.html");
    fs::write(&html, b"<p>annotated by hand</p>").unwrap();
    fs::remove_file(dir.path().join("sheets/2019/2019_A01.md")).unwrap();
    let result = schede(dir.path(), &["build"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(fs::read(&html).unwrap(), b"<p>annotated by hand</p>");
    assert!(!dir.path().join("output/2019/2019_A01.pdf").exists());
}

/// A sheet of `sheets/<year>/` with a Direzione headed by `direttore`.
fn sheet(year: u32, code: &str, direttore: &str) -> String {
    format!(
        "---\ncodice: {year}_{code}\ntitolo: Obiettivo {code}\ndirezione: DIREZIONE UNO\ndirettore: {direttore}\nservizio: SERVIZIO UNO\ndirigente: BIANCHI ANNA\nclassificazione: DIREZIONALE\ntipologia: SINTESI\nindicatori:\n  - descrizione: Pratiche\n    tipo: RISULTATO\n    valore_atteso: {{{year}: 100%}}\n---\n\nDescrizione.\n"
    )
}

fn plan_years(dir: &Path, sheets: &[(u32, &str, &str)]) {
    let root = dir.join("sheets");
    let _ = fs::remove_dir_all(&root);
    for (year, code, direttore) in sheets {
        let folder = root.join(year.to_string());
        fs::create_dir_all(&folder).unwrap();
        fs::write(
            folder.join("piano.yaml"),
            format!("ente: Comune\ntitolo: PEG {year}\nanni: [{year}]\n"),
        )
        .unwrap();
        fs::write(
            folder.join(format!("{year}_{code}.md")),
            sheet(*year, code, direttore),
        )
        .unwrap();
    }
}

#[test]
fn a_new_director_in_another_year_is_history_not_a_warning() {
    let dir = project(&root().join("sheets"));
    plan_years(
        dir.path(),
        &[
            (2019, "A1", "SANTORO FRANCESCA"),
            (2020, "A1", "ROSSI MARIO"),
        ],
    );
    let result = schede(dir.path(), &["build", "--deny-warnings"]);
    assert!(result.status.success(), "{}", stderr(&result));
    assert_eq!(stderr(&result), "");
    let checked = schede(dir.path(), &["check", "--deny-warnings"]);
    assert!(checked.status.success(), "{}", stderr(&checked));
}

#[test]
fn two_directors_in_one_year_warn_and_a_successful_build_says_so() {
    let dir = project(&root().join("sheets"));
    plan_years(dir.path(), &[(2019, "A1", "SANTORO FRANCESCA")]);
    fs::write(
        dir.path().join("sheets/2019/2019_A2.md"),
        sheet(2019, "A2", "ROSSI MARIO"),
    )
    .unwrap();
    let warning = "sheets/2019/2019_A2.md:5:1: warning: field `direttore`: Direzione `DIREZIONE UNO` has director `ROSSI MARIO` here but `SANTORO FRANCESCA` in `sheets/2019/2019_A1.md`\n0 errors, 1 warning\n";
    let built = schede(dir.path(), &["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    assert_eq!(stderr(&built), warning);
    let denied = schede(dir.path(), &["build", "--deny-warnings"]);
    assert_eq!(denied.status.code(), Some(1));
    assert_eq!(stderr(&denied), warning);
}

#[test]
fn a_forged_manifest_removes_nothing() {
    let dir = project(&root().join("sheets"));
    assert!(schede(dir.path(), &["build"]).status.success());
    let mine = dir.path().join("mine.txt");
    fs::write(&mine, b"mine").unwrap();
    let hash = |path: &Path| schede::manifest::file_hash(path).unwrap();
    let manifest_path = dir.path().join("output/.schede-manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(&manifest_path).unwrap()).unwrap();
    let files = manifest["files"].as_object_mut().unwrap();
    for (path, file) in [
        ("../mine.txt", mine.clone()),
        (
            "../sheets/2019/2019_Z101.md",
            dir.path().join("sheets/2019/2019_Z101.md"),
        ),
        (
            "2019/../../templates/year.html",
            dir.path().join("templates/year.html"),
        ),
    ] {
        files.insert(
            path.into(),
            serde_json::json!({"key": "k", "hash": hash(&file)}),
        );
    }
    fs::write(&manifest_path, serde_json::to_vec(&manifest).unwrap()).unwrap();
    let before = snapshot(dir.path());
    let result = schede(dir.path(), &["build", "--force"]);
    assert_eq!(result.status.code(), Some(1));
    assert!(
        stderr(&result).starts_with(
            "output/.schede-manifest.json: error: the manifest lists `../mine.txt`, which is not a plain path inside the output folder\n"
        ),
        "{}",
        stderr(&result)
    );
    assert_eq!(snapshot(dir.path()), before, "nothing written or removed");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_output_folder_is_not_followed() {
    let dir = project(&root().join("sheets"));
    fs::create_dir_all(dir.path().join("output")).unwrap();
    std::os::unix::fs::symlink("../sheets/2019", dir.path().join("output/2019")).unwrap();
    let before = snapshot(&dir.path().join("sheets"));
    let result = schede(dir.path(), &["build"]);
    assert_eq!(result.status.code(), Some(1));
    assert!(
        stderr(&result).starts_with(
            "output/2019: error: a symbolic link (to `../sheets/2019`): schede never writes or removes files through a link"
        ),
        "{}",
        stderr(&result)
    );
    assert_eq!(snapshot(&dir.path().join("sheets")), before);
    assert!(schede(dir.path(), &["check"]).status.success());
}

#[test]
fn a_second_build_of_the_same_output_folder_stops_and_says_why() {
    let dir = project(&root().join("sheets"));
    let out = dir.path().join("output");
    fs::create_dir_all(&out).unwrap();
    // Another build holding the lock.
    let held = fs::File::create(out.join(".schede-lock")).unwrap();
    held.lock().unwrap();
    let result = schede(dir.path(), &["build"]);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        stderr(&result),
        "output: error: another build is writing this output folder (it holds `output/.schede-lock`)\n  hint: wait until it ends, then build again\n1 error, 0 warnings\n"
    );
    assert!(!out.join("2019").exists());
    drop(held);
    assert!(schede(dir.path(), &["build"]).status.success());
    assert!(
        !out.join(".schede-lock").exists(),
        "the lock goes with its build"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_among_the_sheets_is_refused_not_read() {
    let dir = project(&root().join("sheets"));
    let fifo = dir.path().join("sheets/2019/2019_Z999.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Reading it would wait forever: the test would hang.
    let result = schede(dir.path(), &["check"]);
    assert_eq!(result.status.code(), Some(1));
    assert_eq!(
        stderr(&result),
        "sheets/2019/2019_Z999.md: error: not a regular file (a pipe, socket or device): it is not read\n1 error, 0 warnings\n"
    );
}
