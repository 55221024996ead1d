//! `schede import FILE...`: canonical sheets from the sources an office
//! already has: the text of last year's official sheets (`.txt`), the
//! working spreadsheet (`.xlsx`, `.ods`, a pair of `.csv` files) and our own
//! open data (`piano.json`).
//!
//! Every source becomes [`Draft`]s that remember where each field came from;
//! each draft is written as `fmt` would write it and checked like any sheet,
//! its problems pointing back at the source (`piano.txt:14`,
//! `piano.xlsx:Indicatori!D14`). Any error, and nothing is written; otherwise
//! every file is staged next to its place and renamed into it.

pub mod bounds;
pub mod cells;
pub mod json;
pub mod results;
pub mod table;
pub mod text;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::fmt;
use crate::i18n::Text;
use crate::load;
use crate::model::{Evaluation, Fields, Plan, Sheet};
use crate::output::Staged;
use crate::scaffold;
use crate::t;

/// What `schede import` reads and how it writes.
#[derive(Debug)]
pub struct Options {
    /// Official sheets' text, spreadsheets or a plan's open data (`piano.json`).
    pub files: Vec<PathBuf>,
    /// The sheets folder to write into.
    pub sheets: PathBuf,
    /// List what would be written, writing nothing.
    pub dry_run: bool,
    /// Replace sheets that already exist.
    pub force: bool,
    /// For a year folder without `piano.yaml`: the body adopting the plan.
    pub ente: Option<String>,
    /// For a year folder without `piano.yaml`: the plan's title.
    pub titolo: Option<String>,
    /// For a year folder without `piano.yaml`: the plan's years, `2019-2021` or
    /// `2019,2020,2021` (by default the years of the imported targets).
    pub anni: Option<String>,
    /// A YAML file renaming spreadsheet headers to fields.
    pub map: Option<PathBuf>,
}

/// Where something was found in a source: a file and line (`piano.txt:14`),
/// or a cell, written into the path (`piano.xlsx:Indicatori!D14`, line 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub path: PathBuf,
    pub line: usize,
}

impl Place {
    pub fn line(path: &Path, line: usize) -> Place {
        Place {
            path: path.to_path_buf(),
            line,
        }
    }

    /// An error at this place.
    pub fn error(&self, message: Text) -> Diagnostic {
        Diagnostic::error(&self.path, message).at(self.line, 1)
    }

    pub fn warning(&self, message: Text) -> Diagnostic {
        Diagnostic::warning(&self.path, message).at(self.line, 1)
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        Ok(())
    }
}

/// A sheet read from a source, not yet checked.
#[derive(Debug, Clone)]
pub struct Draft {
    pub fields: Fields,
    /// The Markdown description.
    pub descrizione: String,
    /// Where the sheet starts.
    pub at: Place,
    /// Where fields were found, by field path (`titolo`, `indicatori[1]`).
    pub places: Vec<(String, Place)>,
}

impl Draft {
    /// The place of a field, or of its nearest parent found.
    fn place_of(&self, field: Option<&str>) -> &Place {
        field
            .and_then(|field| {
                self.places
                    .iter()
                    .filter(|(key, _)| {
                        field == key
                            || field.starts_with(&format!("{key}."))
                            || field.starts_with(&format!("{key}["))
                    })
                    .max_by_key(|(key, _)| key.len())
            })
            .map_or(&self.at, |(_, place)| place)
    }
}

/// What a source holds: sheets, and the plan when the source says it.
#[derive(Debug, Default)]
pub struct Source {
    pub plan: Option<Plan>,
    pub sheets: Vec<Draft>,
}

