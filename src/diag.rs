//! Diagnostics: what is wrong, where (file, line, column, field), and a hint.
//!
//! Every problem of a run is collected, sorted by file and line, and printed
//! at once, in one voice: `path:line:column: error: field `x`: what is wrong`.

use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

use crate::i18n::Text;
use crate::t;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the sources, the templates or the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based line in the real file (front matter included); 0 for the whole file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The field concerned, as a path like `indicatori[1].tipo`.
    pub field: Option<Box<str>>,
    pub message: Text,
    /// What to do about it; more than one when a hint says where a generated
    /// file came from.
    pub hints: Vec<Text>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            column: 0,
            field: None,
            message,
            hints: Vec::new(),
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into().into_boxed_str());
        self
    }

    pub fn hint(mut self, hint: Text) -> Self {
        self.hints.push(hint);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `text` with every control character, and every mark that reorders the
/// text around it, shown as an escape like `\u{1b}`: a file name, a cell or
/// a sheet's text in a message can never move the cursor, set the
/// terminal's title, clear the screen or hide what follows. Line breaks stay
/// when `keep_lines` (a message of several lines).
pub fn escape_controls(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && !(keep_lines && c == '\n'))
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

impl fmt::Display for Diagnostic {
    /// Whatever its parts say, the diagnostic is printed with their control
    /// characters escaped ([`escape_controls`]): this is where every
    /// message of a run passes on its way to the terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display().to_string();
        write!(f, "{}", escape_controls(&path, false))?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        let severity = match self.severity {
            Severity::Error => t!("label-error"),
            Severity::Warning => t!("label-warning"),
        };
        write!(f, ": {severity}: ")?;
        if let Some(field) = &self.field {
            write!(
                f,
                "{}: ",
                t!("label-field", field = &*escape_controls(field, false))
            )?;
        }
        write!(f, "{}", escape_controls(&self.message.to_string(), true))?;
        for hint in &self.hints {
            let hint = hint.to_string();
            write!(
                f,
                "\n  {}: {}",
                t!("label-hint"),
                escape_controls(&hint, true)
            )?;
        }
        Ok(())
    }
}

/// All diagnostics of a run, kept sorted for printing.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// Moves every diagnostic of `other` into these.
    pub fn append(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether these fail a run: any error, or any warning when warnings are denied.
    pub fn fail(&self, deny_warnings: bool) -> bool {
        self.has_errors() || (deny_warnings && !self.is_empty())
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by file (numbers in names by value, so that
    /// cell `A2` comes before `A10`), line, column, then message.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            natural_order(&a.path.to_string_lossy(), &b.path.to_string_lossy()).then_with(|| {
                (a.line, a.column, a.severity, &a.message)
                    .cmp(&(b.line, b.column, b.severity, &b.message))
            })
        });
        items.dedup();
        items
    }

    /// Every diagnostic, one per paragraph, then a summary line.
    pub fn report(&self) -> String {
        let mut out = String::new();
        for diagnostic in self.sorted() {
            out.push_str(&diagnostic.to_string());
            out.push('\n');
        }
        out.push_str(&summary(self.errors(), self.warnings()));
        out.push('\n');
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics {
            items: vec![diagnostic],
        }
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(items: Vec<Diagnostic>) -> Self {
        Diagnostics { items }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// `a` and `b` compared as people sort names: runs of digits by their
/// value (`A2` before `A10`, `2019_A9` before `2019_A10`), the rest as text.
pub fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn runs(text: &str) -> impl Iterator<Item = (bool, &str)> {
        let mut rest = text;
        std::iter::from_fn(move || {
            let first = rest.chars().next()?;
            let digits = first.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digits)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            rest = tail;
            Some((digits, run))
        })
    }
    let (mut a, mut b) = (runs(a), runs(b));
    loop {
        let order = match (a.next(), b.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some((true, x)), Some((true, y))) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            (Some((_, x)), Some((_, y))) => x.cmp(y),
        };
        if order.is_ne() {
            return order;
        }
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    t!("summary", errors = errors, warnings = warnings).to_string()
}

/// An I/O error's message in our voice: what failed, then the cause in
/// parentheses, like `cannot create `output/2019` (not a directory)`.
pub fn io_message(err: &anyhow::Error) -> Text {
    let cause = match err.root_cause().downcast_ref::<std::io::Error>() {
        Some(io) => io_reason(io),
        None => Text::raw(system_words(&err.root_cause().to_string())),
    };
    if err.chain().count() > 1 {
        t!("io-failed", what = err.to_string(), cause = cause)
    } else {
        cause
    }
}

