//! Spreadsheets: a table of objectives (one row each) and a table of
//! indicators, found as worksheets of an `.xlsx`/`.ods` workbook or as two
//! `.csv` files, told apart by their headers.
//!
//! Indicators come a row per indicator with a column per year (`Valore
//! Atteso` for the plan year, `Valore Atteso 2020`...), or a row per
//! indicator and year with an `Anno` column, as in our `indicatori.csv`.
//! Headers match the printed sheet's labels and our open-data columns,
//! ignoring case, accents, spacing and punctuation; `--map` renames any
//! other. A description cell keeps its paragraphs (one per line) and `- `
//! bullets.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use super::bounds;
use super::cells::{self, NumberFormat};
use super::{Draft, Place, Source, label_key};
use crate::diag::Diagnostic;
use crate::load;
use crate::model::{Fields, Indicator, Target};
use crate::t;

/// A table as read: its header row first, cells as displayed.
pub struct Table {
    /// The file, and the worksheet's name for a workbook.
    path: PathBuf,
    sheet: Option<String>,
    /// Where each row is: a CSV line, or a worksheet row from 0.
    rows: Vec<(u32, Vec<String>)>,
    /// The worksheet's first column, from 0.
    first_column: u32,
}

impl Table {
    /// The worksheet's name, for a workbook.
    pub fn sheet_name(&self) -> Option<&str> {
        self.sheet.as_deref()
    }

    /// The rows, each with its row number, cells as displayed.
    pub fn rows(&self) -> &[(u32, Vec<String>)] {
        &self.rows
    }

    /// The place of a cell, from the row number and the column from 0.
    pub fn place(&self, row: u32, column: usize) -> Place {
        match &self.sheet {
            Some(sheet) => Place {
                path: PathBuf::from(format!(
                    "{}:{sheet}!{}{}",
                    self.path.display(),
                    column_name(self.first_column + column as u32),
                    row + 1
                )),
                line: 0,
            },
            None => Place::line(&self.path, row as usize),
        }
    }
}

/// `A`, `B`, ..., `Z`, `AA`... for a column from 0.
fn column_name(mut column: u32) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Reads the `--map` file: header -> field or label.
pub fn read_map(path: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let text = load::read_source(path)?;
    let map: BTreeMap<String, String> = serde_yaml::from_str(&text).map_err(|err| {
        let line = err.location().map_or(1, |l| l.line());
        Diagnostic::error(path, t!("import-map-invalid"))
            .at(line, 1)
            .hint(t!("import-map-invalid-hint"))
    })?;
    Ok(map
        .into_iter()
        .map(|(header, field)| (label_key(&header), field))
        .collect())
}

