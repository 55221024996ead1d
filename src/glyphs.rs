//! Which characters the PDFs can print, checked when a sheet is read.
//!
//! Typst looks for a character in Titillium Web, then in every other
//! embedded font (`fonts/README.md` lists them: Latin, Greek, Cyrillic, the
//! scripts of the main communities living in Italy, CJK, symbols, arrows and
//! monochrome emoji). A character that no font has would print as an empty
//! box, which PDF/A refuses: `schede check` reports it at its line and column
//! instead, so that `check` accepts only what `build` can build.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

use pulldown_cmark::Event;
use typst::text::{
    FontBook, FontInfo, FontStretch, FontStyle, FontVariant, FontWeight, is_default_ignorable,
};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::diag::Diagnostic;
use crate::t;

/// The embedded fonts as Typst sees them.
static BOOK: LazyLock<FontBook> =
    LazyLock::new(|| FontBook::from_infos(crate::fonts::all().flat_map(FontInfo::iter)));

/// Whether some embedded font has `c`.
fn covered(c: char) -> bool {
    (0..)
        .map_while(|index| BOOK.info(index))
        .any(|info| info.coverage.contains(c as u32))
}

/// Whether a character needs no glyph: Typst shapes neither line breaks,
/// tabs nor invisible format characters.
fn invisible(c: char) -> bool {
    (matches!(c, '\n' | '\r' | '\t') || is_default_ignorable(c)) && !forbidden(c)
}

/// Whether a PDF can show `c` on its own: some embedded font has it, or it
/// needs no glyph.
pub fn printable(c: char) -> bool {
    !forbidden(c) && (invisible(c) || (!c.is_control() && covered(c)))
}

/// Characters that PDF/A-2a refuses in a text whatever the font: the
/// private use areas, the byte order mark and U+FFFE.
fn forbidden(c: char) -> bool {
    matches!(
        c as u32,
        0xFEFF | 0xFFFE | 0xE000..=0xF8FF | 0xF0000..=0xFFFFD | 0x100000..=0x10FFFD
    )
}

/// The font lists of the templates (`_style.typ`): the text's, and the
/// code's (Typst's default for `raw`).
const FAMILIES: [&[&str]; 2] = [&["titillium web", "noto sans"], &["dejavu sans mono"]];

/// Whether Typst can show the user-perceived character `cluster` (a base and
/// its marks), replaying its font fallback: the cluster is shaped whole with
/// the first font of its list ([`FAMILIES`]), then, if that font lacks one
/// of its characters, with the next one, then with the fallback Typst picks
/// for the cluster's first character, and so on, a font never used twice. A mark
/// after a base of another script (`#ि`) can fail though each character
/// alone prints.
fn shows(cluster: &str) -> bool {
    const VARIANTS: [(FontStyle, FontWeight); 4] = [
        (FontStyle::Normal, FontWeight::REGULAR),
        (FontStyle::Normal, FontWeight::BOLD),
        (FontStyle::Italic, FontWeight::REGULAR),
        (FontStyle::Italic, FontWeight::BOLD),
    ];
    // Shaping composes a base and its marks, or decomposes them, to what
    // the font has (`e` + U+0301 prints as `é`).
    let forms: [Vec<char>; 3] = [
        cluster.chars().filter(|&c| !invisible(c)).collect(),
        cluster.nfc().filter(|&c| !invisible(c)).collect(),
        cluster.nfd().filter(|&c| !invisible(c)).collect(),
    ];
    if forms[0].is_empty() {
        return true;
    }
    FAMILIES.iter().all(|families| {
        VARIANTS.iter().all(|&(style, weight)| {
            let variant = FontVariant {
                style,
                weight,
                stretch: FontStretch::NORMAL,
            };
            let mut named = families.iter().filter_map(|f| BOOK.select(f, variant));
            let Some(first) = named.next() else {
                return false;
            };
            let like = BOOK.info(first);
            let mut used = vec![first];
            let mut font = first;
            loop {
                let Some(info) = BOOK.info(font) else {
                    return false;
                };
                if forms
                    .iter()
                    .any(|form| form.iter().all(|&c| info.coverage.contains(c as u32)))
                {
                    return true;
                }
                // The next family of the list, then Typst's fallback.
                let next = named
                    .find(|id| !used.contains(id))
                    .or_else(|| BOOK.select_fallback(like, variant, cluster));
                match next {
                    Some(next) if !used.contains(&next) => {
                        used.push(next);
                        font = next;
                    }
                    _ => return false,
                }
            }
        })
    })
}

/// Whether `c` needs no look: printable ASCII, or a character that prints
/// nothing.
fn plain(c: char) -> bool {
    c.is_ascii() && !c.is_ascii_control() || invisible(c)
}

