//! Spreadsheet cells as an Italian person sees them: a percentage-formatted
//! 1 is `100%`, a date `31/12/2019`, 12500.5 with thousands `12.500,50`,
//! never the stored number.
//!
//! calamine reads the values and tells dates apart, but keeps no other
//! number format; this module reads the formats from the file itself: the
//! cell styles of an xlsx (`xl/styles.xml` and each worksheet's `s`
//! attributes) and the data styles of an ods (`content.xml`, `styles.xml`).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use calamine::Data;
use quick_xml::events::{BytesStart, Event};

use crate::i18n::Text;
use crate::t;

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumberFormat {
    /// As few digits as needed, decimal comma.
    #[default]
    General,
    /// A percentage with this many decimals.
    Percent(usize),
    /// This many decimals, with or without thousands separators.
    Fixed { decimals: usize, grouping: bool },
}

/// The number format of each cell of each worksheet, by (row, column) from 0.
pub type Formats = BTreeMap<String, BTreeMap<(u32, u32), NumberFormat>>;

/// A cell as displayed; an error cell gives its error.
pub fn show(data: &Data, format: NumberFormat) -> Result<String, Text> {
    Ok(match data {
        Data::Empty => String::new(),
        Data::String(text) => text.replace("\r\n", "\n"),
        Data::Int(value) => show_number(*value as f64, format),
        Data::Float(value) => show_number(*value, format),
        Data::Bool(true) => "VERO".into(),
        Data::Bool(false) => "FALSO".into(),
        Data::DateTime(date) => {
            let (year, month, day, ..) = date.to_ymd_hms_milli();
            format!("{day:02}/{month:02}/{year}")
        }
        Data::DateTimeIso(text) => match text.get(..10).map(|d| d.split('-').collect::<Vec<_>>()) {
            Some(parts) if parts.len() == 3 => format!("{}/{}/{}", parts[2], parts[1], parts[0]),
            _ => text.clone(),
        },
        Data::DurationIso(text) => text.clone(),
        Data::Error(error) => return Err(t!("import-cell-error", error = error.to_string())),
    })
}

/// A number in Italian notation.
pub fn show_number(value: f64, format: NumberFormat) -> String {
    match format {
        NumberFormat::General => {
            if value.fract() == 0.0 && value.abs() < 1e15 {
                format!("{}", value as i64)
            } else {
                // Like a spreadsheet's General format: ten significant digits at most.
                let digits = (value.abs().log10().floor() as i32 + 1).max(1);
                let decimals = (10 - digits).clamp(0, 10) as usize;
                let text = format!("{value:.decimals$}");
                let text = text.trim_end_matches('0').trim_end_matches('.');
                text.replace('.', ",")
            }
        }
        NumberFormat::Percent(decimals) => format!("{}%", fixed(value * 100.0, decimals, false)),
        NumberFormat::Fixed { decimals, grouping } => fixed(value, decimals, grouping),
    }
}

fn fixed(value: f64, decimals: usize, grouping: bool) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if grouping && i > 0 && (whole.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// The format of an Excel number format code (`0.00%`, `#,##0.00`); in
/// these codes `,` groups thousands and `.` starts the decimals, whatever
/// the locale that shows them.
pub fn excel_format(code: &str) -> NumberFormat {
    let section = code.split(';').next().unwrap_or("");
    // Quoted text and [colour] or [locale] parts are not digits.
    let mut plain = String::new();
    let (mut quoted, mut bracket) = (false, false);
    for c in section.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            c if !quoted && !bracket => plain.push(c),
            _ => {}
        }
    }
    if !plain.contains(['0', '#']) {
        return NumberFormat::General;
    }
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
    let decimals = fraction
        .chars()
        .take_while(|c| *c == '0' || *c == '#')
        .count();
    if plain.contains('%') {
        NumberFormat::Percent(decimals)
    } else {
        NumberFormat::Fixed {
            decimals,
            grouping: whole.contains(','),
        }
    }
}

/// Excel's built-in number formats that are not dates.
fn builtin_format(id: u32) -> NumberFormat {
    let code = match id {
        1 => "0",
        2 => "0.00",
        3 | 37 | 38 => "#,##0",
        4 | 39 | 40 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        _ => "General",
    };
    excel_format(code)
}

/// The workbook as a zip; calamine, which opened it first, reports a file that is not one.
pub(super) fn open_zip(path: &Path) -> Option<zip::ZipArchive<File>> {
    zip::ZipArchive::new(File::open(path).ok()?).ok()
}

fn read_entry(zip: &mut zip::ZipArchive<File>, name: &str) -> Option<String> {
    let mut entry = zip.by_name(name).ok()?;
    let mut text = String::new();
    entry.read_to_string(&mut text).ok()?;
    Some(text)
}

pub(super) fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            quick_xml::escape::unescape(&a.value)
                .map_or_else(|_| a.value.to_string(), |v| v.into_owned())
        })
}

