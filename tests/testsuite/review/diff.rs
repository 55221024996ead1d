//! `schede diff` over git revisions, the working tree and year folders.

use std::fs;
use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use super::{schede, write};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn commit(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

fn plan(year: i32) -> String {
    format!(
        "ente: Comune di Prova\ntitolo: PEG {year}-{}\nanni: [{year}, {}, {}]\n",
        year + 2,
        year + 1,
        year + 2
    )
}

/// A sheet of the test plans; `indicators` are YAML list items.
fn sheet(codice: &str, titolo: &str, dirigente: &str, indicators: &str, body: &str) -> String {
    format!(
        "---
codice: {codice}
titolo: {titolo}
direzione: SERVIZI AL CITTADINO
direttore: VERDI LUCA
servizio: SERVIZI DEMOGRAFICI
dirigente: {dirigente}
classificazione: DIREZIONALE
tipologia: SINTESI
indicatori:
{indicators}---

{body}
"
    )
}

fn indicator(descrizione: &str, tipo: &str, valore_atteso: &str) -> String {
    format!(
        "  - descrizione: {descrizione}\n    tipo: {tipo}\n    valore_atteso: {valore_atteso}\n"
    )
}

pub fn demo_v1(dir: &Path) {
    write(&dir.join("sheets/2019/piano.yaml"), &plan(2019));
    write(
        &dir.join("sheets/2019/2019_A1.md"),
        &sheet(
            "2019_A1",
            "Servizi demografici",
            "ROSSI MARIO",
            &(indicator(
                "\"Certificati rilasciati: n. certificati/n. richieste\"",
                "RISULTATO",
                "{2019: 90%, 2020: 90%, 2021: 100%}",
            ) + &indicator(
                "Tempo medio di attesa",
                "EFFICIENZA",
                "{2019: 20, 2020: 15, 2021: 10}",
            )),
            "Il Servizio rilascia i certificati anagrafici.\n\nGestisce gli sportelli.",
        ),
    );
    write(
        &dir.join("sheets/2019/2019_A2.md"),
        &sheet(
            "2019_A2",
            "Archivio",
            "ROSSI MARIO",
            &indicator(
                "Fascicoli ordinati",
                "RISULTATO",
                "{2019: 100%, 2020: 100%, 2021: 100%}",
            ),
            "Ordina l'archivio.",
        ),
    );
}

fn demo_v2(dir: &Path) {
    fs::remove_file(dir.join("sheets/2019/2019_A2.md")).unwrap();
    write(
        &dir.join("sheets/2019/2019_A1.md"),
        &sheet(
            "2019_A1",
            "Servizi demografici e stato civile",
            "BIANCHI ANNA",
            &(indicator(
                "\"Certificati rilasciati: n. certificati/n. richieste\"",
                "RISULTATO",
                "{2019: 90%, 2020: 100%, 2021: 100%}",
            ) + &indicator(
                "Pratiche evase entro 30 giorni",
                "RISULTATO",
                "{2019: 80%, 2020: 85%, 2021: 90%}",
            )),
            "Il Servizio rilascia i certificati anagrafici e di stato civile.\n\nGestisce gli sportelli.",
        ),
    );
    write(
        &dir.join("sheets/2019/2019_A3.md"),
        &sheet(
            "2019_A3",
            "Protocollo",
            "BIANCHI ANNA",
            &indicator(
                "Atti protocollati in giornata",
                "RISULTATO",
                "{2019: 95%, 2020: 95%, 2021: 95%}",
            ),
            "Protocolla gli atti in arrivo.",
        ),
    );
}

fn demo_repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    git(dir.path(), &["init", "-q"]);
    demo_v1(dir.path());
    commit(dir.path(), "v1");
    demo_v2(dir.path());
    commit(dir.path(), "v2");
    dir
}

