//! The description's Markdown, converted to Typst markup and to HTML.
//!
//! Sheet text is data: every piece of text is escaped for the target, raw HTML
//! in the Markdown is shown as text, images show their alternative text only,
//! and links keep their target only when it is `http:`, `https:` or `mailto:`.
//! Supported: paragraphs, headings, bullet and numbered lists (nested),
//! emphasis, strong, strikethrough, links, inline code, code blocks, block
//! quotes, rules, soft and hard line breaks, GitHub's pipe tables (a Typst
//! table with its header row, and an HTML `<table>` with `<th scope="col">`)
//! and footnotes (numbered, listed at the end of the description, linked
//! both ways in the HTML).

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use unicode_segmentation::UnicodeSegmentation;

use crate::diag::Diagnostic;
use crate::t;

mod table;

pub use table::MAX_COLUMNS;

pub(crate) fn parser(markdown: &str) -> Parser<'_> {
    Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES,
    )
}

/// How deep the description's block quotes, lists, emphasis, strong,
/// strikethrough and links may nest inside each other. The PDF's layout
/// (Typst) stops at a depth of show rules that 16 block quotes or about 30
/// list levels reach; the sheets of an office nest three or four levels.
pub const MAX_DEPTH: usize = 10;

/// Where the description first nests deeper than [`MAX_DEPTH`]: the byte
/// offset of the element one level too deep. One pass over the events:
/// linear in the text.
pub fn too_deep(markdown: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (event, range) in parser(markdown).into_offset_iter() {
        match event {
            Event::Start(tag) if nests(&tag) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(range.start);
                }
            }
            Event::End(
                TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link,
            ) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn nests(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::BlockQuote(_)
            | Tag::List(_)
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
    )
}

/// The description's events, without its headings that have no text: a
/// `#` alone on a line shows nothing, and PDF/UA refuses an empty heading.
fn events(markdown: &str) -> Vec<Event<'_>> {
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<usize> = None;
    for event in parser(markdown) {
        match &event {
            Event::Start(Tag::Heading { .. }) => heading = Some(events.len()),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(start) = heading.take()
                    && events[start + 1..].iter().all(|e| match e {
                        Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                            t.trim().is_empty()
                        }
                        _ => true,
                    })
                {
                    events.truncate(start);
                    continue;
                }
            }
            _ => {}
        }
        events.push(event);
    }
    events
}

/// The description's footnotes: their numbers by label, in the order of
/// their first reference (notes never referred to come last), and the
/// events of each note's text, by number.
struct Notes<'a> {
    numbers: BTreeMap<String, usize>,
    texts: Vec<Vec<Event<'a>>>,
}

/// Splits the footnote definitions out of the events.
fn split_notes(events: Vec<Event<'_>>) -> (Vec<Event<'_>>, Notes<'_>) {
    let mut body = Vec::new();
    let mut definitions: Vec<(String, Vec<Event>)> = Vec::new();
    let mut inside: Option<(String, Vec<Event>)> = None;
    let mut numbers = BTreeMap::new();
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                inside = Some((label.to_string(), Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                definitions.extend(inside.take());
            }
            event => match &mut inside {
                Some((_, text)) => text.push(event),
                None => {
                    if let Event::FootnoteReference(label) = &event {
                        let next = numbers.len() + 1;
                        numbers.entry(label.to_string()).or_insert(next);
                    }
                    body.push(event);
                }
            },
        }
    }
    for (label, _) in &definitions {
        let next = numbers.len() + 1;
        numbers.entry(label.clone()).or_insert(next);
    }
    let mut texts = vec![Vec::new(); numbers.len()];
    for (label, text) in definitions {
        if let Some(&n) = numbers.get(&label) {
            texts[n - 1] = text;
        }
    }
    (body, Notes { numbers, texts })
}