/// Calls `visit` on every element opened in `xml`, empty or not.
fn elements(xml: &str, visit: impl FnMut(&BytesStart, bool)) {
    read_elements(xml.as_bytes(), visit);
}

/// Calls `visit` on every element opened in the zip's entry `name`, read
/// as a stream (a worksheet is never held whole); false if there is none.
pub(super) fn entry_elements(
    zip: &mut zip::ZipArchive<File>,
    name: &str,
    visit: impl FnMut(&BytesStart, bool),
) -> bool {
    let Ok(entry) = zip.by_name(name) else {
        return false;
    };
    read_elements(BufReader::new(entry), visit);
    true
}

fn read_elements(input: impl BufRead, mut visit: impl FnMut(&BytesStart, bool)) {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => visit(&e, false),
            Ok(Event::Empty(e)) => visit(&e, true),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
}

/// (row, column) from 0 of a cell reference like `D14`.
pub(super) fn cell_position(reference: &str) -> Option<(u32, u32)> {
    let letters: String = reference
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .collect();
    let row: u32 = reference[letters.len()..].parse().ok()?;
    let column = letters.bytes().try_fold(0u32, |acc, b| {
        Some(acc * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1))
    })?;
    Some((row.checked_sub(1)?, column.checked_sub(1)?))
}

/// The number formats of an xlsx workbook's cells.
pub fn xlsx_formats(path: &Path) -> Formats {
    let Some(mut zip) = open_zip(path) else {
        return Formats::new();
    };
    let mut codes: BTreeMap<u32, String> = BTreeMap::new();
    let mut styles: Vec<NumberFormat> = Vec::new();
    if let Some(xml) = read_entry(&mut zip, "xl/styles.xml") {
        let mut in_cell_xfs = false;
        elements(&xml, |e, empty| match e.local_name().as_ref() {
            "numFmt" => {
                if let (Some(id), Some(code)) =
                    (attribute(e, "numFmtId"), attribute(e, "formatCode"))
                {
                    codes.insert(id.parse().unwrap_or(0), code);
                }
            }
            "cellXfs" => in_cell_xfs = !empty,
            "cellStyleXfs" => in_cell_xfs = false,
            "xf" if in_cell_xfs => {
                let id: u32 = attribute(e, "numFmtId")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                styles.push(
                    codes
                        .get(&id)
                        .map_or_else(|| builtin_format(id), |c| excel_format(c)),
                );
            }
            _ => {}
        });
    }
    let mut formats = Formats::new();
    for (name, target) in xlsx_sheet_parts(&mut zip) {
        let cells = formats.entry(name).or_default();
        entry_elements(&mut zip, &target, |e, _| {
            // Raw attributes: a worksheet has a million cells, and `r` and
            // `s` hold no escapes.
            let raw = |name: &str| e.try_get_attribute(name).ok().flatten();
            if e.local_name().as_ref() == "c"
                && let Some(style) = raw("s").and_then(|s| s.value.parse::<usize>().ok())
                && let Some(format) = styles.get(style)
                && *format != NumberFormat::General
                && let Some(position) = raw("r").and_then(|r| cell_position(&r.value))
            {
                cells.insert(position, *format);
            }
        });
    }
    formats
}

/// The worksheets of an xlsx workbook: name and zip entry, in order.
pub(super) fn xlsx_sheet_parts(zip: &mut zip::ZipArchive<File>) -> Vec<(String, String)> {
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    if let Some(xml) = read_entry(zip, "xl/_rels/workbook.xml.rels") {
        elements(&xml, |e, _| {
            if let (Some(id), Some(target)) = (attribute(e, "Id"), attribute(e, "Target")) {
                let target = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("xl/{target}"),
                };
                targets.insert(id, target);
            }
        });
    }
    let mut sheets: Vec<(String, String)> = Vec::new();
    if let Some(xml) = read_entry(zip, "xl/workbook.xml") {
        elements(&xml, |e, _| {
            if e.local_name().as_ref() == "sheet"
                && let (Some(name), Some(id)) = (attribute(e, "name"), attribute(e, "r:id"))
                && let Some(target) = targets.get(&id)
            {
                sheets.push((name, target.clone()));
            }
        });
    }
    sheets
}

/// The number formats of an ods workbook's cells.
pub fn ods_formats(path: &Path) -> Formats {
    let Some(mut zip) = open_zip(path) else {
        return Formats::new();
    };
    let content = read_entry(&mut zip, "content.xml").unwrap_or_default();
    let styles_xml = read_entry(&mut zip, "styles.xml").unwrap_or_default();
    let styles = OdsStyles::read(&[&styles_xml, &content]);
    ods_cell_formats(&content, &styles)
}

/// The styles of an ods workbook: number formats by data style name, and
/// the data style of each cell style.
#[derive(Default)]
struct OdsStyles {
    data: BTreeMap<String, NumberFormat>,
    cells: BTreeMap<String, String>,
}

