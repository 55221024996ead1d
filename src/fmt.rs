//! `schede fmt`: the canonical form of a sheet source, so that a diff of
//! the sources shows what changed in the plan and nothing else.
//!
//! The canonical form:
//!
//! - the fields in the order of the printed sheet (`codice`, `titolo`,
//!   `direzione`, `direttore`, `servizio`, `dirigente`, `classificazione`,
//!   `tipologia`, `indicatori`, then `risultati`; in an indicator
//!   `descrizione`, `tipo`, `valore_atteso`, `note`, then `verso`, `peso`,
//!   `valore_raggiunto`, `raggiungimento`), one per line, indicators as a
//!   block list indented by two spaces, no blank lines;
//! - `valore_raggiunto` and `raggiungimento` as flow maps on one line with
//!   their dates in order, like `valore_atteso`; `risultati` as a block map
//!   of dates in order, each narrative text of more than one line as a
//!   literal block (`|-`) indented by six spaces;
//! - each text on one line, written plain when it is safe to, else in double
//!   quotes (see below); `valore_atteso` as a flow map on one line with its
//!   years in order: `{2019: 100%, 2020: 100%, 2021: 100%}`;
//! - YAML comments kept: a comment line stays above the field that follows
//!   it (a comment inside a field's value goes above that field, one after
//!   the last field stays at the end), at the field's indentation; a comment
//!   at the end of a line moves above that line's field;
//! - exactly one blank line between the closing `---` and the description;
//! - in the description, runs of blank lines collapsed to one, trailing
//!   whitespace removed, a hard line break written as a backslash at the end
//!   of the line instead of trailing spaces; code blocks, raw HTML and inline
//!   code are left byte for byte;
//! - LF line endings and a final newline.
//!
//! Quoting rule: a text is written plain when it is not empty, does not
//! start with a YAML indicator (`-?:,[]{}#&*!|>'"%@` or a backtick) nor
//! with or end with whitespace, does not end with `:`, contains neither
//! `: ` nor ` #`, nor a control character, and YAML reads it back as the
//! same text (so `null`, `true`, `12`, `1.5` are quoted). Inside
//! `valore_atteso`, `,[]{}` also force quotes, and a target stays plain
//! whenever it is plain-safe: schede reads every target as the text written
//! (`1.50`, `07`, `yes`, `~`), never as a number. Otherwise the text is in double
//! quotes, with `\"`, `\\`, `\n`, `\t`, `\r` and `\uXXXX` escapes for other
//! control characters.
//!
//! Formatting is lossless: the canonical source parses to the same fields
//! and its description renders to the same Typst and HTML. Both are checked
//! on every file; a description that would render differently is kept as
//! written, with a warning.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Tag};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::markdown;
use crate::model::{self, Fields, INDICATOR_KEYS, Indicator, SHEET_KEYS, Target};
use crate::output;
use crate::results::Verso;
use crate::t;

/// The field a comment stays above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// A top-level field.
    Key(&'static str),
    /// The indicator at this index (above its `- ` line).
    Indicator(usize),
    /// A field of the indicator at this index.
    IndicatorKey(usize, &'static str),
    /// After the last field.
    End,
}

/// A YAML comment of the front matter and the field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub anchor: Anchor,
    /// The comment from its `#`, trailing whitespace removed.
    pub text: String,
}

/// A sheet in canonical form, and a warning when its description could not
/// be normalised without changing what it shows.
#[derive(Debug)]
pub struct Formatted {
    pub text: String,
    pub warning: Option<Diagnostic>,
}

