//! The bounds of a workbook read: what a file declares (the sizes in its
//! zip directory, the far corner of a worksheet, the repeat counts of an
//! ods) never decides what is allocated.
//!
//! Before a workbook is handed to the reader (calamine), its zip is
//! inflated once as a stream, counting the bytes each part really holds,
//! and each worksheet is scanned as a stream for the cells that hold
//! something: the area they span (the reader allocates a cell for each
//! position of it) is bounded, whatever the repeat counts say. Past a bound
//! the import stops with an error naming the file, the worksheet and the
//! bound, having allocated nothing in proportion to the file's claims.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::cells;
use crate::diag::Diagnostic;
use crate::t;

/// The largest workbook file read.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The most parts (zip entries) a workbook may have.
pub const MAX_PARTS: usize = 10_000;
/// The most bytes one part may inflate to: a worksheet of 200,000 rows
/// holds about 60 MB of XML.
pub const MAX_PART_BYTES: u64 = 128 * 1024 * 1024;
/// The most bytes all parts together may inflate to.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// The most cells a worksheet's filled area (from its first filled row and
/// column to its last) may span: 200,000 rows of 20 columns.
pub const MAX_CELLS: u64 = 4_000_000;

/// An error unless the workbook at `path` stays within every bound. A file
/// that is not a zip (an `.xls`, or not a workbook at all) passes: the
/// reader says what it is.
pub fn check(path: &Path, is_ods: bool) -> Result<(), Diagnostic> {
    let error = |message| Diagnostic::error(path, message);
    let meta = std::fs::metadata(path).map_err(|err| error(crate::diag::cannot_read(&err)))?;
    if !meta.is_file() {
        return Err(error(t!("not-a-regular-file")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(error(t!(
            "import-too-large",
            size = meta.len(),
            limit = MAX_FILE_BYTES
        )));
    }
    let Some(mut zip) = cells::open_zip(path) else {
        return Ok(());
    };
    inflated_sizes(path, &mut zip)?;
    let sheets = if is_ods {
        ods_areas(&mut zip)
    } else {
        xlsx_areas(&mut zip)
    };
    match sheets.into_iter().find(|(_, area)| *area > MAX_CELLS) {
        Some((sheet, area)) => Err(Diagnostic::error(
            format!("{}:{sheet}", path.display()),
            t!("import-too-many-cells", cells = area, limit = MAX_CELLS),
        )
        .hint(t!("import-too-many-cells-hint"))),
        None => Ok(()),
    }
}

/// Inflates every part as a stream, counting what it really holds.
fn inflated_sizes(path: &Path, zip: &mut zip::ZipArchive<File>) -> Result<(), Diagnostic> {
    if zip.len() > MAX_PARTS {
        return Err(Diagnostic::error(
            path,
            t!(
                "import-too-many-parts",
                parts = zip.len(),
                limit = MAX_PARTS
            ),
        ));
    }
    let mut total = 0u64;
    for index in 0..zip.len() {
        let mut part = zip.by_index(index).map_err(|err| {
            Diagnostic::error(path, t!("import-workbook", reason = err.to_string()))
        })?;
        let name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let inflated = std::io::copy(
            &mut (&mut part).take(MAX_PART_BYTES + 1),
            &mut std::io::sink(),
        )
        .map_err(|err| {
            Diagnostic::error(
                path,
                t!("import-workbook", reason = crate::diag::io_reason(&err)),
            )
        })?;
        total += inflated;
        if inflated > MAX_PART_BYTES || total > MAX_TOTAL_BYTES {
            let limit = if inflated > MAX_PART_BYTES {
                MAX_PART_BYTES
            } else {
                MAX_TOTAL_BYTES
            };
            return Err(
                Diagnostic::error(path, t!("import-inflates", part = name, limit = limit))
                    .hint(t!("import-inflates-hint")),
            );
        }
    }
    Ok(())
}

/// The filled area of a worksheet, growing cell by cell.
#[derive(Default)]
struct Area {
    rows: Option<(u64, u64)>,
    columns: Option<(u64, u64)>,
}

impl Area {
    /// Adds the cells of rows `rows` and columns `columns` (both inclusive).
    fn add(&mut self, rows: (u64, u64), columns: (u64, u64)) {
        let widen = |span: Option<(u64, u64)>, (low, high): (u64, u64)| {
            Some(span.map_or((low, high), |(a, b)| (a.min(low), b.max(high))))
        };
        self.rows = widen(self.rows, rows);
        self.columns = widen(self.columns, columns);
    }

    fn cells(&self) -> u64 {
        match (self.rows, self.columns) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
        }
    }
}

/// An element of an XML stream: opened (empty or not), or closed.
enum Tag<'a> {
    Open(&'a BytesStart<'a>, bool),
    Close(&'a str),
}

/// Calls `visit` on every element opened or closed in `input`, read as a
/// stream; an XML error ends the scan (the reader reports it later).
fn scan(input: impl BufRead, mut visit: impl FnMut(Tag)) {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => visit(Tag::Open(&e, false)),
            Ok(Event::Empty(e)) => visit(Tag::Open(&e, true)),
            Ok(Event::End(e)) => visit(Tag::Close(e.local_name().as_ref())),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// The filled area of each worksheet of an xlsx: cells with a value, an
/// inline string or a formula, wherever their `r` puts them.
fn xlsx_areas(zip: &mut zip::ZipArchive<File>) -> Vec<(String, u64)> {
    let mut areas = Vec::new();
    for (name, part) in cells::xlsx_sheet_parts(zip) {
        let Ok(entry) = zip.by_name(&part) else {
            continue;
        };
        let mut area = Area::default();
        let (mut row, mut column) = (0u64, 0u64);
        let mut filled = false;
        scan(BufReader::new(entry), |tag| match tag {
            Tag::Close("c") => {
                if filled {
                    area.add((row, row), (column, column));
                }
                filled = false;
            }
            Tag::Close(_) => {}
            Tag::Open(element, _) => match element.local_name().as_ref() {
                "row" => {
                    row = number(element, "r").map_or(row + 1, |r| r.saturating_sub(1));
                    column = u64::MAX;
                }
                "c" => {
                    let at = element
                        .try_get_attribute("r")
                        .ok()
                        .flatten()
                        .and_then(|r| cells::cell_position(&r.value));
                    (row, column) = match at {
                        Some((r, c)) => (u64::from(r), u64::from(c)),
                        None => (row, column.wrapping_add(1)),
                    };
                    filled = false;
                }
                "v" | "is" | "f" => filled = true,
                _ => {}
            },
        });
        areas.push((name, area.cells()));
    }
    areas
}

/// The filled area of each table of an ods `content.xml`, its rows and
/// cells repeated as many times as they say, without making them.
fn ods_areas(zip: &mut zip::ZipArchive<File>) -> Vec<(String, u64)> {
    let mut areas = Vec::new();
    let Ok(entry) = zip.by_name("content.xml") else {
        return areas;
    };
    let mut table: Option<(String, Area)> = None;
    let (mut row, mut row_repeat, mut column) = (0u64, 1u64, 0u64);
    scan(BufReader::new(entry), |tag| match tag {
        Tag::Close("table-row") => row = row.saturating_add(row_repeat),
        Tag::Close("table") => areas.extend(table.take().map(|(n, a)| (n, a.cells()))),
        Tag::Close(_) => {}
        Tag::Open(element, empty) => match element.local_name().as_ref() {
            "table" => {
                let name = cells::attribute(element, "table:name").unwrap_or_default();
                table = Some((name, Area::default()));
                (row, column) = (0, 0);
            }
            "table-row" => {
                row_repeat = number(element, "table:number-rows-repeated").unwrap_or(1);
                column = 0;
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            "table-cell" | "covered-table-cell" => {
                let repeat = number(element, "table:number-columns-repeated").unwrap_or(1);
                let filled = !empty || cells::attribute(element, "office:value-type").is_some();
                if filled && let Some((_, area)) = &mut table {
                    let last_row = row.saturating_add(row_repeat.max(1) - 1);
                    let last_column = column.saturating_add(repeat.max(1) - 1);
                    area.add((row, last_row), (column, last_column));
                }
                column = column.saturating_add(repeat);
            }
            _ => {}
        },
    });
    areas
}

/// A numeric attribute.
fn number(element: &BytesStart, name: &str) -> Option<u64> {
    cells::attribute(element, name).and_then(|v| v.trim().parse().ok())
}
