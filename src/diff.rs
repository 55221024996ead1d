//! `schede diff`: what changed in the plans between two versions of the
//! sheets, read from folders or from git revisions (with `git show`, no
//! checkout), compared objective by objective.
//!
//! Objectives are matched by code without the year prefix (`Z101` of
//! `2019_Z101`), so that two year folders compare too and show how a plan
//! evolved. Indicators have no code: they are matched by identical
//! description first, then by the most similar description. A description
//! counts as changed when it renders differently; the change is shown as a
//! word diff of its text.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};
use walkdir::WalkDir;

use crate::diag::Diagnostics;
use crate::load::{self, SourceFile, YearFiles};
use crate::markdown;
use crate::model::{self, Indicator, Plan, Sheet};
use crate::{t, tr};

/// How the report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Readable text, for a terminal.
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON, for programs.
    Json,
}

/// The plans of one version of the sheets.
#[derive(Debug)]
pub struct Version {
    /// What the version was given as: a folder or a revision.
    pub label: String,
    pub plans: Vec<PlanVersion>,
    /// Whether the version is one year folder rather than a tree of them.
    pub single_year: bool,
}

/// One plan of a version, its sheets keyed by code without the year.
#[derive(Debug)]
pub struct PlanVersion {
    pub year: String,
    pub plan: Plan,
    pub sheets: BTreeMap<String, Sheet>,
}

/// What changed between two versions.
#[derive(Debug, Serialize)]
pub struct Report {
    pub old: String,
    pub new: String,
    /// The plans that changed, in year order.
    pub plans: Vec<PlanDiff>,
}

/// What changed in one plan; a year only on one side is a plan added or removed.
#[derive(Debug, Serialize)]
pub struct PlanDiff {
    pub old_year: Option<String>,
    pub new_year: Option<String>,
    /// Changed fields of `piano.yaml`.
    pub plan: Vec<Change>,
    pub added: Vec<Objective>,
    pub removed: Vec<Objective>,
    pub changed: Vec<ObjectiveDiff>,
}

/// A field with its old and new value.
#[derive(Debug, Serialize)]
pub struct Change {
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Serialize)]
pub struct Objective {
    pub codice: String,
    pub titolo: String,
}

/// What changed in an objective found on both sides.
#[derive(Debug, Serialize)]
pub struct ObjectiveDiff {
    pub codice: String,
    pub old_codice: String,
    pub titolo: String,
    /// The old title, when the objective was renamed.
    pub renamed_from: Option<String>,
    /// Changed header fields.
    pub fields: Vec<Change>,
    /// The word diff of the description, when it changed.
    pub descrizione: Option<Vec<Chunk>>,
    pub indicatori: IndicatorDiffs,
}

#[derive(Debug, Default, Serialize)]
pub struct IndicatorDiffs {
    pub added: Vec<Indicator>,
    pub removed: Vec<Indicator>,
    pub changed: Vec<IndicatorChange>,
}

/// An indicator found on both sides, and what changed in it.
#[derive(Debug, Serialize)]
pub struct IndicatorChange {
    pub descrizione: String,
    /// The word diff of the description, when it changed.
    pub descrizione_diff: Option<Vec<Chunk>>,
    /// Changed `tipo` and `note`.
    pub fields: Vec<Change>,
    pub valore_atteso: Vec<TargetChange>,
}

/// A year's target before and after; `None` where the year had none.
#[derive(Debug, Serialize)]
pub struct TargetChange {
    pub anno: i32,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A piece of a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chunk {
    pub op: Op,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Equal,
    Delete,
    Insert,
}

/// Compares two versions. Year folders compare with each other when both
/// versions are one year folder; otherwise plans are paired by year.
pub fn compare(old: &Version, new: &Version) -> Report {
    let mut plans = Vec::new();
    if old.single_year && new.single_year {
        plans.push(compare_plans(old.plans.first(), new.plans.first()));
    } else {
        let years: BTreeSet<&str> = old
            .plans
            .iter()
            .chain(&new.plans)
            .map(|p| p.year.as_str())
            .collect();
        for year in years {
            plans.push(compare_plans(find(old, year), find(new, year)));
        }
    }
    plans.retain(|p| {
        !(p.plan.is_empty() && p.added.is_empty() && p.removed.is_empty() && p.changed.is_empty())
    });
    Report {
        old: old.label.clone(),
        new: new.label.clone(),
        plans,
    }
}

fn find<'a>(version: &'a Version, year: &str) -> Option<&'a PlanVersion> {
    version.plans.iter().find(|p| p.year == year)
}

