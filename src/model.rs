//! The sheet format: the plan (`piano.yaml`), the objective sheet and its
//! indicators, parsed strictly from YAML, then checked for meaning.
//!
//! A sheet is `sheets/<year>/<codice>.md`: YAML fields between two `---`
//! lines, then the Markdown description. Example:
//!
//! ```text
//! ---
//! codice: 2019_Z101
//! titolo: Attività gestionali della Direzione Ufficio del Sindaco
//! direzione: UFFICIO DEL SINDACO
//! direttore: SANTORO FRANCESCA
//! servizio: UFFICIO DEL SINDACO
//! dirigente: SANTORO FRANCESCA
//! classificazione: DIREZIONALE
//! tipologia: SINTESI
//! indicatori:
//!   - descrizione: "Missioni istituzionali supportate: n. missioni effettuate"
//!     tipo: RISULTATO
//!     valore_atteso: {2019: 100%, 2020: 100%, 2021: 100%}
//! ---
//!
//! La Direzione svolge funzioni di supporto al Sindaco...
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::i18n::Text;
use crate::t;

mod monitoring;
mod portal;

pub use monitoring::{
    Evaluation, FIELD_KEYS, IndicatorResult, Narrative, ObjectiveResult, unexplained_deviations,
};
pub use portal::{Agent, Catalogue, CatalogueSettings, Site};

/// The plan that the sheets of a year folder belong to (`piano.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The body that adopts the plan, e.g. `Comune di Firenze`; the PDFs' author.
    pub ente: String,
    /// The plan's title, e.g. `Piano Esecutivo di Gestione 2019-2021`.
    pub titolo: String,
    /// The plan's years, in order; the first is the plan year and names the folder.
    pub anni: Vec<i32>,
    /// Optional date of adoption, `YYYY-MM-DD`: the date written into the PDFs
    /// (unless `SOURCE_DATE_EPOCH` is set). Defaults to 1 January of the plan year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Optional links of the portal pages to the ente's site (see [`Site`]):
    /// the header links the ente's name to `istituzionale`, the footer shows
    /// the accessibility statement, legal notes, privacy notice and contacts
    /// that are given. Templates see `null` when it is not given.
    #[serde(default)]
    pub sito: Option<Site>,
    /// Optional: what the DCAT-AP_IT catalogue of the open data needs (see
    /// [`Catalogue`]): the ente's IPA code and the address of the published
    /// output folder. Without it the open data is published uncatalogued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogo: Option<Catalogue>,
    /// Optional: how results are judged (see [`Evaluation`]): the outcome
    /// classes' thresholds and the cap of an indicator's achievement.
    /// Never seen by the plan's own documents.
    #[serde(default, skip_serializing)]
    pub valutazione: Option<Evaluation>,
}

/// The fields of one objective sheet, in the order the sheet prints them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// The objective's code, e.g. `2019_Z101`: the plan year, `_`, then letters
    /// and digits. It is also the file's name.
    pub codice: String,
    /// The objective's title.
    pub titolo: String,
    /// The Direzione responsible for the objective.
    pub direzione: String,
    /// The Direzione's director.
    pub direttore: String,
    /// The Servizio responsible for the objective.
    pub servizio: String,
    /// The Servizio's manager.
    pub dirigente: String,
    /// The classification, e.g. `DIREZIONALE`.
    pub classificazione: String,
    /// The type, e.g. `SINTESI`.
    pub tipologia: String,
    /// The indicators measuring the objective, at least one.
    pub indicatori: Vec<Indicator>,
    /// Optional, after the year has begun: per monitoring date
    /// (`YYYY-MM-DD`), the narrative of the results (see [`Narrative`]):
    ///
    /// ```yaml
    /// risultati:
    ///   2019-12-31:
    ///     attivita: |-
    ///       Supportate 42 missioni su 42.
    ///     scostamento: |-
    ///       Nessuno.
    /// ```
    ///
    /// Results never reach the plan's own documents: a sheet's PDF, page
    /// and open data are the same with or without them.
    #[serde(default, skip_serializing)]
    pub risultati: BTreeMap<String, Narrative>,
}

/// One row of the INDICATORI table, and what was reached.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// What is measured and how.
    pub descrizione: String,
    /// The indicator's type, e.g. `RISULTATO`.
    pub tipo: String,
    /// The target for each year of the plan, as displayed: `{2019: 100%, 2020: 90%}`.
    /// Every year of the plan's `anni`, and no other, must be present, once.
    #[serde(deserialize_with = "unique_years")]
    pub valore_atteso: BTreeMap<i32, Target>,
    /// Optional remarks, as written; absent, empty or null (`note: ~`) when
    /// there are none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "as_written_or_none"
    )]
    pub note: Option<String>,
    /// Optional: which way the indicator improves, `crescente` (more is
    /// better, the default) or `decrescente` (less is better), for targets
    /// that are a plain number or percentage. `≥`/`almeno` and
    /// `≤`/`non oltre` in the target say it already.
    #[serde(default, skip_serializing)]
    pub verso: Option<crate::results::Verso>,
    /// Optional: the indicator's weight in the objective's achievement, a
    /// positive number (default 1).
    #[serde(default, skip_serializing)]
    pub peso: Option<f64>,
    /// The value reached at each monitoring date, as displayed like the
    /// targets: `{2019-06-30: 45%, 2019-12-31: 98%}`. Dates are
    /// `YYYY-MM-DD`, within a year of the plan; the target compared is that
    /// year's.
    #[serde(default, skip_serializing)]
    pub valore_raggiunto: BTreeMap<String, Target>,
    /// The achievement given by hand at a monitoring date, a percentage:
    /// `{2019-12-31: 100%}`. Needed where the value cannot be compared with
    /// the target (text, `-`, a target like `entro giugno`); where it can,
    /// it replaces the computed one.
    #[serde(default, skip_serializing)]
    pub raggiungimento: BTreeMap<String, Target>,
}

