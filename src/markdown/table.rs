//! The description's pipe tables in Typst, sized so that no word crosses a
//! rule: a table that fits keeps Typst's own column widths; a wider one gets
//! columns as wide as their widest word at a smaller size, or is split into
//! several tables of some of its columns each, its first column (the rows'
//! names) repeated in each.

use std::fmt::Write as _;

use super::LONG_TOKEN;
use crate::fonts::{text_em, widest_word};

/// The most columns a description table may have: more would be split into
/// tables too many to read (`schede check` refuses them).
pub const MAX_COLUMNS: usize = 50;

/// The width the tables get in the description's cell of a sheet (17.4 cm
/// of text, less the label's 2.3 cm column and the cell's insets), less a
/// margin for a table inside a list or a quote.
const AVAILABLE: f64 = 400.0;
/// What a column needs beside its text: the cell's insets (4 pt a side,
/// `_style.typ`) and the rule.
const PADDING: f64 = 9.0;
/// The text's size (`_style.typ`), and the smaller sizes a wide table may take.
const SIZES: [f64; 3] = [9.5, 8.5, 7.5];
/// The size of the parts of a table split by its columns.
const SPLIT_SIZE: f64 = 8.5;

/// A table being written: its columns' alignments and its rows so far.
pub(super) struct Table {
    alignments: Vec<&'static str>,
    rows: Vec<Row>,
    /// The cell being written: where its markup starts in the output, and
    /// its text as written, to measure it.
    cell: Option<(usize, String)>,
}

struct Row {
    head: bool,
    cells: Vec<Cell>,
}

struct Cell {
    markup: String,
    text: String,
}

impl Table {
    pub(super) fn new(alignments: Vec<&'static str>) -> Table {
        Table {
            alignments,
            rows: Vec::new(),
            cell: None,
        }
    }

    pub(super) fn begin_row(&mut self, head: bool) {
        self.rows.push(Row {
            head,
            cells: Vec::new(),
        });
    }

    pub(super) fn begin_cell(&mut self, at: usize) {
        self.cell = Some((at, String::new()));
    }

    /// Text of the open cell, as written in the Markdown.
    pub(super) fn text(&mut self, text: &str) {
        if let Some((_, cell)) = &mut self.cell {
            cell.push_str(text);
            cell.push(' ');
        }
    }

    /// Ends the open cell: its markup, written since it began, is taken out
    /// of `out` and kept with the row.
    pub(super) fn end_cell(&mut self, out: &mut String) {
        if let (Some((at, text)), Some(row)) = (self.cell.take(), self.rows.last_mut()) {
            let markup = out.split_off(at.min(out.len()));
            row.cells.push(Cell { markup, text });
        }
    }

    /// Writes the table, all of its rows read.
    pub(super) fn write(self, out: &mut String) {
        let columns = self.alignments.len();
        match Layout::of(&self.measures()) {
            Layout::Natural => self.write_part(out, &(0..columns).collect::<Vec<_>>(), None),
            Layout::Sized { size, parts } => {
                let _ = writeln!(out, "#text(size: {size}pt)[");
                for (i, (part, widths)) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    self.write_part(out, part, Some(widths));
                }
                out.push_str("]\n\n");
            }
        }
    }

    /// Each column's widest word and widest cell, in ems.
    fn measures(&self) -> Vec<Measure> {
        let mut measures = vec![Measure::default(); self.alignments.len()];
        for row in &self.rows {
            for (cell, measure) in row.cells.iter().zip(&mut measures) {
                measure.word = measure.word.max(unbreakable_em(&cell.text, row.head));
                measure.line = measure.line.max(text_em(cell.text.trim(), row.head));
            }
        }
        measures
    }

    /// One `#table` of the columns `part`, Typst's widths or `widths`.
    fn write_part(&self, out: &mut String, part: &[usize], widths: Option<&Vec<f64>>) {
        let columns = match widths {
            None => part.len().to_string(),
            Some(widths) => {
                let list: Vec<String> = widths.iter().map(|w| format!("{w:.1}fr")).collect();
                format!("({},)", list.join(", "))
            }
        };
        let align: Vec<&str> = part.iter().map(|&c| self.alignments[c]).collect();
        let _ = writeln!(
            out,
            "#table(columns: {columns}, align: ({},),",
            align.join(", ")
        );
        for row in &self.rows {
            if row.head {
                out.push_str("table.header(");
            }
            for &column in part {
                let markup = row.cells.get(column).map_or("", |c| c.markup.as_str());
                if row.head {
                    let _ = write!(out, "[#strong[{markup}]], ");
                } else {
                    let _ = write!(out, "[{markup}], ");
                }
            }
            out.push_str(if row.head { "),\n" } else { "\n" });
        }
        out.push_str(")\n\n");
    }
}

/// How wide a column's texts are, in ems: its widest word (what a line
/// cannot break) and its widest cell on one line.
#[derive(Clone, Default)]
struct Measure {
    word: f64,
    line: f64,
}

/// How a table is laid out.
#[derive(Debug, PartialEq)]
enum Layout {
    /// Every cell fits on one line: Typst's own widths.
    Natural,
    /// At `size` points, in parts of some columns each (the first column in
    /// every part), with their widths as fractions.
    Sized {
        size: f64,
        parts: Vec<(Vec<usize>, Vec<f64>)>,
    },
}

