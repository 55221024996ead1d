//! The command line: `schede build`, `serve`, `check`, `fmt`, `diff` and `new`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::build::{self, Event, Paths, Report};
use crate::diag::Diagnostics;
use crate::i18n::{self, Lang, decimal, seconds};
use crate::{artifact, diff, fmt, import, roll, scaffold, serve, t, tr};
use args::{Cli, Command, Sources};

mod args;
mod help;

/// `println!`, with the line's control characters escaped: the names and
/// values in a line may come from files ([`crate::diag::escape_controls`]).
/// Every line of the command line goes through it, `say_err!`, or a report
/// of diagnostics (escaped as they are shown).
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{}", $crate::diag::escape_controls(&format!($($arg)*), true))
    };
}

/// `eprintln!`, with the line's control characters escaped.
macro_rules! say_err {
    ($($arg:tt)*) => {
        eprintln!("{}", $crate::diag::escape_controls(&format!($($arg)*), true))
    };
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
    Lang::from_env(|name| std::env::var(name).ok(), Lang::system)
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
                say_err!("{}: {err:#}", t!("label-error"));
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
                // JSON escapes what it must; the other formats are for people.
                let format: diff::Format = format.into();
                let report = report.render(format);
                if matches!(format, diff::Format::Json) {
                    print!("{report}");
                } else {
                    print!("{}", crate::diag::escape_controls(&report, true));
                }
                Outcome::Done
            }
            Ok(Err(diagnostics)) => fail(&diagnostics),
            Err(err) => {
                say_err!("{}: {err:#}", t!("label-error"));
                Outcome::Failed
            }
        },
        Command::New {
            codice,
            like,
            sheets,
        } => match scaffold::create(&sheets, &codice, like.as_deref()) {
            Ok(path) => {
                say!("{}", t!("new-created", path = path.display()));
                say!("  {}: {}", t!("label-hint"), t!("new-created-hint"));
                Outcome::Done
            }
            Err(problems) => fail(&problems.into()),
        },
        Command::Serve(args) => {
            if serve::run(args.into()) == ExitCode::SUCCESS {
                Outcome::Done
            } else {
                Outcome::Failed
            }
        }
        Command::Import(args) => run_import(&args.into()),
        Command::Roll(args) => run_roll(&args.into()),
        Command::Monitor(args) => run_monitor(&args.into()),
    }
}

fn run_monitor(options: &crate::monitor::Options) -> Outcome {
    let written = crate::monitor::prepare(options).and_then(|books| {
        crate::monitor::write(&books)
            .map(|()| books)
            .map_err(Diagnostics::from)
    });
    match written {
        Ok(books) => {
            for (path, _) in &books {
                say!("{}", t!("monitor-wrote", path = path.display()));
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
                say!("{}", t!("build-loaded", plans = plans, sheets = sheets));
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
    say!(
        "{}",
        t!(
            "build-compiled",
            pdfs = report.compiled,
            pages = report.pages,
            fresh = report.sheets - report.compiled.min(report.sheets)
        )
    );
    if report.year_files > 0 {
        say!("{}", t!("build-year-files", files = report.year_files));
    }
    say!(
        "{}",
        t!(
            "build-wrote",
            files = report.written,
            output = output.display(),
            removed = report.removed.len()
        )
    );
    if timings {
        say!("{}", timings_line(&report.timings));
    }
    say!(
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
    say!(
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
            say!("{}", path.display());
        } else {
            say!("{}", t!("fmt-formatted-file", path = path.display()));
        }
    }
    if !outcome.diagnostics.is_empty() {
        eprint!("{}", outcome.diagnostics.report());
    }
    let (changed, total) = (outcome.changed.len(), outcome.files);
    if check && changed > 0 {
        say_err!(
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
        say!("{}", t!("fmt-canonical", total = total));
    } else {
        say!("{}", t!("fmt-formatted", changed = changed, total = total));
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

fn run_import(args: &import::Options) -> Outcome {
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
                say!("{}", t!("import-wrote", dry = dry, path = path.display()));
            }
            say!(
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
            say_err!("{}", t!("import-nothing-written"));
            Outcome::Failed
        }
    }
}

fn run_roll(args: &roll::Options) -> Outcome {
    let outcome = roll::prepare(args).and_then(|rolled| {
        import::write_all(&rolled.files).map_err(|d| vec![d])?;
        Ok(rolled)
    });
    match outcome {
        Ok(roll::Rolled { files, to_fill }) => {
            for (path, _) in &files {
                say!("{}", t!("import-wrote", dry = "no", path = path.display()));
            }
            say!(
                "{}",
                t!(
                    "roll-done",
                    sheets = files.len() - 1,
                    from = args.from.as_str(),
                    to = args.to.as_str(),
                    to_fill = to_fill
                )
            );
            say!(
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
