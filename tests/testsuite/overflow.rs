//! No text leaves its box: every glyph of every page of the torture sheets
//! (`tests/torture/`: a five-year plan with thirty indicators, every shape
//! of target, 200-character words, addresses and codes, long names, tables
//! (of 14 and 40 columns too), footnotes, deep lists, headings, other
//! scripts; a one-year plan), of the shipped sheet and of the test sheets
//! lies inside the page's text area and inside its table cell
//! (`schede::overflow`), and so does every results sheet of the results
//! fixtures (`tests/results/`: long values, types and achievements).
//!
//! `OVERFLOW_TEMPLATES=DIR` runs it with other templates, e.g. an old
//! version's, to see what crossed which rule.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::root;
use schede::model::{Plan, Sheet};
use schede::pdf::Typesetter;
use schede::publish::results::SheetResult;
use schede::render::{SheetPage, Templates};
use typst::layout::Abs;

/// The sheets of every year folder under `dir`, with their plan.
fn sheets(dir: &Path) -> Vec<(Plan, Sheet)> {
    let mut found = Vec::new();
    let mut years: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("piano.yaml").is_file())
        .collect();
    years.sort();
    for year in years {
        let name = year.file_name().unwrap().to_string_lossy().into_owned();
        let plan_path = year.join("piano.yaml");
        let plan = Plan::parse(&plan_path, &fs::read_to_string(&plan_path).unwrap(), &name)
            .unwrap_or_else(|e| panic!("{e:?}"));
        let mut files: Vec<PathBuf> = fs::read_dir(&year)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        for file in files {
            let text = fs::read_to_string(&file).unwrap().replace("\r\n", "\n");
            let text = text.trim_start_matches('\u{feff}');
            let sheet = Sheet::parse(&file, text, &plan).unwrap_or_else(|e| {
                panic!(
                    "{}",
                    e.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            });
            found.push((plan.clone(), sheet));
        }
    }
    found
}

fn templates() -> Templates {
    let dir = std::env::var_os("OVERFLOW_TEMPLATES")
        .map_or_else(|| root().join("templates"), PathBuf::from);
    Templates::load(&dir).unwrap()
}

/// Every run of text that leaves its box, on every sheet under `dir`.
fn overflows(dir: &Path) -> Vec<String> {
    let templates = templates();
    let typesetter = Typesetter::new().unwrap();
    let mut found = Vec::new();
    for (plan, sheet) in sheets(dir) {
        let page = SheetPage::new(&plan, &sheet);
        let typst = templates.sheet_typst(&page).unwrap();
        let name = format!("/{}/{}.typ", sheet.year, sheet.codice());
        // The sheet's side margins (`sheet.typ`): 1.8 cm.
        let runs = typesetter
            .overflows(&name, typst, Abs::cm(1.8))
            .unwrap_or_else(|e| panic!("{e:?}"));
        found.extend(runs.iter().map(|o| format!("{}: {o}", sheet.codice())));
    }
    found
}

/// Every run of text that leaves its box, on every results sheet (one per
/// sheet and monitoring date) under `dir`.
fn results_overflows(dir: &Path) -> Vec<String> {
    let templates = templates();
    let typesetter = Typesetter::new().unwrap();
    let mut found = Vec::new();
    for (plan, sheet) in sheets(dir) {
        for date in sheet.fields.monitoring_dates() {
            let result = SheetResult::new(&sheet, date, &plan.scale(), schede::markdown::to_typst);
            let typst = templates.result_typst(&plan, &result).unwrap();
            let name = format!("/{}/{}.typ", sheet.year, result.stem);
            let runs = typesetter
                .overflows(&name, typst, Abs::cm(1.8))
                .unwrap_or_else(|e| panic!("{e:?}"));
            found.extend(
                runs.iter()
                    .map(|o| format!("{} {date}: {o}", sheet.codice())),
            );
        }
    }
    found
}

#[test]
fn results_sheets_stay_in_their_boxes() {
    let mut found = Vec::new();
    for dir in ["tests/results/sheets", "tests/results/long/sheets"] {
        found.extend(results_overflows(&root().join(dir)));
    }
    assert!(
        found.is_empty(),
        "{} runs of text leave their box:\n{}",
        found.len(),
        found.join("\n")
    );
}

fn assert_none(dir: &Path) {
    let found = overflows(dir);
    assert!(
        found.is_empty(),
        "{} runs of text leave their box:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn torture_sheets_stay_in_their_boxes() {
    assert_none(&root().join("tests/torture/sheets"));
}

#[test]
fn shipped_and_test_sheets_stay_in_their_boxes() {
    for dir in [
        "sheets",
        "tests/hostile/sheets",
        "tests/publish/sheets",
        "tests/valid/bom_crlf/sheets",
    ] {
        let dir = root().join(dir);
        if dir.is_dir() {
            assert_none(&dir);
        }
    }
}