/// Why an I/O operation failed, in the run's language: the common kinds
/// have a message of ours, the others the system's words.
pub fn io_reason(err: &std::io::Error) -> Text {
    use std::io::ErrorKind::*;
    match err.kind() {
        NotFound => t!("io-not-found"),
        PermissionDenied => t!("io-permission-denied"),
        AlreadyExists => t!("io-already-exists"),
        NotADirectory => t!("io-not-a-directory"),
        IsADirectory => t!("io-is-a-directory"),
        DirectoryNotEmpty => t!("io-directory-not-empty"),
        ReadOnlyFilesystem => t!("io-read-only"),
        StorageFull => t!("io-storage-full"),
        InvalidData => t!("io-invalid-data"),
        AddrInUse => t!("io-address-in-use"),
        _ => Text::raw(system_words(&err.to_string())),
    }
}

/// An operating system's message in our voice: lower case, without its
/// `(os error N)`.
fn system_words(text: &str) -> String {
    let text = match text.split_once(" (os error") {
        Some((text, _)) => text,
        None => text,
    };
    lowercase_first(text)
}

/// `cannot read (why)`, the why from the first I/O error in `err`'s chain.
pub fn cannot_read(err: &(dyn std::error::Error + 'static)) -> Text {
    t!("cannot-read", reason = error_reason(err))
}

/// Why `err` happened: the reason of the first I/O error in its chain, or
/// its own words.
pub fn error_reason(err: &(dyn std::error::Error + 'static)) -> Text {
    let mut cause = Some(err);
    while let Some(err) = cause {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return io_reason(io);
        }
        cause = err.source();
    }
    Text::raw(system_words(&err.to_string()))
}

/// `text` with its first letter in lower case, as our messages start.
pub fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_place_field_and_hint() {
        let d = Diagnostic::error("sheets/2019/a.md", t!("must-not-be-empty"))
            .at(4, 10)
            .field("titolo")
            .hint(Text::raw("write the objective's title"));
        assert_eq!(
            d.to_string(),
            "sheets/2019/a.md:4:10: error: field `titolo`: must not be empty\n  hint: write the objective's title"
        );
    }

    #[test]
    fn control_characters_are_escaped_wherever_they_come_from() {
        let evil = "2019_\x1b]0;PWNED\x07\x1b[2J";
        let d = Diagnostic::error(
            format!("piano.xlsx:{evil}"),
            t!("code-invalid", code = evil),
        )
        .at(2, 1)
        .field(evil)
        .hint(Text::raw(format!("a\n{evil}\u{202e}")));
        let shown = d.to_string();
        assert!(!shown.contains(['\x1b', '\x07', '\u{202e}']), "{shown}");
        assert_eq!(
            shown,
            "piano.xlsx:2019_\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J:2:1: error: field `2019_\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J`: `2019_\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J` is not a valid code\n  hint: a\n2019_\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J\\u{202e}"
        );
    }

    #[test]
    fn cells_sort_by_their_numbers() {
        let mut all = Diagnostics::default();
        for cell in ["p.xlsx:Foglio!A10", "p.xlsx:Foglio!B1", "p.xlsx:Foglio!A2"] {
            all.push(Diagnostic::error(cell, Text::raw("x")));
        }
        let order: Vec<String> = all
            .sorted()
            .iter()
            .map(|d| d.path.display().to_string())
            .collect();
        assert_eq!(
            order,
            ["p.xlsx:Foglio!A2", "p.xlsx:Foglio!A10", "p.xlsx:Foglio!B1"]
        );
        assert!(natural_order("a007", "a7").is_eq());
    }

    #[test]
    fn report_sorts_by_file_and_line() {
        let mut all = Diagnostics::default();
        all.push(Diagnostic::error("b.md", Text::raw("two")).at(1, 1));
        all.push(Diagnostic::warning("a.md", Text::raw("one")).at(9, 1));
        all.push(Diagnostic::error("a.md", Text::raw("zero")).at(2, 1));
        assert_eq!(
            all.report(),
            "a.md:2:1: error: zero\na.md:9:1: warning: one\nb.md:1:1: error: two\n2 errors, 1 warning\n"
        );
    }
}