/// A target value as displayed, exactly as written in the source: `1.50`,
/// `1.000`, `07`, `1e3`, `yes` or `~` stay that text, quoted or not (YAML
/// would read them as numbers, booleans or null).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Target(pub String);

/// Reads any scalar as the text written in the source: serde_yaml hands a
/// plain scalar's own text to a visitor that asks for a string.
struct AsWritten;

impl Visitor<'_> for AsWritten {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a text or a number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(AsWritten).map(Target)
    }
}

/// The targets by year, refusing a year written twice: YAML would keep the
/// second value and drop the first without a word. (The fields of a struct
/// are refused twice by serde itself.)
fn unique_years<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<i32, Target>, D::Error> {
    struct Years;
    impl<'de> Visitor<'de> for Years {
        type Value = BTreeMap<i32, Target>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut years = BTreeMap::new();
            while let Some(year) = map.next_key::<i32>()? {
                let target = map.next_value::<Target>()?;
                if years.insert(year, target).is_some() {
                    return Err(de::Error::custom(format_args!("{DUPLICATE}{year}")));
                }
            }
            Ok(years)
        }
    }
    deserializer.deserialize_map(Years)
}

/// How the parser's message of a key written twice starts (serde_yaml's
/// own words for a map, ours for the targets).
const DUPLICATE: &str = "duplicate entry with key ";

/// An optional text as written; YAML's null (`note:`, `note: ~`) is none.
fn as_written_or_none<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    struct Optional;
    impl<'de> Visitor<'de> for Optional {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a text or a number")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(AsWritten).map(Some)
        }
    }
    deserializer.deserialize_option(Optional)
}

/// A parsed, checked sheet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sheet {
    #[serde(flatten)]
    pub fields: Fields,
    /// The Markdown description ("Descrizione dettagliata dell'obiettivo").
    pub descrizione: String,
    /// The source file.
    #[serde(skip)]
    pub path: PathBuf,
    /// The year folder's name.
    #[serde(skip)]
    pub year: String,
    /// The file line of each top-level field, for diagnostics across sheets.
    #[serde(skip)]
    pub lines: BTreeMap<&'static str, usize>,
}

/// The sheet's fields, in the order of the printed sheet: the one list that
/// the schema's hints, `fmt`'s key order, `new`, `diff` and the open data's
/// columns all follow.
pub const SHEET_KEYS: [&str; 9] = [
    "codice",
    "titolo",
    "direzione",
    "direttore",
    "servizio",
    "dirigente",
    "classificazione",
    "tipologia",
    "indicatori",
];

/// The header table's fields, between `titolo` and `indicatori`.
pub const HEADER_KEYS: [&str; 6] = {
    let k = SHEET_KEYS;
    [k[2], k[3], k[4], k[5], k[6], k[7]]
};

/// The fields of an indicator, in the order of the INDICATORI table, then
/// those of its results.
pub const INDICATOR_KEYS: [&str; 8] = [
    "descrizione",
    "tipo",
    "valore_atteso",
    "note",
    "verso",
    "peso",
    "valore_raggiunto",
    "raggiungimento",
];

/// How the message of an empty target starts.
const EMPTY_TARGET: &str = "empty-target";
const PLAN_KEYS: &[&str] = &[
    "ente",
    "titolo",
    "anni",
    "data",
    "sito",
    "catalogo",
    "valutazione",
];

impl Fields {
    /// The printed text fields of a sheet, by field name.
    pub fn printed_texts(&self) -> Vec<(String, &str)> {
        let mut texts: Vec<(String, &str)> = vec![
            ("codice".into(), &self.codice),
            ("titolo".into(), &self.titolo),
            ("direzione".into(), &self.direzione),
            ("direttore".into(), &self.direttore),
            ("servizio".into(), &self.servizio),
            ("dirigente".into(), &self.dirigente),
            ("classificazione".into(), &self.classificazione),
            ("tipologia".into(), &self.tipologia),
        ];
        for (i, indicator) in self.indicatori.iter().enumerate() {
            texts.push((
                format!("indicatori[{i}].descrizione"),
                &indicator.descrizione,
            ));
            texts.push((format!("indicatori[{i}].tipo"), &indicator.tipo));
            for (year, target) in &indicator.valore_atteso {
                texts.push((format!("indicatori[{i}].valore_atteso.{year}"), &target.0));
            }
            if let Some(note) = &indicator.note {
                texts.push((format!("indicatori[{i}].note"), note));
            }
        }
        texts
    }

    /// The text of a top-level field by its key; `None` for `indicatori`.
    pub fn text(&self, key: &str) -> Option<&str> {
        let text = match key {
            "codice" => &self.codice,
            "titolo" => &self.titolo,
            "direzione" => &self.direzione,
            "direttore" => &self.direttore,
            "servizio" => &self.servizio,
            "dirigente" => &self.dirigente,
            "classificazione" => &self.classificazione,
            "tipologia" => &self.tipologia,
            _ => return None,
        };
        Some(text)
    }
}

