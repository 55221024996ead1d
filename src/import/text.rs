//! The text of official sheets, as extracted from their PDFs (table cells
//! separated by tabs, `**...**` for bold): one or many sheets in a file.
//!
//! A sheet reads, line by line: its code; its title; the two header rows of
//! label/value pairs (`Direzione`, `Direttore`, `Classificazione`, then
//! `Servizio`, `Dirigente`, `Tipologia`); the bold label `Descrizione
//! dettagliata dell'obiettivo`; the description (paragraphs and `- `
//! bullets); then, after the code and title repeated at the top of the
//! page, `INDICATORI`, its column headers (`Descrizione`, `Tipo`, `Valore
//! Atteso`, `Valore Atteso 2020`..., `Note`) and one row per indicator.
//! Code and title repeated at the top of further pages, and column headers
//! repeated on them, are left out. The next sheet starts at a code line
//! with another code.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Draft, Place, Source, label_key};
use crate::diag::Diagnostic;
use crate::i18n::Text;
use crate::model::{Fields, Indicator, Target};
use crate::{scaffold, t};

/// The header rows' labels and their fields, row by row.
const HEADER_ROWS: [[(&str, &str); 3]; 2] = [
    [
        ("Direzione", "direzione"),
        ("Direttore", "direttore"),
        ("Classificazione", "classificazione"),
    ],
    [
        ("Servizio", "servizio"),
        ("Dirigente", "dirigente"),
        ("Tipologia", "tipologia"),
    ],
];

const DESCRIPTION_LABEL: &str = "Descrizione dettagliata dell'obiettivo";

/// A numbered line of the file.
type Line<'a> = (usize, &'a str);

fn is_code(line: &str) -> bool {
    let line = line.trim();
    !line.contains(char::is_whitespace) && scaffold::year_of(line).is_some()
}

/// Parses a file of official sheets' text.
pub fn parse(path: &Path, text: &str) -> Result<Source, Vec<Diagnostic>> {
    // PDF extractors mark a new page with a form feed at the start of its first line.
    let text = text.replace('\u{c}', "");
    let lines: Vec<Line> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let mut problems = Vec::new();
    let mut blocks: Vec<&[Line]> = Vec::new();
    let mut start = None;
    let mut code = "";
    let mut preamble = false;
    for (i, &(number, line)) in lines.iter().enumerate() {
        if is_code(line) && line.trim() != code {
            if let Some(start) = start {
                blocks.push(&lines[start..i]);
            }
            start = Some(i);
            code = line.trim();
        } else if start.is_none() && !line.trim().is_empty() && !preamble {
            preamble = true;
            problems.push(
                Diagnostic::error(path, t!("import-text-expected-code"))
                    .at(number, 1)
                    .hint(t!("import-text-expected-code-hint")),
            );
        }
    }
    if let Some(start) = start {
        blocks.push(&lines[start..]);
    }
    if blocks.is_empty() && problems.is_empty() {
        problems.push(
            Diagnostic::error(path, t!("import-text-no-sheet"))
                .hint(t!("import-text-no-sheet-hint")),
        );
    }
    let mut sheets = Vec::new();
    for block in blocks {
        match parse_sheet(path, block) {
            Ok(draft) => sheets.push(draft),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(Source { plan: None, sheets })
    } else {
        Err(problems)
    }
}

/// The lines of one sheet, with a position.
struct Cursor<'a> {
    lines: &'a [Line<'a>],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn skip_blank(&mut self) {
        while self.pos < self.lines.len() && self.lines[self.pos].1.trim().is_empty() {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.pos).copied()
    }

    /// The line number where the next thing is expected.
    fn here(&self) -> usize {
        self.peek()
            .map_or_else(|| self.lines.last().map_or(1, |l| l.0 + 1), |l| l.0)
    }

    /// Reads lines up to a blank one or one with a tab, joined by spaces.
    fn paragraph(&mut self) -> String {
        let mut parts = Vec::new();
        while let Some((_, line)) = self.peek() {
            if line.trim().is_empty() || line.contains('\t') {
                break;
            }
            parts.push(line.trim());
            self.pos += 1;
        }
        parts.join(" ")
    }

    /// Skips the code and title repeated at the top of a page, if the
    /// cursor is on them.
    fn skip_page_top(&mut self, code: &str, title: &str) -> bool {
        let Some((_, line)) = self.peek() else {
            return false;
        };
        if line.trim() != code {
            return false;
        }
        self.pos += 1;
        let after_code = self.pos;
        self.skip_blank();
        // The title, on as many lines as it took, may be followed by text at once.
        let mut joined = String::new();
        while let Some((_, line)) = self.peek() {
            if line.trim().is_empty() {
                break;
            }
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(line.trim());
            self.pos += 1;
            if joined == title {
                return true;
            }
            if !title.starts_with(&joined) {
                break;
            }
        }
        self.pos = after_code;
        true
    }
}

