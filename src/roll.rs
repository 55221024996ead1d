//! `schede roll FROM TO`: next year's plan from this year's.
//!
//! `sheets/TO/piano.yaml` gets the years shifted and the title's years with
//! them (`PEG 2019-2021` becomes `PEG 2020-2022`); every sheet (or those of
//! `--only`, less those of `--except`) is copied as `TO_<same suffix>` with
//! its header, description, indicators and YAML comments, the targets of the years both
//! plans share kept and the new years' targets left empty, so that
//! `schede check` lists exactly what is to fill. An existing year folder is
//! never touched.

use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::fmt::{self, Comment};
use crate::import;
use crate::load;
use crate::model::{Plan, Sheet, Target};
use crate::t;

/// What `schede roll` rolls.
#[derive(Debug)]
pub struct Options {
    /// The plan year to start from, like `2019`.
    pub from: String,
    /// The new plan year, like `2020`.
    pub to: String,
    /// Roll only these objectives (codes, or their part after the year: `Z101`).
    pub only: Vec<String>,
    /// Leave out these objectives.
    pub except: Vec<String>,
    /// The folder of the sheets.
    pub sheets: PathBuf,
}

/// Shifts the years of the plan found in a text: `2019-2021` by one gives
/// `2020-2022`; other numbers stay.
pub fn shift_years(text: &str, anni: &[i32], delta: i32) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        match digits.parse::<i32>() {
            Ok(year) if digits.len() == 4 && anni.contains(&year) => {
                out.push_str(&(year + delta).to_string());
            }
            _ => out.push_str(digits),
        }
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

fn year(text: &str) -> Option<i32> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// What a roll writes.
pub struct Rolled {
    /// The new year's plan, then its sheets, with their text.
    pub files: Vec<(PathBuf, String)>,
    /// The number of targets left empty.
    pub to_fill: usize,
}

/// Prepares the new year's files, checking everything; writes nothing.
pub fn prepare(args: &Options) -> Result<Rolled, Vec<Diagnostic>> {
    let (Some(from), Some(to)) = (year(&args.from), year(&args.to)) else {
        return Err(vec![
            Diagnostic::error(
                &args.sheets,
                t!(
                    "roll-not-years",
                    from = args.from.as_str(),
                    to = args.to.as_str()
                ),
            )
            .hint(t!("roll-not-years-hint")),
        ]);
    };
    let to_dir = args.sheets.join(&args.to);
    if to_dir.exists() {
        return Err(vec![
            Diagnostic::error(&to_dir, t!("already-exists")).hint(t!("roll-exists-hint")),
        ]);
    }
    let plan = read_plan(args)?;
    let (sheets, mut problems) = read_sheets(args, &plan)?;
    let selection = Selection { args, from };
    problems.extend(selection.unknown(&sheets));
    if !problems.is_empty() {
        return Err(problems);
    }
    let new_plan = next_plan(&plan, to - from);
    let mut files = vec![(to_dir.join(load::PLAN_FILE), import::plan_yaml(&new_plan))];
    let mut to_fill = 0;
    for (sheet, comments) in &sheets {
        let code = selection.suffix(sheet.codice());
        if selection.takes(&code) {
            let (file, empty) =
                roll_sheet(sheet, comments, &new_plan, &to_dir, &format!("{to}_{code}"))?;
            files.push(file);
            to_fill += empty;
        }
    }
    Ok(Rolled { files, to_fill })
}

/// The plan of the year rolled from.
fn read_plan(args: &Options) -> Result<Plan, Vec<Diagnostic>> {
    let plan_path = args.sheets.join(&args.from).join(load::PLAN_FILE);
    if !plan_path.is_file() {
        return Err(vec![Diagnostic::error(&plan_path, t!("plan-not-found"))]);
    }
    load::read_source(&plan_path)
        .map_err(|d| vec![d])
        .and_then(|text| Plan::parse(&plan_path, &text, &args.from))
}

/// The sheets of the year rolled from that read well, with their
/// comments, and the errors of the others.
type Read = (Vec<(Sheet, Vec<Comment>)>, Vec<Diagnostic>);

