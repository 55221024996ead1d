//! Achievement: how far a value reached at a monitoring date goes towards
//! its target, read as an Italian office writes both, and the outcome class
//! of an objective. Pure functions from `&str`; the sources' results are
//! described on [`crate::model::Indicator`] and [`crate::model::Narrative`].
//!
//! - Numbers are Italian: `.` groups thousands (`1.250` is 1250), `,` is the
//!   decimal mark (`12.500,50`, `1,5`); `%` makes a percentage, `€` is
//!   dropped. A dot not followed by groups of three digits is not a number.
//! - The target says the direction: `≥ 95%`, `>= 95%`, `almeno 95%` is "at
//!   least" (achievement = value / target), `≤ 45`, `<= 45`, `non oltre 45`,
//!   `al massimo 45` is "at most" (target / value); a date (`31/12/2019`,
//!   `31.12.2019`, `entro il 31/12/2019`) is a deadline, 100% when the value
//!   (a date) is on or before it, 0% after. A plain number or percentage is
//!   "at least" unless the indicator's `verso` says `decrescente`.
//! - Anything else (text, `-`, a percentage against a plain number, a
//!   negative number) cannot be compared: the achievement must be given by
//!   hand. Nothing is guessed.

use std::cmp::Ordering;

/// A number read from a target or a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub value: f64,
    /// Written with `%`.
    pub percent: bool,
}

/// A calendar date, `(year, month, day)`, checked to exist.
pub type Date = (i32, u8, u8);

/// Which way an indicator improves, as its `verso` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verso {
    /// More is better (the default).
    Crescente,
    /// Less is better.
    Decrescente,
}

/// What a target asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    AtLeast(Quantity),
    AtMost(Quantity),
    Deadline(Date),
}

/// Reads an Italian number: `1.250`, `12.500,50`, `1,5`, `98%`,
/// `€ 450.000,00`, `-3`, `+5%`.
pub fn parse_number(text: &str) -> Option<Quantity> {
    let text = text.trim();
    let (text, percent) = match text.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    let text = text.trim_start_matches('€').trim_end_matches('€').trim();
    let (negative, digits) = match text.strip_prefix('-').or_else(|| text.strip_prefix('−')) {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = match digits.split_once(',') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let mut groups = whole.split('.');
    let first = groups.next()?;
    let first_ok = !first.is_empty() && first.len() <= 3 || !whole.contains('.');
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !first_ok || !all_digits(first) || !groups.all(|g| g.len() == 3 && all_digits(g)) {
        return None;
    }
    if fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    let plain = format!("{}.{}", whole.replace('.', ""), fraction.unwrap_or("0"));
    let value: f64 = plain.parse().ok()?;
    Some(Quantity {
        value: if negative { -value } else { value },
        percent,
    })
}

/// Reads a date written `31/12/2019`, `31.12.2019` or `2019-12-31`
/// (day and month may have one digit); `None` unless the day exists.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 && text.contains('-') {
        (number(a)?, number(b)?, number(c)?)
    } else if c.len() == 4 && !text.contains('-') {
        (number(c)?, number(b)?, number(a)?)
    } else {
        return None;
    };
    valid_date(year, month, day)
}

/// Reads an ISO date `YYYY-MM-DD` exactly, as monitoring dates are written.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && text.bytes().filter(u8::is_ascii_digit).count() == 8;
    if !shape {
        return None;
    }
    valid_date(
        text[..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..].parse().ok()?,
    )
}

fn valid_date(year: i32, month: i32, day: i32) -> Option<Date> {
    let date = jiff::civil::Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    (date.year() >= 1).then_some((year, date.month() as u8, date.day() as u8))
}

/// What a target asks for, given the indicator's `verso`; `None` when it
/// cannot be read.
pub fn goal(target: &str, verso: Option<Verso>) -> Option<Goal> {
    let text = target.trim();
    let lower = text.to_lowercase();
    for prefix in ["entro il ", "entro ", ""] {
        if let Some(date) = lower.strip_prefix(prefix).and_then(parse_date) {
            return Some(Goal::Deadline(date));
        }
    }
    let at_least = ["≥", ">=", "almeno", "non meno di", "minimo"];
    let at_most = [
        "≤",
        "<=",
        "non oltre",
        "al massimo",
        "massimo",
        "non più di",
    ];
    let stripped = |prefixes: &[&str]| {
        prefixes
            .iter()
            .find_map(|p| lower.strip_prefix(p).map(|rest| rest.to_string()))
    };
    let (rest, at_most_goal) = if let Some(rest) = stripped(&at_least) {
        (rest, false)
    } else if let Some(rest) = stripped(&at_most) {
        (rest, true)
    } else {
        (lower.clone(), verso == Some(Verso::Decrescente))
    };
    let quantity = parse_number(&rest)?;
    if quantity.value < 0.0 {
        return None;
    }
    Some(if at_most_goal {
        Goal::AtMost(quantity)
    } else {
        Goal::AtLeast(quantity)
    })
}