/// The problems of a text that the PDF cannot show: each character that no
/// font has, and each cluster that no font shows whole, with its byte
/// offset, in order, each once.
fn unprintable(text: &str) -> Vec<(usize, Unprintable)> {
    let mut found: Vec<(usize, Unprintable)> = Vec::new();
    // Most fields are plain: no cluster to look at.
    if text.chars().all(plain) {
        return found;
    }
    // Two printable ASCII characters never share a cluster, so only the
    // stretches between such pairs that hold something else are split into
    // clusters: an Italian text has a few accented letters in long ASCII.
    let bytes = text.as_bytes();
    let ascii = |b: u8| (0x20..0x7f).contains(&b);
    let mut start = 0;
    for end in 1..=bytes.len() {
        if end < bytes.len() && !(ascii(bytes[end - 1]) && ascii(bytes[end])) {
            continue;
        }
        let stretch = &text[start..end];
        if !stretch.bytes().all(ascii) {
            clusters_unprintable(stretch, start, &mut found);
        }
        start = end;
    }
    found
}

/// [`unprintable`] of a stretch of text at `start`, cluster by cluster.
fn clusters_unprintable(text: &str, start: usize, found: &mut Vec<(usize, Unprintable)>) {
    for (offset, cluster) in text.grapheme_indices(true) {
        let offset = start + offset;
        if cluster.chars().all(plain) {
            continue;
        }
        let problem = match cluster.char_indices().find(|&(_, c)| !printable(c)) {
            Some((at, c)) => Some((offset + at, Unprintable::Character(c))),
            None if !shows_remembered(cluster) => {
                Some((offset, Unprintable::Cluster(cluster.to_string())))
            }
            None => None,
        };
        if let Some((at, problem)) = problem
            && !found.iter().any(|(_, p)| *p == problem)
        {
            found.push((at, problem));
        }
    }
}

/// [`shows`], remembered for the run: the same few clusters (`à`, `è`, `’`...) come back
/// in every sheet, and replaying the font fallback for each was most of the time of loading
/// a plan (measured on 500 sheets).
fn shows_remembered(cluster: &str) -> bool {
    static KNOWN: LazyLock<Mutex<HashMap<String, bool>>> = LazyLock::new(Mutex::default);
    let known = |k: &HashMap<String, bool>| k.get(cluster).copied();
    if let Some(shown) = KNOWN.lock().ok().and_then(|k| known(&k)) {
        return shown;
    }
    let shown = shows(cluster);
    if let Ok(mut k) = KNOWN.lock() {
        k.insert(cluster.to_string(), shown);
    }
    shown
}

/// What cannot be printed.
#[derive(Debug, Clone, PartialEq)]
enum Unprintable {
    /// A character that no font has.
    Character(char),
    /// Characters that each print, but not together (a mark after a base of
    /// another script).
    Cluster(String),
}

impl Unprintable {
    /// The text to look for in the source.
    fn needle(&self) -> String {
        match self {
            Unprintable::Character(c) => c.to_string(),
            Unprintable::Cluster(text) => text.clone(),
        }
    }
}

fn problem(path: &Path, what: &Unprintable, line: usize, column: usize) -> Diagnostic {
    let code = |c: char| format!("`{}` (U+{:04X})", c.escape_debug(), c as u32);
    let (message, hint) = match what {
        Unprintable::Character(c) if forbidden(*c) => (
            t!("glyph-forbidden", character = code(*c)),
            t!("glyph-forbidden-hint"),
        ),
        Unprintable::Character(c) => (
            t!("glyph-missing", character = code(*c)),
            t!("glyph-missing-hint"),
        ),
        Unprintable::Cluster(text) => (
            t!(
                "glyph-cluster",
                characters = text.chars().map(code).collect::<Vec<_>>().join(" ")
            ),
            t!("glyph-cluster-hint"),
        ),
    };
    Diagnostic::error(path, message).at(line, column).hint(hint)
}

/// Line and column (both from 1, the column in characters) of a byte offset of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// Where a sheet's texts are: the YAML of its fields, `front`, starting at
/// file line `front_line`, and `locate`, which finds a field's key in it
/// (line and column); `body`, the text after the closing `---`, starting at
/// file line `body_line`.
pub struct SheetText<'a> {
    pub front: &'a str,
    pub front_line: usize,
    pub locate: &'a dyn Fn(&str) -> (usize, usize),
    pub body: &'a str,
    pub body_line: usize,
}