/// Reads the visible worksheets of a workbook, cells as displayed, within
/// the bounds of [`bounds`]; a hidden worksheet is left out with a warning.
pub fn read_workbook(path: &Path) -> Result<(Vec<Table>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let is_ods = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ods"));
    bounds::check(path, is_ods).map_err(|problem| vec![problem])?;
    let mut workbook = calamine::open_workbook_auto(path).map_err(|err| {
        vec![Diagnostic::error(
            path,
            t!("import-workbook", reason = crate::diag::error_reason(&err)),
        )]
    })?;
    let formats = if is_ods {
        cells::ods_formats(path)
    } else {
        cells::xlsx_formats(path)
    };
    let mut tables = Vec::new();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let hidden: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.visible != calamine::SheetVisible::Visible)
        .map(|sheet| sheet.name.clone())
        .collect();
    for name in workbook.sheet_names() {
        if hidden.contains(&name) {
            warnings.push(
                Diagnostic::warning(
                    format!("{}:{name}", path.display()),
                    t!("import-hidden-sheet"),
                )
                .hint(t!("import-hidden-sheet-hint")),
            );
            continue;
        }
        let range = match workbook.worksheet_range(&name) {
            Ok(range) => range,
            Err(err) => {
                problems.push(Diagnostic::error(
                    format!("{}:{name}", path.display()),
                    t!("import-worksheet", reason = crate::diag::error_reason(&err)),
                ));
                continue;
            }
        };
        let Some((first_row, first_column)) = range.start() else {
            continue;
        };
        let sheet_formats = formats.get(&name);
        let mut table = Table {
            path: path.to_path_buf(),
            sheet: Some(name.clone()),
            rows: Vec::new(),
            first_column,
        };
        for (i, row) in range.rows().enumerate() {
            let row_number = first_row + i as u32;
            let mut texts = Vec::new();
            for (j, data) in row.iter().enumerate() {
                let format = sheet_formats
                    .and_then(|f| f.get(&(row_number, first_column + j as u32)))
                    .copied()
                    .unwrap_or(NumberFormat::General);
                match cells::show(data, format) {
                    Ok(text) => texts.push(text),
                    Err(message) => {
                        problems.push(table.place(row_number, j).error(message));
                        texts.push(String::new());
                    }
                }
            }
            if !row.iter().all(|d| *d == Data::Empty) {
                table.rows.push((row_number, texts));
            }
        }
        tables.push(table);
    }
    if problems.is_empty() {
        Ok((tables, warnings))
    } else {
        Err(problems)
    }
}

/// Reads a CSV file (comma- or semicolon-separated; UTF-8, else
/// Windows-1252 with the warning that says so).
pub fn read_csv(path: &Path) -> Result<(Table, Option<Diagnostic>), Diagnostic> {
    let (text, note) = super::read_office_text(path)?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    if let Some((line, column)) = unclosed_quote(&text, delimiter) {
        return Err(Diagnostic::error(path, t!("import-unclosed-quote"))
            .at(line, column)
            .hint(t!("import-unclosed-quote-hint")));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| {
            let line = err.position().map_or(0, |p| p.line() as usize);
            Diagnostic::error(path, t!("import-not-csv", reason = err.to_string())).at(line, 1)
        })?;
        let line = record.position().map_or(0, |p| p.line() as u32);
        if record.iter().any(|cell| !cell.trim().is_empty()) {
            rows.push((line, record.iter().map(str::to_string).collect()));
        }
    }
    let table = Table {
        path: path.to_path_buf(),
        sheet: None,
        rows,
        first_column: 0,
    };
    Ok((table, note))
}

/// Where a quote opening a cell is never closed (1-based line and column):
/// a CSV reader would take the rest of the file as that one cell.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<(usize, usize)> {
    let (mut line, mut column) = (1, 0);
    let mut cell_start = true;
    let mut open: Option<(usize, usize)> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column) = (line + 1, 0);
        }
        if open.is_some() {
            if c == '"' && chars.next_if_eq(&'"').is_none() {
                open = None;
            }
            continue;
        }
        cell_start = match c {
            '"' if cell_start => {
                open = Some((line, column));
                false
            }
            '\n' => true,
            c => u32::from(delimiter) == c as u32,
        };
    }
    open
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Field(&'static str),
    /// A target: of this year, or of the plan year.
    Target(Option<i32>),
    /// Known but not imported (the number of indicators).
    Ignored,
}

/// The columns of the objectives: the sheet's text fields and the description.
const OBJECTIVE_FIELDS: [&str; 9] = {
    let k = crate::model::SHEET_KEYS;
    [
        k[0],
        k[1],
        k[2],
        k[3],
        k[4],
        k[5],
        k[6],
        k[7],
        "descrizione",
    ]
};