const DEMO_TEXT: &str = "plan 2019
  added 2019_A3: Protocollo
  removed 2019_A2: Archivio
  renamed 2019_A1: Servizi demografici -> Servizi demografici e stato civile
    dirigente: ROSSI MARIO -> BIANCHI ANNA
    descrizione:
      Il Servizio rilascia i certificati [-anagrafici.-]{+anagrafici e di stato civile.+}
    indicator added: Pratiche evase entro 30 giorni (RISULTATO; 2019: 80%, 2020: 85%, 2021: 90%)
    indicator removed: Tempo medio di attesa (EFFICIENZA; 2019: 20, 2020: 15, 2021: 10)
    indicator changed: Certificati rilasciati: n. certificati/n. richieste
      2020: 90% -> 100%
objectives: 1 added, 1 removed, 1 renamed, 0 changed
";

#[test]
fn diff_compares_two_git_revisions() {
    let repo = demo_repo();
    let (status, stdout, stderr) = schede(repo.path(), &["diff", "HEAD~1", "HEAD"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(stdout, DEMO_TEXT);
    // The working tree has no changes of its own.
    let (status, stdout, _) = schede(repo.path(), &["diff", "HEAD"]);
    assert_eq!((status, stdout.as_str()), (0, "no changes\n"));
}

#[test]
fn diff_compares_a_revision_with_the_working_tree() {
    let dir = TempDir::new().unwrap();
    git(dir.path(), &["init", "-q"]);
    demo_v1(dir.path());
    commit(dir.path(), "v1");
    demo_v2(dir.path());
    let (status, stdout, stderr) = schede(dir.path(), &["diff", "HEAD"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(stdout, DEMO_TEXT);
}

#[test]
fn diff_ignores_what_fmt_changes() {
    let dir = TempDir::new().unwrap();
    git(dir.path(), &["init", "-q"]);
    demo_v1(dir.path());
    let path = dir.path().join("sheets/2019/2019_A1.md");
    let text = fs::read_to_string(&path).unwrap();
    write(
        &path,
        &text
            .replace(
                "titolo: Servizi demografici",
                "titolo: 'Servizi demografici'",
            )
            .replace("\n\nGestisce", "   \n\n\n\nGestisce"),
    );
    commit(dir.path(), "v1");
    let (status, stdout, _) = schede(dir.path(), &["fmt"]);
    assert_eq!(
        (status, stdout.as_str()),
        (
            0,
            "formatted sheets/2019/2019_A1.md\nformatted 1 of 2 sheets\n"
        )
    );
    let (status, stdout, _) = schede(dir.path(), &["diff", "HEAD"]);
    assert_eq!((status, stdout.as_str()), (0, "no changes\n"));
}

#[test]
fn diff_writes_markdown_and_json() {
    let repo = demo_repo();
    let (status, stdout, _) = schede(
        repo.path(),
        &["diff", "HEAD~1", "HEAD", "--format", "markdown"],
    );
    assert_eq!(status, 0);
    assert_eq!(
        stdout,
        "### Plan 2019

- **added** `2019_A3`: Protocollo
- **removed** `2019_A2`: Archivio
- **renamed** `2019_A1`: Servizi demografici -> Servizi demografici e stato civile
  - `dirigente`: ROSSI MARIO -> BIANCHI ANNA
  - `descrizione`:
    ```text
    Il Servizio rilascia i certificati [-anagrafici.-]{+anagrafici e di stato civile.+}
    ```
  - indicator added: Pratiche evase entro 30 giorni (RISULTATO; 2019: 80%, 2020: 85%, 2021: 90%)
  - indicator removed: Tempo medio di attesa (EFFICIENZA; 2019: 20, 2020: 15, 2021: 10)
  - indicator changed: Certificati rilasciati: n. certificati/n. richieste
    - 2020: 90% -> 100%

objectives: 1 added, 1 removed, 1 renamed, 0 changed
"
    );
    let (status, stdout, _) = schede(repo.path(), &["diff", "HEAD~1", "HEAD", "--format", "json"]);
    assert_eq!(status, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let plan = &json["plans"][0];
    assert_eq!(json["old"], "HEAD~1");
    assert_eq!(plan["added"][0]["codice"], "2019_A3");
    assert_eq!(plan["removed"][0]["codice"], "2019_A2");
    let changed = &plan["changed"][0];
    assert_eq!(changed["renamed_from"], "Servizi demografici");
    assert_eq!(changed["fields"][0]["field"], "dirigente");
    assert_eq!(
        changed["indicatori"]["changed"][0]["valore_atteso"],
        serde_json::json!([{"anno": 2020, "old": "90%", "new": "100%"}])
    );
    let (_, stdout, _) = schede(repo.path(), &["diff", "HEAD", "HEAD", "--format", "json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["plans"],
        serde_json::json!([])
    );
}

#[test]
fn diff_matches_objectives_across_years() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write(&root.join("sheets/2019/piano.yaml"), &plan(2019));
    write(&root.join("sheets/2020/piano.yaml"), &plan(2020));
    let a1 = |year: i32, targets: &str| {
        sheet(
            &format!("{year}_A1"),
            "Servizi demografici",
            "ROSSI MARIO",
            &indicator("Certificati rilasciati", "RISULTATO", targets),
            "Il Servizio rilascia i certificati.",
        )
    };
    write(
        &root.join("sheets/2019/2019_A1.md"),
        &a1(2019, "{2019: 90%, 2020: 95%, 2021: 100%}"),
    );
    write(
        &root.join("sheets/2020/2020_A1.md"),
        &a1(2020, "{2020: 95%, 2021: 90%, 2022: 100%}"),
    );
    let (status, stdout, stderr) = schede(root, &["diff", "sheets/2019", "sheets/2020"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "plan 2019 -> 2020
  piano.yaml titolo: PEG 2019-2021 -> PEG 2020-2022
  piano.yaml anni: 2019, 2020, 2021 -> 2020, 2021, 2022
  changed 2020_A1: Servizi demografici
    indicator changed: Certificati rilasciati
      2021: 100% -> 90%
      2022: (none) -> 100%
objectives: 0 added, 0 removed, 0 renamed, 1 changed
"
    );
}

#[test]
fn diff_reports_sheets_that_do_not_parse() {
    let dir = TempDir::new().unwrap();
    git(dir.path(), &["init", "-q"]);
    demo_v1(dir.path());
    let path = dir.path().join("sheets/2019/2019_A2.md");
    let text = fs::read_to_string(&path).unwrap();
    write(&path, &text.replace("titolo: Archivio", "titolo: \"\""));
    commit(dir.path(), "broken");
    let (status, stdout, stderr) = schede(dir.path(), &["diff", "HEAD", "sheets"]);
    assert_eq!((status, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        "HEAD:sheets/2019/2019_A2.md:3:1: error: field `titolo`: must not be empty\n\
         sheets/2019/2019_A2.md:3:1: error: field `titolo`: must not be empty\n\
         2 errors, 0 warnings\n"
    );
    let (status, _, stderr) = schede(dir.path(), &["diff", "nope"]);
    assert_eq!(
        (status, stderr.as_str()),
        (1, "error: `nope` is neither a folder nor a git revision\n")
    );
}

#[test]
fn diff_reports_a_plan_added_as_a_whole() {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    demo_v1(&root.join("old"));
    demo_v1(&root.join("new"));
    write(&root.join("new/sheets/2020/piano.yaml"), &plan(2020));
    write(
        &root.join("new/sheets/2020/2020_A1.md"),
        &sheet(
            "2020_A1",
            "Servizi demografici",
            "ROSSI MARIO",
            &indicator("Certificati", "RISULTATO", "{2020: 1, 2021: 2, 2022: 3}"),
            "Testo.",
        ),
    );
    let (status, stdout, stderr) = schede(root, &["diff", "old/sheets", "new/sheets"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "plan 2020 (added)\n  added 2020_A1: Servizi demografici\n\
         objectives: 1 added, 0 removed, 0 renamed, 0 changed\n"
    );
}
