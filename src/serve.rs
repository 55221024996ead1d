//! `schede serve`: builds the plan, serves the output folder on loopback,
//! and on every change of the sheets or the templates rebuilds and reloads
//! the pages open in the browser. A failed build leaves the last good pages
//! served and shows its errors over every open page until the next good one.
//!
//! Each rebuild has two stages: the sheets (their PDFs and pages, reloaded as
//! soon as they are written), then the year files (volumes, indexes, open
//! data), which take much longer on a large plan.

mod http;
mod live;
mod pages;
mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::build::{self as core, Paths, Report as BuildReport};
use crate::diag::{Diagnostics, io_message};
use crate::i18n::Text;
use crate::manifest::Manifest;
use crate::{t, tr};
use live::{Failure, Live, Stage};
use watch::Event;

/// The port used when none is given (like `zola serve`).
pub const DEFAULT_PORT: u16 = 1111;

/// How `schede serve` runs.
#[derive(Debug)]
pub struct Options {
    /// The folder of the sheets.
    pub sheets: PathBuf,
    /// The folder of the Tera templates.
    pub templates: PathBuf,
    /// Where to write the outputs (the same files as `schede build`).
    pub output: PathBuf,
    /// The port to listen on; 0 takes any free port.
    pub port: u16,
    /// The address to listen on.
    pub host: IpAddr,
    /// Open the plans' page in the browser.
    pub open: bool,
    /// Print the build's own lines and where its time went, at every rebuild.
    pub timings: bool,
}

/// Runs `schede serve` until Ctrl-C: 0 when stopped, 1 when it cannot start.
pub fn run(args: Options) -> ExitCode {
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let message = crate::diag::escape_controls(&message, true);
            eprintln!("{}: {message}", t!("label-error"));
            ExitCode::FAILURE
        }
    }
}

/// The one call into the build, for both stages (the lead re-points it when
/// the pipeline changes shape).
fn build(paths: &Paths, stage: Stage, timings: bool) -> Result<BuildReport, Diagnostics> {
    let options = core::Options {
        skip_publish: stage == Stage::Sheets,
        ..core::Options::default()
    };
    let report = core::build(paths, &options, &|_| {})?;
    if timings {
        say(&format!(
            "  {}",
            t!(
                "build-built",
                sheets = report.sheets,
                seconds = crate::i18n::seconds(report.timings.total)
            )
        ));
    }
    Ok(report)
}

