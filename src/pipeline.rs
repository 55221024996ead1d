//! The build, one way: load -> validate -> render -> compile -> write.
//!
//! Everything is checked before anything is written: a sheet with an error,
//! a template that does not render or a Typst error leaves the previous
//! output as it was. PDFs are compiled in parallel and staged in temporary
//! files, then renamed into place together.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::cache::{self, Cache, Key};
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

/// One year folder: its plan and its sheets, in publication order.
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
        // Publication order: by Direzione, then Servizio, then code; the
        // sheet pages' previous and next links follow it, like the volumes.
        sheets.sort_by(|a, b| {
            let key = |s: &Sheet| {
                (
                    s.fields.direzione.clone(),
                    s.fields.servizio.clone(),
                    s.codice().to_string(),
                )
            };
            key(a).cmp(&key(b))
        });
        plans.push(YearPlan {
            year: year.name,
            plan,
            sheets,
        });
    }
    let all: Vec<&Sheet> = plans.iter().flat_map(|p| &p.sheets).collect();
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

/// Checks the sources and the templates (each sheet, volume and page is
/// rendered, not compiled), writing nothing.
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
            diagnostics.extend(publish::check(&plans, &templates));
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
    /// Sheets whose PDF was compiled (the others were up to date).
    pub compiled: usize,
    pub written: usize,
    pub removed: usize,
}

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Warnings fail the build.
    pub deny_warnings: bool,
    /// Rebuild everything, ignoring the cache.
    pub force: bool,
    /// Build the sheets only, not the year-level files (for benchmarks).
    pub skip_publish: bool,
    /// Also write each compiled sheet's Typst source under this folder.
    pub emit_typst: Option<PathBuf>,
    /// Print where the time went.
    pub timings: bool,
    /// Do everything but typeset: each "PDF" holds its Typst source
    /// (benchmarks, to time the work outside Typst).
    pub skip_typst: bool,
    /// How many sheets to compile at once; `None` for three per core.
    pub jobs: Option<usize>,
}

/// The stack of each compile thread: Typst recurses deeply on long
/// documents (a volume of a few hundred sheets needs more than 64 MiB).
const COMPILE_STACK: usize = 256 << 20;

/// Sheets compiled at once per core. Typst runs much of a compile on
/// rayon's pool and a sheet's thread then waits: with one sheet per core the
/// cores idle. Measured on 2 cores, 500 sheets: 1 per core 10.3 s, 2 per
/// core 8.9 s, 3 per core 8.6 s, 4 per core 8.7 s; memory 101 to 126 MB.
const SHEETS_PER_CORE: usize = 3;

/// Every so many sheets, Typst's cache drops what the last few did not use.
const EVICT_EVERY: u64 = 4;
const EVICT_AGE: usize = 1;

/// Time spent per kind of work, summed over threads.
#[derive(Default)]
struct Timings {
    /// In Typst: layout and PDF export.
    typst: AtomicU64,
    /// On whole sheets: rendering, Typst, staging.
    sheets: AtomicU64,
}