/// Recognises a header, after `--map`.
fn column(header: &str, map: &BTreeMap<String, String>) -> Option<Column> {
    let key = label_key(header);
    let key = map.get(&key).map_or(key, |to| label_key(to));
    let field = match key.as_str() {
        "codice" | "codiceobiettivo" | "cod" => "codice",
        "titolo" | "titoloobiettivo" | "obiettivo" => "titolo",
        "descrizione"
        | "descrizionedettagliatadellobiettivo"
        | "descrizioneobiettivo"
        | "descrizioneindicatore" => "descrizione",
        "tipo" | "tipoindicatore" => "tipo",
        "anno" => "anno",
        "note" | "nota" => "note",
        "indicatore" | "nindicatore" | "numeroindicatore" => "indicatore",
        "indicatori" => return Some(Column::Ignored),
        key if OBJECTIVE_FIELDS.contains(&key) => OBJECTIVE_FIELDS
            .iter()
            .find(|f| **f == key)
            .copied()
            .unwrap_or_default(),
        key => {
            let rest = key
                .strip_prefix("valoreatteso")
                .or_else(|| key.strip_prefix("target"))?;
            if rest.is_empty() {
                return Some(Column::Target(None));
            }
            return rest.parse().ok().map(|year| Column::Target(Some(year)));
        }
    };
    Some(Column::Field(field))
}

/// One table's rows as maps from column to cell, with their places.
struct Rows<'a> {
    table: &'a Table,
    /// The header row's index; rows above it (a banner, a date) are left out.
    header: usize,
    columns: Vec<Option<Column>>,
}

impl Rows<'_> {
    fn index(&self, field: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| matches!(c, Some(Column::Field(f)) if *f == field))
    }

    fn has(&self, field: &str) -> bool {
        self.index(field).is_some()
    }

    /// The cell of `field` in a row, and its place.
    fn cell(&self, row: &(u32, Vec<String>), field: &str) -> (String, Place) {
        let index = self.index(field).unwrap_or(0);
        let text = row.1.get(index).map_or("", |t| t.trim()).to_string();
        (text, self.table.place(row.0, index))
    }
}

/// A description cell as Markdown: each line a paragraph, consecutive
/// bullets (`- `, `• `) one list.
fn description(cell: &str) -> String {
    let lines: Vec<String> = cell
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(
            |l| match l.strip_prefix("• ").or_else(|| l.strip_prefix("•")) {
                Some(rest) => format!("- {}", rest.trim_start()),
                None => l.to_string(),
            },
        )
        .collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let list = line.starts_with("- ") && lines[i - 1].starts_with("- ");
            out.push_str(if list { "\n" } else { "\n\n" });
        }
        out.push_str(line);
    }
    out
}

/// Joins the tables of objectives and of indicators into drafts.
pub fn assemble(tables: Vec<Table>, map: &BTreeMap<String, String>) -> (Source, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut objectives: Vec<Rows> = Vec::new();
    let mut indicators: Vec<Rows> = Vec::new();
    for table in &tables {
        let Some(rows) = header_row(table, map, &mut problems) else {
            continue;
        };
        if rows.has("tipo") {
            indicators.push(rows);
        } else if rows.has("titolo") {
            objectives.push(rows);
        } else {
            let name = table.place(table.rows[rows.header].0, 0);
            problems.push(
                name.warning(t!("import-table-left-out"))
                    .hint(t!("import-table-left-out-hint")),
            );
        }
    }
    let mut drafts: Vec<Draft> = Vec::new();
    // Indicators of objectives that could not be read are not errors of their own.
    let mut complete = true;
    for rows in &objectives {
        complete &= add_objectives(rows, &mut drafts, &mut problems);
    }
    let by_code: BTreeMap<String, usize> = (drafts.iter().enumerate())
        .map(|(i, draft)| (draft.fields.codice.clone(), i))
        .collect();
    for rows in &indicators {
        add_indicators(rows, &mut drafts, &by_code, complete, &mut problems);
    }
    (
        Source {
            plan: None,
            sheets: drafts,
        },
        problems,
    )
}