/// A line on standard output; a closed output is no reason to stop serving.
fn say(line: &str) {
    let line = crate::diag::escape_controls(line, true);
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// A message and its hint, as `run` prints them after `error: `.
fn with_hint(message: impl std::fmt::Display, hint: Text) -> String {
    format!("{message}\n  {}: {hint}", t!("label-hint"))
}

fn serve(args: Options) -> Result<(), String> {
    let paths = Paths {
        sheets: args.sheets,
        templates: args.templates,
        output: args.output,
    };
    let (server, address) = listen(args.host, args.port)?;
    let (events, incoming) = channel();
    let watched = watched_folders(&paths)?;
    let root = output_root(&paths.output)?;
    let watched: Vec<&Path> = watched.iter().map(PathBuf::as_path).collect();
    let _watcher = watch::watch(&watched, root.clone(), events.clone())?;
    let building = Arc::new(AtomicBool::new(false));
    stop_on_ctrl_c(events, Arc::clone(&building), root.clone())?;
    let url = format!("http://{address}/");
    say(&tr!("serve-serving", url = url.as_str()));

    let site = Arc::new(http::Site {
        root: root.clone(),
        // The state the last build left, whoever made it: a page of a
        // previous server catches up from there.
        live: Live::new(live::state_of(&Manifest::load(&root).unwrap_or_default())),
        hosts: args
            .host
            .is_loopback()
            .then(|| allowed_hosts(address.port())),
    });
    let server = Arc::new(server);
    let listener = answer_requests(Arc::clone(&server), Arc::clone(&site));

    let mut rebuild = Rebuild {
        paths,
        root,
        live: &site.live,
        building,
        timings: args.timings,
    };
    rebuild.run(&[]);
    say(&tr!(
        "serve-watching",
        sheets = rebuild.paths.sheets.display(),
        templates = rebuild.paths.templates.display(),
        url = url.as_str()
    ));
    if args.open
        && let Err(err) = opener::open_browser(&url)
    {
        let warning = t!("serve-no-browser", reason = crate::diag::error_reason(&err));
        eprintln!("{}: {warning}", t!("label-warning"));
    }
    while let Some(changed) = next_change(&incoming) {
        rebuild.run(&changed);
    }

    site.live.close();
    server.unblock();
    let _ = listener.join();
    say(&tr!("serve-stopped"));
    Ok(())
}

/// The server on `host:port`, and the address it listens on (the port
/// chosen when `port` is 0); a warning when other machines can reach it.
fn listen(host: IpAddr, port: u16) -> Result<(tiny_http::Server, SocketAddr), String> {
    let wanted = SocketAddr::new(host, port);
    let cannot = || t!("serve-cannot-listen", address = wanted.to_string());
    let server = tiny_http::Server::http(wanted).map_err(|err| {
        let err = anyhow::anyhow!(err).context(cannot());
        with_hint(io_message(&err), t!("serve-cannot-listen-hint"))
    })?;
    let address = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| cannot().to_string())?;
    if !host.is_loopback() {
        let warning = t!("serve-not-loopback", host = host.to_string());
        eprintln!("{}: {warning}", t!("label-warning"));
    }
    Ok((server, address))
}

/// The sheets and templates folders, resolved, for the watcher.
fn watched_folders(paths: &Paths) -> Result<Vec<PathBuf>, String> {
    let folders = [
        (&paths.sheets, "--sheets"),
        (&paths.templates, "--templates"),
    ];
    let mut watched = Vec::new();
    for (dir, option) in folders {
        let found = dir.canonicalize().map_err(|err| {
            let context = t!("serve-cannot-watch-folder", path = dir.display());
            let message = io_message(&anyhow::Error::new(err).context(context));
            with_hint(
                message,
                t!("serve-cannot-watch-folder-hint", option = option),
            )
        })?;
        watched.push(found);
    }
    Ok(watched)
}

/// The output folder, made if needed, resolved: what the server serves.
fn output_root(output: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(output)
        .and_then(|()| output.canonicalize())
        .map_err(|err| {
            let context = t!("cannot-create-path", path = output.display());
            io_message(&anyhow::Error::new(err).context(context)).to_string()
        })
}

/// Answers the server's requests, each on a thread of its own, until the
/// server is unblocked.
fn answer_requests(
    server: Arc<tiny_http::Server>,
    site: Arc<http::Site>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let site = Arc::clone(&site);
            // Without a thread the request is dropped, and tiny_http answers 500.
            let _ = std::thread::Builder::new().spawn(move || http::handle(request, &site));
        }
    })
}

/// The `Host` headers a loopback server answers.
fn allowed_hosts(port: u16) -> Vec<String> {
    let names = ["127.0.0.1", "localhost", "[::1]"];
    let mut hosts: Vec<String> = names.iter().map(|n| format!("{n}:{port}")).collect();
    if port == 80 {
        hosts.extend(names.iter().map(|n| n.to_string()));
    }
    hosts
}

/// Ctrl-C stops after the build under way; a second Ctrl-C stops at once,
/// removing the build's temporary files from the output folder `root` (every
/// file is written whole and renamed into place, so nothing is left
/// half-written, and the folder stays publishable as it is).
fn stop_on_ctrl_c(
    events: std::sync::mpsc::Sender<Event>,
    building: Arc<AtomicBool>,
    root: PathBuf,
) -> Result<(), String> {
    let pressed = AtomicBool::new(false);
    ctrlc::set_handler(move || {
        if pressed.swap(true, Ordering::SeqCst) {
            crate::output::discard_staging(&root);
            std::process::exit(130);
        }
        if building.load(Ordering::SeqCst) {
            eprintln!("{}", t!("serve-stopping"));
        }
        let _ = events.send(Event::Stop);
    })
    .map_err(|err| tr!("serve-ctrl-c", reason = crate::diag::error_reason(&err)))
}

