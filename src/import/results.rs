//! Results from a filled monitoring workbook (`schede monitor`): each row's
//! "Valore raggiunto", "Raggiungimento" and "Note" written into the sheet
//! it measures, at the row's date.
//!
//! Cells are read as the spreadsheet shows them (a percentage cell `98%`, a
//! date cell `15/11/2019`, `1.180`), like every table import. All or
//! nothing: every problem is reported at its cell, and a result already in
//! the sources is replaced only with `--force`. A row's notes become the
//! objective's narrative of the activities at that date (`attivita`), one
//! paragraph per indicator.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::table::Table;
use super::{Options, Outcome, Place, canonical_sheet, label_key};
use crate::diag::{Diagnostic, Diagnostics};
use crate::fmt;
use crate::load::{self, YearPlan};
use crate::model::{self, Fields, Sheet, Target};
use crate::monitor::{COLUMNS, WORKSHEET};
use crate::results;
use crate::t;

/// Whether `table` is a monitoring workbook's worksheet.
pub fn is_results(table: &Table) -> bool {
    table.sheet_name() == Some(WORKSHEET)
        && table.rows().first().is_some_and(|(_, header)| {
            header
                .iter()
                .any(|cell| label_key(cell) == label_key(COLUMNS[9]))
        })
}

/// One row's results, and where each came from.
struct Row {
    sheet: (usize, usize),
    indicator: usize,
    date: String,
    value: Option<(String, Place)>,
    achievement: Option<(String, Place)>,
    note: Option<String>,
    /// The row's Codice cell.
    at: Place,
}

/// The notes of each sheet (plan and sheet index) and date, with the place
/// of the first.
type Notes = BTreeMap<((usize, usize), String), (Vec<String>, Place)>;

/// The columns found: Codice, Indicatore, Data, Valore raggiunto,
/// Raggiungimento, Note (the last two optional).
struct Columns([Option<usize>; 6]);

const WANTED: [usize; 6] = [0, 4, 8, 9, 10, 11];

/// Reads the results of `table` into the sources: the files to write.
pub fn prepare(args: &Options, table: &Table) -> Result<Outcome, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let (plans, found) = load::load_plans(&args.sheets);
    diagnostics.append(found);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let rows = read_rows(table, &plans, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let mut changed: BTreeMap<(usize, usize), Fields> = BTreeMap::new();
    let mut notes: Notes = BTreeMap::new();
    for row in &rows {
        let sheet = &plans[row.sheet.0].sheets[row.sheet.1];
        let fields = changed
            .entry(row.sheet)
            .or_insert_with(|| sheet.fields.clone());
        let indicator = &mut fields.indicatori[row.indicator];
        for (given, map) in [
            (&row.value, &mut indicator.valore_raggiunto),
            (&row.achievement, &mut indicator.raggiungimento),
        ] {
            if let Some((text, place)) = given {
                let old = map.insert(row.date.clone(), Target(text.clone()));
                if old.is_some_and(|old| old.0 != *text) && !args.force {
                    diagnostics.push(
                        place
                            .error(t!("import-result-exists", date = row.date.as_str()))
                            .hint(t!("import-result-exists-hint")),
                    );
                }
            }
        }
        if let Some(note) = &row.note {
            let entry = notes
                .entry((row.sheet, row.date.clone()))
                .or_insert_with(|| (Vec::new(), row.at.clone()));
            entry
                .0
                .push(format!("Indicatore {}: {note}", row.indicator + 1));
        }
    }
    for ((key, date), (lines, place)) in notes {
        let fields = changed
            .get_mut(&key)
            .expect("a row with a note changed its sheet");
        let narrative = fields.risultati.entry(date.clone()).or_default();
        let text = lines.join("\n\n");
        if narrative.attivita.as_ref().is_some_and(|old| *old != text) && !args.force {
            diagnostics.push(
                place
                    .error(t!("import-result-exists", date = date.as_str()))
                    .hint(t!("import-result-exists-hint")),
            );
        }
        narrative.attivita = Some(text);
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let files = rewrite(&plans, changed, &rows, &mut diagnostics);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let years: std::collections::BTreeSet<&str> = files
        .iter()
        .filter_map(|(path, _)| path.parent()?.file_name()?.to_str())
        .collect();
    Ok(Outcome {
        plans: years.len(),
        sheets: files.len(),
        warnings: diagnostics.sorted().into_iter().cloned().collect(),
        files,
    })
}

/// The rows with something filled in, each checked against the plans.
fn read_rows(table: &Table, plans: &[YearPlan], diagnostics: &mut Diagnostics) -> Vec<Row> {
    let Some(((_, header), body)) = table.rows().split_first() else {
        return Vec::new();
    };
    let columns = Columns(WANTED.map(|c| {
        header
            .iter()
            .position(|cell| label_key(cell) == label_key(COLUMNS[c]))
    }));
    let header_row = table.rows()[0].0;
    for (slot, &c) in columns.0.iter().zip(&WANTED).take(4) {
        if slot.is_none() {
            diagnostics.push(
                table
                    .place(header_row, 0)
                    .error(t!("import-result-column", column = COLUMNS[c])),
            );
        }
    }
    if diagnostics.has_errors() {
        return Vec::new();
    }
    body.iter()
        .filter_map(|(number, cells)| read_row(table, *number, cells, &columns, plans, diagnostics))
        .collect()
}

/// One row, or `None` when nothing is filled in or it has errors.
fn read_row(
    table: &Table,
    number: u32,
    cells: &[String],
    columns: &Columns,
    plans: &[YearPlan],
    diagnostics: &mut Diagnostics,
) -> Option<Row> {
    let cell = |slot: usize| {
        columns.0[slot]
            .and_then(|c| cells.get(c))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let place = |slot: usize| table.place(number, columns.0[slot].unwrap_or(0));
    let (value, achievement, note) = (cell(3), cell(4), cell(5));
    if value.is_none() && achievement.is_none() && note.is_none() {
        return None;
    }
    let codice = cell(0).unwrap_or_default();
    let Some(sheet) = find(plans, &codice) else {
        diagnostics.push(place(0).error(t!("import-result-no-sheet", code = codice.as_str())));
        return None;
    };
    let count = plans[sheet.0].sheets[sheet.1].fields.indicatori.len();
    let indicator = cell(1)
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=count).contains(n));
    let Some(indicator) = indicator else {
        diagnostics.push(place(1).error(t!("import-result-indicator", count = count)));
        return None;
    };
    let date = cell(2).and_then(|d| results::parse_date(&d));
    let Some((y, m, d)) = date else {
        diagnostics.push(
            place(2)
                .error(t!("import-result-date"))
                .hint(t!("result-date-hint")),
        );
        return None;
    };
    Some(Row {
        sheet,
        indicator: indicator - 1,
        date: format!("{y:04}-{m:02}-{d:02}"),
        value: value.map(|v| (v, place(3))),
        achievement: achievement.map(|v| (v, place(4))),
        note,
        at: place(0),
    })
}

