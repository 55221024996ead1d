//! The build, as a list of phases: load the project, list the artifacts of
//! the sheets, make them, list and make the publication's (volumes, then
//! data and pages), commit, and report.
//!
//! Everything is checked before anything is written: a sheet with an error,
//! a template that does not render or a Typst error leaves the output folder
//! as it was. Files are made into temporary files and renamed into place
//! together by [`output::commit`], which also removes what the previous
//! build recorded and this one no longer produces, and nothing else.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::artifact::{
    Artifact, Job, Project, Recipe, Settings, TypstJob, Workshop, gather, parallel_map,
};
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, YearPlan};
use crate::manifest::{Key, Manifest};
use crate::model::Sheet;
use crate::output::{self, Product};
use crate::pdf::{self, PdfMeta};
use crate::publish;
use crate::render::{Link, SheetPage, Templates};
use crate::t;

/// Where the sources are and where the output goes.
#[derive(Debug, Clone)]
pub struct Paths {
    pub sheets: PathBuf,
    pub templates: PathBuf,
    pub output: PathBuf,
}

/// How to build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Warnings fail the build.
    pub deny_warnings: bool,
    /// Build the sheets only, not the year-level files (for benchmarks).
    pub skip_publish: bool,
    /// How many sheets to typeset at once; `None` for three per core.
    pub jobs: Option<usize>,
    pub settings: Settings,
}

/// Sheets typeset at once per core. Typst runs much of a compile on
/// rayon's pool and a sheet's thread then waits: with one sheet per core the
/// cores idle. Measured on 2 cores, 500 sheets: 1 per core 10.3 s, 2 per
/// core 8.9 s, 3 per core 8.6 s, 4 per core 8.7 s; memory 101 to 126 MB.
const SHEETS_PER_CORE: usize = 3;

/// Every so many sheets, Typst's cache drops what the last few did not use:
/// Typst memoizes every compile, and without eviction its cache grows with
/// the plan.
const EVICT_EVERY: usize = 4;

/// What happens during a build, for the command line to show.
#[derive(Debug, Clone, Copy)]
pub enum Event {
    /// The sources are loaded and checked.
    Loaded { plans: usize, sheets: usize },
    /// The sheets' files are being made: so many in all.
    Making { count: usize },
    /// One more sheet's file is made.
    Made,
    /// The sheets are done; the publication's files are being made.
    Publishing,
}

/// What a successful build did; its warnings travel with it.
#[derive(Debug, Default)]
pub struct Report {
    pub plans: usize,
    pub sheets: usize,
    /// Pages of the sheets' PDFs.
    pub pages: usize,
    /// Sheet PDFs typeset (the others were up to date).
    pub compiled: usize,
    /// Year-level files made anew (volumes, data, pages).
    pub year_files: usize,
    /// Files written.
    pub written: usize,
    /// Files of the previous build no longer produced, removed.
    pub removed: Vec<String>,
    /// The files written or removed (paths relative to the output folder,
    /// `/`-separated), sorted: what the preview reloads.
    pub changed: Vec<String>,
    pub warnings: Diagnostics,
    pub timings: Timings,
}

/// Where the time of a build went.
#[derive(Debug, Default)]
pub struct Timings {
    pub total: Duration,
    /// Wall time of the sheets, on `threads` threads.
    pub sheets: Duration,
    pub threads: usize,
    /// The sheets' time in Typst and in all their work, summed over threads.
    pub sheets_typst: Duration,
    pub sheets_work: Duration,
    /// Wall time of the year-level files.
    pub publish: Duration,
}

/// Builds every sheet's PDF and HTML and the year-level files into
/// `paths.output`. `progress` hears of each phase. A build that fails
/// leaves the output folder as it was.
pub fn build(
    paths: &Paths,
    options: &Options,
    progress: &(dyn Fn(Event) + Sync),
) -> Result<Report, Diagnostics> {
    let start = Instant::now();
    output::check_location(
        &paths.output,
        &[("sheets", &paths.sheets), ("templates", &paths.templates)],
    )?;
    let (project, warnings) = load_project(paths, options.deny_warnings)?;
    let sheets = project.plans.iter().map(|p| p.sheets.len()).sum();
    progress(Event::Loaded {
        plans: project.plans.len(),
        sheets,
    });
    let typesetter = std::sync::OnceLock::new();
    let _lock = output::Lock::take(&paths.output)?;
    let previous = Manifest::load(&paths.output)?;
    let staging = output::prepare(&paths.output, &previous)?;
    let workshop = Workshop {
        output: &paths.output,
        staging: &staging,
        previous: &previous,
        templates: &project.templates,
        typesetter: &typesetter,
        settings: &options.settings,
        clock: Default::default(),
    };
    let mut report = Report {
        plans: project.plans.len(),
        sheets,
        warnings,
        ..Report::default()
    };
    let made = make_everything(&project, &workshop, options, &mut report, progress);
    let committed = made.and_then(|products| {
        output::commit(&paths.output, &previous, products, options.skip_publish)
    });
    let committed = committed.inspect_err(|_| output::abandon(&paths.output, &previous))?;
    report.written = committed.written;
    report.removed = committed.removed;
    report.changed = committed.changed;
    report.timings.sheets_typst = workshop.clock.typst();
    report.timings.sheets_work = workshop.clock.making();
    report.timings.total = start.elapsed();
    Ok(report)
}