/// Parses the lines of one sheet, its code on the first; every problem of
/// the sheet at once.
fn parse_sheet(path: &Path, lines: &[Line]) -> Result<Draft, Vec<Diagnostic>> {
    let (code_line, code) = (lines[0].0, lines[0].1.trim());
    let mut reader = SheetReader {
        path,
        code,
        cursor: Cursor { lines, pos: 1 },
        places: vec![("codice".to_string(), Place::line(path, code_line))],
        problems: Vec::new(),
    };
    let title = reader.title();
    let header = reader.header();
    reader.description_label();
    let (descrizione, table_line) = reader.description(&title);
    let Some(table_line) = table_line else {
        let here = reader.cursor.here();
        reader.problems.push(
            reader
                .error(here, t!("import-text-no-table", code = code))
                .hint(t!("import-text-no-table-hint")),
        );
        return Err(reader.problems);
    };
    reader
        .places
        .push(("indicatori".into(), reader.at(table_line)));
    let Some((columns, years, header_line)) = reader.columns() else {
        return Err(reader.problems);
    };
    let code_year: i32 = code[..4].parse().unwrap_or_default();
    if years[0] != code_year {
        reader.problems.push(
            reader
                .error(
                    code_line,
                    t!("import-text-code-year", code = code, year = years[0]),
                )
                .hint(t!("import-text-code-year-hint")),
        );
    }
    let indicatori = reader.indicators(&columns, &years, &title);
    if indicatori.is_empty() && reader.problems.is_empty() {
        let problem = reader.error(header_line, t!("import-text-no-rows", code = code));
        reader.problems.push(problem);
    }
    if !reader.problems.is_empty() {
        return Err(reader.problems);
    }
    let field = |name: &str| header.get(name).cloned().unwrap_or_default();
    Ok(Draft {
        fields: Fields {
            codice: code.to_string(),
            titolo: title,
            direzione: field("direzione"),
            direttore: field("direttore"),
            servizio: field("servizio"),
            dirigente: field("dirigente"),
            classificazione: field("classificazione"),
            tipologia: field("tipologia"),
            indicatori,
            risultati: Default::default(),
        },
        descrizione,
        at: Place::line(path, code_line),
        places: reader.places,
    })
}

/// Reads the parts of one sheet in order, noting where each field was
/// found and every problem.
struct SheetReader<'a> {
    path: &'a Path,
    code: &'a str,
    cursor: Cursor<'a>,
    places: Vec<(String, Place)>,
    problems: Vec<Diagnostic>,
}

impl<'a> SheetReader<'a> {
    fn at(&self, line: usize) -> Place {
        Place::line(self.path, line)
    }

    fn error(&self, line: usize, message: Text) -> Diagnostic {
        Diagnostic::error(self.path, message).at(line, 1)
    }

    /// The title, on the lines after the code.
    fn title(&mut self) -> String {
        self.cursor.skip_blank();
        let title_line = self.cursor.here();
        let title = self.cursor.paragraph();
        if title.is_empty() {
            let problem = self.error(title_line, t!("import-text-no-title", code = self.code));
            self.problems.push(problem);
        }
        self.places.push(("titolo".into(), self.at(title_line)));
        self.cursor.skip_blank();
        title
    }