/// The description's tables with more columns than [`MAX_COLUMNS`], each
/// an error at its first line (`body`: the text after the closing `---`,
/// starting at file line `body_line`).
pub fn check_tables(path: &Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
    let leading = body.len() - body.trim_start().len();
    let mut problems = Vec::new();
    for (event, range) in parser(body.trim()).into_offset_iter() {
        if let Event::Start(Tag::Table(alignments)) = event
            && alignments.len() > MAX_COLUMNS
        {
            let line = body[..leading + range.start].matches('\n').count();
            problems.push(
                Diagnostic::error(
                    path,
                    t!(
                        "description-table-too-wide",
                        columns = alignments.len(),
                        limit = MAX_COLUMNS
                    ),
                )
                .at(body_line + line, 1)
                .hint(t!("description-table-too-wide-hint")),
            );
        }
    }
    problems
}

/// Whether a link target may be kept: web and mail addresses only.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// The levels of the description's headings under a parent heading: a
/// Markdown `#` is one level below the parent, and no level is skipped (a
/// `###` right after the parent becomes its child), as PDF/UA requires.
struct HeadingLevels {
    parent: u8,
    last: u8,
}

impl HeadingLevels {
    fn under(parent: u8) -> Self {
        HeadingLevels {
            parent,
            last: parent,
        }
    }

    fn next(&mut self, level: HeadingLevel) -> u8 {
        let wanted = (level as u8 + self.parent).min(6);
        self.last = wanted.min(self.last + 1);
        self.last
    }
}

/// Escapes text for Typst markup: every ASCII punctuation character gets a
/// backslash, so nothing in it can start code, math, markup or a shorthand;
/// line breaks become spaces. Long tokens may break anywhere
/// ([`LONG_TOKEN`]).
pub fn escape_typst(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_typst_text(&mut out, text);
    out
}

/// From how many characters a token (the text between white space, slashes
/// and hyphens: a code, a 200-letter word, a part of an address) may break
/// between any two of its letters, so that it wraps instead of leaving its
/// cell or the page. Shorter words break only at spaces, hyphens and
/// slashes, as usual.
pub const LONG_TOKEN: usize = 25;

/// Where a line may break inside a long token: an empty box, which prints
/// nothing and which Typst may break a line before or after, so that the
/// text copied out of the PDF is the token as written (a zero-width space
/// would be copied with it; Typst drops a zero space, `h(0pt)`, and breaks
/// nowhere).
pub const BREAK: &str = "#box()";

fn push_typst_text(out: &mut String, text: &str) {
    let ends_token = |c: char| c.is_whitespace() || c == '/' || c == '-';
    for piece in text.split_inclusive(ends_token) {
        let (token, end) = match piece.char_indices().last() {
            Some((at, c)) if ends_token(c) => piece.split_at(at),
            _ => (piece, ""),
        };
        if token.chars().count() < LONG_TOKEN {
            push_escaped(out, token);
        } else {
            for (i, cluster) in token.graphemes(true).enumerate() {
                if i > 0 {
                    out.push_str(BREAK);
                }
                push_escaped(out, cluster);
            }
        }
        push_escaped(out, end);
    }
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// A Typst string literal (quotes included) holding `text` as it is.
pub fn typst_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Converts Markdown to Typst markup made only of escaped text and calls to
/// Typst's own functions (`#list`, `#emph`, `#link`, `#table`...). Footnotes
/// are numbered and listed after the text.
pub fn to_typst(markdown: &str) -> String {
    let (body, notes) = split_notes(events(markdown));
    let mut out = write_typst(body, &notes.numbers);
    if !notes.texts.is_empty() {
        out.push_str("\n\n#line(length: 30%, stroke: 0.5pt)\n#enum(\n");
        for text in notes.texts {
            out.push('[');
            out.push_str(&write_typst(text, &notes.numbers));
            out.push_str("],\n");
        }
        out.push(')');
    }
    out
}

fn write_typst(events: Vec<Event<'_>>, notes: &BTreeMap<String, usize>) -> String {
    let mut writer = TypstWriter {
        out: String::new(),
        item_starts: Vec::new(),
        links: Vec::new(),
        code: None,
        tables: Vec::new(),
        // Level 1 is the sheet's own heading.
        levels: HeadingLevels::under(1),
        notes,
    };
    for event in events {
        writer.event(event);
    }
    trim_end(&mut writer.out, 0);
    writer.out
}

/// The Typst markup written so far, and what is open in it.
struct TypstWriter<'n> {
    out: String,
    /// Where each open list item started, to trim trailing blank lines.
    item_starts: Vec<usize>,
    /// For each open link: whether it was kept as a link.
    links: Vec<bool>,
    /// The text of the code block being read, if one is open.
    code: Option<String>,
    tables: Vec<table::Table>,
    levels: HeadingLevels,
    /// The footnotes' numbers by label.
    notes: &'n BTreeMap<String, usize>,
}