fn compare_plans(old: Option<&PlanVersion>, new: Option<&PlanVersion>) -> PlanDiff {
    let objective = |sheet: &Sheet| Objective {
        codice: sheet.codice().to_string(),
        titolo: sheet.fields.titolo.clone(),
    };
    let empty = BTreeMap::new();
    let old_sheets = old.map_or(&empty, |p| &p.sheets);
    let new_sheets = new.map_or(&empty, |p| &p.sheets);
    let mut diff = PlanDiff {
        old_year: old.map(|p| p.year.clone()),
        new_year: new.map(|p| p.year.clone()),
        plan: Vec::new(),
        added: new_sheets
            .iter()
            .filter(|(key, _)| !old_sheets.contains_key(*key))
            .map(|(_, sheet)| objective(sheet))
            .collect(),
        removed: old_sheets
            .iter()
            .filter(|(key, _)| !new_sheets.contains_key(*key))
            .map(|(_, sheet)| objective(sheet))
            .collect(),
        changed: Vec::new(),
    };
    let (Some(old), Some(new)) = (old, new) else {
        return diff;
    };
    let years = |plan: &Plan| {
        plan.anni
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (a, b) = (&old.plan, &new.plan);
    diff.plan = changes([
        ("ente", a.ente.clone(), b.ente.clone()),
        ("titolo", a.titolo.clone(), b.titolo.clone()),
        ("anni", years(a), years(b)),
        (
            "data",
            a.data.clone().unwrap_or_default(),
            b.data.clone().unwrap_or_default(),
        ),
    ]);
    // A year that leaves the plan is said once, in `anni`, not per indicator.
    let dropped: BTreeSet<i32> = a
        .anni
        .iter()
        .filter(|y| !b.anni.contains(y))
        .copied()
        .collect();
    let pairs: Vec<(&Sheet, &Sheet)> = new_sheets
        .iter()
        .filter_map(|(key, new)| Some((old_sheets.get(key)?, new)))
        .collect();
    diff.changed = pairs
        .par_iter()
        .map(|(old, new)| compare_sheets(old, new, &dropped))
        .filter(|o| {
            o.renamed_from.is_some()
                || !o.fields.is_empty()
                || o.descrizione.is_some()
                || !o.indicatori.is_empty()
        })
        .collect();
    diff
}

fn changes<const N: usize>(fields: [(&str, String, String); N]) -> Vec<Change> {
    changes_of(
        fields
            .into_iter()
            .map(|(field, old, new)| (field.to_string(), old, new)),
    )
}

/// The results of an indicator that changed, one per field and date:
/// `valore_raggiunto 2019-12-31: (none) -> 98%`.
fn result_changes(a: &Indicator, b: &Indicator) -> Vec<Change> {
    let mut found = Vec::new();
    for (name, old, new) in [
        ("valore_raggiunto", &a.valore_raggiunto, &b.valore_raggiunto),
        ("raggiungimento", &a.raggiungimento, &b.raggiungimento),
    ] {
        let dates: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        let value = |map: &BTreeMap<String, model::Target>, date: &str| {
            map.get(date).map(|t| t.0.clone()).unwrap_or_default()
        };
        found.extend(changes_of(dates.into_iter().map(|date| {
            (format!("{name} {date}"), value(old, date), value(new, date))
        })));
    }
    found
}

/// The narratives of the results that changed, one per date and text.
fn narrative_changes(a: &model::Fields, b: &model::Fields) -> Vec<Change> {
    let dates: BTreeSet<&String> = a.risultati.keys().chain(b.risultati.keys()).collect();
    let text = |f: &model::Fields, date: &str, scostamento: bool| {
        let narrative = f.risultati.get(date);
        let text = narrative.and_then(|n| {
            if scostamento {
                n.scostamento.clone()
            } else {
                n.attivita.clone()
            }
        });
        text.unwrap_or_default()
    };
    changes_of(dates.into_iter().flat_map(|date| {
        [("attivita", false), ("scostamento", true)].map(|(key, which)| {
            (
                format!("risultati {date} {key}"),
                text(a, date, which),
                text(b, date, which),
            )
        })
    }))
}

fn changes_of(fields: impl Iterator<Item = (String, String, String)>) -> Vec<Change> {
    fields
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| Change { field, old, new })
        .collect()
}