fn add_time(counter: &AtomicU64, since: Instant) {
    counter.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// One output of a sheet: reused as it is, or made anew and staged.
enum Made {
    Reused,
    Staged(output::Staged),
}

/// One sheet's outputs.
struct SheetOutputs {
    pdf: (PathBuf, String, Made),
    html: (PathBuf, String, Made),
    key: String,
    /// `year/codice`: the sheet's entry in the cache's page counts.
    id: String,
    pages: usize,
}

/// Builds every sheet's PDF and HTML, and the year-level files, into
/// `paths.output`; `say` gets one line per phase.
pub fn build(
    paths: &Paths,
    deny_warnings: bool,
    say: &mut dyn FnMut(&str),
) -> Result<BuildReport, Diagnostics> {
    let options = BuildOptions {
        deny_warnings,
        ..BuildOptions::default()
    };
    build_with(paths, &options, say)
}

/// [`build`] with all the options.
pub fn build_with(
    paths: &Paths,
    options: &BuildOptions,
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
    if diagnostics.has_errors() || (options.deny_warnings && !diagnostics.is_empty()) {
        return Err(diagnostics);
    }
    let Some(templates) = templates else {
        return Err(diagnostics);
    };
    let mut timestamps = Vec::new();
    for year in &plans {
        match timestamp(&year.plan) {
            Ok(t) => timestamps.push(t),
            Err(problem) => {
                diagnostics.push(problem);
                return Err(diagnostics);
            }
        }
    }

    let previous = if options.force {
        Cache::default()
    } else {
        Cache::load(&paths.output)
    };
    let typst_key = cache::folder_key_of(&paths.templates, ".typ");
    let html_key = cache::folder_key_of(&paths.templates, ".html");
    let fonts = pdf::fonts_fingerprint();
    let jobs: Vec<(usize, usize)> = plans
        .iter()
        .enumerate()
        .flat_map(|(y, year)| (0..year.sheets.len()).map(move |i| (y, i)))
        .collect();
    let threads = options
        .jobs
        .unwrap_or_else(|| {
            SHEETS_PER_CORE * std::thread::available_parallelism().map_or(1, |n| n.get())
        })
        .max(1);
    let typesetter = Typesetter::new();
    let timings = Timings::default();
    let done = AtomicU64::new(0);
    let parallel_start = Instant::now();
    let progress = progress_bar(jobs.len());
    let results: Vec<Result<SheetOutputs, Vec<Diagnostic>>> =
        parallel_map(&jobs, threads, |&(y, i)| {
            let year = &plans[y];
            let keys = SheetKeys {
                typst: Key::new()
                    .part(fonts.as_bytes())
                    .part(typst_key.as_bytes())
                    .part(&timestamps[y].to_le_bytes()),
                html: Key::new().part(html_key.as_bytes()),
            };
            let sheet_start = Instant::now();
            let result = sheet_outputs(
                &templates,
                &typesetter,
                year,
                i,
                &paths.output,
                timestamps[y],
                keys,
                &previous,
                options,
                &timings,
            );
            add_time(&timings.sheets, sheet_start);
            // Typst memoizes every compile; without eviction its cache
            // grows with the plan.
            if done.fetch_add(1, Ordering::Relaxed) % EVICT_EVERY == EVICT_EVERY - 1 {
                typesetter.evict(EVICT_AGE);
            }
            progress.inc(1);
            result
        })
        .map_err(|err| single(Diagnostic::error(&paths.output, err)))?;
    progress.finish_and_clear();
    let parallel_wall = parallel_start.elapsed();
    typesetter.evict(0);
    let mut outputs = Vec::new();
    for result in results {
        match result {
            Ok(sheet) => outputs.push(sheet),
            Err(problems) => diagnostics.extend(problems),
        }
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let compiled = outputs
        .iter()
        .filter(|o| matches!(o.pdf.2, Made::Staged(_)))
        .count();
    let pages: usize = outputs.iter().map(|o| o.pages).sum();
    say(&format!(
        "compiled {} ({}), {} up to date",
        count(compiled, "PDF"),
        count(pages, "page"),
        sheet_count - compiled
    ));

    // The year-level files depend on every sheet and template: one key for all.
    let publish_key = outputs
        .iter()
        .fold(
            Key::new().part(cache::folder_key(&paths.templates).as_bytes()),
            |key, o| key.part(o.key.as_bytes()),
        )
        .part(fonts.as_bytes())
        .finish();
    let reused_year_files: Vec<PathBuf> = previous
        .files
        .iter()
        .filter(|(_, entry)| entry.key == publish_key)
        .map(|(relative, _)| paths.output.join(relative))
        .collect();
    let year_files_fresh = !reused_year_files.is_empty()
        && reused_year_files
            .iter()
            .all(|path| previous.is_fresh(&paths.output, path, &publish_key));
    let publish_start = Instant::now();
    let year_files = if year_files_fresh || options.skip_publish {
        Vec::new()
    } else {
        match publish::stage(
            &plans,
            &templates,
            &typesetter,
            &paths.output,
            options.force,
        ) {
            Ok(files) => files,
            Err(problems) => {
                diagnostics.extend(problems);
                return Err(diagnostics);
            }
        }
    };
    typesetter.evict(0);
    let publish_wall = publish_start.elapsed();
    if !year_files.is_empty() {
        say(&format!(
            "made {} (volumes, indexes, open data)",
            count(year_files.len(), "year file")
        ));
    }

    // Everything is ready: put it in place.
    let mut cache = Cache {
        version: env!("CARGO_PKG_VERSION").to_string(),
        ..Cache::default()
    };
    let mut produced = BTreeSet::new();
    let mut written = 0;
    let mut write_errors = Diagnostics::default();
    let mut fail = |path: &Path, err: anyhow::Error| {
        write_errors.push(Diagnostic::error(path, crate::diag::io_message(&err)));
    };
    for sheet in outputs {
        cache.pages.insert(sheet.id, sheet.pages);
        for (path, key, made) in [sheet.pdf, sheet.html] {
            match made {
                Made::Reused => cache.keep(&previous, &paths.output, &path),
                Made::Staged(staged) => {
                    cache.files.insert(
                        cache::relative(&paths.output, &path),
                        cache::Entry {
                            key,
                            hash: staged.hash.clone(),
                        },
                    );
                    match staged.commit(&path) {
                        Ok(()) => written += 1,
                        Err(err) => fail(&path, err),
                    }
                }
            }
            produced.insert(path);
        }
    }
    if year_files_fresh || options.skip_publish {
        for path in reused_year_files {
            cache.keep(&previous, &paths.output, &path);
            produced.insert(path);
        }
    }
    for (path, bytes) in year_files {
        match output::write_atomic(&path, &bytes) {
            Ok(wrote) => written += usize::from(wrote),
            Err(err) => fail(&path, err),
        }
        cache.record(&paths.output, &path, &publish_key, &bytes);
        produced.insert(path);
    }
    for year in &plans {
        let path = paths.output.join(&year.year).join(STYLESHEET);
        match output::write_atomic(&path, templates.stylesheet.as_bytes()) {
            Ok(wrote) => written += usize::from(wrote),
            Err(err) => fail(&path, err),
        }
        produced.insert(path);
    }
    if write_errors.has_errors() {
        return Err(write_errors);
    }
    let cache_path = paths.output.join(cache::FILE);
    produced.insert(cache_path.clone());
    // Without the year-level files the list of outputs is partial: keep all.
    let removed = if options.skip_publish {
        Vec::new()
    } else {
        output::remove_stale(&paths.output, &produced).map_err(|err| {
            single(Diagnostic::error(
                &paths.output,
                crate::diag::io_message(&err),
            ))
        })?
    };
    output::write_atomic(&cache_path, &cache.to_bytes()).map_err(|err| {
        single(Diagnostic::error(
            &cache_path,
            crate::diag::io_message(&err),
        ))
    })?;
    say(&format!(
        "wrote {} to {}{}",
        count(written, "file"),
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
    let total = start.elapsed();
    if options.timings {
        // Typst itself runs parts of its work on the pool, so a compile can
        // take up another sheet's job: the sum of the sheets' times less the
        // sum of their compiles is still each sheet's own work beside Typst.
        let typst = Duration::from_nanos(timings.typst.load(Ordering::Relaxed));
        let sheets = Duration::from_nanos(timings.sheets.load(Ordering::Relaxed));
        let beside = sheets.saturating_sub(typst);
        let threads = threads as u32;
        let busy = parallel_wall * threads;
        let serial = total.saturating_sub(parallel_wall + publish_wall);
        let outside = serial + beside;
        say(&format!(
            "timings: sheets {:.2} s on {threads} threads ({:.2} s of it beside Typst), serial {:.2} s, year files {:.2} s; outside Typst {:.1}% of the sheets' work",
            parallel_wall.as_secs_f64(),
            beside.as_secs_f64(),
            serial.as_secs_f64(),
            publish_wall.as_secs_f64(),
            100.0 * outside.as_secs_f64() / (serial + busy).as_secs_f64().max(1e-9),
        ));
    }
    say(&format!(
        "built {} in {:.2} s",
        count(sheet_count, "sheet"),
        total.as_secs_f64()
    ));
    Ok(BuildReport {
        sheets: sheet_count,
        pages,
        compiled,
        written,
        removed: removed.len(),
    })
}

/// `f` over `items` on `threads` threads of our own, results in input order.
///
/// Not rayon's pool: Typst runs parts of a compile on rayon, and a rayon
/// worker waiting for them would start another sheet on top of its stack,
/// so the sheets in flight (and the memory) would grow without bound. Here
/// each thread compiles one sheet at a time.
pub(crate) fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Result<Vec<R>, String> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(items.len()).max(1))
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(COMPILE_STACK)
                    .spawn_scoped(scope, || {
                        let mut done = Vec::new();
                        loop {
                            let index = next.fetch_add(1, Ordering::Relaxed);
                            let Some(item) = items.get(index) else {
                                return done;
                            };
                            done.push((index, f(item)));
                        }
                    })
                    .map_err(|err| format!("cannot start the compile threads ({err})"))
            })
            .collect::<Result<_, _>>()?;
        let mut all = Vec::new();
        for worker in workers {
            all.extend(
                worker
                    .join()
                    .map_err(|_| "a compile thread failed".to_string())?,
            );
        }
        Ok::<_, String>(all)
    })?;
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, r)| r).collect())
}