/// Where the sheet of code `codice` is: plan and sheet index.
fn find(plans: &[YearPlan], codice: &str) -> Option<(usize, usize)> {
    plans.iter().enumerate().find_map(|(p, plan)| {
        let s = plan.sheets.iter().position(|s| s.codice() == codice)?;
        Some((p, s))
    })
}

/// Each changed sheet in canonical form (its comments kept), checked as
/// `schede check` would: a problem of a result points at its cell.
fn rewrite(
    plans: &[YearPlan],
    changed: BTreeMap<(usize, usize), Fields>,
    rows: &[Row],
    diagnostics: &mut Diagnostics,
) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for ((p, s), fields) in changed {
        let (plan, sheet) = (&plans[p].plan, &plans[p].sheets[s]);
        if fields == sheet.fields {
            continue;
        }
        let text = match source_text(sheet, &fields) {
            Ok(text) => text,
            Err(problem) => {
                diagnostics.push(problem);
                continue;
            }
        };
        match Sheet::parse(&sheet.path, &text, plan) {
            Ok(_) => files.push((sheet.path.clone(), text)),
            Err(problems) => {
                for problem in problems {
                    diagnostics.push(at_cell(problem, (p, s), rows));
                }
            }
        }
    }
    files
}

/// The sheet's new text: the new fields, its comments and description.
fn source_text(sheet: &Sheet, fields: &Fields) -> Result<String, Diagnostic> {
    let old = load::read_source(&sheet.path)?;
    let split = model::split_front_matter(&old)
        .map_err(|message| Diagnostic::error(&sheet.path, message).at(1, 1))?;
    let comments = fmt::extract_comments(split.front, &sheet.fields).unwrap_or_default();
    canonical_sheet(&sheet.path, fields, &comments, split.body)
}

/// A problem of the rewritten sheet, moved to the cell its indicator came
/// from when there is one (warnings stay at the sheet).
fn at_cell(problem: Diagnostic, sheet: (usize, usize), rows: &[Row]) -> Diagnostic {
    if !problem.is_error() {
        return problem;
    }
    let field = problem.field.as_deref().unwrap_or_default();
    let row = rows
        .iter()
        .find(|r| r.sheet == sheet && field.starts_with(&format!("indicatori[{}]", r.indicator)));
    match row {
        Some(row) => {
            let place = row
                .value
                .as_ref()
                .or(row.achievement.as_ref())
                .map_or(&row.at, |(_, p)| p);
            Diagnostic {
                path: place.path.clone(),
                line: place.line,
                column: 0,
                ..problem
            }
        }
        None => problem,
    }
}