fn compare_sheets(old: &Sheet, new: &Sheet, dropped: &BTreeSet<i32>) -> ObjectiveDiff {
    let (a, b) = (&old.fields, &new.fields);
    let header = |f: &crate::model::Fields, key| f.text(key).unwrap_or_default().to_string();
    ObjectiveDiff {
        codice: new.codice().to_string(),
        old_codice: old.codice().to_string(),
        titolo: b.titolo.clone(),
        renamed_from: (a.titolo != b.titolo).then(|| a.titolo.clone()),
        fields: changes(model::HEADER_KEYS.map(|key| (key, header(a, key), header(b, key))))
            .into_iter()
            .chain(narrative_changes(a, b))
            .collect(),
        descrizione: (!markdown::same_rendering(&old.descrizione, &new.descrizione))
            .then(|| word_diff(&old.descrizione, &new.descrizione)),
        indicatori: compare_indicators(&a.indicatori, &b.indicatori, dropped),
    }
}

impl IndicatorDiffs {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Pairs the indicators: identical descriptions first, then the most
/// similar ones (at least half their words in common).
fn compare_indicators(
    old: &[Indicator],
    new: &[Indicator],
    dropped: &BTreeSet<i32>,
) -> IndicatorDiffs {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut old_free: Vec<bool> = vec![true; old.len()];
    let mut new_free: Vec<bool> = vec![true; new.len()];
    for (j, b) in new.iter().enumerate() {
        if let Some(i) =
            (0..old.len()).find(|&i| old_free[i] && old[i].descrizione == b.descrizione)
        {
            old_free[i] = false;
            new_free[j] = false;
            pairs.push((i, j));
        }
    }
    let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
    for (i, a) in old.iter().enumerate().filter(|(i, _)| old_free[*i]) {
        for (j, b) in new.iter().enumerate().filter(|(j, _)| new_free[*j]) {
            let ratio = TextDiff::from_words(&a.descrizione, &b.descrizione).ratio();
            if ratio >= 0.5 {
                candidates.push((ratio, i, j));
            }
        }
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    for (_, i, j) in candidates {
        if old_free[i] && new_free[j] {
            old_free[i] = false;
            new_free[j] = false;
            pairs.push((i, j));
        }
    }
    pairs.sort_by_key(|&(_, j)| j);
    IndicatorDiffs {
        added: (0..new.len())
            .filter(|&j| new_free[j])
            .map(|j| new[j].clone())
            .collect(),
        removed: (0..old.len())
            .filter(|&i| old_free[i])
            .map(|i| old[i].clone())
            .collect(),
        changed: pairs
            .into_iter()
            .filter_map(|(i, j)| compare_indicator(&old[i], &new[j], dropped))
            .collect(),
    }
}

/// What changed in a pair of matched indicators, if anything.
fn compare_indicator(
    a: &Indicator,
    b: &Indicator,
    dropped: &BTreeSet<i32>,
) -> Option<IndicatorChange> {
    let years: BTreeSet<i32> = a
        .valore_atteso
        .keys()
        .chain(b.valore_atteso.keys())
        .filter(|y| !dropped.contains(y))
        .copied()
        .collect();
    let target = |i: &Indicator, year: i32| i.valore_atteso.get(&year).map(|t| t.0.clone());
    let change = IndicatorChange {
        descrizione: b.descrizione.clone(),
        descrizione_diff: (a.descrizione != b.descrizione)
            .then(|| word_diff(&a.descrizione, &b.descrizione)),
        fields: changes([
            ("tipo", a.tipo.clone(), b.tipo.clone()),
            (
                "note",
                a.note.clone().unwrap_or_default(),
                b.note.clone().unwrap_or_default(),
            ),
        ])
        .into_iter()
        .chain(result_changes(a, b))
        .collect(),
        valore_atteso: years
            .into_iter()
            .filter(|&y| target(a, y) != target(b, y))
            .map(|y| TargetChange {
                anno: y,
                old: target(a, y),
                new: target(b, y),
            })
            .collect(),
    };
    let changed = change.descrizione_diff.is_some()
        || !change.fields.is_empty()
        || !change.valore_atteso.is_empty();
    changed.then_some(change)
}

/// A word diff; deletions and insertions separated only by whitespace are
/// joined, so that a rewritten phrase reads as one change.
pub fn word_diff(old: &str, new: &str) -> Vec<Chunk> {
    let diff = TextDiff::from_words(old, new);
    let mut raw: Vec<Chunk> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => Op::Equal,
            ChangeTag::Delete => Op::Delete,
            ChangeTag::Insert => Op::Insert,
        };
        match raw.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => raw.push(Chunk {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    let mut chunks: Vec<Chunk> = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    for (k, chunk) in raw.iter().enumerate() {
        match chunk.op {
            Op::Delete => deleted.push_str(&chunk.text),
            Op::Insert => inserted.push_str(&chunk.text),
            Op::Equal => {
                let pending = !deleted.is_empty() || !inserted.is_empty();
                let more = raw.get(k + 1).is_some_and(|next| next.op != Op::Equal);
                if pending && more && chunk.text.trim().is_empty() {
                    deleted.push_str(&chunk.text);
                    inserted.push_str(&chunk.text);
                    continue;
                }
                flush(&mut chunks, &mut deleted, &mut inserted);
                chunks.push(chunk.clone());
            }
        }
    }
    flush(&mut chunks, &mut deleted, &mut inserted);
    chunks
}

fn flush(chunks: &mut Vec<Chunk>, deleted: &mut String, inserted: &mut String) {
    for (op, text) in [(Op::Delete, deleted), (Op::Insert, inserted)] {
        if !text.is_empty() {
            chunks.push(Chunk {
                op,
                text: std::mem::take(text),
            });
        }
    }
}

/// The lines of a word diff that hold a change, with deletions marked
/// `[-...-]` and insertions `{+...+}` (as `git diff --word-diff`); changes of
/// whitespace alone are not marked.
pub fn changed_lines(chunks: &[Chunk]) -> Vec<String> {
    let mut lines: Vec<(String, bool)> = vec![(String::new(), false)];
    for chunk in chunks {
        let blank = chunk.text.trim().is_empty();
        if chunk.op == Op::Delete && blank {
            continue;
        }
        let (open, close) = match chunk.op {
            Op::Delete => ("[-", "-]"),
            Op::Insert if !blank => ("{+", "+}"),
            _ => ("", ""),
        };
        for (k, piece) in chunk.text.split('\n').enumerate() {
            if k > 0 {
                lines.push((String::new(), false));
            }
            let Some(line) = lines.last_mut() else {
                continue;
            };
            if piece.trim().is_empty() || open.is_empty() {
                line.0.push_str(piece);
            } else {
                line.0.push_str(&format!("{open}{piece}{close}"));
                line.1 = true;
            }
        }
    }
    lines
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(line, _)| line.trim_end().to_string())
        .collect()
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.plans.is_empty()
    }

    /// The report in the given format; "no changes" as text or Markdown
    /// when the plans are equal.
    pub fn render(&self, format: Format) -> String {
        let markdown = match format {
            Format::Json => {
                let json = serde_json::to_string_pretty(self).expect("the report is plain data");
                return format!("{json}\n");
            }
            Format::Text => Style { markdown: false },
            Format::Markdown => Style { markdown: true },
        };
        if self.is_empty() {
            return format!("{}\n", t!("diff-no-changes"));
        }
        let (style, mut out) = (markdown, String::new());
        for plan in &self.plans {
            out.push_str(&if style.markdown {
                format!(
                    "### {}\n\n",
                    t!("diff-plan-heading", plan = plan_name(plan))
                )
            } else {
                format!("{}\n", t!("diff-plan", plan = plan_name(plan)))
            });
            for change in &plan.plan {
                let prefix = format!("{} ", style.name(load::PLAN_FILE));
                style.change(&mut out, 0, &prefix, change);
            }
            let verbs = [
                (tr!("diff-added"), &plan.added),
                (tr!("diff-removed"), &plan.removed),
            ];
            for (verb, objectives) in verbs {
                for o in objectives {
                    let line = format!(
                        "{} {}: {}",
                        style.verb(&verb),
                        style.name(&o.codice),
                        style.text(&o.titolo)
                    );
                    style.line(&mut out, 0, &line);
                }
            }
            for o in &plan.changed {
                style.objective(&mut out, o);
            }
            if style.markdown {
                out.push('\n');
            }
        }
        out.push_str(&self.counts());
        out.push('\n');
        out
    }

    fn counts(&self) -> String {
        let (mut added, mut removed, mut renamed, mut changed) = (0, 0, 0, 0);
        for plan in &self.plans {
            added += plan.added.len();
            removed += plan.removed.len();
            renamed += plan
                .changed
                .iter()
                .filter(|o| o.renamed_from.is_some())
                .count();
            changed += plan
                .changed
                .iter()
                .filter(|o| o.renamed_from.is_none())
                .count();
        }
        tr!(
            "diff-counts",
            added = added,
            removed = removed,
            renamed = renamed,
            changed = changed
        )
    }
}

/// Text or Markdown: the same lines, with list markers, code spans and
/// escapes in Markdown.
#[derive(Clone, Copy)]
struct Style {
    markdown: bool,
}

impl Style {
    /// A line at `depth` under its plan's heading.
    fn line(self, out: &mut String, depth: usize, text: &str) {
        out.push_str(&"  ".repeat(depth));
        out.push_str(if self.markdown { "- " } else { "  " });
        out.push_str(text);
        out.push('\n');
    }