fn single(diagnostic: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(diagnostic);
    all
}

/// A progress bar on a terminal for long builds; nothing otherwise.
fn progress_bar(len: usize) -> indicatif::ProgressBar {
    if len < 50 || !crate::cli::is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} sheets ({eta} left)")
    {
        bar.set_style(style);
    }
    bar
}

/// The parts of a sheet's keys shared by every sheet of the run.
struct SheetKeys {
    typst: Key,
    html: Key,
}

/// Makes (or reuses) the PDF and HTML of sheet `index` of `year`.
#[allow(clippy::too_many_arguments)]
fn sheet_outputs(
    templates: &Templates,
    typesetter: &Typesetter,
    year: &YearPlan,
    index: usize,
    output: &Path,
    timestamp: i64,
    keys: SheetKeys,
    previous: &Cache,
    options: &BuildOptions,
    timings: &Timings,
) -> Result<SheetOutputs, Vec<Diagnostic>> {
    let sheet = &year.sheets[index];
    let codice = sheet.codice();
    let out_dir = output.join(&year.year);
    let mut page = SheetPage::new(&year.plan, sheet);
    let link = |s: &Sheet| Link {
        href: format!("{}.html", s.codice()),
        codice: s.codice().to_string(),
        titolo: s.fields.titolo.clone(),
    };
    page.precedente = index.checked_sub(1).map(|i| link(&year.sheets[i]));
    page.successivo = year.sheets.get(index + 1).map(link);
    let data = serde_json::to_vec(&(&year.plan, sheet)).unwrap_or_default();
    let neighbours = serde_json::to_vec(&(&page.precedente, &page.successivo)).unwrap_or_default();
    let pdf_key = keys.typst.part(&data).finish();
    let html_key = keys.html.part(&data).part(&neighbours).finish();
    let pdf_path = out_dir.join(format!("{codice}.pdf"));
    let html_path = out_dir.join(format!("{codice}.html"));
    let write_error = |path: &Path, err: anyhow::Error| {
        vec![Diagnostic::error(path, crate::diag::io_message(&err))]
    };

    let id = format!("{}/{codice}", year.year);
    let cached_pages = previous.pages.get(&id).copied();
    let (pdf, pages) = match cached_pages {
        Some(pages) if previous.is_fresh(output, &pdf_path, &pdf_key) => (Made::Reused, pages),
        _ => {
            let typ = templates.sheet_typst(&page).map_err(|d| vec![d])?;
            if let Some(dir) = &options.emit_typst {
                let path = dir.join(&year.year).join(format!("{codice}.typ"));
                output::write_atomic(&path, typ.as_bytes())
                    .map_err(|err| write_error(&path, err))?;
            }
            let typst_start = Instant::now();
            let compiled = if options.skip_typst {
                Ok(pdf::Compiled {
                    pdf: typ.into_bytes(),
                    pages: 0,
                })
            } else {
                compile_sheet(templates, typesetter, year, sheet, &out_dir, typ, timestamp)
            };
            add_time(&timings.typst, typst_start);
            let compiled = compiled?;
            let staged = output::Staged::new(&pdf_path, &compiled.pdf)
                .map_err(|err| write_error(&pdf_path, err))?;
            (Made::Staged(staged), compiled.pages)
        }
    };
    let html = if previous.is_fresh(output, &html_path, &html_key) {
        Made::Reused
    } else {
        let html = templates.sheet_html(&page).map_err(|d| vec![d])?;
        let staged = output::Staged::new(&html_path, html.as_bytes())
            .map_err(|err| write_error(&html_path, err))?;
        Made::Staged(staged)
    };
    Ok(SheetOutputs {
        key: Key::new()
            .part(pdf_key.as_bytes())
            .part(html_key.as_bytes())
            .finish(),
        pdf: (pdf_path, pdf_key, pdf),
        html: (html_path, html_key, html),
        id,
        pages,
    })
}