/// Normalises a label for matching: lowercase ASCII letters and digits only,
/// accents dropped, so that `Descrizione dettagliata dell'obiettivo` and
/// `DESCRIZIONE DETTAGLIATA DELL OBIETTIVO` match.
pub fn label_key(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A sheet's text in canonical form, as `schede fmt` writes it.
pub fn canonical_sheet(
    path: &Path,
    fields: &Fields,
    comments: &[fmt::Comment],
    body: &str,
) -> Result<String, Diagnostic> {
    let emitted = fmt::emit(fields, comments, body.trim());
    fmt::format_sheet(path, &emitted).map(|formatted| formatted.text)
}

/// The text of a `piano.yaml`.
pub fn plan_yaml(plan: &Plan) -> String {
    let years: Vec<String> = plan.anni.iter().map(i32::to_string).collect();
    let mut text = format!(
        "ente: {}\ntitolo: {}\nanni: [{}]\n",
        fmt::scalar(&plan.ente),
        fmt::scalar(&plan.titolo),
        years.join(", ")
    );
    if let Some(data) = &plan.data {
        text.push_str(&format!("data: {}\n", fmt::scalar(data)));
    }
    // The portal's fields (`sito`, `catalogo`), as serde writes them.
    if let Ok(serde_yaml::Value::Mapping(mut rest)) = serde_yaml::to_value(plan) {
        for key in ["ente", "titolo", "anni", "data"] {
            rest.remove(key);
        }
        rest.retain(|_, value| !value.is_null());
        if !rest.is_empty() {
            text.push_str(&serde_yaml::to_string(&rest).unwrap_or_default());
        }
    }
    if let Some(evaluation) = &plan.valutazione {
        text.push_str(&evaluation_yaml(evaluation));
    }
    text
}

/// `valutazione`, which the plan's serialisation leaves out so that the
/// plan's own documents never see it; nothing when none of it is given.
fn evaluation_yaml(evaluation: &Evaluation) -> String {
    let given: Vec<String> = [
        ("raggiunto", &evaluation.raggiunto),
        ("parzialmente_raggiunto", &evaluation.parzialmente_raggiunto),
        ("tetto", &evaluation.tetto),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        let value = value.as_ref()?;
        Some(format!("  {name}: {}\n", fmt::scalar(&value.0)))
    })
    .collect();
    if given.is_empty() {
        return String::new();
    }
    format!("valutazione:\n{}", given.concat())
}

/// Writes every file or none: all are staged next to their place first,
/// then renamed into it.
pub fn write_all(files: &[(PathBuf, String)]) -> Result<(), Diagnostic> {
    let mut staged = Vec::new();
    for (path, text) in files {
        let file = Staged::new(path, text.as_bytes())
            .map_err(|err| Diagnostic::error(path, crate::diag::io_message(&err)))?;
        staged.push((path, file));
    }
    for (path, file) in staged {
        file.commit(path)
            .map_err(|err| Diagnostic::error(path, crate::diag::io_message(&err)))?;
    }
    Ok(())
}

/// Largest source read whole: a whole plan's text or open data, thousands
/// of sheets, stays well below it.
const MAX_SOURCE_SIZE: u64 = 256 * 1024 * 1024;

/// Reads a text source (UTF-8; a BOM and CRLF line ends are accepted).
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    load::decode(path, read_bytes(path)?)
}

/// Reads a source's bytes, within the bound.
fn read_bytes(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let cannot = |err: std::io::Error| Diagnostic::error(path, crate::diag::cannot_read(&err));
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Diagnostic::error(path, t!("not-a-regular-file")));
    }
    let size = meta.len();
    if size > MAX_SOURCE_SIZE {
        return Err(Diagnostic::error(
            path,
            t!("import-too-large", size = size, limit = MAX_SOURCE_SIZE),
        ));
    }
    std::fs::read(path).map_err(cannot)
}

/// Reads a text source that may come from Excel: UTF-8 as [`read_text`],
/// else Windows-1252 (what Excel writes CSV in on an Italian Windows), with
/// a warning saying so at the first byte that is not UTF-8.
pub fn read_office_text(path: &Path) -> Result<(String, Option<Diagnostic>), Diagnostic> {
    let bytes = read_bytes(path)?;
    if std::str::from_utf8(&bytes).is_ok() {
        return load::decode(path, bytes).map(|text| (text, None));
    }
    // Where UTF-8 fails, as the error of a UTF-8 source would say.
    let (line, column) = load::decode(path, bytes.clone())
        .err()
        .map_or((0, 0), |problem| (problem.line, problem.column));
    // Every byte is a character in Windows-1252 (as the WHATWG decoder
    // reads it): the decoding cannot fail.
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
    let text = text.replace("\r\n", "\n");
    let note = Diagnostic::warning(path, t!("import-windows-1252"))
        .at(line, column)
        .hint(t!("import-windows-1252-hint"));
    Ok((text, Some(note)))
}

