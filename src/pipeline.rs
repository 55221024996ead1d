//! The build, one way: load -> validate -> render -> compile -> write.
//!
//! Everything is checked before anything is written: a sheet with an error,
//! a template that does not render or a Typst error leaves the previous
//! output as it was. PDFs are compiled in parallel and staged in temporary
//! files, then renamed into place together.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load;
use crate::model::{self, Plan, Sheet};
use crate::output;
use crate::pdf::{self, PdfMeta, Typesetter};
use crate::publish;
use crate::render::{Link, STYLESHEET, SheetPage, Templates};

/// Where the sources are and where the output goes.
#[derive(Debug, Clone)]
pub struct Paths {
    pub sheets: PathBuf,
    pub templates: PathBuf,
    pub output: PathBuf,
}

/// One year folder: its plan and its sheets, in file name order.
#[derive(Debug, Clone)]
pub struct YearPlan {
    pub year: String,
    pub plan: Plan,
    pub sheets: Vec<Sheet>,
}

/// Reads and checks every source under `sheets`. Sheets with errors are left
/// out of the result and reported in the diagnostics.
pub fn load_plans(sheets: &Path) -> (Vec<YearPlan>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let tree = match load::discover(sheets) {
        Ok(tree) => tree,
        Err(problem) => {
            diagnostics.push(problem);
            return (Vec::new(), diagnostics);
        }
    };
    diagnostics.extend(tree.problems);
    let mut plans = Vec::new();
    for year in tree.years {
        let plan_path = year.dir.join(load::PLAN_FILE);
        let plan = if plan_path.is_file() {
            load::read_source(&plan_path)
                .map_err(|d| vec![d])
                .and_then(|text| Plan::parse(&plan_path, &text, &year.name))
        } else {
            Err(vec![
                Diagnostic::error(&plan_path, "plan file not found")
                    .hint("each year folder needs a `piano.yaml` with `ente`, `titolo` and `anni`"),
            ])
        };
        let plan = match plan {
            Ok(plan) => plan,
            Err(problems) => {
                diagnostics.extend(problems);
                continue;
            }
        };
        let parsed: Vec<Result<Sheet, Vec<Diagnostic>>> = year
            .sheets
            .par_iter()
            .map(|path| {
                let text = load::read_source(path).map_err(|d| vec![d])?;
                Sheet::parse(path, &text, &plan)
            })
            .collect();
        let mut sheets = Vec::new();
        for result in parsed {
            match result {
                Ok(sheet) => sheets.push(sheet),
                Err(problems) => diagnostics.extend(problems),
            }
        }
        plans.push(YearPlan {
            year: year.name,
            plan,
            sheets,
        });
    }
    let all: Vec<Sheet> = plans.iter().flat_map(|p| p.sheets.clone()).collect();
    diagnostics.extend(model::check_consistency(&all));
    (plans, diagnostics)
}

/// The PDFs' date: `SOURCE_DATE_EPOCH` when set, else the plan's date.
pub fn timestamp(plan: &Plan) -> Result<i64, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => value.trim().parse::<i64>().map_err(|_| {
            Diagnostic::error(
                "SOURCE_DATE_EPOCH",
                format!("`{value}` is not a number of seconds"),
            )
        }),
        Err(_) => {
            let (year, month, day) = plan.date();
            Ok(pdf::days_from_civil(year, month, day))
        }
    }
}

/// Checks the sources and the templates (each sheet is rendered, not
/// compiled), writing nothing.
pub fn check(paths: &Paths, say: &mut dyn FnMut(&str)) -> Diagnostics {
    let (plans, mut diagnostics) = load_plans(&paths.sheets);
    let sheet_count: usize = plans.iter().map(|p| p.sheets.len()).sum();
    match Templates::load(&paths.templates) {
        Ok(templates) => {
            for year in &plans {
                for sheet in &year.sheets {
                    let page = SheetPage::new(&year.plan, sheet);
                    for result in [templates.sheet_typst(&page), templates.sheet_html(&page)] {
                        if let Err(problem) = result {
                            diagnostics.push(problem);
                        }
                    }
                }
            }
        }
        Err(problems) => diagnostics.extend(problems),
    }
    say(&format!(
        "checked {} and {}",
        count(plans.len(), "plan"),
        count(sheet_count, "sheet")
    ));
    diagnostics
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub sheets: usize,
    pub pages: usize,
    pub written: usize,
    pub removed: usize,
}

/// One sheet's outputs, rendered and compiled, staged for writing.
struct Staged {
    files: Vec<(PathBuf, Vec<u8>)>,
    pages: usize,
}