impl OdsStyles {
    /// The styles defined in `styles.xml` and `content.xml`.
    fn read(xmls: &[&str]) -> OdsStyles {
        let mut styles = OdsStyles::default();
        for xml in xmls {
            let mut current: Option<(String, bool)> = None;
            elements(xml, |e, _| match e.local_name().as_ref() {
                "number-style" | "percentage-style" => {
                    let percent = e.local_name().as_ref() == "percentage-style";
                    if let Some(name) = attribute(e, "style:name") {
                        let format = if percent {
                            NumberFormat::Percent(0)
                        } else {
                            NumberFormat::General
                        };
                        styles.data.insert(name.clone(), format);
                        current = Some((name, percent));
                    }
                }
                "number" => {
                    if let Some((name, percent)) = &current {
                        let decimals = attribute(e, "number:decimal-places")
                            .and_then(|d| d.parse().ok())
                            .unwrap_or(0);
                        let grouping = attribute(e, "number:grouping").as_deref() == Some("true");
                        let format = if *percent {
                            NumberFormat::Percent(decimals)
                        } else {
                            NumberFormat::Fixed { decimals, grouping }
                        };
                        styles.data.insert(name.clone(), format);
                    }
                }
                "style" => {
                    current = None;
                    if let (Some(name), Some(data)) = (
                        attribute(e, "style:name"),
                        attribute(e, "style:data-style-name"),
                    ) {
                        styles.cells.insert(name, data);
                    }
                }
                _ => {}
            });
        }
        styles
    }

    /// The number format of a cell style.
    fn format_of(&self, style: Option<String>) -> Option<NumberFormat> {
        style
            .and_then(|s| self.cells.get(&s))
            .and_then(|d| self.data.get(d))
            .copied()
    }
}

/// The number format of each cell of `content.xml`, by worksheet.
fn ods_cell_formats(content: &str, styles: &OdsStyles) -> Formats {
    let mut formats = Formats::new();
    let mut table = String::new();
    let (mut row, mut column) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    // A column's default style stands for the cells that name none.
    let mut column_styles: Vec<Option<String>> = Vec::new();
    elements(content, |e, empty| {
        let repeat = |name: &str| {
            attribute(e, name)
                .and_then(|r| r.parse::<u32>().ok())
                .unwrap_or(1)
        };
        match e.local_name().as_ref() {
            "table" => {
                table = attribute(e, "table:name").unwrap_or_default();
                row = 0;
                row_repeat = 0;
                column_styles.clear();
            }
            "table-column" => {
                let style = attribute(e, "table:default-cell-style-name");
                let times = repeat("table:number-columns-repeated").min(1024);
                column_styles.extend((0..times).map(|_| style.clone()));
            }
            "table-row" => {
                row += row_repeat;
                row_repeat = repeat("table:number-rows-repeated");
                column = 0;
                if empty {
                    row += row_repeat;
                    row_repeat = 0;
                }
            }
            "table-cell" | "covered-table-cell" => {
                let times = repeat("table:number-columns-repeated");
                let percent = attribute(e, "office:value-type").as_deref() == Some("percentage");
                let style = attribute(e, "table:style-name")
                    .or_else(|| column_styles.get(column as usize).cloned().flatten());
                let format = match styles.format_of(style) {
                    Some(NumberFormat::Percent(d)) => Some(NumberFormat::Percent(d)),
                    _ if percent => Some(NumberFormat::Percent(0)),
                    found => found,
                };
                if let Some(format) = format {
                    let cells = formats.entry(table.clone()).or_default();
                    for c in column..column.saturating_add(times.min(1024)) {
                        cells.insert((row, c), format);
                    }
                }
                column = column.saturating_add(times);
            }
            _ => {}
        }
    });
    formats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_in_an_italian_spreadsheet() {
        let thousands = NumberFormat::Fixed {
            decimals: 2,
            grouping: true,
        };
        assert_eq!(show_number(12500.5, thousands), "12.500,50");
        assert_eq!(show_number(1234567.0, excel_format("#,##0")), "1.234.567");
        assert_eq!(show_number(1.0, excel_format("0%")), "100%");
        assert_eq!(show_number(0.255, excel_format("0.0%")), "25,5%");
        assert_eq!(show_number(12.5, NumberFormat::General), "12,5");
        assert_eq!(show_number(0.1 + 0.2, NumberFormat::General), "0,3");
        assert_eq!(show_number(-0.125, NumberFormat::General), "-0,125");
        assert_eq!(show_number(5.0, NumberFormat::General), "5");
        assert_eq!(show_number(-3.25, excel_format("0.00")), "-3,25");
        assert_eq!(excel_format("[Red]#,##0.00;-#,##0.00"), thousands);
    }

    #[test]
    fn cell_references() {
        assert_eq!(cell_position("A1"), Some((0, 0)));
        assert_eq!(cell_position("D14"), Some((13, 3)));
        assert_eq!(cell_position("AA3"), Some((2, 26)));
    }
}