/// The files changed by the next burst of events, every burst already
/// waiting merged in; `None` on Ctrl-C.
fn next_change(incoming: &Receiver<Event>) -> Option<Vec<PathBuf>> {
    let mut changed = match incoming.recv() {
        Ok(Event::Changed(paths)) => paths,
        Ok(Event::Stop) | Err(_) => return None,
    };
    while let Ok(event) = incoming.try_recv() {
        match event {
            Event::Changed(paths) => changed.extend(paths),
            Event::Stop => return None,
        }
    }
    changed.sort();
    changed.dedup();
    Some(changed)
}

/// Characters escaped in a URL path's segment, as a browser's
/// `location.pathname` has them.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The URL path of a file of the output folder (`2019/a b.html` is
/// `/2019/a%20b.html`).
fn url_path(path: &str) -> String {
    path.split('/')
        .map(|segment| format!("/{}", utf8_percent_encode(segment, SEGMENT)))
        .collect()
}

/// The rebuilds of a session.
struct Rebuild<'a> {
    paths: Paths,
    root: PathBuf,
    live: &'a Live,
    building: Arc<AtomicBool>,
    /// Print the build's lines and timings.
    timings: bool,
}

impl Rebuild<'_> {
    /// Rebuilds after `changed` (nothing for the first build): the sheets,
    /// whose pages reload at once, then the year files.
    fn run(&mut self, changed: &[PathBuf]) {
        if let Some(first) = changed.first() {
            let more = match changed.len() {
                1 => String::new(),
                n => tr!("serve-more", files = n - 1),
            };
            say(&tr!(
                "serve-changed",
                path = shown(first).display(),
                more = more
            ));
        }
        self.building.store(true, Ordering::SeqCst);
        if self.stage(Stage::Sheets) {
            self.stage(Stage::Everything);
        }
        self.building.store(false, Ordering::SeqCst);
    }

    /// One stage of a build; says whether it succeeded.
    fn stage(&mut self, stage: Stage) -> bool {
        let name = match stage {
            Stage::Sheets => "sheets",
            Stage::Everything => "year",
        };
        let start = Instant::now();
        let result = build(&self.paths, stage, self.timings);
        let seconds = crate::i18n::seconds(start.elapsed());
        match result {
            Ok(report) => {
                // What the build says it wrote and removed, and the state
                // its manifest names.
                let changed: Vec<String> = report.changed.iter().map(|p| url_path(p)).collect();
                let pages = changed.len();
                self.live.succeeded(stage);
                let state = live::state_of(&Manifest::load(&self.root).unwrap_or_default());
                self.live.changed(state, changed);
                let compiled = match stage {
                    Stage::Sheets => report.compiled as i64,
                    Stage::Everything => -1,
                };
                say(&tr!(
                    "serve-built",
                    stage = name,
                    seconds = seconds,
                    compiled = compiled,
                    files = report.written + report.removed.len(),
                    pages = pages
                ));
                true
            }
            Err(diagnostics) => {
                eprint!("{}", diagnostics.report());
                say(&tr!("serve-failed", stage = name, seconds = seconds));
                self.live.failed(stage, Failure::new(&diagnostics));
                false
            }
        }
    }
}

/// A watched path as the person gave it: relative to the current folder
/// when inside it.
fn shown(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_become_url_paths_as_browsers_write_them() {
        assert_eq!(url_path("2019/2019_A01.html"), "/2019/2019_A01.html");
        assert_eq!(url_path("2019/a b#1.pdf"), "/2019/a%20b%231.pdf");
        assert_eq!(url_path("index.html"), "/index.html");
    }
}