/// The characters of the sheet's texts (`texts`: field path and value) that
/// the PDF cannot print, each at its place in the file.
pub fn check_sheet(path: &Path, texts: &[(String, &str)], sheet: &SheetText) -> Vec<Diagnostic> {
    let SheetText {
        front, front_line, ..
    } = *sheet;
    let mut problems = Vec::new();
    for (field, value) in texts {
        for (_, what) in unprintable(value) {
            let needle = what.needle();
            let (key_line, key_column) = (sheet.locate)(field);
            // The character as written at or after its key, else the key
            // (an escape like `\u2705` in a quoted text).
            let found = front
                .lines()
                .enumerate()
                .skip(key_line.saturating_sub(front_line))
                .find_map(|(n, text)| {
                    text.find(&needle)
                        .map(|at| (n + front_line, text[..at].chars().count() + 1))
                });
            let (line, column) = found.unwrap_or((key_line, key_column));
            problems.push(problem(path, &what, line, column).field(field.clone()));
        }
    }
    problems.extend(check_description(path, sheet.body, sheet.body_line));
    problems
}

/// The unprintable characters of a description (the text after the closing
/// `---`, starting at file line `body_line`), at the place of the Markdown
/// text that shows them.
pub fn check_description(path: &Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
    let leading = body.len() - body.trim_start().len();
    let markdown = body.trim();
    let mut seen = Vec::new();
    let mut problems = Vec::new();
    // Adjacent texts print as one run (`~` and a mark after it are two
    // Markdown texts but one cluster): each run is checked whole.
    let mut runs: Vec<(String, Range<usize>)> = Vec::new();
    let mut open = false;
    for (event, range) in crate::markdown::parser(markdown).into_offset_iter() {
        let text = match &event {
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t)
            | Event::FootnoteReference(t) => t,
            _ => {
                open = false;
                continue;
            }
        };
        match runs.last_mut() {
            Some((run, span)) if open && matches!(event, Event::Text(_)) => {
                run.push_str(text);
                span.end = span.end.max(range.end);
            }
            _ => runs.push((text.to_string(), range)),
        }
        open = matches!(event, Event::Text(_));
    }
    // Characters PDF/A forbids, wherever they are (Markdown may hide them
    // from its texts, Typst would still see them).
    for (offset, c) in markdown.char_indices().filter(|&(_, c)| forbidden(c)) {
        let what = Unprintable::Character(c);
        if !seen.contains(&what) {
            let (line, column) = line_column(body, offset + leading);
            problems.push(problem(path, &what, line + body_line, column));
            seen.push(what);
        }
    }
    for (text, range) in runs {
        for (_, what) in unprintable(&text) {
            if seen.contains(&what) {
                continue;
            }
            // The character as written, else the start of its text (an
            // entity like `&#x2705;`).
            let source = &markdown[range.clone()];
            let at = source.find(&what.needle()).or_else(|| source.find('&'));
            let offset = at.unwrap_or(0) + range.start + leading;
            let (line, column) = line_column(body, offset);
            problems.push(problem(path, &what, line + body_line, column));
            seen.push(what);
        }
    }
    problems
}

/// The unprintable characters of the plan's printed texts (`ente`,
/// `titolo`); `locate` finds a field's line and column.
pub fn check_plan(
    path: &Path,
    ente: &str,
    titolo: &str,
    locate: &dyn Fn(&str) -> (usize, usize),
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (field, value) in [("ente", ente), ("titolo", titolo)] {
        for (_, what) in unprintable(value) {
            let (line, column) = locate(field);
            problems.push(problem(path, &what, line, column).field(field));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_what_offices_write() {
        for c in "àéìòùÀÉ€ αβγΩ жЖщ ✅👉👍⚠✔❌→⇒★ 京都東京 한국 ಕನ್ನಡ മലയാളം العربية עברית हिन्दी ශ්‍රී"
            .chars()
        {
            assert!(printable(c), "{c} U+{:04X}", c as u32);
        }
        for c in [
            '\u{0}',
            '\u{7}',
            '\u{378}',
            '\u{10fffd}',
            '\u{1e900}',
            '\u{e000}',
            '\u{feff}',
        ] {
            assert!(!printable(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn marks_after_a_base_of_another_script_are_found() {
        assert_eq!(
            unprintable("a #\u{93f} \u{915}\u{93f} e\u{301}"),
            [(2, Unprintable::Cluster("#\u{93f}".into()))]
        );
    }

    #[test]
    fn adjacent_markdown_texts_are_one_cluster() {
        let problems = check_description(Path::new("s.md"), "- ~\u{93f}\n", 5);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 5);
        assert_eq!(problems[0].column, 3);
    }

    #[test]
    fn description_characters_are_found_at_their_place() {
        let body = "\nUno.\n\nDue \u{378} e &#x10FFFD;.\n";
        let problems = check_description(Path::new("s.md"), body, 20);
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(
            shown[0]
                .starts_with("s.md:23:5: error: character `\\u{378}` (U+0378) cannot be printed"),
            "{}",
            shown[0]
        );
        assert!(
            shown[1].starts_with(
                "s.md:23:9: error: character `\\u{10fffd}` (U+10FFFD) cannot be printed: PDF/A forbids it"
            ),
            "{}",
            shown[1]
        );
    }
}