/// The years of `--anni`: `2019-2021` or `2019,2020,2021`.
fn parse_years(text: &str) -> Option<Vec<i32>> {
    let years: Vec<i32> = match text.split_once('-') {
        Some((from, to)) => (from.trim().parse().ok()?..=to.trim().parse().ok()?).collect(),
        None => text
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().ok())
            .collect::<Option<_>>()?,
    };
    (!years.is_empty()).then_some(years)
}

/// What an import would write, and its warnings.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The files, in the order they are written.
    pub files: Vec<(PathBuf, String)>,
    pub sheets: usize,
    pub plans: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Reads the sources and prepares the files, checking everything; writes
/// nothing.
pub fn prepare(args: &Options) -> Result<Outcome, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let map = match &args.map {
        Some(path) => match table::read_map(path) {
            Ok(map) => map,
            Err(problem) => {
                diagnostics.push(problem);
                return Err(diagnostics);
            }
        },
        None => BTreeMap::new(),
    };
    let mut sources = Vec::new();
    let mut tables = Vec::new();
    for path in &args.files {
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let read = || read_text(path).map_err(|d| vec![d]);
        let source = match extension.as_str() {
            "txt" => read().and_then(|text| text::parse(path, &text)),
            "json" => read().and_then(|text| json::parse(path, &text)),
            "xlsx" | "xlsm" | "xls" | "ods" => match table::read_workbook(path) {
                Ok((found, warnings)) => {
                    tables.extend(found);
                    diagnostics.extend(warnings);
                    continue;
                }
                Err(problems) => Err(problems),
            },
            "csv" => match table::read_csv(path) {
                Ok((found, note)) => {
                    diagnostics.extend(note);
                    tables.push(found);
                    continue;
                }
                Err(problem) => Err(vec![problem]),
            },
            _ => Err(vec![
                Diagnostic::error(path, t!("import-unknown-file"))
                    .hint(t!("import-unknown-file-hint")),
            ]),
        };
        match source {
            Ok(source) => sources.push(source),
            Err(problems) => diagnostics.extend(problems),
        }
    }
    if let Some(filled) = tables.iter().find(|t| results::is_results(t)) {
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        return results::prepare(args, filled);
    }
    if !tables.is_empty() {
        let (source, problems) = table::assemble(tables, &map);
        diagnostics.extend(problems);
        sources.push(source);
    }
    let source_plan = sources.iter().find_map(|s| s.plan.clone());
    let drafts: Vec<Draft> = sources.into_iter().flat_map(|s| s.sheets).collect();
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let outcome = plan_files(args, source_plan, drafts, &mut diagnostics);
    if diagnostics.has_errors() {
        Err(diagnostics)
    } else {
        let mut outcome = outcome;
        outcome.warnings = diagnostics.sorted().into_iter().cloned().collect();
        Ok(outcome)
    }
}

