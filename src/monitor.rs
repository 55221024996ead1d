//! `schede monitor YEAR --at DATE`: the workbook the office sends to the
//! Direzioni to collect the results of a monitoring date.
//!
//! One worksheet, "Risultati", one row per indicator in publication order:
//! the known columns (code, Direzione, Servizio, title, indicator number,
//! description, type, the year's target, the date) locked, the cells to fill
//! ("Valore raggiunto", "Note", and "Raggiungimento" where the achievement
//! cannot be computed from the target) unlocked and white, a filter on every
//! column. `schede import` reads the filled workbook back
//! ([`crate::import::results`]). Results already in the sources are
//! filled in, so that a workbook can go out again.

use std::path::PathBuf;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, ProtectionOptions, Workbook,
    Worksheet, XlsxError,
};

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, YearPlan};
use crate::model::Sheet;
use crate::publish;
use crate::results;
use crate::t;

/// The worksheet's name, which `import` looks for.
pub const WORKSHEET: &str = "Risultati";

/// The columns, in order; `import` finds them by these headers.
pub const COLUMNS: [&str; 12] = [
    "Codice",
    "Direzione",
    "Servizio",
    "Titolo",
    "Indicatore",
    "Descrizione",
    "Tipo",
    "Valore atteso",
    "Data",
    "Valore raggiunto",
    "Raggiungimento",
    "Note",
];

/// Column widths, in characters.
const WIDTHS: [f64; 12] = [
    12.0, 24.0, 24.0, 36.0, 10.0, 48.0, 14.0, 14.0, 12.0, 16.0, 16.0, 36.0,
];

/// What `schede monitor` writes, and where.
#[derive(Debug)]
pub struct Options {
    /// The plan year, like `2019`.
    pub year: String,
    /// The monitoring date, `YYYY-MM-DD` (e.g. `2019-06-30`, `2019-12-31`).
    pub at: String,
    /// Write one workbook per Direzione instead of one for the whole plan.
    pub per_direzione: bool,
    /// The folder of the sheets.
    pub sheets: PathBuf,
    /// The folder to write the workbooks into.
    pub output: PathBuf,
    /// Replace workbooks already there.
    pub force: bool,
}

/// The workbooks to write: file name and bytes.
pub fn prepare(args: &Options) -> Result<Vec<(PathBuf, Vec<u8>)>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let fail = |d: Diagnostic| {
        let mut all = Diagnostics::default();
        all.push(d);
        all
    };
    let date = results::parse_iso_date(&args.at).ok_or_else(|| {
        fail(
            Diagnostic::error("--at", t!("result-date-invalid", date = args.at.as_str()))
                .hint(t!("result-date-hint")),
        )
    })?;
    let (plans, found) = load::load_plans(&args.sheets);
    diagnostics.append(found);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let Some(year) = plans.into_iter().find(|p| p.year == args.year) else {
        return Err(fail(Diagnostic::error(
            args.sheets.join(&args.year),
            t!("monitor-no-plan", year = args.year.as_str()),
        )));
    };
    if !year.plan.anni.contains(&date.0) {
        return Err(fail(
            Diagnostic::error("--at", t!("result-date-outside", date = args.at.as_str())).hint(t!(
                "result-date-outside-hint",
                years = year
                    .plan
                    .anni
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ));
    }
    let books = workbooks(&year, &args.at, date, args.per_direzione).map_err(|err| {
        fail(Diagnostic::error(
            &args.output,
            t!("monitor-xlsx", reason = err.to_string()),
        ))
    })?;
    let books: Vec<(PathBuf, Vec<u8>)> = books
        .into_iter()
        .map(|(name, bytes)| (args.output.join(name), bytes))
        .collect();
    for (path, _) in &books {
        if path.exists() && !args.force {
            diagnostics.push(
                Diagnostic::error(path, t!("monitor-exists")).hint(t!("monitor-exists-hint")),
            );
        }
    }
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        Ok(books)
    }
}