    /// The two header rows of label/value pairs, as fields.
    fn header(&mut self) -> BTreeMap<&'static str, String> {
        let mut header = BTreeMap::new();
        let mut rows_seen = [false; 2];
        while let Some((number, line)) = self.cursor.peek() {
            if !line.contains('\t')
                || label_key(line.split('\t').next().unwrap_or("")) == "indicatori"
            {
                break;
            }
            self.cursor.pos += 1;
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            if !cells.len().is_multiple_of(2) {
                let message = t!(
                    "import-text-header-cells",
                    code = self.code,
                    cells = cells.len()
                );
                let problem = self
                    .error(number, message)
                    .hint(t!("import-text-header-cells-hint"));
                self.problems.push(problem);
            }
            for pair in cells.chunks(2) {
                match header_field(pair[0]) {
                    Some((row, field)) => {
                        rows_seen[row] = true;
                        header.insert(field, pair.get(1).copied().unwrap_or("").to_string());
                        self.places.push((field.to_string(), self.at(number)));
                    }
                    None => {
                        let message = t!(
                            "import-text-header-label",
                            code = self.code,
                            label = pair[0]
                        );
                        let problem = self
                            .error(number, message)
                            .hint(t!("import-text-header-label-hint"));
                        self.problems.push(problem);
                    }
                }
            }
        }
        self.check_header(&header, rows_seen);
        self.cursor.skip_blank();
        header
    }

    /// An error for each header row not seen, and each label missing from a row seen.
    fn check_header(&mut self, header: &BTreeMap<&str, String>, rows_seen: [bool; 2]) {
        let here = self.cursor.here();
        for (row, labels) in HEADER_ROWS.iter().enumerate() {
            let names: Vec<&str> = labels.iter().map(|(label, _)| *label).collect();
            if !rows_seen[row] {
                let message = t!(
                    "import-text-header-row",
                    code = self.code,
                    row = names.join(" | ")
                );
                let problem = self
                    .error(here, message)
                    .hint(t!("import-text-header-row-hint"));
                self.problems.push(problem);
                continue;
            }
            for (label, field) in labels {
                if !header.contains_key(field) {
                    let message = t!(
                        "import-text-header-missing",
                        code = self.code,
                        label = *label
                    );
                    self.problems.push(self.error(here, message));
                }
            }
        }
    }

    /// The bold label before the description.
    fn description_label(&mut self) {
        let Some((_, line)) = self
            .cursor
            .peek()
            .filter(|(_, l)| l.trim_start().starts_with("**"))
        else {
            let message = t!(
                "import-text-no-label",
                code = self.code,
                label = DESCRIPTION_LABEL
            );
            let problem = self
                .error(self.cursor.here(), message)
                .hint(t!("import-text-no-label-hint"));
            self.problems.push(problem);
            return;
        };
        let mut label = vec![line.trim()];
        self.cursor.pos += 1;
        while !(line_ends_label(&label)) {
            let Some((_, line)) = self.cursor.peek() else {
                break;
            };
            self.cursor.pos += 1;
            label.push(line.trim());
        }
        let label = label.join(" ");
        if label_key(&label) != label_key(DESCRIPTION_LABEL) {
            let message = t!(
                "import-text-wrong-label",
                code = self.code,
                expected = DESCRIPTION_LABEL,
                label = label
            );
            self.problems.push(self.error(self.cursor.here(), message));
        }
    }

    /// The description, up to the line of `INDICATORI` (its number, if found).
    fn description(&mut self, title: &str) -> (String, Option<usize>) {
        let description_line = self.cursor.here();
        let mut description: Vec<String> = Vec::new();
        let mut table_line = None;
        while let Some((number, line)) = self.cursor.peek() {
            if label_key(line.split('\t').next().unwrap_or("")) == "indicatori" {
                table_line = Some(number);
                self.cursor.pos += 1;
                break;
            }
            if self.cursor.skip_page_top(self.code, title) {
                continue;
            }
            // Extractors often give a list's bullets as `•`.
            description.push(match line.trim_start().strip_prefix('•') {
                Some(item) => format!("- {}", item.trim_start()),
                None => line.to_string(),
            });
            self.cursor.pos += 1;
        }
        self.places
            .push(("descrizione".into(), self.at(description_line)));
        (description.join("\n").trim().to_string(), table_line)
    }

    /// The column headers of the indicators' table, the years they name,
    /// and their line.
    fn columns(&mut self) -> Option<(Vec<&'a str>, Vec<i32>, usize)> {
        self.cursor.skip_blank();
        let header_line = self.cursor.here();
        let columns: Vec<&str> = self
            .cursor
            .peek()
            .map(|(_, l)| l.split('\t').map(str::trim).collect())
            .unwrap_or_default();
        self.cursor.pos += 1;
        match target_years(&columns, self.code) {
            Some(years) => Some((columns, years, header_line)),
            None => {
                let message = t!("import-text-no-columns", code = self.code);
                let problem = self
                    .error(header_line, message)
                    .hint(t!("import-text-no-columns-hint"));
                self.problems.push(problem);
                None
            }
        }
    }

    /// The indicators' rows, up to the end of the sheet.
    fn indicators(&mut self, columns: &[&str], years: &[i32], title: &str) -> Vec<Indicator> {
        let width = columns.len();
        let mut indicatori = Vec::new();
        while let Some((number, line)) = self.cursor.peek() {
            if line.trim().is_empty() || self.cursor.skip_page_top(self.code, title) {
                self.cursor.skip_blank();
                continue;
            }
            self.cursor.pos += 1;
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            if cells == columns {
                continue;
            }
            // A trailing empty note may have lost its tab.
            if cells.len() + 1 < width || cells.len() > width {
                let message = t!(
                    "import-text-row-cells",
                    code = self.code,
                    cells = cells.len(),
                    width = width
                );
                let problem = self
                    .error(number, message)
                    .hint(t!("import-text-row-cells-hint"));
                self.problems.push(problem);
                continue;
            }
            let note = cells.get(width - 1).filter(|n| !n.is_empty());
            self.places
                .push((format!("indicatori[{}]", indicatori.len()), self.at(number)));
            indicatori.push(Indicator {
                descrizione: cells[0].to_string(),
                tipo: cells[1].to_string(),
                valore_atteso: years
                    .iter()
                    .zip(&cells[2..width - 1])
                    .map(|(year, target)| (*year, Target(target.to_string())))
                    .collect(),
                note: note.map(|n| n.to_string()),
                ..Default::default()
            });
        }
        indicatori
    }
}