/// Makes the sheets' files, then the publication's, timing each.
fn make_everything(
    project: &Project,
    workshop: &Workshop,
    options: &Options,
    report: &mut Report,
    progress: &(dyn Fn(Event) + Sync),
) -> Result<Vec<Product>, Diagnostics> {
    let start = Instant::now();
    let mut artifacts = sheet_artifacts(project);
    artifacts.extend(publish::results::sheet_artifacts(project));
    progress(Event::Making {
        count: artifacts.len() / 2,
    });
    let threads = options.jobs.unwrap_or_else(default_threads).max(1);
    let mut products = make_sheets(workshop, &artifacts, threads, progress)?;
    report.timings.threads = threads;
    report.timings.sheets = start.elapsed();
    report.compiled = workshop
        .clock
        .typeset
        .load(std::sync::atomic::Ordering::Relaxed);
    report.pages = products.iter().filter_map(|p| p.entry.pages).sum();
    let start = Instant::now();
    if !options.skip_publish {
        progress(Event::Publishing);
        let made = publish_files(project, workshop, &products, threads)?;
        report.year_files = (made.iter())
            .filter(|p| p.staged.is_some() && !output::is_cache(&p.path))
            .count();
        products.extend(made);
    }
    report.timings.publish = start.elapsed();
    Ok(products)
}

fn default_threads() -> usize {
    SHEETS_PER_CORE * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Loads and checks the sources and the templates; the warnings found come
/// back with the project, or fail the build if `deny_warnings`.
pub fn load_project(
    paths: &Paths,
    deny_warnings: bool,
) -> Result<(Project, Diagnostics), Diagnostics> {
    let (plans, mut diagnostics) = load::load_plans(&paths.sheets);
    let templates =
        Templates::load(&paths.templates).map_err(|problems| diagnostics.extend(problems));
    let dates: Vec<Result<i64, Diagnostic>> = plans.iter().map(date).collect();
    let dates = dates
        .into_iter()
        .filter_map(|d| d.map_err(|problem| diagnostics.push(problem)).ok())
        .collect();
    if diagnostics.fail(deny_warnings) {
        return Err(diagnostics);
    }
    let Ok(templates) = templates else {
        return Err(diagnostics);
    };
    Ok((
        Project {
            plans,
            templates,
            dates,
        },
        diagnostics,
    ))
}

/// The PDFs' date: `SOURCE_DATE_EPOCH` when set, else the plan's date.
fn date(year: &YearPlan) -> Result<i64, Diagnostic> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) => pdf::seconds_since_1970(&value).ok_or_else(|| {
            Diagnostic::error(
                "SOURCE_DATE_EPOCH",
                t!("source-date-epoch", value = value.as_str()),
            )
        }),
        Err(_) => Ok(pdf::midnight_utc(year.plan.date())),
    }
}

/// Each sheet's PDF and HTML page, in publication order.
fn sheet_artifacts(project: &Project) -> Vec<Artifact<'_>> {
    let typst_templates = Key::folder(project.templates.dir(), ".typ");
    let html_templates = Key::folder(project.templates.dir(), ".html");
    let fonts = pdf::fonts_fingerprint();
    let mut artifacts = Vec::new();
    for (year, &date) in project.plans.iter().zip(&project.dates) {
        for index in 0..year.sheets.len() {
            let sheet = &year.sheets[index];
            let data = serde_json::to_vec(&(&year.plan, sheet)).unwrap_or_default();
            let page = move || sheet_page(year, index);
            let neighbours = {
                let page = page();
                serde_json::to_vec(&(&page.precedente, &page.successivo, &page.risultati))
                    .unwrap_or_default()
            };
            let stem = format!("{}/{}", year.year, sheet.codice());
            let templates = &project.templates;
            artifacts.push(Artifact {
                path: format!("{stem}.pdf"),
                recipe: Recipe::Typst {
                    key: Key::new()
                        .part(fonts.as_bytes())
                        .part(typst_templates.as_bytes())
                        .part(&date.to_le_bytes())
                        .part(&data)
                        .finish(),
                    job: Box::new(move || {
                        Ok(TypstJob {
                            source: templates.sheet_typst(&page()).map_err(|d| vec![d])?,
                            meta: PdfMeta {
                                ident: stem.clone(),
                                timestamp: date,
                            },
                            made_from: sheet.path.clone(),
                        })
                    }),
                },
            });
            let html: Job<Vec<u8>> = Box::new(move || {
                let html = templates.sheet_html(&page()).map_err(|d| vec![d])?;
                Ok(html.into_bytes())
            });
            artifacts.push(Artifact {
                path: format!("{}/{}.html", year.year, sheet.codice()),
                recipe: Recipe::Bytes {
                    key: Some(
                        Key::new()
                            .part(html_templates.as_bytes())
                            .part(&data)
                            .part(&neighbours)
                            .finish(),
                    ),
                    job: html,
                },
            });
        }
    }
    artifacts
}