/// Formats a sheet's text (already decoded: no BOM, LF endings).
pub fn format_sheet(path: &Path, text: &str) -> Result<Formatted, Diagnostic> {
    let split = model::split_front_matter(text)
        .map_err(|message| Diagnostic::error(path, message).at(1, 1))?;
    if let Some(problem) = model::yaml_depth_error(path, split.front, split.front_line) {
        return Err(problem);
    }
    let fields = parse_fields(split.front).map_err(|err| {
        // Parsed fields hold one value per key: a key written twice is
        // refused (the canonical text would drop one of its values).
        if let Some(problem) = model::duplicate_key(path, split.front, split.front_line, &err) {
            return problem;
        }
        let (line, column) = err.location().map_or((split.front_line, 1), |l| {
            (l.line() + split.front_line - 1, l.column())
        });
        let message = err.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(&*message, |i| &message[..i]);
        Diagnostic::error(
            path,
            t!("fmt-cannot", reason = model::yaml_message(message)),
        )
        .at(line, column)
        .hint(t!("fmt-cannot-hint"))
    })?;
    let comments = extract_comments(split.front, &fields).ok_or_else(|| {
        Diagnostic::error(path, t!("fmt-comments"))
            .at(split.front_line, 1)
            .hint(t!("fmt-comments-hint"))
    })?;
    let written = split.body.trim();
    let normalised = normalise_markdown(written);
    let (body, warning) = if markdown::same_rendering(written, &normalised) {
        (normalised, None)
    } else {
        let warning = Diagnostic::warning(path, t!("fmt-description-kept"))
            .at(split.body_line, 1)
            .hint(t!("fmt-description-kept-hint"));
        (written.to_string(), Some(warning))
    };
    let text = emit(&fields, &comments, &body);
    // The rule above is meant to be lossless; this makes sure of it.
    let reread = model::split_front_matter(&text)
        .ok()
        .and_then(|split| parse_fields(split.front).ok());
    if reread.as_ref() != Some(&fields) {
        return Err(Diagnostic::error(path, t!("fmt-bug")));
    }
    Ok(Formatted { text, warning })
}

fn parse_fields(front: &str) -> Result<Fields, serde_yaml::Error> {
    serde_yaml::from_str(front)
}

/// Writes a sheet in canonical form; `body` is the description as it
/// should appear.
pub fn emit(fields: &Fields, comments: &[Comment], body: &str) -> String {
    let mut out = String::from("---\n");
    let comments_for = |out: &mut String, indent: &str, belongs: &dyn Fn(Anchor) -> bool| {
        for comment in comments.iter().filter(|c| belongs(c.anchor)) {
            out.push_str(indent);
            out.push_str(&comment.text);
            out.push('\n');
        }
    };
    for key in SHEET_KEYS {
        comments_for(&mut out, "", &|a| a == Anchor::Key(key));
        match fields.text(key) {
            Some(text) => out.push_str(&format!("{key}: {}\n", scalar(text))),
            None if fields.indicatori.is_empty() => out.push_str("indicatori: []\n"),
            None => out.push_str("indicatori:\n"),
        }
    }
    for (i, indicator) in fields.indicatori.iter().enumerate() {
        comments_for(&mut out, "  ", &|a| {
            a == Anchor::Indicator(i) || a == Anchor::IndicatorKey(i, "descrizione")
        });
        let mut first = true;
        for key in INDICATOR_KEYS {
            let Some(value) = indicator_value(indicator, key) else {
                continue;
            };
            if !first {
                comments_for(&mut out, "    ", &|a| a == Anchor::IndicatorKey(i, key));
            }
            out.push_str(if first { "  - " } else { "    " });
            out.push_str(&format!("{key}: {value}\n"));
            first = false;
        }
    }
    if !fields.risultati.is_empty() {
        comments_for(&mut out, "", &|a| a == Anchor::Key("risultati"));
        out.push_str("risultati:\n");
        for (date, narrative) in &fields.risultati {
            out.push_str(&format!("  {date}:"));
            let parts = [
                ("attivita", &narrative.attivita),
                ("scostamento", &narrative.scostamento),
            ];
            if parts.iter().all(|(_, text)| text.is_none()) {
                out.push_str(" {}");
            }
            out.push('\n');
            for (key, text) in parts {
                if let Some(text) = text {
                    out.push_str(&format!("    {key}: {}\n", block(text, "      ")));
                }
            }
        }
    }
    comments_for(&mut out, "", &|a| a == Anchor::End);
    out.push_str("---\n");
    if !body.is_empty() {
        out.push('\n');
        out.push_str(body);
        out.push('\n');
    }
    out
}

fn indicator_value(indicator: &Indicator, key: &str) -> Option<String> {
    let flow = |map: &BTreeMap<String, Target>| {
        let dates: Vec<String> = map
            .iter()
            .map(|(date, value)| format!("{date}: {}", target_scalar(value)))
            .collect();
        (!map.is_empty()).then(|| format!("{{{}}}", dates.join(", ")))
    };
    match key {
        "descrizione" => Some(scalar(&indicator.descrizione)),
        "tipo" => Some(scalar(&indicator.tipo)),
        "valore_atteso" => {
            let years: Vec<String> = indicator
                .valore_atteso
                .iter()
                .map(|(year, target)| format!("{year}: {}", target_scalar(target)))
                .collect();
            Some(format!("{{{}}}", years.join(", ")))
        }
        "verso" => indicator.verso.map(|v| match v {
            Verso::Crescente => "crescente".to_string(),
            Verso::Decrescente => "decrescente".to_string(),
        }),
        "peso" => indicator.peso.map(|p| p.to_string()),
        "valore_raggiunto" => flow(&indicator.valore_raggiunto),
        "raggiungimento" => flow(&indicator.raggiungimento),
        _ => indicator.note.as_deref().map(scalar),
    }
}