/// Groups the drafts by year, finds each year's plan, and turns each draft
/// into a checked canonical file.
fn plan_files(
    args: &Options,
    source_plan: Option<Plan>,
    drafts: Vec<Draft>,
    diagnostics: &mut Diagnostics,
) -> Outcome {
    let mut outcome = Outcome::default();
    for (year, mut drafts) in by_year(drafts, diagnostics) {
        drafts.sort_by(|a, b| a.fields.codice.cmp(&b.fields.codice));
        let dir = args.sheets.join(&year);
        let plan_path = dir.join(load::PLAN_FILE);
        let plan = if plan_path.is_file() {
            load::read_source(&plan_path)
                .map_err(|d| vec![d])
                .and_then(|text| Plan::parse(&plan_path, &text, &year))
        } else {
            new_plan(args, source_plan.as_ref(), &year, &drafts, &plan_path)
                .inspect(|plan| {
                    outcome.files.push((plan_path.clone(), plan_yaml(plan)));
                    outcome.plans += 1;
                })
                .map_err(|d| vec![d])
        };
        let plan = match plan {
            Ok(plan) => plan,
            Err(problems) => {
                diagnostics.extend(problems);
                continue;
            }
        };
        // Each sheet is formatted and checked on its own: on every core.
        let checked: Vec<_> = drafts
            .par_iter()
            .map(|draft| sheet_file(args, &dir, draft, &plan))
            .collect();
        for result in checked {
            match result {
                Ok(file) => {
                    outcome.files.push(file);
                    outcome.sheets += 1;
                }
                Err(problems) => diagnostics.extend(problems),
            }
        }
    }
    outcome
}

/// The drafts by plan year; an error for a bad code or a code seen before.
fn by_year(drafts: Vec<Draft>, diagnostics: &mut Diagnostics) -> BTreeMap<String, Vec<Draft>> {
    let mut years: BTreeMap<String, Vec<Draft>> = BTreeMap::new();
    let mut seen: BTreeMap<String, Place> = BTreeMap::new();
    for draft in drafts {
        let code = draft.fields.codice.clone();
        let Some(year) = scaffold::year_of(&code) else {
            diagnostics.push(
                draft
                    .place_of(Some("codice"))
                    .error(t!("code-invalid", code = code.as_str()))
                    .hint(t!("new-code-invalid-hint")),
            );
            continue;
        };
        if let Some(first) = seen.get(&code.to_lowercase()) {
            diagnostics.push(
                draft
                    .place_of(Some("codice"))
                    .error(t!("import-code-twice", code = code.as_str()))
                    .hint(t!("import-code-twice-hint", other = first.to_string())),
            );
            continue;
        }
        seen.insert(code.to_lowercase(), draft.at.clone());
        years.entry(year.to_string()).or_default().push(draft);
    }
    years
}

/// The sheet file of a draft in the year folder `dir`, never replacing one
/// unless `--force`.
fn sheet_file(
    args: &Options,
    dir: &Path,
    draft: &Draft,
    plan: &Plan,
) -> Result<(PathBuf, String), Vec<Diagnostic>> {
    let path = dir.join(format!("{}.md", draft.fields.codice));
    if path.exists() && !args.force {
        return Err(vec![
            Diagnostic::error(&path, t!("already-exists"))
                .hint(t!("import-exists-hint", source = draft.at.to_string())),
        ]);
    }
    check_draft(&path, draft, plan).map(|text| (path, text))
}

/// The plan of a year folder that has none: from the flags, else from the
/// source, the years defaulting to those of the imported targets.
fn new_plan(
    args: &Options,
    source: Option<&Plan>,
    year: &str,
    drafts: &[Draft],
    plan_path: &Path,
) -> Result<Plan, Diagnostic> {
    let source = source.filter(|p| p.anni.first().is_some_and(|y| y.to_string() == year));
    let ente = args.ente.clone().or_else(|| source.map(|p| p.ente.clone()));
    let titolo = args
        .titolo
        .clone()
        .or_else(|| source.map(|p| p.titolo.clone()));
    let anni = match &args.anni {
        Some(text) => Some(parse_years(text).ok_or_else(|| {
            Diagnostic::error(plan_path, t!("import-anni-invalid", text = text.as_str()))
                .hint(t!("import-anni-invalid-hint"))
        })?),
        None => source.map(|p| p.anni.clone()).or_else(|| {
            drafts
                .first()?
                .fields
                .indicatori
                .first()
                .map(|i| i.valore_atteso.keys().copied().collect())
        }),
    };
    let missing: Vec<&str> = [
        ("`--ente`", ente.is_none()),
        ("`--titolo`", titolo.is_none()),
        ("`--anni`", anni.is_none()),
    ]
    .into_iter()
    .filter(|(_, missing)| *missing)
    .map(|(flag, _)| flag)
    .collect();
    let (Some(ente), Some(titolo), Some(anni)) = (ente, titolo, anni) else {
        return Err(Diagnostic::error(plan_path, t!("plan-not-found"))
            .hint(t!("import-plan-missing-hint", flags = missing.join(", "))));
    };
    let plan = Plan {
        ente,
        titolo,
        anni,
        data: source.and_then(|p| p.data.clone()),
        sito: source.and_then(|p| p.sito.clone()),
        catalogo: source.and_then(|p| p.catalogo.clone()),
        valutazione: None,
    };
    Plan::parse(plan_path, &plan_yaml(&plan), year).map_err(|mut problems| {
        let problem = problems.remove(0);
        Diagnostic {
            line: 0,
            column: 0,
            ..problem
        }
        .hint(t!("import-plan-from-hint"))
    })
}