/// What the templates get of sheet `index` of `year`, with its neighbours
/// in publication order.
fn sheet_page(year: &YearPlan, index: usize) -> SheetPage<'_> {
    let mut page = SheetPage::new(&year.plan, &year.sheets[index]);
    let link = |s: &Sheet| Link {
        href: format!("{}.html", s.codice()),
        codice: s.codice().to_string(),
        titolo: s.fields.titolo.clone(),
    };
    page.precedente = index.checked_sub(1).map(|i| link(&year.sheets[i]));
    page.successivo = year.sheets.get(index + 1).map(link);
    let sheet = &year.sheets[index];
    page.risultati = (sheet.fields.monitoring_dates().into_iter())
        .map(|date| Link {
            href: format!(
                "{}.html",
                publish::results::sheet_stem(sheet.codice(), date)
            ),
            codice: date.to_string(),
            titolo: format!("Risultati al {}", publish::results::italian_date(date)),
        })
        .collect();
    page
}

/// Makes the sheets' artifacts on `threads` workers.
fn make_sheets(
    workshop: &Workshop,
    artifacts: &[Artifact],
    threads: usize,
    progress: &(dyn Fn(Event) + Sync),
) -> Result<Vec<Product>, Diagnostics> {
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results = parallel_map(artifacts, threads, |artifact| {
        let result = workshop.make(artifact);
        let made = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if made.is_multiple_of(2 * EVICT_EVERY) {
            workshop.evict(1);
        }
        if made.is_multiple_of(2) {
            progress(Event::Made);
        }
        result
    })?;
    workshop.evict(0);
    gather(results).map_err(Diagnostics::from)
}

/// Makes the publication's files: the volumes and the annexes of the
/// Relazione one at a time (the largest
/// documents of the build), Typst's cache emptied after each, then the data
/// and pages, which show the volumes' sizes.
fn publish_files(
    project: &Project,
    workshop: &Workshop,
    sheets: &[Product],
    threads: usize,
) -> Result<Vec<Product>, Diagnostics> {
    let mut products =
        publish::volumes(project, workshop, sheets, threads).map_err(Diagnostics::from)?;
    workshop.evict(0);
    products
        .extend(publish::annexes(project, workshop, sheets, threads).map_err(Diagnostics::from)?);
    // The pages and data, made anew only when what they are made from
    // changed: a no-op build renders none of them.
    let key = publish::pages_key(project, &products);
    if let Some(kept) = workshop.reuse_all(&key) {
        products.extend(kept);
        return Ok(products);
    }
    let pages = publish::pages(project, &products, &key).map_err(Diagnostics::from)?;
    let made: Vec<_> = pages
        .iter()
        .map(|artifact| workshop.make(artifact))
        .collect();
    products.extend(gather(made).map_err(Diagnostics::from)?);
    Ok(products)
}

/// What `check` found.
#[derive(Debug, Default)]
pub struct Checked {
    pub plans: usize,
    pub sheets: usize,
    pub diagnostics: Diagnostics,
}

/// Checks the sources and the templates (each sheet, volume and page is
/// rendered, not typeset), writing nothing.
pub fn check(paths: &Paths) -> Checked {
    let (plans, mut diagnostics) = load::load_plans(&paths.sheets);
    let sheets = plans.iter().map(|p| p.sheets.len()).sum();
    match Templates::load(&paths.templates) {
        Ok(templates) => {
            for year in &plans {
                for index in 0..year.sheets.len() {
                    let page = sheet_page(year, index);
                    for result in [templates.sheet_typst(&page), templates.sheet_html(&page)] {
                        diagnostics.extend(result.err());
                    }
                }
            }
            diagnostics.extend(publish::check(&plans, &templates));
        }
        Err(problems) => diagnostics.extend(problems),
    }
    Checked {
        plans: plans.len(),
        sheets,
        diagnostics,
    }
}
