//! The results in the sources: what each indicator reached at a monitoring
//! date, the narrative of each objective's results, how `piano.yaml` judges
//! them, and their checks.
//!
//! Results live in the sheet they measure, so that a reviewer's diff shows
//! them next to the targets:
//!
//! ```text
//! indicatori:
//!   - descrizione: "Missioni istituzionali supportate"
//!     tipo: RISULTATO
//!     valore_atteso: {2019: 100%, 2020: 100%, 2021: 100%}
//!     valore_raggiunto: {2019-06-30: 45%, 2019-12-31: 98%}
//! risultati:
//!   2019-12-31:
//!     attivita: |-
//!       Supportate 41 missioni su 42.
//!     scostamento: |-
//!       Una missione annullata dall'ente ospitante.
//! ```
//!
//! The achievement is computed by [`crate::results`]; a value it cannot
//! compare needs `raggiungimento` by hand, and an objective below the
//! `raggiunto` class needs `scostamento` (a warning).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Fields, Indicator, Plan, Sheet, Target, as_written_or_none, locate};
use crate::diag::Diagnostic;
use crate::i18n::Text;
use crate::results::{self, Outcome, Scale};
use crate::t;

/// The top-level fields of a sheet: those printed, then `risultati`.
pub const FIELD_KEYS: [&str; 10] = {
    let k = super::SHEET_KEYS;
    [
        k[0],
        k[1],
        k[2],
        k[3],
        k[4],
        k[5],
        k[6],
        k[7],
        k[8],
        "risultati",
    ]
};

/// The narrative of an objective's results at one monitoring date, in
/// Markdown (written as a YAML literal block, `|-`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrative {
    /// The activities carried out.
    #[serde(default, deserialize_with = "as_written_or_none")]
    pub attivita: Option<String>,
    /// Where the result falls short of the target, the reasons for the
    /// deviation; expected (a warning otherwise) when the objective is
    /// below `raggiunto`.
    #[serde(default, deserialize_with = "as_written_or_none")]
    pub scostamento: Option<String>,
}

/// How results are judged (`piano.yaml`'s `valutazione`), each optional:
///
/// ```yaml
/// valutazione:
///   raggiunto: 95%                # from here the objective is achieved
///   parzialmente_raggiunto: 60%   # from here partly achieved, below not
///   tetto: 100%                   # an indicator counts at most this; `nessuno`: no cap
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    #[serde(default)]
    pub raggiunto: Option<Target>,
    #[serde(default)]
    pub parzialmente_raggiunto: Option<Target>,
    #[serde(default)]
    pub tetto: Option<Target>,
}

/// An indicator's result at one date, as published.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorResult {
    /// The indicator's number in its sheet, from 1.
    pub numero: usize,
    pub descrizione: String,
    pub tipo: String,
    /// The target of the date's year.
    pub valore_atteso: String,
    /// The value reached, empty when none was given.
    pub valore_raggiunto: String,
    /// The achievement in percent, when computed or given.
    #[serde(skip)]
    pub percent: Option<f64>,
    /// The achievement as displayed (`98%`), empty when none.
    pub raggiungimento: String,
    /// Whether the achievement was given by hand.
    pub a_mano: bool,
    /// The outcome class, empty when no achievement.
    pub esito: String,
    #[serde(skip)]
    pub peso: f64,
}

/// An objective's result at one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveResult {
    /// The date, `YYYY-MM-DD`.
    pub data: String,
    pub indicatori: Vec<IndicatorResult>,
    #[serde(skip)]
    pub percent: Option<f64>,
    /// The objective's achievement as displayed, empty when none.
    pub raggiungimento: String,
    #[serde(skip)]
    pub outcome: Option<Outcome>,
    /// The outcome class, empty when none.
    pub esito: String,
    pub narrative: Narrative,
}

impl Plan {
    /// The thresholds and cap of `valutazione`, or the defaults.
    pub fn scale(&self) -> Scale {
        let mut scale = Scale::default();
        let Some(evaluation) = &self.valutazione else {
            return scale;
        };
        let read = |t: &Option<Target>| t.as_ref().and_then(|t| threshold(&t.0));
        if let Some(value) = read(&evaluation.raggiunto) {
            scale.raggiunto = value;
        }
        if let Some(value) = read(&evaluation.parzialmente_raggiunto) {
            scale.parzialmente = value;
        }
        if let Some(tetto) = &evaluation.tetto {
            scale.tetto = threshold(&tetto.0);
        }
        scale
    }