/// Whether the plain text `text` reads back as itself, as `read` says: a
/// small YAML parse, remembered per thread, since a plan repeats the same
/// values (`RISULTATO`, `100%`, its Direzioni) thousands of times.
fn reads_back(flow: bool, text: &str, read: impl FnOnce() -> bool) -> bool {
    thread_local! {
        static KNOWN: std::cell::RefCell<std::collections::HashMap<(bool, String), bool>> =
            Default::default();
    }
    if let Some(known) = KNOWN.with_borrow(|known| known.get(&(flow, text.to_string())).copied()) {
        return known;
    }
    let answer = read();
    KNOWN.with_borrow_mut(|known| {
        // Bounded: a plan's distinct short values fit many times over.
        if known.len() >= 10_000 {
            known.clear();
        }
        known.insert((flow, text.to_string()), answer);
    });
    answer
}

/// A narrative: a YAML literal block (`|-`) when it has more than one line
/// and reads back the same that way, else a scalar. `indent` is the
/// block's indentation.
fn block(text: &str, indent: &str) -> String {
    let safe = text.contains('\n')
        && !text.starts_with([' ', '\t', '\n'])
        && !text.ends_with('\n')
        && !text
            .chars()
            .any(|c| c != '\n' && c != '\t' && needs_escape(c));
    if !safe {
        return scalar(text);
    }
    let mut out = String::from("|-");
    for line in text.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(indent);
            out.push_str(line);
        }
    }
    let reads_back = serde_yaml::from_str::<BTreeMap<String, String>>(&format!("k: {out}\n"))
        .is_ok_and(|map| map.get("k").map(String::as_str) == Some(text));
    if reads_back { out } else { scalar(text) }
}