impl Plan {
    /// Parses and checks `piano.yaml` of the year folder `year`.
    pub fn parse(path: &Path, text: &str, year: &str) -> Result<Plan, Vec<Diagnostic>> {
        if let Some(problem) = yaml_depth_error(path, text, 1) {
            return Err(vec![problem]);
        }
        let plan: Plan = serde_yaml::from_str(text)
            .map_err(|err| vec![yaml_error(path, text, 1, &err, PLAN_KEYS)])?;
        let locate_in_plan = |field: &str| locate(text, field, 1);
        let mut problems =
            crate::glyphs::check_plan(path, &plan.ente, &plan.titolo, &locate_in_plan);
        let texts = [
            ("ente".to_string(), plan.ente.as_str()),
            ("titolo".to_string(), plan.titolo.as_str()),
        ];
        problems.extend(too_long(path, &texts, &locate_in_plan));
        let at = |field: &str| locate(text, field, 1);
        for (name, value) in [("ente", &plan.ente), ("titolo", &plan.titolo)] {
            if value.trim().is_empty() {
                let (line, column) = at(name);
                problems.push(
                    Diagnostic::error(path, t!("must-not-be-empty"))
                        .at(line, column)
                        .field(name),
                );
            }
        }
        let (line, column) = at("anni");
        if plan.anni.is_empty() {
            problems.push(
                Diagnostic::error(path, t!("plan-years-missing"))
                    .at(line, column)
                    .field("anni")
                    .hint(t!("plan-years-missing-hint", year = year)),
            );
        } else if plan.anni.windows(2).any(|w| w[1] != w[0] + 1) {
            problems.push(
                Diagnostic::error(path, t!("plan-years-order"))
                    .at(line, column)
                    .field("anni"),
            );
        } else if plan.anni[0].to_string() != year {
            problems.push(
                Diagnostic::error(
                    path,
                    t!("plan-year-folder", first = plan.anni[0], year = year),
                )
                .at(line, column)
                .field("anni")
                .hint(t!("plan-year-folder-hint")),
            );
        }
        if let Some(date) = &plan.data
            && parse_date(date).is_none()
        {
            // An impossible day (`2019-02-31`) is refused, not moved on.
            let (line, column) = at("data");
            problems.push(
                Diagnostic::error(path, t!("plan-date-invalid", date = date))
                    .at(line, column)
                    .field("data")
                    .hint(t!("plan-date-invalid-hint")),
            );
        }
        problems.extend(plan.portal_errors(path, text));
        problems.extend(plan.evaluation_errors(path, text));
        if problems.is_empty() {
            Ok(plan)
        } else {
            Err(problems)
        }
    }

    /// The date written into the documents: `data`, or 1 January of the plan year.
    pub fn date(&self) -> Date {
        self.data
            .as_deref()
            .and_then(parse_date)
            .unwrap_or_else(|| {
                let year = self.anni.first().copied().unwrap_or(2000);
                Date::new(i16::try_from(year).unwrap_or(2000), 1, 1).unwrap_or_default()
            })
    }
}

/// A date of the calendar (jiff's): the one date type of the plan, the
/// PDFs, the volumes and the catalogue.
pub type Date = jiff::civil::Date;

/// A `YYYY-MM-DD` date that exists: `2019-02-31` is none, and so is any
/// other spelling the calendar would read (`20190203`).
fn parse_date(text: &str) -> Option<Date> {
    let date: Date = text.parse().ok()?;
    (date.year() >= 1 && date.to_string() == text).then_some(date)
}

impl Sheet {
    /// Parses a sheet's text and checks it against its file name, folder and plan.
    pub fn parse(path: &Path, text: &str, plan: &Plan) -> Result<Sheet, Vec<Diagnostic>> {
        Sheet::parse_with(path, text, plan, true)
    }

    /// Like [`Sheet::parse`], but a year's target may still be empty: a plan
    /// being prepared (`schede roll` leaves the new year's targets to fill),
    /// read by `schede diff`.
    pub fn parse_draft(path: &Path, text: &str, plan: &Plan) -> Result<Sheet, Vec<Diagnostic>> {
        Sheet::parse_with(path, text, plan, false)
    }

    fn parse_with(
        path: &Path,
        text: &str,
        plan: &Plan,
        targets_required: bool,
    ) -> Result<Sheet, Vec<Diagnostic>> {
        let split = split_front_matter(text)
            .map_err(|message| vec![Diagnostic::error(path, message).at(1, 1)])?;
        let offset = split.front_line;
        if let Some(problem) = yaml_depth_error(path, split.front, offset) {
            return Err(vec![problem]);
        }
        let fields: Fields = serde_yaml::from_str(split.front)
            .map_err(|err| vec![yaml_error(path, split.front, offset, &err, &FIELD_KEYS)])?;
        let year = path
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lines = FIELD_KEYS
            .iter()
            .map(|&key| (key, locate(split.front, key, offset).0))
            .collect();
        let sheet = Sheet {
            fields,
            descrizione: split.body.trim().to_string(),
            path: path.to_path_buf(),
            year,
            lines,
        };
        let mut problems = sheet.check(split.front, offset, split.body_line, plan);
        let locate_in_front = |field: &str| locate(split.front, field, offset);
        let text = crate::glyphs::SheetText {
            front: split.front,
            front_line: offset,
            locate: &locate_in_front,
            body: split.body,
            body_line: split.body_line,
        };
        let texts = sheet.fields.printed_texts();
        problems.extend(crate::glyphs::check_sheet(path, &texts, &text));
        problems.extend(too_long(path, &texts, &locate_in_front));
        if let Some(at) = crate::markdown::too_deep(split.body) {
            let before = &split.body[..at];
            let line = split.body_line + before.matches('\n').count();
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            problems.push(
                Diagnostic::error(
                    path,
                    t!("description-too-deep", limit = crate::markdown::MAX_DEPTH),
                )
                .at(line, column)
                .hint(t!("description-too-deep-hint")),
            );
        }
        problems.extend(crate::markdown::check_tables(
            path,
            split.body,
            split.body_line,
        ));
        if !targets_required {
            problems.retain(|p| p.message.id() != Some(EMPTY_TARGET));
        }
        if problems.is_empty() {
            Ok(sheet)
        } else {
            Err(problems)
        }
    }