    /// The errors of `valutazione`: values that are not percentages.
    pub(super) fn evaluation_errors(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let Some(evaluation) = &self.valutazione else {
            return Vec::new();
        };
        let fields = [
            ("raggiunto", &evaluation.raggiunto),
            ("parzialmente_raggiunto", &evaluation.parzialmente_raggiunto),
            ("tetto", &evaluation.tetto),
        ];
        let mut problems = Vec::new();
        for (name, value) in fields {
            let Some(value) = value else { continue };
            let none_allowed = name == "tetto" && value.0.trim() == "nessuno";
            if threshold(&value.0).is_none() && !none_allowed {
                let field = format!("valutazione.{name}");
                let (line, column) = locate(text, &field, 1);
                problems.push(
                    Diagnostic::error(path, t!("result-threshold-invalid", value = &value.0))
                        .at(line, column)
                        .field(field),
                );
            }
        }
        problems
    }
}

/// A threshold: `95%` or `95`.
fn threshold(text: &str) -> Option<f64> {
    results::parse_number(text)
        .map(|q| q.value)
        .filter(|v| *v >= 0.0)
}

impl Fields {
    /// The monitoring dates with a value, an achievement or a narrative, in order.
    pub fn monitoring_dates(&self) -> BTreeSet<&str> {
        let mut dates: BTreeSet<&str> = self.risultati.keys().map(String::as_str).collect();
        for indicator in &self.indicatori {
            dates.extend(indicator.valore_raggiunto.keys().map(String::as_str));
            dates.extend(indicator.raggiungimento.keys().map(String::as_str));
        }
        dates
    }

    /// The objective's result at `date`.
    pub fn result_at(&self, date: &str, scale: &Scale) -> ObjectiveResult {
        let indicatori: Vec<IndicatorResult> = self
            .indicatori
            .iter()
            .enumerate()
            .map(|(i, indicator)| indicator.result_at(i + 1, date, scale))
            .collect();
        let measured: Vec<(f64, f64)> = indicatori
            .iter()
            .filter_map(|r| r.percent.map(|p| (p, r.peso)))
            .collect();
        let percent = scale.objective(&measured);
        let outcome = percent.map(|p| scale.outcome(p));
        ObjectiveResult {
            data: date.to_string(),
            indicatori,
            percent,
            raggiungimento: percent.map(results::format_percent).unwrap_or_default(),
            outcome,
            esito: outcome.map(|o| o.label().to_string()).unwrap_or_default(),
            narrative: self.risultati.get(date).cloned().unwrap_or_default(),
        }
    }
}

impl Indicator {
    /// The target of the year of `date` (`YYYY-MM-DD`), if the plan has it.
    pub fn target_at(&self, date: &str) -> Option<&str> {
        let year: i32 = date.get(..4)?.parse().ok()?;
        self.valore_atteso.get(&year).map(|t| t.0.as_str())
    }

    /// The achievement at `date`: by hand if given, else computed; `None`
    /// without a value or when it cannot be computed.
    pub fn achievement_at(&self, date: &str) -> Option<(f64, bool)> {
        if let Some(given) = self.raggiungimento.get(date) {
            return results::parse_percentage(&given.0).map(|p| (p, true));
        }
        let value = self.valore_raggiunto.get(date)?;
        results::achievement(self.target_at(date)?, &value.0, self.verso).map(|p| (p, false))
    }

    fn result_at(&self, numero: usize, date: &str, scale: &Scale) -> IndicatorResult {
        let achievement = self.achievement_at(date);
        let percent = achievement.map(|(p, _)| p);
        IndicatorResult {
            numero,
            descrizione: self.descrizione.clone(),
            tipo: self.tipo.clone(),
            valore_atteso: self.target_at(date).unwrap_or_default().to_string(),
            valore_raggiunto: self
                .valore_raggiunto
                .get(date)
                .map(|v| v.0.clone())
                .unwrap_or_default(),
            percent,
            raggiungimento: percent.map(results::format_percent).unwrap_or_default(),
            a_mano: achievement.is_some_and(|(_, hand)| hand),
            esito: percent
                .map(|p| scale.outcome(p).label().to_string())
                .unwrap_or_default(),
            peso: self.peso.unwrap_or(1.0),
        }
    }
}