impl TypstWriter<'_> {
    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    let text = code.strip_suffix('\n').unwrap_or(&code);
                    self.out.push_str("#raw(block: true, ");
                    self.out.push_str(&typst_string(text));
                    self.out.push_str(")\n\n");
                }
                _ => {}
            }
            return;
        }
        let out = &mut self.out;
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push_typst_text(out, &text);
                if let Some(table) = self.tables.last_mut() {
                    table.text(&text);
                }
            }
            Event::Code(text) => {
                if let Some(table) = self.tables.last_mut() {
                    table.text(&text);
                }
                out.push_str("#raw(");
                out.push_str(&typst_string(&text));
                out.push(')');
            }
            Event::FootnoteReference(label) => {
                if let Some(n) = self.notes.get(label.as_ref()) {
                    out.push_str(&format!("#super[{n}]"));
                }
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("#linebreak()\n"),
            Event::Rule => out.push_str("#line(length: 100%)\n\n"),
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let out = &mut self.out;
        match tag {
            Tag::Heading { level, .. } => {
                let level = self.levels.next(level);
                out.push_str(&format!("#heading(level: {level}, outlined: false)["));
            }
            Tag::BlockQuote(_) => out.push_str("#quote(block: true)["),
            Tag::CodeBlock(_) => self.code = Some(String::new()),
            Tag::List(start) => {
                // A list inside an item's text starts on its own line.
                if !out.is_empty() && !out.ends_with(['\n', '[']) {
                    out.push('\n');
                }
                match start {
                    None => out.push_str("#list(\n"),
                    Some(start) => out.push_str(&format!("#enum(start: {start},\n")),
                }
            }
            Tag::Item => {
                out.push('[');
                self.item_starts.push(out.len());
            }
            Tag::Emphasis => out.push_str("#emph["),
            Tag::Strong => out.push_str("#strong["),
            Tag::Strikethrough => out.push_str("#strike["),
            Tag::Table(alignments) => self.start_table(&alignments),
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = self.tables.last_mut() {
                    table.begin_row(matches!(tag, Tag::TableHead));
                }
            }
            Tag::TableCell => {
                if let Some(table) = self.tables.last_mut() {
                    table.begin_cell(out.len());
                }
            }
            Tag::Link { dest_url, .. } => {
                let keep = is_safe_url(&dest_url);
                if keep {
                    out.push_str("#link(");
                    out.push_str(&typst_string(&dest_url));
                    out.push_str(")[");
                }
                self.links.push(keep);
            }
            _ => {}
        }
    }

    fn start_table(&mut self, alignments: &[Alignment]) {
        let align: Vec<&str> = alignments
            .iter()
            .map(|a| match a {
                Alignment::None => "auto",
                Alignment::Left => "left",
                Alignment::Center => "center",
                Alignment::Right => "right",
            })
            .collect();
        self.tables.push(table::Table::new(align));
    }

    fn end(&mut self, tag: TagEnd) {
        let out = &mut self.out;
        match tag {
            TagEnd::Paragraph => out.push_str("\n\n"),
            TagEnd::Heading(_) => out.push_str("]\n\n"),
            TagEnd::BlockQuote(_) => {
                trim_end(out, 0);
                out.push_str("]\n\n");
            }
            TagEnd::List(_) => out.push_str(")\n\n"),
            TagEnd::Item => {
                let start = self.item_starts.pop().unwrap_or(0);
                trim_end(out, start);
                out.push_str("],\n");
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => out.push(']'),
            TagEnd::Link if self.links.pop().unwrap_or(false) => out.push(']'),
            TagEnd::TableCell => {
                if let Some(table) = self.tables.last_mut() {
                    table.end_cell(out);
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.tables.pop() {
                    table.write(out);
                }
            }
            _ => {}
        }
    }
}

fn trim_end(out: &mut String, floor: usize) {
    let len = out.trim_end().len().max(floor);
    out.truncate(len);
}

/// Whether two Markdown descriptions show the same, in the PDF and in HTML.
pub fn same_rendering(a: &str, b: &str) -> bool {
    to_html(a) == to_html(b) && to_typst(a) == to_typst(b)
}

/// Converts Markdown to an HTML fragment. Raw HTML is shown as text.
pub fn to_html(markdown: &str) -> String {
    let mut links: Vec<bool> = Vec::new();
    // The page's `h1` is the sheet, its `h2` the description's own title.
    let mut levels = HeadingLevels::under(2);
    let mut open: Vec<HeadingLevel> = Vec::new();
    let events = events(markdown)
        .into_iter()
        .filter_map(|event| match event {
            Event::Html(text) | Event::InlineHtml(text) => Some(Event::Text(text)),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let level = heading_level(levels.next(level));
                open.push(level);
                Some(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }))
            }
            Event::End(TagEnd::Heading(level)) => {
                Some(Event::End(TagEnd::Heading(open.pop().unwrap_or(level))))
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let keep = is_safe_url(&dest_url);
                links.push(keep);
                keep.then_some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            Event::End(TagEnd::Link) => links
                .pop()
                .unwrap_or(false)
                .then_some(Event::End(TagEnd::Link)),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => Some(Event::Start(
                Tag::CodeBlock(CodeBlockKind::Fenced(CowStr::Borrowed(""))),
            )),
            other => Some(other),
        });
    let (body, notes) = split_notes(events.collect());
    let mut html: Vec<Event> = Vec::new();
    let mut tables = 0;
    push_html_events(&mut html, body, &notes.numbers, &mut tables);
    if !notes.texts.is_empty() {
        html.push(Event::Html(
            "<section class=\"note\" aria-label=\"Note\">\n<ol>\n".into(),
        ));
        for (i, text) in notes.texts.into_iter().enumerate() {
            let n = i + 1;
            html.push(Event::Html(format!("<li id=\"nota-{n}\">").into()));
            push_html_events(&mut html, text, &notes.numbers, &mut tables);
            html.push(Event::Html(
                format!(
                    "<a href=\"#rif-{n}\" class=\"torna\" aria-label=\"Torna al testo della nota {n}\">↩</a></li>\n"
                )
                .into(),
            ));
        }
        html.push(Event::Html("</ol>\n</section>\n".into()));
    }
    let mut out = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut out, html.into_iter());
    out
}