    fn check(&self, front: &str, offset: usize, body_line: usize, plan: &Plan) -> Vec<Diagnostic> {
        let path = &self.path;
        let at = |field: &str| locate(front, field, offset);
        let error = |field: &str, message: Text| {
            let (line, column) = at(field);
            Diagnostic::error(path, message)
                .at(line, column)
                .field(field)
        };
        let mut problems = Vec::new();
        let f = &self.fields;
        for name in SHEET_KEYS {
            if f.text(name).is_some_and(|value| value.trim().is_empty()) {
                problems.push(error(name, t!("must-not-be-empty")));
            }
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
        if !f.codice.trim().is_empty() {
            if !f
                .codice
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                problems.push(
                    error("codice", t!("code-invalid", code = &f.codice))
                        .hint(t!("code-invalid-hint")),
                );
            } else if stem.as_deref() != Some(f.codice.as_str()) {
                problems.push(
                    error(
                        "codice",
                        t!(
                            "code-file-mismatch",
                            code = &f.codice,
                            file = path
                                .file_name()
                                .unwrap_or_default()
                                .to_string_lossy()
                                .into_owned()
                        ),
                    )
                    .hint(t!("code-file-mismatch-hint", code = &f.codice)),
                );
            } else if !f.codice.starts_with(&format!("{}_", self.year)) {
                problems.push(
                    error(
                        "codice",
                        t!("code-year-mismatch", code = &f.codice, year = &self.year),
                    )
                    .hint(t!("code-year-mismatch-hint")),
                );
            }
        }
        if f.indicatori.is_empty() {
            problems.push(
                error("indicatori", t!("indicators-missing")).hint(t!("indicators-missing-hint")),
            );
        }
        for (i, indicator) in f.indicatori.iter().enumerate() {
            problems.extend(check_indicator(i, indicator, plan, &error));
        }
        problems.extend(monitoring::check(f, plan, &error));
        if self.descrizione.is_empty() {
            problems.push(
                Diagnostic::error(path, t!("description-empty"))
                    .at(body_line, 1)
                    .hint(t!("description-empty-hint")),
            );
        }
        problems
    }

    pub fn codice(&self) -> &str {
        &self.fields.codice
    }
}

/// The meaning checks of indicator `i`; `error` places a message at a field.
fn check_indicator(
    i: usize,
    indicator: &Indicator,
    plan: &Plan,
    error: &dyn Fn(&str, Text) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let field = |name: &str| format!("indicatori[{i}].{name}");
    for (name, value) in [
        ("descrizione", &indicator.descrizione),
        ("tipo", &indicator.tipo),
    ] {
        if value.trim().is_empty() {
            problems.push(error(&field(name), t!("must-not-be-empty")));
        }
    }
    let years: Vec<i32> = indicator.valore_atteso.keys().copied().collect();
    if years != plan.anni {
        let missing: Vec<String> = plan
            .anni
            .iter()
            .filter(|y| !indicator.valore_atteso.contains_key(y))
            .map(i32::to_string)
            .collect();
        let extra: Vec<String> = years
            .iter()
            .filter(|y| !plan.anni.contains(y))
            .map(i32::to_string)
            .collect();
        let what = match (missing.is_empty(), extra.is_empty()) {
            (false, true) => t!("target-years-missing", missing = missing.join(", ")),
            (true, false) => t!("target-years-extra", extra = extra.join(", ")),
            _ => t!(
                "target-years-both",
                missing = missing.join(", "),
                extra = extra.join(", ")
            ),
        };
        let years: Vec<String> = plan.anni.iter().map(i32::to_string).collect();
        problems.push(
            error(&field("valore_atteso"), t!("target-years", what = what))
                .hint(t!("target-years-hint", years = years.join(", "))),
        );
    }
    for (year, target) in &indicator.valore_atteso {
        if target.0.trim().is_empty() {
            problems.push(
                error(
                    &format!("indicatori[{i}].valore_atteso.{year}"),
                    Text::new(EMPTY_TARGET)
                        .arg("year", *year)
                        .arg("indicator", i + 1),
                )
                .hint(t!("empty-target-hint")),
            );
        }
    }
    problems
}