/// The achievement, in percent, of `value` against `target`; `None` when
/// they cannot be compared and the achievement must be given by hand.
pub fn achievement(target: &str, value: &str, verso: Option<Verso>) -> Option<f64> {
    match goal(target, verso)? {
        Goal::Deadline(deadline) => {
            let done = parse_date(value)?;
            Some(if done.cmp(&deadline) != Ordering::Greater {
                100.0
            } else {
                0.0
            })
        }
        Goal::AtLeast(goal) => {
            let reached = comparable(goal, value)?;
            Some(if goal.value == 0.0 {
                100.0
            } else {
                reached / goal.value * 100.0
            })
        }
        Goal::AtMost(goal) => {
            let reached = comparable(goal, value)?;
            Some(if reached == 0.0 {
                100.0
            } else {
                goal.value / reached * 100.0
            })
        }
    }
}

/// The value as a number of the same kind as the goal (both percentages or
/// neither), not negative.
fn comparable(goal: Quantity, value: &str) -> Option<f64> {
    let reached = parse_number(value)?;
    (reached.percent == goal.percent && reached.value >= 0.0).then_some(reached.value)
}

/// Reads a hand-given achievement: a percentage, `100%`, `87,5%`.
pub fn parse_percentage(text: &str) -> Option<f64> {
    parse_number(text)
        .filter(|q| q.percent && q.value >= 0.0)
        .map(|q| q.value)
}

/// The thresholds of the outcome classes and the cap per indicator, in
/// percent (`piano.yaml`'s `valutazione`, or the defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub raggiunto: f64,
    pub parzialmente: f64,
    /// What one indicator counts for at most in the objective's mean;
    /// `None` for no cap.
    pub tetto: Option<f64>,
}

impl Default for Scale {
    fn default() -> Self {
        Scale {
            raggiunto: 95.0,
            parzialmente: 60.0,
            tetto: Some(100.0),
        }
    }
}

/// The outcome class of an achievement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Raggiunto,
    Parziale,
    NonRaggiunto,
}

impl Outcome {
    /// The class as published: `raggiunto`, `parzialmente raggiunto`, `non raggiunto`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Raggiunto => "raggiunto",
            Outcome::Parziale => "parzialmente raggiunto",
            Outcome::NonRaggiunto => "non raggiunto",
        }
    }

    pub const ALL: [Outcome; 3] = [Outcome::Raggiunto, Outcome::Parziale, Outcome::NonRaggiunto];
}

impl Scale {
    pub fn outcome(&self, achievement: f64) -> Outcome {
        if achievement >= self.raggiunto {
            Outcome::Raggiunto
        } else if achievement >= self.parzialmente {
            Outcome::Parziale
        } else {
            Outcome::NonRaggiunto
        }
    }

    /// The objective's achievement: the mean of its indicators' `(achievement,
    /// weight)`, each capped; `None` without any.
    pub fn objective(&self, indicators: &[(f64, f64)]) -> Option<f64> {
        let weights: f64 = indicators.iter().map(|(_, w)| w).sum();
        if indicators.is_empty() || weights <= 0.0 {
            return None;
        }
        let capped = |a: f64| self.tetto.map_or(a, |cap| a.min(cap));
        let sum: f64 = indicators.iter().map(|(a, w)| capped(*a) * w).sum();
        Some(sum / weights)
    }
}