/// The workbooks of a plan year at `at`: one, or one per Direzione.
fn workbooks(
    year: &YearPlan,
    at: &str,
    date: results::Date,
    per_direzione: bool,
) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let direzioni = publish::group(&year.sheets);
    let name = format!("monitoraggio-{}-{at}", year.year);
    if !per_direzione {
        let sheets: Vec<&Sheet> = direzioni.iter().flat_map(|d| d.schede().copied()).collect();
        let title = format!("{} - risultati al {at}", year.plan.titolo);
        let bytes = workbook(year, &sheets, at, date, &title)?;
        return Ok(vec![(format!("{name}.xlsx"), bytes)]);
    }
    direzioni
        .iter()
        .map(|d| {
            let sheets: Vec<&Sheet> = d.schede().copied().collect();
            let title = format!("{} - {} - risultati al {at}", year.plan.titolo, d.nome);
            let bytes = workbook(year, &sheets, at, date, &title)?;
            Ok((format!("{name}-{}.xlsx", d.slug), bytes))
        })
        .collect()
}

/// One workbook with the rows of `sheets`.
fn workbook(
    year: &YearPlan,
    sheets: &[&Sheet],
    at: &str,
    date: results::Date,
    title: &str,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // The document's date is the monitoring date, never the clock: the
    // same sources give the same bytes.
    let created = ExcelDateTime::from_ymd(date.0 as u16, date.1, date.2)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_author(&year.plan.ente)
            .set_creation_datetime(&created),
    );
    let sheet = book.add_worksheet();
    sheet.set_name(WORKSHEET)?;
    let locked = Format::new()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xE4E4E4))
        .set_border(FormatBorder::Thin);
    let header = locked.clone().set_bold();
    let open = Format::new()
        .set_unlocked()
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    for (column, (label, width)) in COLUMNS.iter().zip(WIDTHS).enumerate() {
        sheet.write_string_with_format(0, column as u16, *label, &header)?;
        sheet.set_column_width(column as u16, width)?;
    }
    let mut row = 0u32;
    for s in sheets {
        for i in 0..s.fields.indicatori.len() {
            row += 1;
            write_row(sheet, row, s, i, at, (&locked, &open))?;
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    sheet.autofilter(0, 0, row.max(1), COLUMNS.len() as u16 - 1)?;
    sheet.protect_with_options(&ProtectionOptions {
        use_autofilter: true,
        sort: true,
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    });
    book.save_to_buffer()
}

/// Row `row`: indicator `i` of `sheet`, its result at `at` if known.
fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    s: &Sheet,
    i: usize,
    at: &str,
    (locked, open): (&Format, &Format),
) -> Result<(), XlsxError> {
    let f = &s.fields;
    let indicator = &f.indicatori[i];
    let target = indicator.target_at(at).unwrap_or_default();
    let known: [&str; 9] = [
        f.codice.as_str(),
        &f.direzione,
        &f.servizio,
        &f.titolo,
        &(i + 1).to_string(),
        &indicator.descrizione,
        &indicator.tipo,
        target,
        at,
    ];
    for (column, text) in known.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, *text, locked)?;
    }
    // The achievement is asked for only where the target cannot give it.
    let by_hand = results::goal(target, indicator.verso).is_none();
    let cells = [
        (9, indicator.valore_raggiunto.get(at), open),
        (
            10,
            indicator.raggiungimento.get(at),
            if by_hand { open } else { locked },
        ),
        (11, None, open),
    ];
    for (column, value, format) in cells {
        match value {
            Some(value) => sheet.write_string_with_format(row, column, &value.0, format)?,
            None => sheet.write_blank(row, column, format)?,
        };
    }
    Ok(())
}

/// Writes the workbooks, each atomically.
pub fn write(books: &[(PathBuf, Vec<u8>)]) -> Result<(), Diagnostic> {
    for (path, bytes) in books {
        crate::output::write_atomic(path, bytes)
            .map_err(|err| Diagnostic::error(path, crate::diag::io_message(&err)))?;
    }
    Ok(())
}