/// Builds every sheet's PDF and HTML into `paths.output`; `say` gets one line
/// per phase.
pub fn build(
    paths: &Paths,
    deny_warnings: bool,
    say: &mut dyn FnMut(&str),
) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let (plans, mut diagnostics) = load_plans(&paths.sheets);
    let sheet_count: usize = plans.iter().map(|p| p.sheets.len()).sum();
    say(&format!(
        "loaded {} and {}",
        count(plans.len(), "plan"),
        count(sheet_count, "sheet")
    ));
    let templates = match Templates::load(&paths.templates) {
        Ok(templates) => Some(templates),
        Err(problems) => {
            diagnostics.extend(problems);
            None
        }
    };
    if diagnostics.has_errors() || (deny_warnings && !diagnostics.is_empty()) {
        return Err(diagnostics);
    }
    let Some(templates) = templates else {
        return Err(diagnostics);
    };

    let typesetter = Typesetter::new();
    let mut staged: Vec<Result<Staged, Vec<Diagnostic>>> = Vec::new();
    for year in &plans {
        let timestamp = match timestamp(&year.plan) {
            Ok(t) => t,
            Err(problem) => {
                diagnostics.push(problem);
                return Err(diagnostics);
            }
        };
        let out_dir = paths.output.join(&year.year);
        let results: Vec<_> = (0..year.sheets.len())
            .into_par_iter()
            .map(|i| stage_sheet(&templates, &typesetter, year, i, &out_dir, timestamp))
            .collect();
        staged.extend(results);
        typesetter.evict(0);
    }
    let mut ready = Vec::new();
    for result in staged {
        match result {
            Ok(s) => ready.push(s),
            Err(problems) => diagnostics.extend(problems),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let pages: usize = ready.iter().map(|s| s.pages).sum();
    say(&format!(
        "compiled {} ({})",
        count(ready.len(), "PDF"),
        count(pages, "page")
    ));

    let mut files: Vec<(PathBuf, Vec<u8>)> = ready.into_iter().flat_map(|s| s.files).collect();
    match publish::stage(&plans, &templates, &typesetter, &paths.output) {
        Ok(year_files) => files.extend(year_files),
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(diagnostics);
        }
    }
    let mut produced = BTreeSet::new();
    for year in &plans {
        files.push((
            paths.output.join(&year.year).join(STYLESHEET),
            templates.stylesheet.clone().into_bytes(),
        ));
    }
    let mut write_errors = Diagnostics::default();
    for (path, bytes) in &files {
        if let Err(err) = output::write_atomic(path, bytes) {
            write_errors.push(Diagnostic::error(path, format!("{err:#}")));
        }
        produced.insert(path.clone());
    }
    if write_errors.has_errors() {
        return Err(write_errors);
    }
    let removed = output::remove_stale(&paths.output, &produced)
        .map_err(|err| single(Diagnostic::error(&paths.output, format!("{err:#}"))))?;
    say(&format!(
        "wrote {} to {}{}",
        count(files.len(), "file"),
        paths.output.display(),
        if removed.is_empty() {
            String::new()
        } else {
            format!(
                ", removed {} of withdrawn sheets",
                count(removed.len(), "file")
            )
        }
    ));
    say(&format!(
        "built {} in {:.2} s",
        count(sheet_count, "sheet"),
        start.elapsed().as_secs_f64()
    ));
    Ok(BuildReport {
        sheets: sheet_count,
        pages,
        written: files.len(),
        removed: removed.len(),
    })
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(diagnostic);
    all
}

/// Renders and compiles sheet `index` of `year`.
fn stage_sheet(
    templates: &Templates,
    typesetter: &Typesetter,
    year: &YearPlan,
    index: usize,
    out_dir: &Path,
    timestamp: i64,
) -> Result<Staged, Vec<Diagnostic>> {
    let sheet = &year.sheets[index];
    let codice = sheet.codice();
    let mut page = SheetPage::new(&year.plan, sheet);
    let link = |s: &Sheet| Link {
        href: format!("{}.html", s.codice()),
        codice: s.codice().to_string(),
        titolo: s.fields.titolo.clone(),
    };
    page.precedente = index.checked_sub(1).map(|i| link(&year.sheets[i]));
    page.successivo = year.sheets.get(index + 1).map(link);
    let typ = templates.sheet_typst(&page).map_err(|d| vec![d])?;
    let html = templates.sheet_html(&page).map_err(|d| vec![d])?;
    let typ_path = out_dir.join(format!("{codice}.typ"));
    let meta = PdfMeta {
        ident: format!("{}/{codice}", year.year),
        timestamp,
    };
    let name = format!("/{}/{codice}.typ", year.year);
    let compiled = typesetter
        .compile(&name, typ.clone(), &meta, &typ_path)
        .map_err(|mut problems| {
            // Keep the generated source for inspection, point at the template
            // line it comes from when that is known, and name the sheet.
            let kept = output::write_atomic(&typ_path, typ.as_bytes()).is_ok();
            for problem in &mut problems {
                let mut notes = Vec::new();
                let generated = typ.lines().nth(problem.line.saturating_sub(1));
                if let Some((template, line)) =
                    generated.and_then(|text| templates.trace_typst_line(text))
                {
                    notes.push(format!(
                        "in the generated `{}` at line {}",
                        typ_path.display(),
                        problem.line
                    ));
                    problem.path = template;
                    problem.line = line;
                }
                notes.push(format!(
                    "generated from `{}`{}",
                    sheet.path.display(),
                    if kept {
                        format!(", source kept in `{}`", typ_path.display())
                    } else {
                        String::new()
                    }
                ));
                if let Some(hint) = problem.hint.take() {
                    notes.insert(0, hint);
                }
                problem.hint = Some(notes.join("\n  hint: "));
            }
            problems
        })?;
    Ok(Staged {
        files: vec![
            (out_dir.join(format!("{codice}.pdf")), compiled.pdf),
            (out_dir.join(format!("{codice}.html")), html.into_bytes()),
        ],
        pages: compiled.pages,
    })
}

/// `n thing` or `n things`.
pub fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("{n} {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