    fn text(self, text: &str) -> String {
        if self.markdown {
            md(text)
        } else {
            text.to_string()
        }
    }

    fn name(self, name: &str) -> String {
        if self.markdown {
            format!("`{name}`")
        } else {
            name.to_string()
        }
    }

    fn verb(self, verb: &str) -> String {
        if self.markdown {
            format!("**{verb}**")
        } else {
            verb.to_string()
        }
    }

    fn change(self, out: &mut String, depth: usize, prefix: &str, change: &Change) {
        let line = format!(
            "{prefix}{}: {} -> {}",
            self.name(&change.field),
            self.text(&shown(&change.old)),
            self.text(&shown(&change.new))
        );
        self.line(out, depth, &line);
    }

    /// The changed lines of a word diff, in a code block in Markdown.
    fn block(self, out: &mut String, depth: usize, lines: &[String]) {
        if !self.markdown {
            for line in lines {
                out.push_str(&format!("{}{line}\n", "  ".repeat(depth + 1)));
            }
            return;
        }
        let indent = "  ".repeat(depth);
        let longest = lines
            .iter()
            .flat_map(|l| l.split(|c| c != '`'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        out.push_str(&format!("{indent}{fence}text\n"));
        for line in lines {
            out.push_str(&format!("{indent}{line}\n"));
        }
        out.push_str(&format!("{indent}{fence}\n"));
    }

    fn objective(self, out: &mut String, o: &ObjectiveDiff) {
        let (code, title) = (self.name(&o.codice), self.text(&o.titolo));
        let head = match &o.renamed_from {
            Some(old) => format!(
                "{} {code}: {} -> {title}",
                self.verb(&tr!("diff-renamed")),
                self.text(old)
            ),
            None => format!("{} {code}: {title}", self.verb(&tr!("diff-changed"))),
        };
        self.line(out, 0, &head);
        for change in &o.fields {
            self.change(out, 1, "", change);
        }
        if let Some(chunks) = &o.descrizione {
            self.line(out, 1, &format!("{}:", self.name("descrizione")));
            self.block(out, 2, &changed_lines(chunks));
        }
        let summary = |i: &Indicator| {
            let targets: Vec<String> = i
                .valore_atteso
                .iter()
                .map(|(year, target)| format!("{year}: {}", target.0))
                .collect();
            self.text(&format!(
                "{} ({}; {})",
                i.descrizione,
                i.tipo,
                targets.join(", ")
            ))
        };
        for i in &o.indicatori.added {
            self.line(out, 1, &tr!("diff-indicator-added", summary = summary(i)));
        }
        for i in &o.indicatori.removed {
            self.line(out, 1, &tr!("diff-indicator-removed", summary = summary(i)));
        }
        for change in &o.indicatori.changed {
            let line = tr!(
                "diff-indicator-changed",
                summary = self.text(&change.descrizione)
            );
            self.line(out, 1, &line);
            if let Some(chunks) = &change.descrizione_diff {
                let diff = self.text(&changed_lines(chunks).join(" "));
                self.line(out, 2, &format!("{}: {diff}", self.name("descrizione")));
            }
            for field in &change.fields {
                self.change(out, 2, "", field);
            }
            for target in &change.valore_atteso {
                // A target left to fill (as `schede roll` leaves the new year's) reads as such.
                let value = |v: &Option<String>| match v.as_deref() {
                    None => self.text(&tr!("diff-none")),
                    Some("") => self.text(&tr!("diff-to-fill")),
                    Some(text) => self.text(text),
                };
                let line = format!(
                    "{}: {} -> {}",
                    target.anno,
                    value(&target.old),
                    value(&target.new)
                );
                self.line(out, 2, &line);
            }
        }
    }
}

fn plan_name(plan: &PlanDiff) -> String {
    match (&plan.old_year, &plan.new_year) {
        (Some(old), Some(new)) if old == new => new.clone(),
        (Some(old), Some(new)) => format!("{old} -> {new}"),
        (None, Some(new)) => tr!("diff-plan-added", year = new),
        (Some(old), None) => tr!("diff-plan-removed", year = old),
        (None, None) => String::new(),
    }
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        tr!("diff-none")
    } else {
        value.to_string()
    }
}

/// Escapes the characters that Markdown would read as markup.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>#|~!&".contains(c) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// Where a version of the sheets is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Folder(PathBuf),
    /// A folder at a git revision, `commit` being the revision resolved.
    Git {
        label: String,
        commit: String,
        path: PathBuf,
    },
}

impl Source {
    /// A folder if `arg` is one, else a git revision, optionally with a
    /// folder as `REV:PATH` (the path relative to the current folder).
    pub fn resolve(arg: &str, sheets: &Path) -> Result<Source> {
        if Path::new(arg).is_dir() {
            return Ok(Source::Folder(PathBuf::from(arg)));
        }
        let (rev, path) = match arg.split_once(':') {
            Some((rev, path)) if !rev.is_empty() && !path.is_empty() => (rev, PathBuf::from(path)),
            _ => (arg, sheets.to_path_buf()),
        };
        let verify = format!("{rev}^{{commit}}");
        let commit = git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &verify,
        ])
        .map(|out| String::from_utf8_lossy(&out).trim().to_string())
        .unwrap_or_default();
        if commit.is_empty() {
            bail!(t!("diff-not-a-revision", arg = arg));
        }
        if path.is_absolute() {
            bail!(t!("diff-absolute", path = path.display()));
        }
        Ok(Source::Git {
            label: arg.to_string(),
            commit,
            path,
        })
    }

    /// Reads and parses the plans of this version; sources that do not
    /// parse give their diagnostics.
    pub fn read(&self) -> Result<std::result::Result<Version, Diagnostics>> {
        let (label, root, files) = match self {
            Source::Folder(dir) => {
                let mut files = Vec::new();
                for name in folder_names(dir)? {
                    let path = dir.join(&name);
                    let bytes = load::read_bounded(&path);
                    files.push((name, path, bytes));
                }
                (dir.display().to_string(), dir, files)
            }
            Source::Git {
                label,
                commit,
                path,
            } => {
                let (names, blobs): (Vec<String>, Vec<String>) =
                    git_names(label, commit, path)?.into_iter().unzip();
                let shown = |name: &String| format!("{label}:{}", path.join(name).display());
                let files = names
                    .iter()
                    .zip(git_blobs(&blobs)?)
                    .map(|(name, bytes)| {
                        let path = PathBuf::from(shown(name));
                        let bytes = bytes.ok_or_else(|| load::too_large(&path));
                        (name.clone(), path, bytes)
                    })
                    .collect();
                (label.clone(), path, files)
            }
        };
        let single_year = files.iter().any(|(name, ..)| name == load::PLAN_FILE);
        let root_year = root.file_name().unwrap_or_default().to_string_lossy();
        let mut years: BTreeMap<String, YearFiles> = BTreeMap::new();
        let mut diagnostics = Diagnostics::default();
        for (name, path, bytes) in files {
            let year = name.split_once('/').map_or(&*root_year, |(year, _)| year);
            let entry = years.entry(year.to_string()).or_insert_with(|| YearFiles {
                year: year.to_string(),
                plan_path: path.with_file_name(load::PLAN_FILE),
                plan: None,
                sheets: Vec::new(),
            });
            let bytes = match bytes {
                Ok(bytes) => bytes,
                Err(problem) => {
                    diagnostics.push(problem);
                    continue;
                }
            };
            match load::decode(&path, bytes) {
                Ok(text) if name.ends_with(load::PLAN_FILE) => {
                    entry.plan = Some(SourceFile { path, text });
                }
                Ok(text) => entry.sheets.push(SourceFile { path, text }),
                Err(problem) => diagnostics.push(problem),
            }
        }
        let (parsed, problems) = load::parse_drafts(years.into_values().collect());
        diagnostics.append(problems);
        // Warnings of the sources are `check`'s business, not a comparison's.
        if diagnostics.has_errors() {
            return Ok(Err(diagnostics));
        }
        let plans = parsed.into_iter().map(PlanVersion::from).collect();
        Ok(Ok(Version {
            label,
            plans,
            single_year,
        }))
    }
}