/// Compiles a sheet's Typst source; on failure the source is kept next to
/// the outputs, and the errors point at the template line and the sheet.
fn compile_sheet(
    templates: &Templates,
    typesetter: &Typesetter,
    year: &YearPlan,
    sheet: &Sheet,
    out_dir: &Path,
    typ: String,
    timestamp: i64,
) -> Result<pdf::Compiled, Vec<Diagnostic>> {
    let codice = sheet.codice();
    let typ_path = out_dir.join(format!("{codice}.typ"));
    let meta = PdfMeta {
        ident: format!("{}/{codice}", year.year),
        timestamp,
    };
    let name = format!("/{}/{codice}.typ", year.year);
    typesetter
        .compile(&name, typ.clone(), &meta, &typ_path)
        .map_err(|problems| explain_failure(problems, templates, &typ_path, &typ, &sheet.path))
}

/// Typst errors of a generated source, made useful: the source is kept at
/// `typ_path` for inspection, each error points at the template line it
/// comes from when that is known, and names what the source was made from.
pub(crate) fn explain_failure(
    mut problems: Vec<Diagnostic>,
    templates: &Templates,
    typ_path: &Path,
    typ: &str,
    made_from: &Path,
) -> Vec<Diagnostic> {
    let kept = output::write_atomic(typ_path, typ.as_bytes()).is_ok();
    for problem in &mut problems {
        let mut notes = Vec::new();
        let generated = typ.lines().nth(problem.line.saturating_sub(1));
        if let Some((template, line)) = generated.and_then(|text| templates.trace_typst_line(text))
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
            made_from.display(),
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
}

/// `n thing` or `n things`.
pub fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("{n} {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
