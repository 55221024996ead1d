//! The command line: `schede build`, `serve`, `check`, `fmt`, `diff` and `new`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::pipeline::{self, Paths};
use crate::{diff, fmt, scaffold, serve};

/// Objective sheets (schede obiettivo) of a municipal management plan, from
/// Markdown sources to accessible PDF and HTML.
#[derive(Debug, Parser)]
#[command(name = "schede", version)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
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
        /// Rebuild every output, even those whose sources did not change.
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

/// Runs the command line and maps the outcome to the exit status: 0 done,
/// 1 problems in the input or the output folder, 2 wrong usage.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut say = |line: &str| println!("{line}");
    match cli.command {
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
            let paths = Paths {
                sheets: sources.sheets,
                templates: sources.templates,
                output,
            };
            let options = pipeline::BuildOptions {
                deny_warnings: sources.deny_warnings,
                force,
                skip_publish,
                emit_typst,
                timings,
                skip_typst,
                jobs,
            };
            match pipeline::build_with(&paths, &options, &mut say) {
                Ok(_) => ExitCode::SUCCESS,
                Err(diagnostics) => {
                    eprint!("{}", diagnostics.report());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Synth {
            count,
            sheets,
            year,
            seed,
        } => match crate::synth::write_plan(&sheets, year, count, seed) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {err:#}");
                ExitCode::FAILURE
            }
        },
        Command::Check { sources } => {
            let paths = Paths {
                sheets: sources.sheets,
                templates: sources.templates,
                output: PathBuf::new(),
            };
            let diagnostics = pipeline::check(&paths, &mut say);
            let failed =
                diagnostics.has_errors() || (sources.deny_warnings && !diagnostics.is_empty());
            if !diagnostics.is_empty() || failed {
                eprint!("{}", diagnostics.report());
            }
            if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Serve(args) => serve::run(args),
        Command::Fmt { check, paths } => fmt::run(&paths, check),
        Command::Diff {
            old,
            new,
            format,
            sheets,
        } => diff::run(&old, new.as_deref(), &sheets, format),
        Command::New {
            codice,
            like,
            sheets,
        } => scaffold::run(&sheets, &codice, like.as_deref()),
    }
}

/// Whether progress can be drawn in place.
pub fn is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