/// A draft as a canonical sheet, checked like any sheet; problems point at
/// the draft's source.
fn check_draft(path: &Path, draft: &Draft, plan: &Plan) -> Result<String, Vec<Diagnostic>> {
    let text =
        canonical_sheet(path, &draft.fields, &[], &draft.descrizione).map_err(|d| vec![d])?;
    // `check` refuses a sheet over the size limit: import does not write one.
    if text.len() as u64 > load::MAX_FILE_SIZE {
        let too_large = t!("file-too-large", limit = load::MAX_FILE_SIZE);
        let message = t!(
            "import-sheet-problem",
            code = &draft.fields.codice,
            message = too_large
        );
        return Err(vec![draft.place_of(Some("descrizione")).error(message)]);
    }
    Sheet::parse(path, &text, plan).map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| {
                // Only the description's problem has no field.
                let place = draft.place_of(Some(problem.field.as_deref().unwrap_or("descrizione")));
                let message = match &problem.field {
                    Some(field) => t!(
                        "import-sheet-field-problem",
                        code = &draft.fields.codice,
                        field = &**field,
                        message = problem.message.clone()
                    ),
                    None => t!(
                        "import-sheet-problem",
                        code = &draft.fields.codice,
                        message = problem.message.clone()
                    ),
                };
                Diagnostic {
                    field: None,
                    path: place.path.clone(),
                    line: place.line,
                    column: usize::from(place.line > 0),
                    message,
                    hints: (problem.hints.into_iter())
                        .filter(|h| h.id() != Some("description-empty-hint"))
                        .collect(),
                    ..problem
                }
            })
            .collect::<Vec<_>>()
    })?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_ignoring_case_accents_and_punctuation() {
        assert_eq!(
            label_key("Descrizione dettagliata dell'obiettivo"),
            label_key("DESCRIZIONE  DETTAGLIATA DELL OBIETTIVO")
        );
        assert_eq!(label_key("Attività"), "attivita");
        assert_eq!(label_key("Valore Atteso 2020"), "valoreatteso2020");
    }

    #[test]
    fn the_plan_keeps_its_evaluation() {
        let text = "ente: Comune\ntitolo: Piano\nanni: [2019]\nvalutazione:\n  raggiunto: 90%\n  tetto: nessuno\n";
        let plan = Plan::parse(Path::new("piano.yaml"), text, "2019").expect("a valid plan");
        let written = plan_yaml(&plan);
        assert!(written.ends_with("valutazione:\n  raggiunto: 90%\n  tetto: nessuno\n"));
        let again = Plan::parse(Path::new("piano.yaml"), &written, "2019").expect("reads back");
        assert_eq!(again.valutazione, plan.valutazione);
        assert!(again.valutazione.is_some());
    }

    #[test]
    fn years_as_range_or_list() {
        assert_eq!(parse_years("2019-2021"), Some(vec![2019, 2020, 2021]));
        assert_eq!(parse_years("2019,2020"), Some(vec![2019, 2020]));
        assert_eq!(parse_years("x"), None);
    }
}
