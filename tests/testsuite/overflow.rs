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

/// A document to typeset: what names it in a failure, its Typst name and
/// its source.
type Document = (String, String, String);

/// Every sheet under `dir`.
fn sheet_documents(dir: &Path) -> Vec<Document> {
    let templates = templates();
    (sheets(dir).iter())
        .map(|(plan, sheet)| {
            let typst = templates.sheet_typst(&SheetPage::new(plan, sheet)).unwrap();
            let name = format!("/{}/{}.typ", sheet.year, sheet.codice());
            (sheet.codice().to_string(), name, typst)
        })
        .collect()
}

/// Every results sheet (one per sheet and monitoring date) under `dir`.
fn result_documents(dir: &Path) -> Vec<Document> {
    let templates = templates();
    let mut documents = Vec::new();
    for (plan, sheet) in sheets(dir) {
        for date in sheet.fields.monitoring_dates() {
            let result = SheetResult::new(&sheet, date, &plan.scale(), schede::markdown::to_typst);
            let typst = templates.result_typst(&plan, &result).unwrap();
            let name = format!("/{}/{}.typ", sheet.year, result.stem);
            documents.push((format!("{} {date}", sheet.codice()), name, typst));
        }
    }
    documents
}

/// Fails with every run of text that leaves its box in `documents`.
fn assert_none(documents: Vec<Document>) {
    let typesetter = Typesetter::new().unwrap();
    let mut found = Vec::new();
    for (label, name, typst) in documents {
        // The sheets' side margins (`sheet.typ`, `risultati.typ`): 1.8 cm.
        let runs = typesetter
            .overflows(&name, typst, Abs::cm(1.8))
            .unwrap_or_else(|e| panic!("{e:?}"));
        found.extend(runs.iter().map(|o| format!("{label}: {o}")));
    }
    assert!(
        found.is_empty(),
        "{} runs of text leave their box:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn results_sheets_stay_in_their_boxes() {
    for dir in ["tests/results/sheets", "tests/results/long/sheets"] {
        assert_none(result_documents(&root().join(dir)));
    }
}

#[test]
fn torture_sheets_stay_in_their_boxes() {
    assert_none(sheet_documents(&root().join("tests/torture/sheets")));
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
            assert_none(sheet_documents(&dir));
        }
    }
}