/// Turns a serde_yaml error into a diagnostic at its place in the file.
fn yaml_error(
    path: &Path,
    yaml: &str,
    offset: usize,
    err: &serde_yaml::Error,
    keys: &[&str],
) -> Diagnostic {
    if let Some(problem) = duplicate_key(path, yaml, offset, err) {
        return problem;
    }
    let text = err.to_string();
    // serde_yaml says "path: message at line L column C"; we place it ourselves.
    let text = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let (field, message) = match text.split_once(": ") {
        Some((field, message)) if !field.contains(' ') && !field.is_empty() && field != "." => {
            (Some(field.to_string()), message.to_string())
        }
        _ => (None, text.clone()),
    };
    let (line, column) = match err.location() {
        Some(loc) => (loc.line() + offset - 1, loc.column()),
        None => (offset, 1),
    };
    let mut diagnostic = Diagnostic::error(path, yaml_message(&message)).at(line, column);
    let in_indicator = field
        .as_deref()
        .is_some_and(|f| f.starts_with("indicatori["));
    if let Some(field) = field {
        diagnostic = diagnostic.field(field);
    }
    if let Some(unknown) = message
        .strip_prefix("unknown field `")
        .and_then(|m| m.split('`').next())
    {
        let keys = if in_indicator {
            &INDICATOR_KEYS[..]
        } else {
            keys
        };
        let closest = keys
            .iter()
            .map(|k| (strsim::jaro_winkler(unknown, k), *k))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        diagnostic.message = t!("unknown-field", field = unknown);
        diagnostic = diagnostic.hint(match closest {
            Some((_, key)) => t!("did-you-mean", key = key),
            None => t!(
                "the-fields-are",
                keys = keys
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    } else if let Some(missing) = message.strip_prefix("missing field ") {
        let missing = missing.trim_matches('`');
        diagnostic.message = t!("missing-field", field = missing);
        diagnostic = diagnostic.hint(t!("missing-field-hint", field = missing));
    } else if message.starts_with("mapping values are not allowed") {
        diagnostic = diagnostic.hint(t!("yaml-mapping-values-hint"));
    } else if message.starts_with("found unknown escape character") {
        diagnostic = diagnostic.hint(t!("yaml-escape-hint"));
    } else if message.starts_with("invalid type") && message.ends_with("expected a string") {
        diagnostic = diagnostic.hint(t!("yaml-expected-text-hint"));
    }
    diagnostic
}

/// A message of the YAML parser in the run's language: the common ones have
/// a message of ours (in English, the parser's own words), others stay as
/// the parser wrote them.
pub fn yaml_message(message: &str) -> Text {
    for (prefix, id) in [
        ("invalid type: ", "yaml-invalid-type"),
        ("invalid value: ", "yaml-invalid-value"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, expected)) = rest.split_once(", expected ")
        {
            return Text::new(id)
                .arg("found", yaml_kind(found))
                .arg("expected", yaml_kind(expected));
        }
    }
    if let Some(field) = message
        .strip_prefix("duplicate field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return t!("yaml-duplicate-field", field = field);
    }
    let known = [
        (
            "mapping values are not allowed in this context",
            "yaml-mapping-values",
        ),
        ("did not find expected key", "yaml-expected-key"),
        ("did not find expected node content", "yaml-expected-node"),
        ("did not find expected '-' indicator", "yaml-expected-dash"),
        (
            "found character that cannot start any token",
            "yaml-bad-character",
        ),
        ("found unexpected end of stream", "yaml-unexpected-end"),
        ("could not find expected ':'", "yaml-expected-colon"),
        (
            "found a tab character that violates indentation",
            "yaml-tab",
        ),
        ("found unknown escape character", "yaml-escape"),
        (
            "block sequence entries are not allowed in this context",
            "yaml-sequence-entries",
        ),
        (
            "found unexpected document indicator",
            "yaml-document-indicator",
        ),
        ("did not find expected ',' or ']'", "yaml-flow-sequence"),
        ("did not find expected ',' or '}'", "yaml-flow-mapping"),
        ("found undefined tag handle", "yaml-tag"),
        ("unknown anchor", "yaml-unknown-anchor"),
    ];
    for (english, id) in known {
        if let Some(rest) = message.strip_prefix(english) {
            return Text::new(id).arg("rest", yaml_context(rest));
        }
    }
    Text::raw(message)
}

/// What the YAML parser was reading when it failed (`, while scanning a
/// plain scalar`), without the place it gives: that counts lines from the
/// fields' start, and the diagnostic already gives the file's line.
fn yaml_context(rest: &str) -> Text {
    let Some((_, phrase)) = rest.split_once(", while ") else {
        return Text::raw("");
    };
    let phrase = phrase.trim();
    let phrase = match phrase.split_once(" at line ") {
        Some((phrase, _)) => phrase,
        None => phrase,
    };
    let id = match phrase {
        "scanning a plain scalar" => "yaml-while-plain",
        "scanning a quoted scalar" | "parsing a quoted scalar" => "yaml-while-quoted",
        "scanning a block scalar" => "yaml-while-block-scalar",
        "parsing a block mapping" => "yaml-while-block-mapping",
        "parsing a block collection" => "yaml-while-block-collection",
        "parsing a flow sequence" => "yaml-while-flow-sequence",
        "parsing a flow mapping" => "yaml-while-flow-mapping",
        "scanning a simple key" => "yaml-while-simple-key",
        "parsing a node" => "yaml-while-node",
        "scanning an anchor" | "scanning an alias" => "yaml-while-anchor",
        "scanning a tag" => "yaml-while-tag",
        _ => return Text::raw(format!(", while {phrase}")),
    };
    Text::new(id)
}

/// What serde says a value is, or was expected to be, in the run's language.
fn yaml_kind(kind: &str) -> Text {
    let (head, value) = match kind.split_once(' ') {
        Some((head, value)) => (head, value),
        None => (kind, ""),
    };
    match (head, kind) {
        (_, "sequence") => t!("yaml-kind-sequence"),
        (_, "a sequence") => t!("yaml-kind-a-sequence"),
        (_, "map") => t!("yaml-kind-map"),
        (_, "a map") => t!("yaml-kind-a-map"),
        (_, "unit value") => t!("yaml-kind-empty"),
        (_, "a string") => t!("yaml-kind-text"),
        (_, "a text or a number") => t!("yaml-kind-text-or-number"),
        (_, "i32") => t!("yaml-kind-i32"),
        ("string", _) => t!("yaml-kind-string", value = value),
        ("integer", _) => t!("yaml-kind-integer", value = value),
        ("floating", _) => t!(
            "yaml-kind-float",
            value = value.trim_start_matches("point ")
        ),
        ("boolean", _) => t!("yaml-kind-boolean", value = value),
        _ => Text::raw(kind),
    }
}

/// How deep the fields may nest YAML's flow collections (`[...]`,
/// `{...}`): a sheet nests two (`indicatori: [{...}]`). The YAML parser
/// spends time in proportion to the depth on each token, so a text nesting
/// thousands of `[` would take minutes: it is refused before parsing.
pub const MAX_YAML_DEPTH: usize = 16;

/// Where the YAML `text` first opens a flow collection deeper than
/// [`MAX_YAML_DEPTH`], as a 0-based line and a 1-based column. One pass
/// over the text, reading it as YAML does: brackets count where a value
/// starts (after `key: `, `- `, a line's indentation) or inside a flow
/// collection, not inside quotes, comments or block scalars (`|`, `>`).
pub fn yaml_too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut block_scalar: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut node_start = true;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            i += 1;
            if let Some(open) = quote {
                match (open, c, next) {
                    ('"', '\\', _) => i += 1,
                    ('\'', '\'', Some('\'')) => i += 1,
                    _ if c == open => quote = None,
                    _ => {}
                }
                continue;
            }
            let after_space = i < 2 || chars[i - 2].is_whitespace();
            match c {
                ' ' | '\t' => continue,
                '#' if after_space => break,
                '[' | '{' if node_start || depth > 0 => {
                    depth += 1;
                    if depth > MAX_YAML_DEPTH {
                        return Some((n, i));
                    }
                    node_start = true;
                    continue;
                }
                ']' | '}' if depth > 0 => depth -= 1,
                '"' | '\'' if node_start => quote = Some(c),
                ',' if depth > 0 => {
                    node_start = true;
                    continue;
                }
                '-' | ':' | '?' if next.is_none_or(char::is_whitespace) => {
                    node_start = true;
                    continue;
                }
                '|' | '>' if node_start && depth == 0 => {
                    let rest: String = chars[i..].iter().collect();
                    let rest = rest.split(" #").next().unwrap_or("").trim();
                    if rest
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '+' || c == '-')
                    {
                        block_scalar = Some(indent);
                        break;
                    }
                }
                _ => {}
            }
            node_start = false;
        }
    }
    None
}