/// Our own HTML for tables (a scrolling region, `<th scope="col">`,
/// alignment as a class) and footnote references (a link to the note, the
/// first one the note's way back); other events as they are.
fn push_html_events<'a>(
    out: &mut Vec<Event<'a>>,
    events: Vec<Event<'a>>,
    notes: &BTreeMap<String, usize>,
    tables: &mut usize,
) {
    let mut alignments: Vec<Alignment> = Vec::new();
    let mut head = false;
    let mut column = 0;
    let mut referred: Vec<usize> = Vec::new();
    for event in events {
        let html = match event {
            Event::Start(Tag::Table(a)) => {
                alignments = a;
                *tables += 1;
                // Each scrolling region needs a name of its own.
                format!(
                    "<div class=\"scroll\" role=\"region\" aria-label=\"Tabella {tables} della descrizione\" tabindex=\"0\">\n<table>\n"
                )
            }
            Event::End(TagEnd::Table) => "</tbody>\n</table>\n</div>\n".to_string(),
            Event::Start(Tag::TableHead) => {
                head = true;
                column = 0;
                "<thead>\n<tr>".to_string()
            }
            Event::End(TagEnd::TableHead) => {
                head = false;
                "</tr>\n</thead>\n<tbody>\n".to_string()
            }
            Event::Start(Tag::TableRow) => {
                column = 0;
                "<tr>".to_string()
            }
            Event::End(TagEnd::TableRow) => "</tr>\n".to_string(),
            Event::Start(Tag::TableCell) => {
                let class = match alignments.get(column) {
                    Some(Alignment::Left) => " class=\"a-sinistra\"",
                    Some(Alignment::Center) => " class=\"a-centro\"",
                    Some(Alignment::Right) => " class=\"a-destra\"",
                    _ => "",
                };
                column += 1;
                if head {
                    format!("<th scope=\"col\"{class}>")
                } else {
                    format!("<td{class}>")
                }
            }
            Event::End(TagEnd::TableCell) => if head { "</th>" } else { "</td>" }.to_string(),
            Event::FootnoteReference(label) => match notes.get(label.as_ref()) {
                Some(&n) if !referred.contains(&n) => {
                    referred.push(n);
                    format!("<sup><a href=\"#nota-{n}\" id=\"rif-{n}\">{n}</a></sup>")
                }
                Some(&n) => format!("<sup><a href=\"#nota-{n}\">{n}</a></sup>"),
                None => String::new(),
            },
            other => {
                out.push(other);
                continue;
            }
        };
        out.push(Event::InlineHtml(html.into()));
    }
}

