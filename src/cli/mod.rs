//! The command line: `schede build`, `serve`, `check`, `fmt`, `diff` and `new`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{self, Event, Paths, Report};
use crate::diag::Diagnostics;
use crate::i18n::{self, Lang, decimal, seconds};
use crate::{artifact, diff, fmt, import, roll, scaffold, serve, t, tr};

mod help;

/// Objective sheets (schede obiettivo) of a municipal management plan, from
/// Markdown sources to accessible PDF and HTML.
#[derive(Debug, Parser)]
#[command(name = "schede", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of the messages, `it` or `en` (by default the locale's).
    #[arg(long, global = true, value_name = "LANG", value_parser = ["it", "en"])]
    lang: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every sheet, then write the PDF and HTML of each into the output folder.
    Build {
        #[command(flatten)]
        sources: Sources,
        /// Where to write the outputs.
        #[arg(long, default_value = "output")]
        output: PathBuf,
        /// Rebuild every output, even those whose sources did not change
        /// (files that schede did not write are never overwritten).
        #[arg(long)]
        force: bool,
        /// How many sheets to compile at once (default: three per core).
        #[arg(long, short)]
        jobs: Option<usize>,
        /// Build the sheets only, not the volumes, indexes and data (benchmarks).
        #[arg(long, hide = true)]
        skip_publish: bool,
        /// Also write each compiled sheet's Typst source into this folder (benchmarks).
        #[arg(long, hide = true)]
        emit_typst: Option<PathBuf>,
        /// Print where the time went.
        #[arg(long)]
        timings: bool,
        /// Do everything but typeset (benchmarks).
        #[arg(long, hide = true)]
        skip_typst: bool,
    },
    /// Build, serve the output on http://127.0.0.1:1111/ and rebuild on every change,
    /// reloading the pages open in the browser.
    Serve(serve::ServeArgs),
    /// Check every sheet and the templates, writing nothing.
    Check {
        #[command(flatten)]
        sources: Sources,
    },
    /// Write a synthetic plan of N sheets, for benchmarks.
    #[command(hide = true)]
    Synth {
        /// How many sheets.
        count: usize,
        /// The sheets folder to write into.
        #[arg(long, default_value = "sheets")]
        sheets: PathBuf,
        /// The plan year.
        #[arg(long, default_value_t = 2030)]
        year: i32,
        /// The generator's seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Add results at 30 June and 31 December of the plan year.
        #[arg(long)]
        results: bool,
    },
    /// Rewrite sheets in canonical form, changing nothing they say or show.
    ///
    /// Fields in the order of the printed sheet, consistent quoting, tidy blank lines and line
    /// ends, as described in the README under "Reviewing changes".
    Fmt {
        /// Change nothing: list the sheets that are not in canonical form, and fail if any.
        #[arg(long)]
        check: bool,
        /// Sheet files or folders of sheets.
        #[arg(default_value = "sheets")]
        paths: Vec<PathBuf>,
    },
    /// Show what changed in the plans between two versions of the sheets.
    ///
    /// Per plan year: objectives added, removed and renamed, changed header fields, a word diff
    /// of changed descriptions, and indicators added, removed or with changed targets.
    Diff {
        /// The old version: a git revision (`HEAD`, `main`, `HEAD~3:sheets/2019`) or a folder.
        old: String,
        /// The new version, the same way; by default the sheets folder as it is now.
        new: Option<String>,
        /// How to write the report.
        #[arg(long, value_enum, default_value_t = diff::Format::Text)]
        format: diff::Format,
        /// The folder of the sheets, also read at git revisions.
        #[arg(long, default_value = "sheets")]
        sheets: PathBuf,
    },
    /// Create a sheet from the template, never overwriting one.
    ///
    /// Writes `<sheets>/<year>/<codice>.md` with every field present and explained.
    New {
        /// The new objective's code, like `2019_Z102`.
        codice: String,
        /// Copy the header fields (Direzione, Servizio, their heads, classification, type)
        /// of this sheet.
        #[arg(long, value_name = "CODICE")]
        like: Option<String>,
        /// The folder of the sheets.
        #[arg(long, default_value = "sheets")]
        sheets: PathBuf,
    },
    /// Import sheets from official sheets' text, a spreadsheet or a plan's open data.
    Import(crate::import::Args),
    /// Start next year's plan from this year's.
    Roll(crate::roll::Args),
    /// Write the workbook that collects the results of a monitoring date from the Direzioni.
    Monitor(crate::monitor::Args),
}

#[derive(Debug, Args)]
struct Sources {
    /// The folder of the sheets: one `<year>/` folder per plan.
    #[arg(long, default_value = "sheets")]
    sheets: PathBuf,
    /// The folder of the Tera templates.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
}

/// How a command ended.
enum Outcome {
    Done,
    /// Problems in the input or the output folder, already described.
    Failed,
}

/// Runs the command line and maps the outcome to the exit status, in this
/// one place: 0 done, 1 problems in the input or the output folder, 2 wrong
/// usage (clap's own).
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    i18n::set(language(&args));
    let cli = match help::parse(args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match run(cli.command) {
        Outcome::Done => ExitCode::SUCCESS,
        Outcome::Failed => ExitCode::FAILURE,
    }
}

