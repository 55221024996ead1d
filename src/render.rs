//! Tera templates: the Typst source and the HTML page of each sheet.
//!
//! The templates live in `templates/` and are read at run time, so the office
//! can edit them. `*.typ` templates escape every value for Typst markup, and
//! `*.html` templates escape for HTML; the description arrives already
//! converted (and escaped) by [`crate::markdown`], to be printed with `| safe`.
//! The filter `typst_str` makes a Typst string literal of a value.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::diag::{Diagnostic, cannot_read};
use crate::i18n::Text;
use crate::markdown;
use crate::model::{Plan, Sheet};
use crate::t;

/// The template of a sheet's Typst source.
pub const SHEET_TYP: &str = "sheet.typ";
/// The template of a sheet's HTML page.
pub const SHEET_HTML: &str = "sheet.html";
/// The stylesheet copied next to the HTML pages.
pub const STYLESHEET: &str = "schede.css";

/// The loaded templates, one Tera instance for each escaping.
pub struct Templates {
    dir: PathBuf,
    typst: Tera,
    html: Tera,
    /// The stylesheet's text.
    pub stylesheet: String,
    /// The `*.typ` templates' names and texts, to trace Typst errors back.
    typst_sources: Vec<(String, String)>,
}

fn typst_escape(input: &str, output: &mut dyn Write) -> std::io::Result<()> {
    output.write_all(markdown::escape_typst(input).as_bytes())
}

impl Templates {
    /// Loads every `*.typ` and `*.html` template of `dir`, and the stylesheet.
    pub fn load(dir: &Path) -> Result<Templates, Vec<Diagnostic>> {
        if !dir.is_dir() {
            return Err(vec![
                Diagnostic::error(dir, t!("templates-folder-not-found"))
                    .hint(t!("templates-folder-not-found-hint")),
            ]);
        }
        let mut typst = Tera::new();
        typst.set_escape_fn(typst_escape);
        typst.autoescape_on(vec![".typ"]);
        typst.register_filter("typst_str", |value: &str, _: Kwargs, _: &State| {
            markdown::typst_string(value)
        });
        // The width in ems of a text's widest word (`bold=true`: in the
        // bold face), measured by schede from the embedded fonts: a template
        // sizes a column or decides where a value may break from it, which
        // Typst would do by laying the text out (slow, in every sheet).
        typst.register_filter(
            "em",
            |value: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<f64> {
                let bold = kwargs.get::<bool>("bold")?.unwrap_or(false);
                Ok(crate::fonts::widest_word(value, bold))
            },
        );
        let mut html = Tera::new();
        html.autoescape_on(vec![".html"]);
        let mut problems = Vec::new();
        let mut entries: Vec<PathBuf> = match fs::read_dir(dir) {
            Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(err) => {
                return Err(vec![Diagnostic::error(dir, cannot_read(&err))]);
            }
        };
        entries.sort();
        let mut typst_sources = Vec::new();
        let mut html_sources = Vec::new();
        for path in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let target = if name.ends_with(".typ") {
                &mut typst_sources
            } else if name.ends_with(".html") {
                &mut html_sources
            } else {
                continue;
            };
            match crate::load::read_source(&path) {
                Ok(text) => target.push((name, text)),
                Err(problem) => problems.push(problem),
            }
        }
        let typst_texts = typst_sources.clone();
        for (tera, sources, main) in [
            (&mut typst, typst_sources, SHEET_TYP),
            (&mut html, html_sources, SHEET_HTML),
        ] {
            if let Err(err) = tera.add_raw_templates(sources) {
                problems.extend(template_errors(dir, &err));
            } else if !tera.contains_template(main) {
                problems.push(Diagnostic::error(dir.join(main), t!("template-not-found")));
            }
        }
        let stylesheet = match crate::load::read_source(&dir.join(STYLESHEET)) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                String::new()
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Templates {
            dir: dir.to_path_buf(),
            typst,
            html,
            stylesheet,
            typst_sources: typst_texts,
        })
    }

    /// The Typst source of a sheet.
    pub fn sheet_typst(&self, page: &SheetPage) -> Result<String, Diagnostic> {
        let mut context = page.context();
        context.insert("descrizione", &markdown::to_typst(&page.sheet.descrizione));
        // The INDICATORI table's texts with their widths (`Cell`).
        let colonne: Vec<Cell> = page.colonne.iter().map(|c| Cell::new(c, true)).collect();
        let indicatori: Vec<TypstRow> = page.indicatori.iter().map(TypstRow::new).collect();
        context.insert("colonne", &colonne);
        context.insert("indicatori", &indicatori);
        self.typst
            .render(SHEET_TYP, &context)
            .map_err(|err| template_error(&self.dir, &err))
    }

    /// The HTML page of a sheet.
    pub fn sheet_html(&self, page: &SheetPage) -> Result<String, Diagnostic> {
        let mut context = page.context();
        context.insert("descrizione", &markdown::to_html(&page.sheet.descrizione));
        self.html
            .render(SHEET_HTML, &context)
            .map_err(|err| template_error(&self.dir, &err))
    }
}