/// A text as a YAML value of a block mapping, following the quoting rule.
pub fn scalar(text: &str) -> String {
    let read = || {
        serde_yaml::from_str::<BTreeMap<String, serde_yaml::Value>>(&format!("k: {text}\n"))
            .is_ok_and(|map| map.get("k") == Some(&serde_yaml::Value::String(text.into())))
    };
    if plain_allowed(text, false) && reads_back(false, text, read) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A target as a value of the `valore_atteso` flow map.
fn target_scalar(target: &Target) -> String {
    let text = &target.0;
    let read = || {
        serde_yaml::from_str::<BTreeMap<i32, Target>>(&format!("{{2000: {text}}}"))
            .is_ok_and(|map| map.get(&2000) == Some(target))
    };
    if plain_allowed(text, true) && reads_back(true, text, read) {
        text.to_string()
    } else {
        quoted(text)
    }
}

fn plain_allowed(text: &str, flow: bool) -> bool {
    let (Some(first), Some(last)) = (text.chars().next(), text.chars().last()) else {
        return false;
    };
    !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !last.is_whitespace()
        && last != ':'
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.chars().any(needs_escape)
        && !(flow && text.contains([',', '[', ']', '{', '}']))
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// A YAML double-quoted string.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Finds the comments of the front matter and the field each belongs to;
/// `None` when what looks like a comment cannot be told from a value.
pub fn extract_comments(front: &str, fields: &Fields) -> Option<Vec<Comment>> {
    let lines: Vec<&str> = front.lines().collect();
    // A `#` that starts a comment: removing from there to the end of the
    // line leaves the fields as they are.
    let mut found: Vec<(usize, usize)> = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let starts = line
            .match_indices('#')
            .map(|(i, _)| i)
            .filter(|&i| i == 0 || line[..i].ends_with([' ', '\t']));
        for start in starts {
            if without(&lines, &[(n, start)]).as_ref() == Some(fields) {
                found.push((n, start));
                break;
            }
        }
    }
    if found.is_empty() {
        return Some(Vec::new());
    }
    if without(&lines, &found).as_ref() != Some(fields) {
        return None;
    }
    let anchors = anchor_lines(front, fields);
    let full_line = |n: usize| {
        found
            .iter()
            .any(|&(m, start)| m == n && lines[n][..start].trim().is_empty())
    };
    let before = |n: usize| {
        anchors
            .iter()
            .filter(|(_, line)| *line <= n)
            .max_by_key(|(_, line)| *line)
            .or(anchors.first())
            .map_or(Anchor::End, |(anchor, _)| *anchor)
    };
    let comments = found
        .iter()
        .map(|&(n, start)| {
            let anchor = if full_line(n) {
                let next =
                    (n + 1..lines.len()).find(|&m| !full_line(m) && !lines[m].trim().is_empty());
                match next {
                    None => Anchor::End,
                    Some(m) => anchors
                        .iter()
                        .find(|(_, line)| *line == m)
                        .map_or_else(|| before(n), |(anchor, _)| *anchor),
                }
            } else {
                before(n)
            };
            Comment {
                anchor,
                text: lines[n][start..].trim_end().to_string(),
            }
        })
        .collect();
    Some(comments)
}

/// The fields parsed from `lines` with the given comments cut out.
fn without(lines: &[&str], cuts: &[(usize, usize)]) -> Option<Fields> {
    let mut text = String::new();
    for (n, line) in lines.iter().enumerate() {
        let end = cuts
            .iter()
            .find(|(m, _)| *m == n)
            .map_or(line.len(), |(_, start)| *start);
        text.push_str(&line[..end]);
        text.push('\n');
    }
    parse_fields(&text).ok()
}

/// Every field a comment can stay above, in the order they are written,
/// with its line in `front` (0-based). `max_by_key` picks the last of equal
/// lines, so a comment inside a value goes to the innermost field.
fn anchor_lines(front: &str, fields: &Fields) -> Vec<(Anchor, usize)> {
    let line = |path: &str| model::locate(front, path, 0).0;
    let mut anchors: Vec<(Anchor, usize)> = SHEET_KEYS
        .map(|key| (Anchor::Key(key), line(key)))
        .into_iter()
        .collect();
    for (i, indicator) in fields.indicatori.iter().enumerate() {
        anchors.push((Anchor::Indicator(i), line(&format!("indicatori[{i}]"))));
        for key in INDICATOR_KEYS {
            if indicator_value(indicator, key).is_some() {
                let path = format!("indicatori[{i}].{key}");
                anchors.push((Anchor::IndicatorKey(i, key), line(&path)));
            }
        }
    }
    if !fields.risultati.is_empty() {
        anchors.push((Anchor::Key("risultati"), line("risultati")));
    }
    anchors
}

/// Normalises the blank lines and line ends of a Markdown description.
fn normalise_markdown(text: &str) -> String {
    let mut verbatim: Vec<Range<usize>> = Vec::new();
    let mut space_breaks: Vec<usize> = Vec::new();
    for (event, range) in markdown::parser(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)
            | Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_) => verbatim.push(range),
            Event::HardBreak if !text[range.clone()].starts_with('\\') => {
                if let Some(newline) = text[range.clone()].find('\n') {
                    space_breaks.push(range.start + newline);
                }
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut after_blank = false;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let kept = content.trim_end();
        // The trailing whitespace and the line end, as bytes of `text`.
        let tail = start + kept.len()..start + content.len() + 1;
        start += line.len();
        if verbatim
            .iter()
            .any(|r| r.start < tail.end && tail.start < r.end)
        {
            out.push_str(line);
            after_blank = false;
            continue;
        }
        if kept.is_empty() {
            if !after_blank {
                out.push('\n');
            }
            after_blank = true;
            continue;
        }
        after_blank = false;
        out.push_str(kept);
        let backslashes = kept.len() - kept.trim_end_matches('\\').len();
        let is_break = space_breaks.contains(&(tail.end - 1));
        // An odd run of backslashes ends in a literal one, which must stay
        // literal once the spaces after it are gone.
        if backslashes % 2 == 1 && (is_break || kept.len() < content.len()) {
            out.push('\\');
        }
        if is_break {
            out.push('\\');
        }
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// What `fmt` found and did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The sheets looked at.
    pub files: usize,
    /// The sheets not in canonical form (rewritten unless checking).
    pub changed: Vec<PathBuf>,
    pub diagnostics: Diagnostics,
}

/// Formats the sheets of `paths` (files, or folders walked in name order),
/// rewriting those not in canonical form unless `check`.
pub fn format_paths(paths: &[PathBuf], check: bool) -> Outcome {
    let mut diagnostics = Diagnostics::default();
    let files = sheet_files(paths, &mut diagnostics);
    let outcomes: Vec<Result<(bool, Option<Diagnostic>), Diagnostic>> = files
        .par_iter()
        .map(|path| format_file(path, check))
        .collect();
    let mut changed = Vec::new();
    for (path, outcome) in files.iter().zip(outcomes) {
        match outcome {
            Ok((was_changed, warning)) => {
                diagnostics.extend(warning);
                if was_changed {
                    changed.push(path.clone());
                }
            }
            Err(problem) => diagnostics.push(problem),
        }
    }
    Outcome {
        files: files.len(),
        changed,
        diagnostics,
    }
}

/// Formats one file, rewriting it unless `check`: whether it was not in
/// canonical form, and the warning of its formatting.
fn format_file(path: &Path, check: bool) -> Result<(bool, Option<Diagnostic>), Diagnostic> {
    let bytes = load::read_bounded(path)?;
    let formatted = format_sheet(path, &load::decode(path, bytes.clone())?)?;
    let changed = formatted.text.as_bytes() != bytes;
    if changed && !check {
        output::write_atomic(path, formatted.text.as_bytes())
            .map_err(|err| Diagnostic::error(path, crate::diag::io_message(&err)))?;
    }
    Ok((changed, formatted.warning))
}

/// The `.md` files of `paths`, folders walked in name order.
fn sheet_files(paths: &[PathBuf], diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
        } else if path.is_dir() {
            let walker = WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker {
                match entry {
                    Ok(entry)
                        if entry.file_type().is_file()
                            && entry.path().extension().is_some_and(|e| e == "md") =>
                    {
                        files.push(entry.into_path());
                    }
                    Ok(_) => {}
                    Err(err) => {
                        let at = err.path().unwrap_or(path).to_path_buf();
                        diagnostics.push(Diagnostic::error(at, crate::diag::cannot_read(&err)));
                    }
                }
            }
        } else {
            diagnostics.push(Diagnostic::error(path, t!("not-found")));
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(text: &str) -> String {
        format_sheet(Path::new("sheets/2019/2019_A1.md"), text)
            .unwrap()
            .text
    }

    #[test]
    fn plain_when_safe_quoted_otherwise() {
        for plain in [
            "UFFICIO DEL SINDACO",
            "dell'obiettivo",
            "a:b",
            "a#b",
            "2019-01-01",
            "Progetto [fase 2]",
        ] {
            assert_eq!(scalar(plain), plain);
        }
        for (text, written) in [
            ("", r#""""#),
            ("Missioni: n. missioni", r#""Missioni: n. missioni""#),
            ("a #b", r##""a #b""##),
            ("- voce", r#""- voce""#),
            ("'x'", r#""'x'""#),
            ("null", r#""null""#),
            ("true", r#""true""#),
            ("12", r#""12""#),
            ("1.5", r#""1.5""#),
            (" spazio", r#"" spazio""#),
            ("fine:", r#""fine:""#),
            ("due\nrighe \"x\" \\", r#""due\nrighe \"x\" \\""#),
            ("\u{7}", r#""\u0007""#),
        ] {
            assert_eq!(scalar(text), written, "{text:?}");
        }
    }

    #[test]
    fn targets_keep_numbers_plain_and_quote_flow_characters() {
        let target = |t: &str| target_scalar(&Target(t.into()));
        assert_eq!(target("100%"), "100%");
        assert_eq!(target("5"), "5");
        assert_eq!(target("0.5"), "0.5");
        assert_eq!(target("entro giugno"), "entro giugno");
        // Every target reads back as written, so numbers of any shape stay plain.
        for shape in ["5.0", "1.000", "07", "1e3", "yes", "NO", "~", ".inf"] {
            assert_eq!(target(shape), shape);
        }
        assert_eq!(target("1, 2"), r#""1, 2""#);
        assert_eq!(target("{x}"), r#""{x}""#);
        assert_eq!(target(""), r#""""#);
    }

    const MESSY: &str = "---\r
tipologia: SINTESI
codice: '2019_A1'
titolo: >-
  Titolo su
  due righe
# chi risponde
direzione: D   # la Direzione
direttore: \"X\"
servizio: S
dirigente: Y
classificazione: C
indicatori:
- tipo: RISULTATO
  valore_atteso:
    # l'anno dopo
    2020: 5
    2019: \"100%\"
  descrizione: 'uno: due'
# fine
---


Primo paragrafo  
con un a capo.   



- voce\t
- voce

```
codice  

```
";

    #[test]
    fn canonical_form_orders_quotes_and_keeps_comments() {
        let text = load::decode(Path::new("x"), MESSY.as_bytes().to_vec()).unwrap();
        assert_eq!(
            format(&text),
            "---
codice: 2019_A1
titolo: Titolo su due righe
# chi risponde
# la Direzione
direzione: D
direttore: X
servizio: S
dirigente: Y
classificazione: C
tipologia: SINTESI
indicatori:
  - descrizione: \"uno: due\"
    tipo: RISULTATO
    # l'anno dopo
    valore_atteso: {2019: 100%, 2020: 5}
# fine
---

Primo paragrafo\\
con un a capo.

- voce
- voce

```
codice  

```
"
        );
    }

    #[test]
    fn formatting_twice_changes_nothing() {
        let text = load::decode(Path::new("x"), MESSY.as_bytes().to_vec()).unwrap();
        let once = format(&text);
        assert_eq!(format(&once), once);
    }

    #[test]
    fn the_shipped_sheet_is_canonical() {
        let text = include_str!("../sheets/2019/2019_Z101.md");
        assert_eq!(format(text), text);
    }

    #[test]
    fn markdown_keeps_literal_backslashes_and_code() {
        assert_eq!(normalise_markdown("a\\  \nb"), "a\\\\\\\nb");
        assert_eq!(normalise_markdown("a\\ \nb"), "a\\\\\nb");
        assert_eq!(normalise_markdown("`a  \nb`"), "`a  \nb`");
        assert_eq!(
            normalise_markdown("    x  \n\n\n    y\n\n\n\nz"),
            "    x  \n\n\n    y\n\nz"
        );
        assert_eq!(normalise_markdown("fine  "), "fine");
    }

    #[test]
    fn unparsable_fields_point_at_the_line() {
        let err = format_sheet(Path::new("a.md"), "---\ncodice: x\ncodice: y\n---\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.md:3:1: error: `codice` is written twice in the same map (YAML would keep one value and drop the other)\n  hint: keep one of the two"
        );
        let err = format_sheet(Path::new("a.md"), "---\ncodice: [x\n---\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("a.md:2:9: error: cannot format ("),
            "{err}"
        );
    }

    #[test]
    fn a_year_written_twice_is_refused_not_dropped() {
        let shipped = include_str!("../sheets/2019/2019_Z101.md");
        let text = shipped.replacen(
            "valore_atteso: {2019: 100%, 2020: 100%, 2021: 100%}",
            "valore_atteso: {2019: 100%, 2020: 1, 2021: 1, 2019: 5}",
            1,
        );
        assert_ne!(text, shipped);
        let err = format_sheet(Path::new("a.md"), &text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.md:13:51: error: `2019` is written twice in the same map (YAML would keep one value and drop the other)\n  hint: keep one of the two"
        );
    }

    #[test]
    fn results_are_canonical_next_to_what_they_measure() {
        let messy = "---
codice: 2019_A1
titolo: T
direzione: D
direttore: X
servizio: S
dirigente: Y
classificazione: C
tipologia: T
risultati:
  2019-12-31:
    scostamento: Nessuno.
    attivita: \"Fatto.\\n\\nAnche questo.\"
  2019-06-30: {attivita: Metà}
indicatori:
  - descrizione: uno
    valore_raggiunto:
      2019-12-31: 98%
      2019-06-30: \"45%\"
    peso: 2
    raggiungimento: {2019-12-31: 100%}
    verso: decrescente
    tipo: RISULTATO
    valore_atteso: {2019: 100%}
---

Testo.
";
        let canonical = "---
codice: 2019_A1
titolo: T
direzione: D
direttore: X
servizio: S
dirigente: Y
classificazione: C
tipologia: T
indicatori:
  - descrizione: uno
    tipo: RISULTATO
    valore_atteso: {2019: 100%}
    verso: decrescente
    peso: 2
    valore_raggiunto: {2019-06-30: 45%, 2019-12-31: 98%}
    raggiungimento: {2019-12-31: 100%}
risultati:
  2019-06-30:
    attivita: Metà
  2019-12-31:
    attivita: |-
      Fatto.

      Anche questo.
    scostamento: Nessuno.
---

Testo.
";
        assert_eq!(format(messy), canonical);
        assert_eq!(format(canonical), canonical);
    }
}