/// The rows of `table` under its header row (the first of the top rows with
/// two known headers), with a warning for each header that is not imported.
fn header_row<'a>(
    table: &'a Table,
    map: &BTreeMap<String, String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Rows<'a>> {
    let known = |i: usize| {
        (table.rows[i].1.iter())
            .filter(|h| column(h, map).is_some())
            .count()
    };
    let header = (0..table.rows.len().min(10))
        .find(|&i| known(i) >= 2)
        .unwrap_or(0);
    let (header_row, headers) = table.rows.get(header)?;
    let columns: Vec<Option<Column>> = headers.iter().map(|h| column(h, map)).collect();
    for (i, header) in headers.iter().enumerate() {
        if columns[i].is_none() && !header.trim().is_empty() {
            problems.push(
                table
                    .place(*header_row, i)
                    .warning(t!("import-table-column-ignored", header = header.trim()))
                    .hint(t!(
                        "import-table-column-ignored-hint",
                        header = header.trim()
                    )),
            );
        }
    }
    Some(Rows {
        table,
        header,
        columns,
    })
}

/// Adds a draft for each row of a table of objectives; says whether the
/// table had every column (an error for each missing one).
fn add_objectives(rows: &Rows, drafts: &mut Vec<Draft>, problems: &mut Vec<Diagnostic>) -> bool {
    let header = &rows.table.rows[rows.header];
    let missing: Vec<&str> = OBJECTIVE_FIELDS
        .into_iter()
        .filter(|field| !rows.has(field))
        .collect();
    for field in &missing {
        problems.push(
            rows.table
                .place(header.0, 0)
                .error(t!("import-table-objectives-column", field = *field))
                .hint(if *field == "descrizione" {
                    // Our obiettivi.csv leaves the descriptions to piano.json.
                    t!("import-table-description-column-hint")
                } else {
                    t!("import-table-column-hint")
                }),
        );
    }
    if !missing.is_empty() {
        return false;
    }
    for row in &rows.table.rows[rows.header + 1..] {
        let mut places = Vec::new();
        let mut value = |field: &str| {
            let (text, place) = rows.cell(row, field);
            places.push((field.to_string(), place));
            text
        };
        let fields = Fields {
            codice: value("codice"),
            titolo: value("titolo"),
            direzione: value("direzione"),
            direttore: value("direttore"),
            servizio: value("servizio"),
            dirigente: value("dirigente"),
            classificazione: value("classificazione"),
            tipologia: value("tipologia"),
            indicatori: Vec::new(),
            risultati: Default::default(),
        };
        let descrizione = description(&value("descrizione"));
        let at = places[0].1.clone();
        places.push(("indicatori".into(), at.clone()));
        drafts.push(Draft {
            fields,
            descrizione,
            at,
            places,
        });
    }
    true
}

