//! The command line: `schede build` and `schede check`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::pipeline::{self, Paths};

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
    },
    /// Check every sheet and the templates, writing nothing.
    Check {
        #[command(flatten)]
        sources: Sources,
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
        Command::Build { sources, output } => {
            let paths = Paths {
                sheets: sources.sheets,
                templates: sources.templates,
                output,
            };
            match pipeline::build(&paths, sources.deny_warnings, &mut say) {
                Ok(_) => ExitCode::SUCCESS,
                Err(diagnostics) => {
                    eprint!("{}", diagnostics.report());
                    ExitCode::FAILURE
                }
            }
        }
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
    }
}

/// Whether progress can be drawn in place.
pub fn is_terminal() -> bool {
    std::io::stderr().is_terminal()
}
