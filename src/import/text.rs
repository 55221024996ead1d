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
use crate::model::{Fields, Indicator, Target};
use crate::scaffold;

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
                Diagnostic::error(path, "expected a sheet's code, like `2019_Z101`")
                    .at(number, 1)
                    .hint("each sheet starts with its code on a line of its own"),
            );
        }
    }
    if let Some(start) = start {
        blocks.push(&lines[start..]);
    }
    if blocks.is_empty() && problems.is_empty() {
        problems.push(Diagnostic::error(path, "no sheet found").hint(
            "the text of an official sheet starts with its code, like `2019_Z101`, then its title",
        ));
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

fn parse_sheet(path: &Path, lines: &[Line]) -> Result<Draft, Vec<Diagnostic>> {
    let at = |line: usize| Place::line(path, line);
    let error = |line: usize, message: String| Diagnostic::error(path, message).at(line, 1);
    let mut problems = Vec::new();
    let (code_line, code) = (lines[0].0, lines[0].1.trim());
    let mut places = vec![("codice".to_string(), at(code_line))];
    let mut cursor = Cursor { lines, pos: 1 };
    cursor.skip_blank();
    let title_line = cursor.here();
    let title = cursor.paragraph();
    if title.is_empty() {
        problems.push(error(
            title_line,
            format!("sheet `{code}`: the title is missing"),
        ));
    }
    places.push(("titolo".into(), at(title_line)));
    cursor.skip_blank();

    // The header rows.
    let mut header: BTreeMap<&str, String> = BTreeMap::new();
    let mut rows_seen = [false; 2];
    while let Some((number, line)) = cursor.peek() {
        if !line.contains('\t') || label_key(line.split('\t').next().unwrap_or("")) == "indicatori"
        {
            break;
        }
        cursor.pos += 1;
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if !cells.len().is_multiple_of(2) {
            problems.push(
                error(
                    number,
                    format!("sheet `{code}`: a header row has {} cells", cells.len()),
                )
                .hint(
                    "header rows are label/value pairs, like `Direzione<tab>UFFICIO DEL SINDACO`",
                ),
            );
        }
        for pair in cells.chunks(2) {
            let found = HEADER_ROWS.iter().enumerate().find_map(|(row, labels)| {
                labels
                    .iter()
                    .find(|(label, _)| label_key(label) == label_key(pair[0]))
                    .map(|(_, field)| (row, *field))
            });
            match found {
                Some((row, field)) => {
                    rows_seen[row] = true;
                    header.insert(field, pair.get(1).copied().unwrap_or("").to_string());
                    places.push((field.to_string(), at(number)));
                }
                None => problems.push(
                    error(number, format!("sheet `{code}`: unknown header label `{}`", pair[0]))
                        .hint("the labels are Direzione, Direttore, Classificazione, Servizio, Dirigente and Tipologia"),
                ),
            }
        }
    }
    for (row, labels) in HEADER_ROWS.iter().enumerate() {
        let names: Vec<&str> = labels.iter().map(|(label, _)| *label).collect();
        if !rows_seen[row] {
            problems.push(
                error(
                    cursor.here(),
                    format!(
                        "sheet `{code}`: the header row `{}` is missing",
                        names.join(" | ")
                    ),
                )
                .hint("the two header rows follow the title, cells separated by tabs"),
            );
            continue;
        }
        for (label, field) in labels {
            if !header.contains_key(field) {
                problems.push(error(
                    cursor.here(),
                    format!("sheet `{code}`: the header has no `{label}`"),
                ));
            }
        }
    }
    cursor.skip_blank();

    // The bold label, then the description up to INDICATORI.
    match cursor.peek() {
        Some((_, line)) if line.trim_start().starts_with("**") => {
            let mut label = Vec::new();
            while let Some((_, line)) = cursor.peek() {
                cursor.pos += 1;
                label.push(line.trim());
                if line.trim_end().ends_with("**") && label.join(" ").len() > 2 {
                    break;
                }
            }
            let label = label.join(" ");
            if label_key(&label) != label_key(DESCRIPTION_LABEL) {
                problems.push(error(
                    cursor.here(),
                    format!(
                        "sheet `{code}`: expected the label `{DESCRIPTION_LABEL}`, found `{label}`"
                    ),
                ));
            }
        }
        _ => problems.push(
            error(
                cursor.here(),
                format!("sheet `{code}`: expected the bold label `**{DESCRIPTION_LABEL}**`"),
            )
            .hint("the description follows its label, after the header rows"),
        ),
    }
    let description_line = cursor.here();
    let mut description: Vec<String> = Vec::new();
    let mut table_line = None;
    while let Some((number, line)) = cursor.peek() {
        if label_key(line.split('\t').next().unwrap_or("")) == "indicatori" {
            table_line = Some(number);
            cursor.pos += 1;
            break;
        }
        if cursor.skip_page_top(code, &title) {
            continue;
        }
        // Extractors often give a list's bullets as `•`.
        description.push(match line.trim_start().strip_prefix('•') {
            Some(item) => format!("- {}", item.trim_start()),
            None => line.to_string(),
        });
        cursor.pos += 1;
    }
    places.push(("descrizione".into(), at(description_line)));
    let descrizione = description.join("\n").trim().to_string();
    let Some(table_line) = table_line else {
        problems.push(
            error(
                cursor.here(),
                format!("sheet `{code}`: the INDICATORI table is missing"),
            )
            .hint("after the description: `INDICATORI`, its column headers, one row per indicator"),
        );
        return Err(problems);
    };
    places.push(("indicatori".into(), at(table_line)));

    // The column headers, which name the years.
    cursor.skip_blank();
    let header_line = cursor.here();
    let columns: Vec<&str> = cursor
        .peek()
        .map(|(_, l)| l.split('\t').map(str::trim).collect())
        .unwrap_or_default();
    cursor.pos += 1;
    let Some(years) = target_years(&columns, code) else {
        problems.push(
            error(
                header_line,
                format!("sheet `{code}`: expected the column headers of the INDICATORI table"),
            )
            .hint("`Descrizione | Tipo | Valore Atteso | Valore Atteso 2020 | ... | Note`, separated by tabs"),
        );
        return Err(problems);
    };
    let code_year: i32 = code[..4].parse().unwrap_or_default();
    if years[0] != code_year {
        problems.push(
            error(
                code_line,
                format!(
                    "code `{code}` does not match its year: the INDICATORI table starts at {}",
                    years[0]
                ),
            )
            .hint("a code starts with the plan year, the first year of the targets"),
        );
    }

    // The indicators.
    let width = columns.len();
    let mut indicatori = Vec::new();
    while let Some((number, line)) = cursor.peek() {
        if line.trim().is_empty() || cursor.skip_page_top(code, &title) {
            cursor.skip_blank();
            continue;
        }
        cursor.pos += 1;
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells == columns {
            continue;
        }
        // A trailing empty note may have lost its tab.
        if cells.len() + 1 < width || cells.len() > width {
            problems.push(
                error(
                    number,
                    format!(
                        "sheet `{code}`: an indicator row has {} cells, the column headers {width}",
                        cells.len()
                    ),
                )
                .hint("cells are separated by tabs; the note may be empty"),
            );
            continue;
        }
        let note = cells.get(width - 1).filter(|n| !n.is_empty());
        places.push((format!("indicatori[{}]", indicatori.len()), at(number)));
        indicatori.push(Indicator {
            descrizione: cells[0].to_string(),
            tipo: cells[1].to_string(),
            valore_atteso: years
                .iter()
                .zip(&cells[2..width - 1])
                .map(|(year, target)| (*year, Target(target.to_string())))
                .collect(),
            note: note.map(|n| n.to_string()),
        });
    }
    if indicatori.is_empty() && problems.is_empty() {
        problems.push(error(
            header_line,
            format!("sheet `{code}`: the INDICATORI table has no rows"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
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
        },
        descrizione,
        at: at(code_line),
        places,
    })
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