/// A percentage as an Italian reader reads it: `98%`, `87,5%` (one decimal
/// at most).
pub fn format_percent(value: f64) -> String {
    let tenths = (value * 10.0).round() / 10.0;
    let text = if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}").replace('.', ",")
    };
    format!("{text}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_numbers() {
        let rows: [(&str, Option<(f64, bool)>); 16] = [
            ("1.250", Some((1250.0, false))),
            ("12.500,50", Some((12500.5, false))),
            ("1,5", Some((1.5, false))),
            ("98%", Some((98.0, true))),
            ("98 %", Some((98.0, true))),
            ("€ 450.000,00", Some((450000.0, false))),
            ("450.000,00 €", Some((450000.0, false))),
            ("1.000.000", Some((1_000_000.0, false))),
            ("+5%", Some((5.0, true))),
            ("-3", Some((-3.0, false))),
            ("1.5", None),
            ("1.50", None),
            ("1250.", None),
            ("sì", None),
            ("-", None),
            ("", None),
        ];
        for (text, expected) in rows {
            let got = parse_number(text).map(|q| (q.value, q.percent));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn dates() {
        let rows: [(&str, Option<Date>); 8] = [
            ("31/12/2019", Some((2019, 12, 31))),
            ("31.12.2019", Some((2019, 12, 31))),
            ("1/7/2019", Some((2019, 7, 1))),
            ("2019-12-31", Some((2019, 12, 31))),
            ("29/02/2020", Some((2020, 2, 29))),
            ("29/02/2019", None),
            ("31/04/2019", None),
            ("2019/12/31", None),
        ];
        for (text, expected) in rows {
            assert_eq!(parse_date(text), expected, "{text}");
        }
        assert_eq!(parse_iso_date("2019-06-30"), Some((2019, 6, 30)));
        assert_eq!(parse_iso_date("2019-6-30"), None);
        assert_eq!(parse_iso_date("2019-02-30"), None);
    }

    #[test]
    fn achievement_one_case_per_row() {
        let down = Some(Verso::Decrescente);
        let rows: [(&str, &str, Option<Verso>, Option<f64>); 24] = [
            ("100%", "98%", None, Some(98.0)),
            ("≥ 95%", "98%", None, Some(98.0 / 95.0 * 100.0)),
            (">= 95%", "90%", None, Some(90.0 / 95.0 * 100.0)),
            ("almeno 1.250", "1.180", None, Some(1180.0 / 1250.0 * 100.0)),
            ("12.500,50", "12.500,50", None, Some(100.0)),
            ("€ 450.000,00", "€ 225.000,00", None, Some(50.0)),
            ("1,5", "3", None, Some(200.0)),
            ("+5%", "4%", None, Some(80.0)),
            ("≤ 45", "30", None, Some(150.0)),
            ("≤ 45", "60", None, Some(75.0)),
            ("non oltre 45", "45", None, Some(100.0)),
            ("<= 10", "0", None, Some(100.0)),
            ("20", "25", down, Some(80.0)),
            ("20", "25", None, Some(125.0)),
            ("31/12/2019", "15/11/2019", None, Some(100.0)),
            ("31.12.2019", "31/12/2019", None, Some(100.0)),
            ("entro il 30/06/2019", "01/07/2019", None, Some(0.0)),
            ("0", "3", None, Some(100.0)),
            ("entro giugno", "sì", None, None),
            ("100%", "sì", None, None),
            ("-", "5", None, None),
            ("", "5", None, None),
            ("95%", "0,98", None, None),
            ("31/12/2019", "fatto", None, None),
        ];
        for (target, value, verso, expected) in rows {
            let got = achievement(target, value, verso);
            match (got, expected) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{target} / {value}: {a}"),
                _ => assert_eq!(got, expected, "{target} / {value}"),
            }
        }
    }

    #[test]
    fn objective_is_a_capped_weighted_mean() {
        let scale = Scale::default();
        assert_eq!(scale.objective(&[(120.0, 1.0), (80.0, 1.0)]), Some(90.0));
        assert_eq!(scale.objective(&[(100.0, 3.0), (0.0, 1.0)]), Some(75.0));
        assert_eq!(scale.objective(&[]), None);
        let uncapped = Scale {
            tetto: None,
            ..scale
        };
        assert_eq!(
            uncapped.objective(&[(120.0, 1.0), (80.0, 1.0)]),
            Some(100.0)
        );
    }

    #[test]
    fn outcome_classes() {
        let scale = Scale::default();
        assert_eq!(scale.outcome(95.0), Outcome::Raggiunto);
        assert_eq!(scale.outcome(94.9), Outcome::Parziale);
        assert_eq!(scale.outcome(60.0), Outcome::Parziale);
        assert_eq!(scale.outcome(59.9), Outcome::NonRaggiunto);
    }

    #[test]
    fn percentages_read_as_italian() {
        assert_eq!(format_percent(98.0), "98%");
        assert_eq!(format_percent(94.736), "94,7%");
        assert_eq!(format_percent(100.04), "100%");
        assert_eq!(parse_percentage("87,5%"), Some(87.5));
        assert_eq!(parse_percentage("87,5"), None);
    }
}