/// The language of the run: `--lang`, else the environment's.
fn language(args: &[std::ffi::OsString]) -> Lang {
    let mut words = args.iter().map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        let given = match word.strip_prefix("--lang") {
            Some("") => words.next().map(|w| w.into_owned()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => continue,
        };
        if let Some(lang) = given.as_deref().and_then(Lang::parse) {
            return lang;
        }
    }
    Lang::from_env(|name| std::env::var(name).ok())
}

fn run(command: Command) -> Outcome {
    match command {
        Command::Build {
            sources,
            output,
            force,
            jobs,
            skip_publish,
            emit_typst,
            timings,
            skip_typst,
        } => {
            let options = build::Options {
                deny_warnings: sources.deny_warnings,
                skip_publish,
                jobs,
                settings: artifact::Settings {
                    force,
                    emit_typst,
                    skip_typst,
                },
            };
            run_build(&paths(sources, output), &options, timings)
        }
        Command::Check { sources } => run_check(sources),
        Command::Synth {
            count,
            sheets,
            year,
            seed,
            results,
        } => match crate::synth::write_plan(&sheets, year, count, seed, results) {
            Ok(()) => Outcome::Done,
            Err(err) => {
                eprintln!("{}: {err:#}", t!("label-error"));
                Outcome::Failed
            }
        },
        Command::Fmt { check, paths } => run_fmt(&paths, check),
        Command::Diff {
            old,
            new,
            format,
            sheets,
        } => match diff::diff(&old, new.as_deref(), &sheets) {
            Ok(Ok(report)) => {
                print!("{}", report.render(format));
                Outcome::Done
            }
            Ok(Err(diagnostics)) => fail(&diagnostics),
            Err(err) => {
                eprintln!("{}: {err:#}", t!("label-error"));
                Outcome::Failed
            }
        },
        Command::New {
            codice,
            like,
            sheets,
        } => match scaffold::create(&sheets, &codice, like.as_deref()) {
            Ok(path) => {
                println!("{}", t!("new-created", path = path.display()));
                println!("  {}: {}", t!("label-hint"), t!("new-created-hint"));
                Outcome::Done
            }
            Err(problems) => fail(&problems.into()),
        },
        Command::Serve(args) => {
            if serve::run(args) == ExitCode::SUCCESS {
                Outcome::Done
            } else {
                Outcome::Failed
            }
        }
        Command::Import(args) => run_import(&args),
        Command::Roll(args) => run_roll(&args),
        Command::Monitor(args) => run_monitor(&args),
    }
}

fn run_monitor(args: &crate::monitor::Args) -> Outcome {
    let written = crate::monitor::prepare(args).and_then(|books| {
        crate::monitor::write(&books)
            .map(|()| books)
            .map_err(Diagnostics::from)
    });
    match written {
        Ok(books) => {
            for (path, _) in &books {
                println!("{}", t!("monitor-wrote", path = path.display()));
            }
            Outcome::Done
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.report());
            Outcome::Failed
        }
    }
}

fn paths(sources: Sources, output: PathBuf) -> Paths {
    Paths {
        sheets: sources.sheets,
        templates: sources.templates,
        output,
    }
}

/// Prints the diagnostics of a failed command.
fn fail(diagnostics: &Diagnostics) -> Outcome {
    eprint!("{}", diagnostics.report());
    Outcome::Failed
}

fn run_build(paths: &Paths, options: &build::Options, timings: bool) -> Outcome {
    let bar = std::sync::Mutex::new(indicatif::ProgressBar::hidden());
    let progress = |event: Event| {
        let Ok(mut bar) = bar.lock() else { return };
        match event {
            Event::Loaded { plans, sheets } => {
                println!("{}", t!("build-loaded", plans = plans, sheets = sheets));
            }
            Event::Making { count } => *bar = progress_bar(count),
            Event::Made => bar.inc(1),
            Event::Publishing => bar.finish_and_clear(),
        }
    };
    let report = match build::build(paths, options, &progress) {
        Ok(report) => report,
        Err(diagnostics) => return fail(&diagnostics),
    };
    if let Ok(bar) = bar.lock() {
        bar.finish_and_clear();
    }
    print_report(&report, &paths.output, timings);
    Outcome::Done
}

fn print_report(report: &Report, output: &Path, timings: bool) {
    println!(
        "{}",
        t!(
            "build-compiled",
            pdfs = report.compiled,
            pages = report.pages,
            fresh = report.sheets - report.compiled.min(report.sheets)
        )
    );
    if report.year_files > 0 {
        println!("{}", t!("build-year-files", files = report.year_files));
    }
    println!(
        "{}",
        t!(
            "build-wrote",
            files = report.written,
            output = output.display(),
            removed = report.removed.len()
        )
    );
    if timings {
        println!("{}", timings_line(&report.timings));
    }
    println!(
        "{}",
        t!(
            "build-built",
            sheets = report.sheets,
            seconds = seconds(report.timings.total)
        )
    );
    if !report.warnings.is_empty() {
        eprint!("{}", report.warnings.report());
    }
}

