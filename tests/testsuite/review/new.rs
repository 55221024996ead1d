//! `schede new`: the template, `--like`, and never overwriting.

use std::fs;
use std::path::PathBuf;

use schede::fmt::format_sheet;
use tempfile::TempDir;

use super::diff::demo_v1;
use super::{fixture, parse_front, schede};

#[test]
fn new_creates_a_canonical_sheet_and_never_overwrites() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    demo_v1(root);
    let (status, stdout, stderr) = schede(root, &["new", "2019_B1"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "created sheets/2019/2019_B1.md\n  hint: fill in the fields and the description, then run `schede check`\n"
    );
    let created = PathBuf::from("sheets/2019/2019_B1.md");
    let text = fs::read_to_string(root.join(&created)).unwrap();
    assert_eq!(text, fixture("new.md"));
    assert_eq!(format_sheet(&created, &text).unwrap().text, text);
    // `check` lists what is left to write.
    let (status, _, stderr) = schede(root, &["check"]);
    assert_eq!(status, 1);
    assert!(
        stderr.contains("2019_B1.md:5:1: error: field `titolo`: must not be empty"),
        "{stderr}"
    );
    let (status, _, stderr) = schede(root, &["new", "2019_B1", "--like", "2019_A1"]);
    assert_eq!(
        (status, stderr.as_str()),
        (
            1,
            "sheets/2019/2019_B1.md: error: already exists\n  hint: choose another code, or edit the sheet that is there\n1 error, 0 warnings\n"
        )
    );
    assert_eq!(fs::read_to_string(root.join(&created)).unwrap(), text);
}

#[test]
fn new_like_copies_the_header_fields() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    demo_v1(root);
    let (status, _, stderr) = schede(root, &["new", "2019_B2", "--like", "2019_A1"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    let text = fs::read_to_string(root.join("sheets/2019/2019_B2.md")).unwrap();
    let fields = parse_front(&text).unwrap();
    assert_eq!(
        [
            fields.codice.as_str(),
            &fields.titolo,
            &fields.direzione,
            &fields.direttore,
            &fields.servizio,
            &fields.dirigente,
            &fields.classificazione,
            &fields.tipologia,
        ],
        [
            "2019_B2",
            "",
            "SERVIZI AL CITTADINO",
            "VERDI LUCA",
            "SERVIZI DEMOGRAFICI",
            "ROSSI MARIO",
            "DIREZIONALE",
            "SINTESI"
        ]
    );
    assert_eq!(fields.indicatori[0].descrizione, "");
}

#[test]
fn new_refuses_bad_codes_and_missing_plans() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    demo_v1(root);
    let (status, _, stderr) = schede(root, &["new", "Z1"]);
    assert_eq!(
        (status, stderr.as_str()),
        (
            1,
            "Z1: error: not a valid code\n  hint: a code is the plan year, `_`, then letters and digits, like `2019_Z101`\n1 error, 0 warnings\n"
        )
    );
    let (status, _, stderr) = schede(root, &["new", "2030_A1"]);
    assert_eq!(
        (status, stderr.as_str()),
        (
            1,
            "sheets/2030/piano.yaml: error: plan file not found\n  hint: create `sheets/2030/piano.yaml` with `ente`, `titolo` and `anni` first\n1 error, 0 warnings\n"
        )
    );
    let (status, _, stderr) = schede(root, &["new", "2019_B3", "--like", "2019_Z9"]);
    assert_eq!(
        (status, stderr.as_str()),
        (
            1,
            "sheets/2019/2019_Z9.md: error: sheet not found\n  hint: `--like` takes the code of an existing sheet\n1 error, 0 warnings\n"
        )
    );
    assert!(!root.join("sheets/2019/2019_B3.md").exists());
}