/// An error at the place of `what` when the YAML `text` (whose first line
/// is the file's line `offset`) nests flow collections too deep.
pub fn yaml_depth_error(path: &Path, text: &str, offset: usize) -> Option<Diagnostic> {
    let (line, column) = yaml_too_deep(text)?;
    Some(
        Diagnostic::error(path, t!("yaml-too-deep", limit = MAX_YAML_DEPTH))
            .at(line + offset, column)
            .hint(t!("yaml-too-deep-hint")),
    )
}

/// The parser's error `err` about the YAML `text` (whose first line is the
/// file's line `offset`), when it is a key written twice in one map (a
/// field, a year), as an error at the second one's line: YAML would keep
/// one of the two values and drop the other without a word.
pub fn duplicate_key(
    path: &Path,
    text: &str,
    offset: usize,
    err: &serde_yaml::Error,
) -> Option<Diagnostic> {
    let message = err.to_string();
    let message = message.split(" at line ").next().unwrap_or(&message);
    let key = match message.find(DUPLICATE) {
        Some(at) => &message[at + DUPLICATE.len()..],
        None => message.split("duplicate field `").nth(1)?,
    };
    let key = key.trim_matches(['`', '"']);
    let map_line = err.location().map_or(0, |l| l.line().saturating_sub(1));
    let (line, column) = second_key(text, map_line, key).unwrap_or((map_line, 1));
    Some(
        Diagnostic::error(path, t!("yaml-duplicate-key", key = key))
            .at(line + offset, column)
            .hint(t!("yaml-duplicate-key-hint")),
    )
}

/// The 0-based line and 1-based column of the second key `key` written
/// from line `from` on: in the same column as the first (a block map) or
/// on its line (a flow map).
fn second_key(text: &str, from: usize, key: &str) -> Option<(usize, usize)> {
    let mut first: Option<(usize, usize)> = None;
    for (n, line) in text.lines().enumerate().skip(from) {
        for (at, _) in line.match_indices(key) {
            let before = line[..at].chars().next_back().unwrap_or(' ');
            let after = line[at + key.len()..].trim_start_matches(['"', '\'']);
            let is_key = matches!(before, ' ' | '{' | ',' | '"' | '\'' | '-')
                && after.trim_start().starts_with(':');
            if !is_key {
                continue;
            }
            let column = line[..at].chars().count() + 1;
            match first {
                None => first = Some((n, column)),
                Some((line, col)) if line == n || col == column => return Some((n, column)),
                Some(_) => {}
            }
        }
    }
    None
}

/// The longest text of a field, in characters. The plan's and the sheets'
/// titles become the PDFs' titles, which PDF/A allows up to 32,767 bytes
/// (a character takes up to 4); an office's longest texts are a few
/// hundred characters.
pub const MAX_FIELD_CHARS: usize = 4000;

/// An error for each of `texts` (field name, text) longer than
/// [`MAX_FIELD_CHARS`], at the field's place given by `at`.
pub fn too_long(
    path: &Path,
    texts: &[(String, &str)],
    at: &dyn Fn(&str) -> (usize, usize),
) -> Vec<Diagnostic> {
    texts
        .iter()
        .filter(|(_, text)| text.chars().nth(MAX_FIELD_CHARS).is_some())
        .map(|(field, text)| {
            let (line, column) = at(field);
            Diagnostic::error(
                path,
                t!(
                    "field-too-long",
                    length = text.chars().count(),
                    limit = MAX_FIELD_CHARS
                ),
            )
            .at(line, column)
            .field(field.as_str())
        })
        .collect()
}