/// Where the time went. Typst runs parts of its work on its own pool, so a
/// compile can take up another sheet's time: the sum of the sheets' times
/// less the sum of their compiles is each sheet's own work beside Typst.
fn timings_line(t: &build::Timings) -> String {
    let beside = t.sheets_work.saturating_sub(t.sheets_typst);
    let busy = t.sheets * t.threads as u32;
    let serial = t.total.saturating_sub(t.sheets + t.publish);
    let outside = serial + beside;
    tr!(
        "build-timings",
        sheets = seconds(t.sheets),
        threads = t.threads,
        beside = seconds(beside),
        serial = seconds(serial),
        publish = seconds(t.publish),
        outside = decimal(
            100.0 * outside.as_secs_f64() / (serial + busy).as_secs_f64().max(1e-9),
            1
        ),
    )
}

fn run_check(sources: Sources) -> Outcome {
    let deny_warnings = sources.deny_warnings;
    let checked = build::check(&paths(sources, PathBuf::new()));
    println!(
        "{}",
        t!("check-done", plans = checked.plans, sheets = checked.sheets)
    );
    let diagnostics = &checked.diagnostics;
    if !diagnostics.is_empty() {
        eprint!("{}", diagnostics.report());
    }
    if diagnostics.fail(deny_warnings) {
        Outcome::Failed
    } else {
        Outcome::Done
    }
}

fn run_fmt(paths: &[PathBuf], check: bool) -> Outcome {
    let outcome = fmt::format_paths(paths, check);
    for path in &outcome.changed {
        if check {
            println!("{}", path.display());
        } else {
            println!("{}", t!("fmt-formatted-file", path = path.display()));
        }
    }
    if !outcome.diagnostics.is_empty() {
        eprint!("{}", outcome.diagnostics.report());
    }
    let (changed, total) = (outcome.changed.len(), outcome.files);
    if check && changed > 0 {
        eprintln!(
            "{}: {}\n  {}: {}",
            t!("label-error"),
            t!("fmt-not-canonical", changed = changed, total = total),
            t!("label-hint"),
            t!("fmt-not-canonical-hint")
        );
        return Outcome::Failed;
    }
    if outcome.diagnostics.has_errors() {
        return Outcome::Failed;
    }
    if check {
        println!("{}", t!("fmt-canonical", total = total));
    } else {
        println!("{}", t!("fmt-formatted", changed = changed, total = total));
    }
    Outcome::Done
}

/// A progress bar on a terminal for long builds; nothing otherwise.
fn progress_bar(len: usize) -> indicatif::ProgressBar {
    if len < 50 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&tr!("build-progress")) {
        bar.set_style(style);
    }
    bar
}

fn run_import(args: &import::Args) -> Outcome {
    match import::prepare(args) {
        Ok(outcome) => {
            if !outcome.warnings.is_empty() {
                let mut warnings = Diagnostics::default();
                warnings.extend(outcome.warnings.clone());
                eprint!("{}", warnings.report());
            }
            if !args.dry_run
                && let Err(problem) = import::write_all(&outcome.files)
            {
                let mut diagnostics = Diagnostics::default();
                diagnostics.push(problem);
                eprint!("{}", diagnostics.report());
                return Outcome::Failed;
            }
            let dry = if args.dry_run { "yes" } else { "no" };
            for (path, _) in &outcome.files {
                println!("{}", t!("import-wrote", dry = dry, path = path.display()));
            }
            println!(
                "{}",
                t!(
                    "import-done",
                    dry = dry,
                    sheets = outcome.sheets,
                    plans = outcome.plans,
                    folder = args.sheets.display()
                )
            );
            Outcome::Done
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.report());
            eprintln!("{}", t!("import-nothing-written"));
            Outcome::Failed
        }
    }
}

fn run_roll(args: &roll::Args) -> Outcome {
    let outcome = roll::prepare(args).and_then(|rolled| {
        import::write_all(&rolled.files).map_err(|d| vec![d])?;
        Ok(rolled)
    });
    match outcome {
        Ok(roll::Rolled { files, to_fill }) => {
            for (path, _) in &files {
                println!("{}", t!("import-wrote", dry = "no", path = path.display()));
            }
            println!(
                "{}",
                t!(
                    "roll-done",
                    sheets = files.len() - 1,
                    from = args.from.as_str(),
                    to = args.to.as_str(),
                    to_fill = to_fill
                )
            );
            println!(
                "  {}: {}",
                t!("label-hint"),
                t!(
                    "roll-done-hint",
                    from = Path::new(&args.sheets).join(&args.from).display(),
                    to = Path::new(&args.sheets).join(&args.to).display()
                )
            );
            Outcome::Done
        }
        Err(problems) => {
            let mut diagnostics = Diagnostics::default();
            diagnostics.extend(problems);
            eprint!("{}", diagnostics.report());
            Outcome::Failed
        }
    }
}