impl Layout {
    fn of(measures: &[Measure]) -> Layout {
        let need = |size: f64, em: f64| (em * size + PADDING).min(AVAILABLE / 2.0);
        let line: f64 = measures.iter().map(|m| need(SIZES[0], m.line)).sum();
        if line <= AVAILABLE || measures.is_empty() {
            return Layout::Natural;
        }
        for size in SIZES {
            let words: f64 = measures.iter().map(|m| need(size, m.word)).sum();
            if words <= AVAILABLE {
                let all: Vec<usize> = (0..measures.len()).collect();
                let widths = widths(measures, &all, size, need);
                return Layout::Sized {
                    size,
                    parts: vec![(all, widths)],
                };
            }
        }
        let size = SPLIT_SIZE;
        let fits = |part: &[usize]| {
            part.iter()
                .map(|&c| need(size, measures[c].word))
                .sum::<f64>()
                <= AVAILABLE
        };
        // As many columns in each part as fit, then the same number of
        // parts with their columns shared out evenly, when they fit.
        let mut parts: Vec<Vec<usize>> = Vec::new();
        for column in 1..measures.len() {
            match parts.last_mut() {
                Some(part) if fits(&[part.as_slice(), &[column]].concat()) => part.push(column),
                _ => parts.push(vec![0, column]),
            }
        }
        let others: Vec<usize> = (1..measures.len()).collect();
        let even: Vec<Vec<usize>> = others
            .chunks(others.len().div_ceil(parts.len().max(1)).max(1))
            .map(|chunk| [&[0], chunk].concat())
            .collect();
        if even.len() == parts.len() && even.iter().all(|part| fits(part)) {
            parts = even;
        }
        let parts = parts
            .into_iter()
            .map(|part| {
                let widths = widths(measures, &part, size, need);
                (part, widths)
            })
            .collect();
        Layout::Sized { size, parts }
    }
}

/// The widths of the columns `part` at `size`, in points, as fractions of
/// the table: each its widest word, and what is left shared by how much
/// more its widest cell needs.
fn widths(
    measures: &[Measure],
    part: &[usize],
    size: f64,
    need: impl Fn(f64, f64) -> f64,
) -> Vec<f64> {
    let words: Vec<f64> = part.iter().map(|&c| need(size, measures[c].word)).collect();
    let more: Vec<f64> = part
        .iter()
        .zip(&words)
        .map(|(&c, word)| (need(size, measures[c].line) - word).max(0.0))
        .collect();
    let left = (AVAILABLE - words.iter().sum::<f64>()).max(0.0);
    let total: f64 = more.iter().sum();
    words
        .iter()
        .zip(&more)
        .map(|(word, more)| {
            let share = if total > 0.0 {
                more / total
            } else {
                1.0 / part.len() as f64
            };
            // A tenth of a point up, so that rounding never takes a column
            // below its widest word.
            ((word + left * share) * 10.0).ceil() / 10.0
        })
        .collect()
}

/// The width in ems of the widest part of `text` that a line cannot break:
/// lines break at spaces, after a slash or a hyphen (not before a digit), and
/// anywhere in a long token ([`LONG_TOKEN`]), which therefore does not count.
fn unbreakable_em(text: &str, bold: bool) -> f64 {
    let mut parts = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        parts.push(c);
        if matches!(c, '/' | '-') && chars.peek().is_some_and(|next| !next.is_ascii_digit()) {
            parts.push(' ');
        }
    }
    let short: Vec<&str> = parts
        .split_whitespace()
        .filter(|part| part.trim_end_matches(['/', '-']).chars().count() < LONG_TOKEN)
        .collect();
    widest_word(&short.join(" "), bold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(words: &[f64]) -> Vec<Measure> {
        words
            .iter()
            .map(|&w| Measure {
                word: w,
                line: w * 2.0,
            })
            .collect()
    }

    #[test]
    fn narrow_tables_keep_typst_widths() {
        assert_eq!(Layout::of(&columns(&[3.0, 2.0, 2.0])), Layout::Natural);
    }

    #[test]
    fn wide_tables_get_smaller_then_split_with_their_first_column() {
        let Layout::Sized { size, parts } = Layout::of(&columns(&[2.5; 14])) else {
            panic!("not sized");
        };
        assert_eq!((size, parts.len()), (7.5, 1));
        let Layout::Sized { size, parts } = Layout::of(&columns(&[3.0; 40])) else {
            panic!("not sized");
        };
        assert_eq!(size, SPLIT_SIZE);
        assert!(parts.len() > 1);
        for (part, widths) in &parts {
            assert_eq!(part[0], 0);
            assert!(widths.iter().sum::<f64>() <= AVAILABLE + 1.0);
            assert!(widths.iter().all(|w| *w >= 3.0 * SPLIT_SIZE + PADDING));
        }
        let all: Vec<usize> = parts.iter().flat_map(|(p, _)| p[1..].to_vec()).collect();
        assert_eq!(all, (1..40).collect::<Vec<_>>());
    }

    #[test]
    fn long_tokens_and_parts_of_addresses_do_not_widen_a_column() {
        let code = "RF180000000000000123456789012";
        assert!(unbreakable_em(code, false) == 0.0);
        assert!(
            unbreakable_em("https://example.org/uffici", false)
                < text_em("example.org/", false) + 0.01
        );
        assert!(unbreakable_em("2019-2020", false) >= text_em("2019-2020", false) - 0.01);
    }
}