impl Templates {
    /// Renders any `*.typ` template with Typst escaping.
    pub fn render_typst(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.typst
            .render(name, context)
            .map_err(|err| template_error(&self.dir, &err))
    }

    /// Renders any `*.html` template with HTML escaping.
    pub fn render_html(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.html
            .render(name, context)
            .map_err(|err| template_error(&self.dir, &err))
    }

    /// The template file and line that a line of generated Typst comes
    /// from, when it is a line of template text without Tera tags that
    /// appears once in all the `*.typ` templates.
    pub fn trace_typst_line(&self, generated: &str) -> Option<(PathBuf, usize)> {
        let wanted = generated.trim();
        if wanted.is_empty() {
            return None;
        }
        let mut found = self.typst_sources.iter().flat_map(|(name, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| {
                    line.trim() == wanted && !line.contains("{{") && !line.contains("{%")
                })
                .map(move |(index, _)| (self.dir.join(name), index + 1))
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// Where the template of that name lives.
    /// The templates folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Whether a template of that name was loaded.
    pub fn has(&self, name: &str) -> bool {
        self.typst.contains_template(name) || self.html.contains_template(name)
    }
}

/// A Tera error as a diagnostic at its place in the template.
fn template_error(dir: &Path, err: &tera::Error) -> Diagnostic {
    let first = template_errors(dir, err).into_iter().next();
    first.unwrap_or_else(|| Diagnostic::error(dir, Text::raw(err.to_string())))
}

/// Every problem a Tera error reports, each at its place in the template:
/// a syntax or rendering error is one; the check of a template's names
/// (unknown filters, tests, functions, included templates) reports each.
fn template_errors(dir: &Path, err: &tera::Error) -> Vec<Diagnostic> {
    match err.kind() {
        ErrorKind::SyntaxError(_) | ErrorKind::RenderingError(_) => vec![placed(dir, err)],
        other => {
            let text = other.to_string();
            let found = reports(dir, &text);
            if found.is_empty() {
                vec![Diagnostic::error(dir, Text::raw(lowercase_first(&text)))]
            } else {
                found
            }
        }
    }
}

/// The problems of Tera's text reports, `error: message` then
/// ` --> file:line:column` each.
fn reports(dir: &Path, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.trim().strip_prefix("error: ") else {
            continue;
        };
        let place = lines.next().and_then(|l| l.trim().strip_prefix("--> "));
        let Some((file, line, column)) = place.and_then(|place| {
            let mut parts = place.rsplitn(3, ':');
            let column = parts.next()?.parse::<usize>().ok()?;
            let line = parts.next()?.parse::<usize>().ok()?;
            Some((parts.next()?, line, column))
        }) else {
            continue;
        };
        let message = tera_message(&lowercase_first(message));
        found.push(Diagnostic::error(dir.join(file), message).at(line, column));
    }
    found
}

/// A syntax or rendering error at its place.
fn placed(dir: &Path, err: &tera::Error) -> Diagnostic {
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::error(
                dir.join(report.filename()),
                tera_message(&lowercase_first(report.message())),
            )
            .at(span.start_line, span.start_col + 1)
        }
        other => Diagnostic::error(dir, Text::raw(lowercase_first(&other.to_string()))),
    }
}

/// A Tera message in the run's language: the common ones have a message of
/// ours (in English, Tera's own words), others stay as Tera wrote them.
fn tera_message(text: &str) -> Text {
    let split = |prefix: &str, middle: &str| {
        text.strip_prefix(prefix)
            .and_then(|rest| rest.split_once(middle))
            .map(|(name, list)| (name.to_string(), list.to_string()))
    };
    if let Some((name, list)) = split("field `", "` is not defined. Available fields: ") {
        return t!("tera-undefined-field", name = name, list = list);
    }
    if let Some((name, list)) = split("variable `", "` is not defined. Available variables: ") {
        return t!("tera-undefined-variable", name = name, list = list);
    }
    if let Some((found, list)) = split("found `", "` but expected one of: ") {
        return t!("tera-unexpected", found = found, list = list);
    }
    for (prefix, kind) in [
        ("unknown filter `", "filter"),
        ("unknown test `", "test"),
        ("unknown function `", "function"),
        ("unknown component `", "component"),
        ("unknown template `", "template"),
    ] {
        if let Some(name) = text.strip_prefix(prefix).and_then(|r| r.strip_suffix('`')) {
            return t!("tera-unknown", kind = kind, name = name);
        }
    }
    if text == "unexpected end of input" {
        return t!("tera-unexpected-end");
    }
    Text::raw(text)
}