fn read_sheets(args: &Options, plan: &Plan) -> Result<Read, Vec<Diagnostic>> {
    let tree = load::discover(&args.sheets).map_err(|d| vec![d])?;
    let files = tree
        .years
        .into_iter()
        .find(|y| y.name == args.from)
        .map(|y| y.sheets)
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut sheets = Vec::new();
    for path in files {
        let read = load::read_source(&path)
            .map_err(|d| vec![d])
            .and_then(|text| {
                let sheet = Sheet::parse(&path, &text, plan)?;
                let comments = crate::model::split_front_matter(&text)
                    .ok()
                    .and_then(|split| fmt::extract_comments(split.front, &sheet.fields))
                    .unwrap_or_default();
                Ok((sheet, comments))
            });
        match read {
            Ok(sheet) => sheets.push(sheet),
            Err(found) => problems.extend(found),
        }
    }
    Ok((sheets, problems))
}

/// The objectives `--only` and `--except` name, by code or by the part of
/// the code after the year.
struct Selection<'a> {
    args: &'a Options,
    from: i32,
}

impl Selection<'_> {
    /// `Z101` of `2019_Z101` (or of `Z101`).
    fn suffix(&self, code: &str) -> String {
        code.strip_prefix(&format!("{}_", self.from))
            .unwrap_or(code)
            .to_string()
    }

    /// Whether the objective of code suffix `code` is rolled.
    fn takes(&self, code: &str) -> bool {
        let args = self.args;
        (args.only.is_empty() || args.only.iter().any(|n| self.suffix(n) == code))
            && !args.except.iter().any(|n| self.suffix(n) == code)
    }

    /// An error for each name of `--only` and `--except` that is no objective of the plan.
    fn unknown(&self, sheets: &[(Sheet, Vec<Comment>)]) -> Vec<Diagnostic> {
        let from_dir = self.args.sheets.join(&self.args.from);
        (self.args.only.iter().chain(&self.args.except))
            .filter(|name| {
                !sheets
                    .iter()
                    .any(|(s, _)| self.suffix(s.codice()) == self.suffix(name))
            })
            .map(|name| {
                Diagnostic::error(&from_dir, t!("roll-no-objective", name = name))
                    .hint(t!("roll-no-objective-hint"))
            })
            .collect()
    }
}

/// The plan moved by `delta` years, its title's years with it.
fn next_plan(plan: &Plan, delta: i32) -> Plan {
    Plan {
        ente: plan.ente.clone(),
        titolo: shift_years(&plan.titolo, &plan.anni, delta),
        anni: plan.anni.iter().map(|y| y + delta).collect(),
        data: None,
        sito: plan.sito.clone(),
        catalogo: plan.catalogo.clone(),
        valutazione: plan.valutazione.clone(),
    }
}

/// The sheet as `codice` of the new plan, in `to_dir`: the targets of the
/// years both plans share kept, the others empty (how many, returned too).
fn roll_sheet(
    sheet: &Sheet,
    comments: &[Comment],
    new_plan: &Plan,
    to_dir: &std::path::Path,
    codice: &str,
) -> Result<((PathBuf, String), usize), Vec<Diagnostic>> {
    let mut to_fill = 0;
    let mut fields = sheet.fields.clone();
    fields.codice = codice.to_string();
    // Results belong to the year they measure: the new plan starts without.
    fields.risultati.clear();
    for indicator in &mut fields.indicatori {
        indicator.valore_raggiunto.clear();
        indicator.raggiungimento.clear();
        indicator.valore_atteso = new_plan
            .anni
            .iter()
            .map(|year| {
                let kept = indicator.valore_atteso.get(year).cloned();
                to_fill += usize::from(kept.is_none());
                (*year, kept.unwrap_or(Target(String::new())))
            })
            .collect();
    }
    let path = to_dir.join(format!("{codice}.md"));
    let text = import::canonical_sheet(&path, &fields, comments, &sheet.descrizione)
        .map_err(|d| vec![d])?;
    Ok(((path, text), to_fill))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_years_move_with_the_plan() {
        let anni = [2019, 2020, 2021];
        assert_eq!(
            shift_years("Piano Esecutivo di Gestione 2019-2021", &anni, 1),
            "Piano Esecutivo di Gestione 2020-2022"
        );
        assert_eq!(
            shift_years("PEG 2019 (DUP 2018, 12345)", &anni, 1),
            "PEG 2020 (DUP 2018, 12345)"
        );
    }
}
