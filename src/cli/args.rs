//! The command line's arguments: every command and option as clap reads them, turned into the
//! plain options of the modules that do the work.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{diff, import, roll, serve};

/// Objective sheets (schede obiettivo) of a municipal management plan, from
/// Markdown sources to accessible PDF and HTML.
#[derive(Debug, Parser)]
#[command(name = "schede", version)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
    /// The language of the messages, `it` or `en` (by default the locale's).
    #[arg(long, global = true, value_name = "LANG", value_parser = ["it", "en"])]
    pub(super) lang: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
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
    Serve(ServeArgs),
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
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
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
    Import(ImportArgs),
    /// Start next year's plan from this year's.
    Roll(RollArgs),
    /// Write the workbook that collects the results of a monitoring date from the Direzioni.
    Monitor(MonitorArgs),
}

#[derive(Debug, Args)]
pub(super) struct Sources {
    /// The folder of the sheets: one `<year>/` folder per plan.
    #[arg(long, default_value = "sheets")]
    pub(super) sheets: PathBuf,
    /// The folder of the Tera templates.
    #[arg(long, default_value = "templates")]
    pub(super) templates: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    pub(super) deny_warnings: bool,
}

/// The arguments of `schede serve`.
#[derive(Debug, Args)]
pub(super) struct ServeArgs {
    /// The folder of the sheets: one `<year>/` folder per plan.
    #[arg(long, default_value = "sheets")]
    sheets: PathBuf,
    /// The folder of the Tera templates.
    #[arg(long, default_value = "templates")]
    templates: PathBuf,
    /// Where to write the outputs (the same files as `schede build`).
    #[arg(long, default_value = "output")]
    output: PathBuf,
    /// The port to listen on; 0 takes any free port (the first line printed
    /// says which).
    #[arg(long, short, default_value_t = serve::DEFAULT_PORT)]
    port: u16,
    /// The address to listen on. Anything but loopback lets other machines
    /// read the drafts.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Open the plans' page in the browser.
    #[arg(long)]
    open: bool,
    /// Print the build's own lines and where its time went, at every rebuild.
    #[arg(long)]
    timings: bool,
}

impl From<ServeArgs> for serve::Options {
    fn from(args: ServeArgs) -> Self {
        serve::Options {
            sheets: args.sheets,
            templates: args.templates,
            output: args.output,
            port: args.port,
            host: args.host,
            open: args.open,
            timings: args.timings,
        }
    }
}

/// The arguments of `schede import`.
#[derive(Debug, Args)]
pub(super) struct ImportArgs {
    /// Official sheets' text (`.txt`), spreadsheets (`.xlsx`, `.ods`, two `.csv` files:
    /// objectives and indicators) or a plan's open data (`piano.json`).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The sheets folder to write into.
    #[arg(long, default_value = "sheets")]
    sheets: PathBuf,
    /// List what would be written, writing nothing.
    #[arg(long)]
    dry_run: bool,
    /// Replace sheets that already exist.
    #[arg(long)]
    force: bool,
    /// For a year folder without `piano.yaml`: the body adopting the plan.
    #[arg(long)]
    ente: Option<String>,
    /// For a year folder without `piano.yaml`: the plan's title.
    #[arg(long)]
    titolo: Option<String>,
    /// For a year folder without `piano.yaml`: the plan's years, `2019-2021` or
    /// `2019,2020,2021` (by default the years of the imported targets).
    #[arg(long)]
    anni: Option<String>,
    /// A YAML file renaming spreadsheet headers to fields: `"Resp. Servizio": dirigente`.
    #[arg(long)]
    map: Option<PathBuf>,
}

impl From<ImportArgs> for import::Options {
    fn from(args: ImportArgs) -> Self {
        import::Options {
            files: args.files,
            sheets: args.sheets,
            dry_run: args.dry_run,
            force: args.force,
            ente: args.ente,
            titolo: args.titolo,
            anni: args.anni,
            map: args.map,
        }
    }
}

/// The arguments of `schede roll`.
#[derive(Debug, Args)]
pub(super) struct RollArgs {
    /// The plan year to start from, like `2019`.
    from: String,
    /// The new plan year, like `2020`.
    to: String,
    /// Roll only these objectives (codes, or their part after the year: `Z101`).
    #[arg(long, value_delimiter = ',', value_name = "CODICE")]
    only: Vec<String>,
    /// Leave out these objectives.
    #[arg(long, value_delimiter = ',', value_name = "CODICE")]
    except: Vec<String>,
    /// The folder of the sheets.
    #[arg(long, default_value = "sheets")]
    sheets: PathBuf,
}

impl From<RollArgs> for roll::Options {
    fn from(args: RollArgs) -> Self {
        roll::Options {
            from: args.from,
            to: args.to,
            only: args.only,
            except: args.except,
            sheets: args.sheets,
        }
    }
}

/// How `schede diff` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum DiffFormat {
    /// Readable text, for a terminal.
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// JSON, for programs.
    Json,
}

impl From<DiffFormat> for diff::Format {
    fn from(format: DiffFormat) -> Self {
        match format {
            DiffFormat::Text => diff::Format::Text,
            DiffFormat::Markdown => diff::Format::Markdown,
            DiffFormat::Json => diff::Format::Json,
        }
    }
}

/// `schede monitor` on the command line.
#[derive(Debug, Args)]
pub(super) struct MonitorArgs {
    /// The plan year, like `2019`.
    year: String,
    /// The monitoring date, `YYYY-MM-DD` (e.g. `2019-06-30`, `2019-12-31`).
    #[arg(long, value_name = "DATE")]
    at: String,
    /// Write one workbook per Direzione instead of one for the whole plan.
    #[arg(long)]
    per_direzione: bool,
    /// The folder of the sheets.
    #[arg(long, default_value = "sheets")]
    sheets: PathBuf,
    /// The folder to write the workbooks into.
    #[arg(long, default_value = ".")]
    output: PathBuf,
    /// Replace workbooks already there.
    #[arg(long)]
    force: bool,
}

impl From<MonitorArgs> for crate::monitor::Options {
    fn from(args: MonitorArgs) -> Self {
        crate::monitor::Options {
            year: args.year,
            at: args.at,
            per_direzione: args.per_direzione,
            sheets: args.sheets,
            output: args.output,
            force: args.force,
        }
    }
}