impl From<load::YearPlan> for PlanVersion {
    /// The plan with its sheets keyed by code without the year prefix.
    fn from(year: load::YearPlan) -> Self {
        let prefix = format!("{}_", year.year);
        let sheets = year
            .sheets
            .into_iter()
            .map(|sheet| {
                let code = sheet.codice();
                let key = code.strip_prefix(&prefix).unwrap_or(code).to_string();
                (key, sheet)
            })
            .collect();
        PlanVersion {
            year: year.year,
            plan: year.plan,
            sheets,
        }
    }
}

/// The sources of a folder, relative to it: `piano.yaml` and sheets of a
/// year folder, or of each year folder of a sheets folder.
fn folder_names(dir: &Path) -> Result<Vec<String>> {
    if !dir.is_dir() {
        bail!(t!("diff-sheets-not-found", path = dir.display()));
    }
    let mut names = Vec::new();
    let walker = WalkDir::new(dir)
        .min_depth(1)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.with_context(|| t!("cannot-read-path", path = dir.display()))?;
        if entry.file_type().is_file() {
            let name = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            names.push(name.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(source_names(names))
}

/// The sources under `path` at `commit`, relative to it, with their blob ids.
fn git_names(label: &str, commit: &str, path: &Path) -> Result<Vec<(String, String)>> {
    let prefix = format!("{}/", path.display().to_string().trim_end_matches('/'));
    let out = git(&["ls-tree", "-r", "-z", commit, "--", &prefix])?;
    // Each entry is `<mode> blob <id>\t<path>`.
    let mut blobs: BTreeMap<String, String> = BTreeMap::new();
    for entry in out.split(|&b| b == 0).map(String::from_utf8_lossy) {
        if let Some((meta, name)) = entry.split_once('\t')
            && let Some(name) = name.strip_prefix(&prefix)
            && let [_, "blob", id] = meta.split(' ').collect::<Vec<_>>()[..]
        {
            blobs.insert(name.to_string(), id.to_string());
        }
    }
    if blobs.is_empty() {
        bail!(t!("diff-no-sheets", path = path.display(), label = label));
    }
    let names = source_names(blobs.keys().cloned().collect());
    Ok(names
        .into_iter()
        .map(|name| {
            let id = blobs.remove(&name).unwrap_or_default();
            (name, id)
        })
        .collect())
}

/// The contents of the blobs `ids`, read by one `git cat-file --batch`;
/// `None` for a blob over [`load::MAX_FILE_SIZE`], which is skipped while
/// reading, never held in memory.
fn git_blobs(ids: &[String]) -> Result<Vec<Option<Vec<u8>>>> {
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context(t!("git-cannot-run", command = "git"))?;
    let mut stdin = child.stdin.take().context(t!("git-cannot-write"))?;
    let stdout = child.stdout.take().context(t!("git-cannot-read"))?;
    let input: String = ids.iter().map(|id| format!("{id}\n")).collect();
    // Written from another thread, so that neither side waits on a full pipe.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut reader = std::io::BufReader::new(stdout);
    let mut blobs = Vec::with_capacity(ids.len());
    for id in ids {
        blobs.push(read_blob(&mut reader, id)?);
    }
    let status = child
        .wait()
        .context(t!("git-cannot-run", command = "git cat-file"))?;
    let written = writer
        .join()
        .map_err(|_| anyhow::anyhow!(t!("git-cannot-write")))?;
    written.context(t!("git-cannot-write"))?;
    if !status.success() {
        bail!(t!("git-failed", command = "cat-file --batch"));
    }
    Ok(blobs)
}

/// Reads one answer of `git cat-file --batch`: `<id> blob <size>\n<contents>\n`.
fn read_blob(reader: &mut impl std::io::BufRead, id: &str) -> Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut header = String::new();
    reader
        .read_line(&mut header)
        .context(t!("git-cannot-read"))?;
    let size = header
        .trim_end()
        .strip_prefix(&format!("{id} blob "))
        .and_then(|size| size.parse::<u64>().ok())
        .with_context(|| t!("git-blob-why", id = id, header = header.trim_end()))?;
    let mut contents = reader.by_ref().take(size);
    let blob = if size > load::MAX_FILE_SIZE {
        std::io::copy(&mut contents, &mut std::io::sink())?;
        None
    } else {
        let mut bytes = Vec::with_capacity(size as usize);
        contents.read_to_end(&mut bytes)?;
        Some(bytes)
    };
    let mut newline = [0u8; 1];
    reader
        .read_exact(&mut newline)
        .with_context(|| t!("git-blob", id = id))?;
    Ok(blob)
}

/// Keeps the names that are sources: `piano.yaml` and `*.md` of a year
/// folder when `piano.yaml` is at the top, else those one folder down in
/// folders named after a year.
fn source_names(names: Vec<String>) -> Vec<String> {
    let single_year = names.iter().any(|n| n == load::PLAN_FILE);
    let is_source = |file: &str| file == load::PLAN_FILE || file.ends_with(".md");
    names
        .into_iter()
        .filter(|name| match name.split_once('/') {
            None => single_year && is_source(name),
            Some((year, file)) => {
                !single_year && load::is_year(year) && !file.contains('/') && is_source(file)
            }
        })
        .collect()
}

fn git(args: &[&str]) -> Result<Vec<u8>> {
    let output = Command::new("git")
        .args(args)
        .output()
        .context(t!("git-cannot-run", command = "git"))?;
    if !output.status.success() {
        bail!(t!(
            "git-failed-why",
            command = args.join(" "),
            reason = String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout)
}

/// Reads both versions and compares them.
pub fn diff(
    old: &str,
    new: Option<&str>,
    sheets: &Path,
) -> Result<std::result::Result<Report, Diagnostics>> {
    let old = Source::resolve(old, sheets)?;
    let new = match new {
        Some(arg) => Source::resolve(arg, sheets)?,
        None => Source::Folder(sheets.to_path_buf()),
    };
    Ok(match (old.read()?, new.read()?) {
        (Ok(old), Ok(new)) => Ok(compare(&old, &new)),
        (old, new) => {
            let mut all = Diagnostics::default();
            for side in [old.err(), new.err()].into_iter().flatten() {
                all.extend(side.sorted().into_iter().cloned());
            }
            Err(all)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Target;

    #[test]
    fn word_diff_joins_a_rewritten_phrase() {
        let chunks = word_diff(
            "il Servizio svolge le attività",
            "il Servizio cura tutte le attività",
        );
        assert_eq!(
            changed_lines(&chunks),
            ["il Servizio [-svolge-]{+cura tutte+} le attività"]
        );
    }

    #[test]
    fn changed_lines_leave_out_unchanged_lines_and_whitespace() {
        let chunks = word_diff("uno\ndue tre\nquattro", "uno\ndue  tre\nquattro cinque");
        assert_eq!(changed_lines(&chunks), ["quattro{+ cinque+}"]);
    }

    fn indicator(descrizione: &str, target: &str) -> Indicator {
        Indicator {
            descrizione: descrizione.into(),
            tipo: "RISULTATO".into(),
            valore_atteso: [(2019, Target(target.into()))].into(),
            note: None,
            ..Default::default()
        }
    }

    #[test]
    fn indicators_pair_by_description_then_by_similar_words() {
        let old = [
            indicator("pratiche evase nei termini di legge", "90%"),
            indicator("certificati rilasciati allo sportello", "100%"),
            indicator("sedute del consiglio", "12"),
        ];
        let new = [
            indicator("certificati rilasciati allo sportello", "95%"),
            indicator(
                "pratiche evase nei termini di legge e di regolamento",
                "90%",
            ),
            indicator("tempo medio di attesa", "20"),
        ];
        let diffs = compare_indicators(&old, &new, &BTreeSet::new());
        assert_eq!(diffs.added, [new[2].clone()]);
        assert_eq!(diffs.removed, [old[2].clone()]);
        let changed: Vec<(&str, bool, usize)> = diffs
            .changed
            .iter()
            .map(|c| {
                let diff = c.descrizione_diff.is_some();
                (c.descrizione.as_str(), diff, c.valore_atteso.len())
            })
            .collect();
        assert_eq!(
            changed,
            [
                ("certificati rilasciati allo sportello", false, 1),
                (
                    "pratiche evase nei termini di legge e di regolamento",
                    true,
                    0
                ),
            ]
        );
    }

    #[test]
    fn markdown_text_is_escaped() {
        assert_eq!(md("a*b_[c] <d>"), r"a\*b\_\[c\] \<d\>");
    }

    #[test]
    fn sources_are_plans_and_sheets_of_year_folders() {
        let names = |list: &[&str]| source_names(list.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            names(&[
                "2019/piano.yaml",
                "2019/a.md",
                "2019/x/b.md",
                "README.md",
                "old/c.md"
            ]),
            ["2019/piano.yaml", "2019/a.md"]
        );
        assert_eq!(
            names(&["piano.yaml", "a.md", "notes.txt", "sub/b.md"]),
            ["piano.yaml", "a.md"]
        );
    }
}