/// Finds the line and column of a field given as `key`, `key[i].sub` or
/// `key[i].sub.year` in the YAML text; falls back to the nearest parent found.
/// `offset` is the file line of the YAML's first line.
pub fn locate(yaml: &str, field: &str, offset: usize) -> (usize, usize) {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut found = (offset, 1);
    // The range of lines to search, and the indentation of the parent.
    let (mut from, mut to) = (0, lines.len());
    let mut parent_indent: Option<usize> = None;
    for segment in field.split('.') {
        let (key, index) = match segment.split_once('[') {
            Some((key, rest)) => (key, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let (colon, spaced) = (format!("{key}:"), format!("{key} :"));
        let Some(line) = (from..to).find(|&n| {
            let text = lines[n];
            let body = text.trim_start().trim_start_matches("- ");
            let indent = text.len() - body.len();
            parent_indent.is_none_or(|p| indent > p)
                && (body.starts_with(&colon) || body.starts_with(&spaced))
        }) else {
            break;
        };
        let text = lines[line];
        let indent = text.len() - text.trim_start().trim_start_matches("- ").len();
        found = (line + offset, text[..indent].chars().count() + 1);
        // The key's block ends where a line is indented no deeper than the key.
        let end = (line + 1..to)
            .find(|&n| {
                let t = lines[n];
                let raw = t.len() - t.trim_start().len();
                !t.trim().is_empty()
                    && (raw < indent || (raw == indent && !t.trim_start().starts_with("- ")))
            })
            .unwrap_or(to);
        from = line + 1;
        to = end;
        parent_indent = Some(indent);
        if let Some(index) = index {
            let items: Vec<usize> = (from..to)
                .filter(|&n| lines[n].trim_start().starts_with("- "))
                .filter(|&n| {
                    let item_indent = lines[n].len() - lines[n].trim_start().len();
                    (from..to)
                        .filter(|&m| lines[m].trim_start().starts_with("- "))
                        .all(|m| lines[m].len() - lines[m].trim_start().len() >= item_indent)
                })
                .collect();
            let Some(&start) = items.get(index) else {
                break;
            };
            let item_indent = lines[start].len() - lines[start].trim_start().len();
            found = (start + offset, item_indent + 1);
            let next = items.get(index + 1).copied().unwrap_or(to);
            from = start;
            to = next;
            parent_indent = Some(item_indent);
        }
    }
    found
}

/// Checks across the sheets of one plan year: each code once, and the same
/// people at the head of the same Direzione and Servizio (warnings: a new
/// director in another year is history, not an inconsistency).
pub fn check_consistency(sheets: &[&Sheet]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut codes: BTreeMap<String, &Sheet> = BTreeMap::new();
    for sheet in sheets {
        let key = sheet.codice().to_lowercase();
        if let Some(first) = codes.get(&key) {
            problems.push(
                Diagnostic::error(&sheet.path, t!("code-twice", code = sheet.codice()))
                    .at(sheet.line_of("codice"), 1)
                    .field("codice")
                    .hint(t!("code-twice-hint", other = first.path.display())),
            );
        } else {
            codes.insert(key, sheet);
        }
    }
    let mut direzioni: BTreeMap<&str, &Sheet> = BTreeMap::new();
    let mut servizi: BTreeMap<&str, &Sheet> = BTreeMap::new();
    for sheet in sheets {
        let f = &sheet.fields;
        match direzioni.get(f.direzione.as_str()) {
            Some(first) if first.fields.direttore != f.direttore => problems.push(
                Diagnostic::warning(
                    &sheet.path,
                    t!(
                        "director-differs",
                        direzione = &f.direzione,
                        here = &f.direttore,
                        there = &first.fields.direttore,
                        other = first.path.display()
                    ),
                )
                .at(sheet.line_of("direttore"), 1)
                .field("direttore"),
            ),
            Some(_) => {}
            None => {
                direzioni.insert(&f.direzione, sheet);
            }
        }
        match servizi.get(f.servizio.as_str()) {
            Some(first) => {
                for (name, here, there) in [
                    ("dirigente", &f.dirigente, &first.fields.dirigente),
                    ("direzione", &f.direzione, &first.fields.direzione),
                ] {
                    if here != there {
                        problems.push(
                            Diagnostic::warning(
                                &sheet.path,
                                t!(
                                    "service-head-differs",
                                    servizio = &f.servizio,
                                    field = name,
                                    here = here,
                                    there = there,
                                    other = first.path.display()
                                ),
                            )
                            .at(sheet.line_of(name), 1)
                            .field(name),
                        );
                    }
                }
            }
            None => {
                servizi.insert(&f.servizio, sheet);
            }
        }
    }
    problems
}

impl Sheet {
    /// The file line of a top-level field, or 1.
    pub fn line_of(&self, field: &str) -> usize {
        self.lines.get(field).copied().unwrap_or(1)
    }
}

/// A sheet split into its parts, with the line where each starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Line of the file where the front matter's first line is.
    pub front_line: usize,
    pub body: &'a str,
    /// Line of the file where the body's first line is.
    pub body_line: usize,
}

/// Splits a sheet into front matter (between the `---` lines) and body.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, Text> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Err(t!("front-matter-open"));
    };
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                front,
                front_line: 2,
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err(t!("front-matter-close"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_counts_lines_from_the_top_of_the_file() {
        let split = split_front_matter("---\na: 1\nb: 2\n---\n\nbody\n").unwrap();
        assert_eq!(split.front, "a: 1\nb: 2\n");
        assert_eq!(split.front_line, 2);
        assert_eq!(split.body, "\nbody\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn split_needs_both_fences() {
        assert_eq!(
            split_front_matter("a: 1\n").unwrap_err().to_string(),
            "the sheet must start with a `---` line opening its fields"
        );
        assert_eq!(
            split_front_matter("---\na: 1\n").unwrap_err().to_string(),
            "the fields are not closed by a `---` line"
        );
    }

    fn plan() -> Plan {
        Plan {
            ente: "Comune".into(),
            titolo: "PEG".into(),
            anni: vec![2019, 2020],
            data: None,
            sito: None,
            catalogo: None,
            valutazione: None,
        }
    }

    const SHEET: &str = "---
codice: 2019_A1
titolo: Titolo
direzione: D
direttore: X
servizio: S
dirigente: Y
classificazione: C
tipologia: T
indicatori:
  - descrizione: uno
    tipo: RISULTATO
    valore_atteso: {2019: 100%, 2020: 5}
---

Testo.
";

    #[test]
    fn parses_a_sheet() {
        let sheet = Sheet::parse(Path::new("sheets/2019/2019_A1.md"), SHEET, &plan()).unwrap();
        assert_eq!(sheet.codice(), "2019_A1");
        assert_eq!(sheet.year, "2019");
        assert_eq!(sheet.descrizione, "Testo.");
        let targets = &sheet.fields.indicatori[0].valore_atteso;
        assert_eq!(targets[&2019].0, "100%");
        assert_eq!(targets[&2020].0, "5");
    }

    fn errors(path: &str, text: &str) -> Vec<String> {
        Sheet::parse(Path::new(path), text, &plan())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let text = SHEET.replace("tipologia:", "tipolgia:");
        assert_eq!(
            errors("sheets/2019/2019_A1.md", &text),
            [
                "sheets/2019/2019_A1.md:9:1: error: unknown field `tipolgia`\n  hint: did you mean `tipologia`?"
            ]
        );
    }

    #[test]
    fn meaning_checks_name_the_field_and_line() {
        let text = SHEET
            .replace("titolo: Titolo", "titolo: \"\"")
            .replace("2020: 5", "2021: 5");
        assert_eq!(
            errors("sheets/2019/2019_A1.md", &text),
            [
                "sheets/2019/2019_A1.md:3:1: error: field `titolo`: must not be empty",
                "sheets/2019/2019_A1.md:13:5: error: field `indicatori[0].valore_atteso`: years do not match the plan (missing 2020; not in the plan: 2021)\n  hint: give one target for each year of `anni`: 2019, 2020",
            ]
        );
    }

    #[test]
    fn code_must_match_file_and_folder() {
        assert_eq!(
            errors("sheets/2019/2019_A2.md", SHEET),
            [
                "sheets/2019/2019_A2.md:2:1: error: field `codice`: `2019_A1` does not match the file name `2019_A2.md`\n  hint: rename the file to `2019_A1.md`"
            ]
        );
        assert_eq!(
            errors("sheets/2019/x.md", &SHEET.replace("2019_A1", "../../x")),
            [
                "sheets/2019/x.md:2:1: error: field `codice`: `../../x` is not a valid code\n  hint: use only letters, digits, `_` and `-`, like `2019_Z101`"
            ]
        );
    }

    #[test]
    fn impossible_dates_are_errors_at_their_line() {
        let text = "ente: Comune\ntitolo: PEG\nanni: [2019]\ndata: 2019-02-31\n";
        let problems = Plan::parse(Path::new("piano.yaml"), text, "2019").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].line, problems[0].field.as_deref()),
            (4, Some("data"))
        );
        for text in [
            "2019-02-29",
            "2019-13-01",
            "20190203",
            "2019-2-3",
            "0000-01-01",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
        assert_eq!(parse_date("2020-02-29").map(|d| d.day()), Some(29));
        let plan = Plan::parse(Path::new("p"), &text.replace("02-31", "02-28"), "2019");
        assert_eq!(plan.unwrap().date().to_string(), "2019-02-28");
    }

    #[test]
    fn a_key_written_twice_is_an_error_at_the_second() {
        let text = SHEET.replace("{2019: 100%, 2020: 5}", "{2019: 100%, 2020: 1, 2019: 5}");
        assert_eq!(
            errors("sheets/2019/2019_A1.md", &text),
            [
                "sheets/2019/2019_A1.md:13:42: error: `2019` is written twice in the same map (YAML would keep one value and drop the other)\n  hint: keep one of the two"
            ]
        );
        let block = SHEET.replace(
            "valore_atteso: {2019: 100%, 2020: 5}",
            "valore_atteso:\n      2019: 100%\n      2020: 5\n      2019: 7",
        );
        let problems = errors("sheets/2019/2019_A1.md", &block);
        assert!(
            problems[0].starts_with("sheets/2019/2019_A1.md:16:7: error: `2019` is written twice"),
            "{problems:?}"
        );
    }

    #[test]
    fn nesting_and_lengths_are_bounded_where_they_are_written() {
        let deep = format!("titolo: {}\n", "[".repeat(200_000));
        let start = std::time::Instant::now();
        assert_eq!(yaml_too_deep(&deep), Some((0, 8 + MAX_YAML_DEPTH + 1)));
        assert!(start.elapsed().as_millis() < 500);
        for fine in [
            "titolo: a [b] [[[[[[[[[[[[[[[[[[[[[[c\n",
            "titolo: '[[[[[[[[[[[[[[[[[[[[[['\n",
            "titolo: \"[[[[[[[[[[[[[[[[[[[[[[\\\"\"\n",
            "titolo: |\n  [[[[[[[[[[[[[[[[[[[[[[[[\n",
            "titolo: x # [[[[[[[[[[[[[[[[[[[[[[\n",
            "a: [[1, 2], {b: [c]}, 'it''s [', \"[\"]\n",
        ] {
            assert_eq!(yaml_too_deep(fine), None, "{fine}");
        }
        let nested = SHEET.replace("titolo: Titolo", &format!("titolo: {}", "[".repeat(5000)));
        let problems = errors("sheets/2019/2019_A1.md", &nested);
        assert_eq!(
            problems,
            [
                "sheets/2019/2019_A1.md:3:25: error: brackets nested more than 16 deep\n  hint: a sheet's fields nest three levels at most: `indicatori`, each indicator, its `valore_atteso`"
            ]
        );
        let long = SHEET.replace(
            "titolo: Titolo",
            &format!("titolo: {}", "a".repeat(MAX_FIELD_CHARS + 1)),
        );
        assert_eq!(
            errors("sheets/2019/2019_A1.md", &long),
            [
                "sheets/2019/2019_A1.md:3:1: error: field `titolo`: too long: 4001 characters (the limit is 4000)"
            ]
        );
        let quotes = SHEET.replace("Testo.", &format!("Testo.\n\n{}deep", "> ".repeat(11)));
        assert_eq!(
            errors("sheets/2019/2019_A1.md", &quotes),
            [
                "sheets/2019/2019_A1.md:18:21: error: block quotes, lists, emphasis and links nested more than 10 levels deep\n  hint: the PDF cannot lay out deeper nesting: flatten the text"
            ]
        );
    }

    #[test]
    fn locate_finds_nested_fields() {
        let yaml = "a: 1\nindicatori:\n  - descrizione: x\n    tipo: y\n  - descrizione: z\n    valore_atteso:\n      2019: 1\n";
        assert_eq!(locate(yaml, "indicatori", 2), (3, 1));
        assert_eq!(locate(yaml, "indicatori[1]", 2), (6, 3));
        assert_eq!(locate(yaml, "indicatori[0].tipo", 2), (5, 5));
        assert_eq!(locate(yaml, "indicatori[1].valore_atteso", 2), (7, 5));
        assert_eq!(locate(yaml, "indicatori[1].valore_atteso.2019", 2), (8, 7));
    }
}