/// Tera's message in our voice: lower case, without a closing full stop.
fn lowercase_first(text: &str) -> String {
    crate::diag::lowercase_first(text.trim_end_matches('.'))
}

/// Everything a sheet's templates can use.
#[derive(Debug, Serialize)]
pub struct SheetPage<'a> {
    pub plan: &'a Plan,
    pub sheet: &'a Sheet,
    /// The target columns' labels: `Valore Atteso`, then `Valore Atteso 2020`...
    pub colonne: Vec<String>,
    /// The indicators with their targets in the plan's year order.
    pub indicatori: Vec<IndicatorRow<'a>>,
    /// Links to the neighbours in the plan (HTML only), relative.
    pub precedente: Option<Link>,
    pub successivo: Option<Link>,
    /// Links to the sheet's results at each monitoring date (HTML only):
    /// `codice` is the date, `titolo` says it as a reader reads it.
    pub risultati: Vec<Link>,
}

/// A link to another page.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub href: String,
    pub codice: String,
    pub titolo: String,
}

/// One row of the INDICATORI table.
#[derive(Debug, Serialize)]
pub struct IndicatorRow<'a> {
    pub descrizione: &'a str,
    pub tipo: &'a str,
    pub valori: Vec<&'a str>,
    pub note: &'a str,
}

/// A text of the INDICATORI table as the Typst template gets it: white
/// space made single spaces, and the width of its widest word in ems
/// ([`crate::measure`]), from which the template sizes the columns without
/// measuring a word.
#[derive(Debug, Serialize)]
struct Cell {
    testo: String,
    em: f64,
}

impl Cell {
    fn new(text: &str, bold: bool) -> Cell {
        Cell {
            testo: text.split_whitespace().collect::<Vec<_>>().join(" "),
            em: crate::fonts::widest_word(text, bold),
        }
    }
}

/// One row of the INDICATORI table for Typst: the description stays text
/// (its column takes the width left), the other cells are [`Cell`]s.
#[derive(Debug, Serialize)]
struct TypstRow<'a> {
    descrizione: &'a str,
    tipo: Cell,
    valori: Vec<Cell>,
    note: Cell,
}

impl<'a> TypstRow<'a> {
    fn new(row: &IndicatorRow<'a>) -> Self {
        TypstRow {
            descrizione: row.descrizione,
            tipo: Cell::new(row.tipo, false),
            valori: row.valori.iter().map(|v| Cell::new(v, false)).collect(),
            note: Cell::new(row.note, false),
        }
    }
}

impl<'a> SheetPage<'a> {
    pub fn new(plan: &'a Plan, sheet: &'a Sheet) -> Self {
        let colonne = plan
            .anni
            .iter()
            .enumerate()
            .map(|(i, year)| {
                if i == 0 {
                    "Valore Atteso".to_string()
                } else {
                    format!("Valore Atteso {year}")
                }
            })
            .collect();
        let indicatori = sheet
            .fields
            .indicatori
            .iter()
            .map(|indicator| IndicatorRow {
                descrizione: &indicator.descrizione,
                tipo: &indicator.tipo,
                valori: plan
                    .anni
                    .iter()
                    .map(|year| {
                        indicator
                            .valore_atteso
                            .get(year)
                            .map_or("", |t| t.0.as_str())
                    })
                    .collect(),
                note: indicator.note.as_deref().unwrap_or(""),
            })
            .collect();
        SheetPage {
            plan,
            sheet,
            colonne,
            indicatori,
            precedente: None,
            successivo: None,
            risultati: Vec::new(),
        }
    }

    fn context(&self) -> Context {
        let mut context = Context::new();
        context.insert("plan", self.plan);
        context.insert("sheet", self.sheet);
        context.insert("colonne", &self.colonne);
        context.insert("indicatori", &self.indicatori);
        context.insert("precedente", &self.precedente);
        context.insert("successivo", &self.successivo);
        context.insert("risultati", &self.risultati);
        context.insert("data", &self.plan.date().to_string());
        context
    }
}