/// The header row (0 or 1) and field of a header label.
fn header_field(label: &str) -> Option<(usize, &'static str)> {
    HEADER_ROWS.iter().enumerate().find_map(|(row, labels)| {
        labels
            .iter()
            .find(|(name, _)| label_key(name) == label_key(label))
            .map(|(_, field)| (row, *field))
    })
}

/// Whether the lines of a bold label read so far close it.
fn line_ends_label(label: &[&str]) -> bool {
    label.last().is_some_and(|l| l.ends_with("**")) && label.join(" ").len() > 2
}

/// The years of the target columns: `Valore Atteso` is the plan year (the
/// year before the next named one, or the code's), `Valore Atteso 2020`
/// names its year. `None` unless the headers read `Descrizione`, `Tipo`,
/// targets, `Note`, the years consecutive.
fn target_years(columns: &[&str], code: &str) -> Option<Vec<i32>> {
    let [first, second, targets @ .., last] = columns else {
        return None;
    };
    let well_formed = label_key(first) == "descrizione"
        && label_key(second) == "tipo"
        && label_key(last) == "note"
        && !targets.is_empty();
    if !well_formed {
        return None;
    }
    let named: Vec<Option<i32>> = targets
        .iter()
        .map(|t| {
            let key = label_key(t);
            let year = key.strip_prefix("valoreatteso")?;
            Some(if year.is_empty() {
                None
            } else {
                Some(year.parse().ok()?)
            })
        })
        .collect::<Option<_>>()?;
    let base = named
        .iter()
        .enumerate()
        .find_map(|(i, y)| y.map(|y| y - i as i32))
        .or_else(|| code.get(..4)?.parse().ok())?;
    let years: Vec<i32> = (0..targets.len()).map(|i| base + i as i32).collect();
    let consistent = named
        .iter()
        .zip(&years)
        .all(|(named, year)| named.is_none_or(|n| n == *year));
    consistent.then_some(years)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = "2019_A1\n\nTitolo\n\nDirezione\tD\tDirettore\tX\tClassificazione\tC\n\
        Servizio\tS\tDirigente\tY\tTipologia\tT\n\n**Descrizione dettagliata dell'obiettivo**\n\n\
        Testo:\n\u{c}2019_A1\nTitolo\n• uno;\n• due.\n\nINDICATORI\n\
        Descrizione\tTipo\tValore Atteso\tNote\nUno\tRISULTATO\t5\t\n";

    #[test]
    fn page_breaks_and_bullets_of_extracted_text() {
        let source = parse(Path::new("a.txt"), SHEET).unwrap();
        let draft = &source.sheets[0];
        assert_eq!(draft.descrizione, "Testo:\n- uno;\n- due.");
        assert_eq!(draft.fields.direttore, "X");
        assert_eq!(draft.fields.indicatori[0].valore_atteso[&2019].0, "5");
        assert_eq!(draft.fields.indicatori[0].note, None);
        assert_eq!(draft.place_of(Some("indicatori[0].tipo")).line, 18);
    }

    #[test]
    fn years_come_from_the_column_headers() {
        let columns = [
            "Descrizione",
            "Tipo",
            "Valore Atteso",
            "Valore Atteso 2020",
            "Valore Atteso 2021",
            "Note",
        ];
        assert_eq!(
            target_years(&columns, "2019_A1"),
            Some(vec![2019, 2020, 2021])
        );
        assert_eq!(
            target_years(&["Descrizione", "Tipo", "Valore Atteso", "Note"], "2019_A1"),
            Some(vec![2019])
        );
        assert_eq!(
            target_years(
                &[
                    "Descrizione",
                    "Tipo",
                    "Valore Atteso 2020",
                    "Valore Atteso 2022",
                    "Note"
                ],
                "2020_A1"
            ),
            None
        );
        assert_eq!(target_years(&["Descrizione", "Note"], "2019_A1"), None);
    }
}