/// The target columns of a table of indicators, and their years (`None`:
/// the plan year, or the `Anno` column's); `None` with an error for each
/// missing column when the table cannot be read.
fn indicator_columns(
    rows: &Rows,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<(usize, Option<i32>)>> {
    let header = &rows.table.rows[rows.header];
    let targets: Vec<(usize, Option<i32>)> = (rows.columns.iter().enumerate())
        .filter_map(|(i, c)| match c {
            Some(Column::Target(year)) => Some((i, *year)),
            _ => None,
        })
        .collect();
    for field in ["codice", "descrizione"] {
        if !rows.has(field) {
            problems.push(
                rows.table
                    .place(header.0, 0)
                    .error(t!("import-table-indicators-column", field = field)),
            );
        }
    }
    if targets.is_empty() || (rows.has("anno") && targets.len() != 1) {
        problems.push(
            rows.table
                .place(header.0, 0)
                .error(t!("import-table-no-target"))
                .hint(t!("import-table-no-target-hint")),
        );
        return None;
    }
    (rows.has("codice") && rows.has("descrizione")).then_some(targets)
}

/// Adds the rows of a table of indicators to their objectives.
fn add_indicators(
    rows: &Rows,
    drafts: &mut [Draft],
    by_code: &BTreeMap<String, usize>,
    complete: bool,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(targets) = indicator_columns(rows, problems) else {
        return;
    };
    let long = rows.has("anno");
    // Indicators by objective, keyed by their number or their description.
    let mut seen: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for row in &rows.table.rows[rows.header + 1..] {
        let (code, code_place) = rows.cell(row, "codice");
        let Some(&d) = by_code.get(&code) else {
            if complete {
                problems.push(
                    code_place
                        .error(t!("import-table-no-objective", code = code.as_str()))
                        .hint(t!("import-table-no-objective-hint")),
                );
            }
            continue;
        };
        let (text, place) = rows.cell(row, "descrizione");
        let key = if rows.has("indicatore") {
            rows.cell(row, "indicatore").0
        } else {
            text.clone()
        };
        let draft = &mut drafts[d];
        let index = *seen
            .entry((d, key))
            .or_insert_with(|| new_indicator(rows, row, draft, text, place));
        let year_of_row = if long {
            let (year, place) = rows.cell(row, "anno");
            match year.parse::<i32>() {
                Ok(year) => Some(year),
                Err(_) => {
                    problems.push(place.error(t!("import-table-not-a-year", year = year)));
                    continue;
                }
            }
        } else {
            None
        };
        let plan_year: i32 = code.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
        for &(column, year) in &targets {
            let year = year_of_row.or(year).unwrap_or(plan_year);
            let text = row.1.get(column).map_or("", |t| t.trim()).to_string();
            let place = rows.table.place(row.0, column);
            let indicator = &mut draft.fields.indicatori[index];
            if indicator.valore_atteso.insert(year, Target(text)).is_some() {
                let message = t!(
                    "import-table-second-target",
                    code = code.as_str(),
                    year = year
                );
                problems.push(place.error(message));
            }
            draft
                .places
                .push((format!("indicatori[{index}].valore_atteso.{year}"), place));
        }
    }
}

/// Adds to `draft` the indicator of `row`, described by `text` found at
/// `place`, its targets still empty; gives its index.
fn new_indicator(
    rows: &Rows,
    row: &(u32, Vec<String>),
    draft: &mut Draft,
    text: String,
    place: Place,
) -> usize {
    let index = draft.fields.indicatori.len();
    let field = |name: &str| {
        if rows.has(name) {
            rows.cell(row, name).0
        } else {
            String::new()
        }
    };
    let note = field("note");
    draft.fields.indicatori.push(Indicator {
        descrizione: text,
        tipo: field("tipo"),
        valore_atteso: BTreeMap::new(),
        note: (!note.is_empty()).then_some(note),
        ..Default::default()
    });
    draft.places.push((format!("indicatori[{index}]"), place));
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_labels_and_open_data_columns() {
        let map = BTreeMap::from([(label_key("Resp. Servizio"), "dirigente".to_string())]);
        assert_eq!(column("CODICE", &map), Some(Column::Field("codice")));
        assert_eq!(
            column("Descrizione dettagliata dell'obiettivo", &map),
            Some(Column::Field("descrizione"))
        );
        assert_eq!(
            column("Valore Atteso 2020", &map),
            Some(Column::Target(Some(2020)))
        );
        assert_eq!(column("valore_atteso", &map), Some(Column::Target(None)));
        assert_eq!(
            column("Resp. Servizio", &map),
            Some(Column::Field("dirigente"))
        );
        assert_eq!(column("Referente", &map), None);
    }

    #[test]
    fn description_cells_keep_paragraphs_and_bullets() {
        assert_eq!(
            description("Primo.\nIn particolare:\n- uno;\n• due.\n\nFine."),
            "Primo.\n\nIn particolare:\n\n- uno;\n- due.\n\nFine."
        );
    }

    #[test]
    fn column_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(3), "D");
        assert_eq!(column_name(26), "AA");
    }
}