/// The checks of a sheet's results; `error` places a message at a field.
pub(super) fn check(
    fields: &Fields,
    plan: &Plan,
    error: &dyn Fn(&str, Text) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for date in fields.risultati.keys() {
        problems.extend(check_date(date, plan, &format!("risultati.{date}"), error));
    }
    for (i, indicator) in fields.indicatori.iter().enumerate() {
        problems.extend(check_indicator(i, indicator, plan, error));
    }
    problems
}

/// The warnings of a checked sheet's results: each date where the objective
/// is below `raggiunto` and the deviation is not explained.
pub fn unexplained_deviations(sheet: &Sheet, plan: &Plan) -> Vec<Diagnostic> {
    let fields = &sheet.fields;
    let scale = plan.scale();
    let mut problems = Vec::new();
    for date in fields.monitoring_dates() {
        let result = fields.result_at(date, &scale);
        let short = result.outcome.is_some_and(|o| o != Outcome::Raggiunto);
        let explained =
            (result.narrative.scostamento.as_deref()).is_some_and(|s| !s.trim().is_empty());
        if !short || explained {
            continue;
        }
        let field = if fields.risultati.contains_key(date) {
            "risultati"
        } else {
            "indicatori"
        };
        let message = t!(
            "result-deviation-unexplained",
            date = date,
            achievement = result.raggiungimento.as_str()
        );
        problems.push(
            Diagnostic::warning(&sheet.path, message)
                .at(sheet.line_of(field), 1)
                .field(field)
                .hint(t!("result-deviation-unexplained-hint", date = date)),
        );
    }
    problems
}

/// A monitoring date: a real `YYYY-MM-DD` within a year of the plan.
fn check_date(
    date: &str,
    plan: &Plan,
    field: &str,
    error: &dyn Fn(&str, Text) -> Diagnostic,
) -> Option<Diagnostic> {
    let Some((year, _, _)) = results::parse_iso_date(date) else {
        return Some(
            error(field, t!("result-date-invalid", date = date)).hint(t!("result-date-hint")),
        );
    };
    (!plan.anni.contains(&year)).then(|| {
        error(field, t!("result-date-outside", date = date)).hint(t!(
            "result-date-outside-hint",
            years = plan
                .anni
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// The checks of indicator `i`'s results.
fn check_indicator(
    i: usize,
    indicator: &Indicator,
    plan: &Plan,
    error: &dyn Fn(&str, Text) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let field = |name: &str| format!("indicatori[{i}].{name}");
    if let Some(peso) = indicator.peso
        && !(peso.is_finite() && peso > 0.0)
    {
        problems.push(error(&field("peso"), t!("result-weight-invalid")));
    }
    let values: &BTreeMap<String, Target> = &indicator.valore_raggiunto;
    for (date, value) in values {
        problems.extend(check_date(date, plan, &field("valore_raggiunto"), error));
        if value.0.trim().is_empty() {
            problems.push(error(
                &field("valore_raggiunto"),
                t!(
                    "result-value-empty",
                    date = date.as_str(),
                    indicator = i + 1
                ),
            ));
        }
    }
    for (date, given) in &indicator.raggiungimento {
        problems.extend(check_date(date, plan, &field("raggiungimento"), error));
        if results::parse_percentage(&given.0).is_none() {
            problems.push(
                error(
                    &field("raggiungimento"),
                    t!("result-achievement-invalid", value = given.0.as_str()),
                )
                .hint(t!("result-achievement-invalid-hint")),
            );
        } else if !values.contains_key(date) {
            problems.push(error(
                &field("raggiungimento"),
                t!("result-achievement-without-value", date = date.as_str()),
            ));
        }
    }
    if !problems.is_empty() {
        return problems;
    }
    for (date, value) in values {
        if indicator.achievement_at(date).is_none() {
            let target = indicator.target_at(date).unwrap_or_default();
            problems.push(
                error(
                    &field("valore_raggiunto"),
                    t!(
                        "result-not-comparable",
                        date = date.as_str(),
                        value = value.0.as_str(),
                        target = target,
                        indicator = i + 1
                    ),
                )
                .hint(t!("result-not-comparable-hint", date = date.as_str())),
            );
        }
    }
    problems
}