fn heading_level(level: u8) -> HeadingLevel {
    match level {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The words a reader sees, in order: used to compare the outputs with the
/// source in tests.
pub fn plain_text(markdown: &str) -> String {
    let (body, notes) = split_notes(events(markdown));
    let mut out = String::new();
    for event in body.into_iter().chain(notes.texts.into_iter().flatten()) {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                out.push_str(&text);
                out.push(' ');
            }
            Event::FootnoteReference(label) => {
                if let Some(n) = notes.numbers.get(label.as_ref()) {
                    out.push_str(&format!("{n} "));
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_typst_backslashes_every_special_character() {
        assert_eq!(
            escape_typst(r#"#read("/etc/passwd") $x$ @ref ] \ *a*b"#),
            r#"\#read\(\"\/etc\/passwd\"\) \$x\$ \@ref \] \\ \*a\*b"#
        );
        assert_eq!(escape_typst("2019. inizio\nfine"), r"2019\. inizio fine");
    }

    #[test]
    fn long_tokens_may_break_between_letters_and_nothing_is_inserted() {
        let code = "RF18000000000000012345678";
        assert_eq!(code.len(), LONG_TOKEN);
        let escaped = escape_typst(&format!("IUV {code}/x-{}", &code[1..]));
        assert!(
            escaped.starts_with("IUV R#box()F#box()1#box()8#box()0"),
            "{escaped}"
        );
        assert!(
            escaped.ends_with(r"8\/x\-F18000000000000012345678"),
            "{escaped}"
        );
        assert_eq!(
            escaped.replace(BREAK, "").replace('\\', ""),
            format!("IUV {code}/x-{}", &code[1..])
        );
    }

    #[test]
    fn typst_string_escapes_quotes_and_backslashes() {
        assert_eq!(typst_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
    }

    #[test]
    fn paragraphs_and_nested_lists_to_typst() {
        let md = "Primo *a* e **b**.\n\n- uno\n- due\n  1. nested\n\nFine";
        assert_eq!(
            to_typst(md),
            "Primo #emph[a] e #strong[b]\\.\n\n#list(\n[uno],\n[due\n#enum(start: 1,\n[nested],\n)],\n)\n\nFine"
        );
    }

    #[test]
    fn links_keep_only_safe_targets() {
        assert_eq!(
            to_typst("[sito](https://x.it) [no](javascript:alert(1))"),
            "#link(\"https://x.it\")[sito] no"
        );
        assert_eq!(
            to_html("[sito](https://x.it) [no](javascript:alert(1))"),
            "<p><a href=\"https://x.it\">sito</a> no</p>\n"
        );
    }

    #[test]
    fn raw_html_is_text() {
        assert_eq!(
            to_html("a <script>alert(1)</script> b"),
            "<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>\n"
        );
        assert_eq!(
            to_html("<div onclick=\"x\">\nciao\n</div>"),
            "&lt;div onclick=\"x\"&gt;\nciao\n&lt;/div&gt;"
        );
    }

    #[test]
    fn images_show_alt_text_only() {
        assert_eq!(to_html("![logo](/etc/passwd)"), "<p>logo</p>\n");
        assert_eq!(to_typst("![logo](/etc/passwd)"), "logo");
    }

    #[test]
    fn headings_go_under_the_sheet_without_skipping_levels() {
        assert_eq!(
            to_html("### Uno\n\n# Due\n\n#### Tre"),
            "<h3>Uno</h3>\n<h3>Due</h3>\n<h4>Tre</h4>\n"
        );
        assert_eq!(
            to_typst("## Uno\n\n#### Due"),
            "#heading(level: 2, outlined: false)[Uno]\n\n#heading(level: 3, outlined: false)[Due]"
        );
    }

    #[test]
    fn empty_headings_are_dropped() {
        let md = "#\n\nUno\n\n## \n\n### ![](x.png)\n\n## Due";
        assert_eq!(
            to_typst(md),
            "Uno\n\n#heading(level: 2, outlined: false)[Due]"
        );
        assert_eq!(to_html(md), "<p>Uno</p>\n<h3>Due</h3>\n");
    }

    #[test]
    fn pipe_tables_keep_their_header_and_alignment() {
        let md = "| A | *B* | C |\n|:--|:-:|--:|\n| 1 | 2 |\n";
        assert_eq!(
            to_typst(md),
            "#table(columns: 3, align: (left, center, right,),\n\
             table.header([#strong[A]], [#strong[#emph[B]]], [#strong[C]], ),\n\
             [1], [2], [], \n)"
        );
        assert_eq!(
            to_html(md),
            "<div class=\"scroll\" role=\"region\" aria-label=\"Tabella 1 della descrizione\" tabindex=\"0\">\n<table>\n\
             <thead>\n<tr><th scope=\"col\" class=\"a-sinistra\">A</th>\
             <th scope=\"col\" class=\"a-centro\"><em>B</em></th>\
             <th scope=\"col\" class=\"a-destra\">C</th></tr>\n</thead>\n<tbody>\n\
             <tr><td class=\"a-sinistra\">1</td><td class=\"a-centro\">2</td>\
             <td class=\"a-destra\"></td></tr>\n</tbody>\n</table>\n</div>\n"
        );
    }

    #[test]
    fn footnotes_are_numbered_and_listed_at_the_end() {
        let md = "Uno[^b] e due[^a], ancora[^b].\n\n[^a]: Nota A.\n[^b]: Nota B.\n";
        assert_eq!(
            to_typst(md),
            "Uno#super[1] e due#super[2]\\, ancora#super[1]\\.\n\n\
             #line(length: 30%, stroke: 0.5pt)\n#enum(\n[Nota B\\.],\n[Nota A\\.],\n)"
        );
        let html = to_html(md);
        assert!(html.starts_with(
            "<p>Uno<sup><a href=\"#nota-1\" id=\"rif-1\">1</a></sup> e due\
             <sup><a href=\"#nota-2\" id=\"rif-2\">2</a></sup>, ancora<sup><a href=\"#nota-1\">1</a></sup>.</p>\n\
             <section class=\"note\" aria-label=\"Note\">\n<ol>\n<li id=\"nota-1\">\n<p>Nota B.</p>\n\
             <a href=\"#rif-1\" class=\"torna\""
        ), "{html}");
        assert_eq!(plain_text(md), "Uno 1 e due 2 , ancora 1 . Nota B. Nota A.");
    }

    #[test]
    fn code_is_raw_text() {
        assert_eq!(to_typst("`#x`"), "#raw(\"#x\")");
        assert_eq!(
            to_typst("```typst\n#read(\"a\")\n```"),
            "#raw(block: true, \"#read(\\\"a\\\")\")"
        );
    }

    #[test]
    fn plain_text_keeps_words_in_order() {
        assert_eq!(
            plain_text("Uno *due*\n\n- tre\n- quattro"),
            "Uno due tre quattro"
        );
    }
}
