//! The reload channel: what each build changed, the errors of a failed
//! build, and the open pages listening for both (Server-Sent Events).
//!
//! The output folder's state has a name that does not depend on the
//! server: a digest of the manifest's files and their hashes. A page is
//! served with the state it was read at; its stream, or its question
//! `/__schede/changes?since=`, gets what changed since then, so that a
//! build landing between the page's request and its stream still reloads
//! it, and a page open while the server was stopped catches up when the
//! server is back (the new server's first build starts from the state the
//! last one left on disk). A state the server does not know reloads
//! everything.
//!
//! Each stream starts with `hello`: the server's instance (a page tells a
//! restarted server by it) and the texts a page shows when the server stops
//! or comes back.

use std::collections::VecDeque;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::diag::Diagnostics;
use crate::manifest::Manifest;
use crate::tr;

/// How many states are remembered for replay; a page older than that
/// reloads whatever changed.
const HISTORY: usize = 256;

/// The name of the state of the output folder whose manifest is `manifest`.
pub fn state_of(manifest: &Manifest) -> String {
    let mut digest = Sha256::new();
    for (path, entry) in &manifest.files {
        digest.update(path.as_bytes());
        digest.update([0]);
        digest.update(entry.hash.as_bytes());
        digest.update([0]);
    }
    digest.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Which part of a rebuild failed: an error of the year files (volumes,
/// indexes) must not be cleared by the sheets' success alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The sheets' PDFs and pages.
    Sheets,
    /// Everything, the volumes, indexes and open data included.
    Everything,
}

/// The errors of a failed build, as the overlay shows them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Failure {
    /// Each diagnostic as the terminal prints it: `path:line:column: error: message`,
    /// then its hints.
    pub diagnostics: Vec<String>,
    /// `2 errors, 0 warnings`.
    pub summary: String,
    /// The overlay's title and the label of its button, in the run's language.
    pub title: String,
    pub close: String,
}

impl Failure {
    pub fn new(diagnostics: &Diagnostics) -> Failure {
        let report = diagnostics.report();
        let summary = report.lines().last().unwrap_or_default().to_string();
        Failure {
            diagnostics: diagnostics.sorted().iter().map(|d| d.to_string()).collect(),
            title: tr!("serve-overlay-title", summary = summary.as_str()),
            close: tr!("serve-overlay-close"),
            summary,
        }
    }
}

struct State {
    /// This server's instance: another one means the server restarted.
    server: String,
    /// The current state of the output folder.
    current: String,
    /// The state before the oldest remembered change.
    oldest: String,
    /// The recent changes, oldest first: the state each led to, and the
    /// URL paths it changed.
    history: VecDeque<(String, Vec<String>)>,
    failure: Option<(Stage, Failure)>,
    listeners: Vec<Sender<String>>,
    closed: bool,
}

/// The shared state of the reload channel.
pub struct Live {
    state: Mutex<State>,
}

impl Live {
    /// The channel of a server whose output folder is in state `current`.
    pub fn new(current: String) -> Live {
        // A random number without a clock or a crate: std's hasher keys.
        let server = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Live {
            state: Mutex::new(State {
                server: format!("{server:016x}"),
                oldest: current.clone(),
                current,
                history: VecDeque::new(),
                failure: None,
                listeners: Vec::new(),
                closed: false,
            }),
        }
    }

    /// The current state, to stamp a page with before reading it.
    pub fn current(&self) -> String {
        self.lock()
            .map(|state| state.current.clone())
            .unwrap_or_default()
    }

    /// The URL paths changed since state `since` (`*`: anything).
    pub fn since(&self, since: &str) -> Vec<String> {
        self.lock().map_or_else(
            || vec!["*".to_string()],
            |state| changes_since(&state, since),
        )
    }

    /// A new listener, with the events it must get first: `hello`, what
    /// changed since state `since`, then the errors or their absence.
    /// `None` once the server is stopping.
    pub fn listen(&self, since: Option<&str>) -> Option<(Receiver<String>, Vec<String>)> {
        let mut state = self.lock()?;
        if state.closed {
            return None;
        }
        let hello = json!({
            "server": state.server,
            "state": state.current,
            "stopped": tr!("serve-live-stopped"),
            "restarted": tr!("serve-live-restarted"),
        });
        let mut first = vec![event("hello", &hello.to_string(), None)];
        let changed = since.map_or_else(Vec::new, |since| changes_since(&state, since));
        if !changed.is_empty() {
            first.push(reload_event(&state.current, &changed));
        }
        first.push(match &state.failure {
            Some((_, failure)) => errors_event(failure),
            None => event("ok", "{}", None),
        });
        let (sender, receiver) = channel();
        state.listeners.push(sender);
        Some((receiver, first))
    }

    /// A build left the output folder in state `current`, changing these
    /// URL paths (like `/2019/2019_A01.html`): the pages showing them reload.
    pub fn changed(&self, current: String, paths: Vec<String>) {
        let Some(mut state) = self.lock() else {
            return;
        };
        if current == state.current && paths.is_empty() {
            return;
        }
        let message = reload_event(&current, &paths);
        state.current = current.clone();
        state.history.push_back((current, paths));
        if state.history.len() > HISTORY
            && let Some((oldest, _)) = state.history.pop_front()
        {
            state.oldest = oldest;
        }
        broadcast(&mut state, &message);
    }

    /// A build of `stage` failed: every open page shows its errors.
    pub fn failed(&self, stage: Stage, failure: Failure) {
        let Some(mut state) = self.lock() else {
            return;
        };
        let message = errors_event(&failure);
        state.failure = Some((stage, failure));
        broadcast(&mut state, &message);
    }

    /// A build of `stage` succeeded: the errors it had go away. The sheets'
    /// success does not clear an error of the volumes.
    pub fn succeeded(&self, stage: Stage) {
        let Some(mut state) = self.lock() else {
            return;
        };
        let clears = match state.failure {
            Some((failed, _)) => failed == Stage::Sheets || stage == Stage::Everything,
            None => false,
        };
        if clears {
            state.failure = None;
            broadcast(&mut state, &event("ok", "{}", None));
        }
    }

    /// Ends every stream: the server is stopping.
    pub fn close(&self) {
        if let Some(mut state) = self.lock() {
            state.closed = true;
            state.listeners.clear();
        }
    }

    fn lock(&self) -> Option<std::sync::MutexGuard<'_, State>> {
        self.state.lock().ok()
    }
}

/// The URL paths changed since state `since`: those of every later change,
/// or `*` for a state this server does not know.
fn changes_since(state: &State, since: &str) -> Vec<String> {
    if since == state.current {
        return Vec::new();
    }
    let later = if since == state.oldest {
        Some(0)
    } else {
        (state.history.iter())
            .position(|(reached, _)| reached == since)
            .map(|at| at + 1)
    };
    let Some(later) = later else {
        return vec!["*".to_string()];
    };
    let mut paths: Vec<String> = (state.history.iter().skip(later))
        .flat_map(|(_, paths)| paths.iter().cloned())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

fn broadcast(state: &mut State, message: &str) {
    state
        .listeners
        .retain(|listener| listener.send(message.to_string()).is_ok());
}

fn reload_event(state: &str, paths: &[String]) -> String {
    let data = serde_json::to_string(paths).unwrap_or_else(|_| "[\"*\"]".to_string());
    event("reload", &data, Some(state))
}

fn errors_event(failure: &Failure) -> String {
    event(
        "errors",
        &serde_json::to_string(failure).unwrap_or_default(),
        None,
    )
}

/// One Server-Sent Event; `data` is one line of JSON.
fn event(name: &str, data: &str, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("event: {name}\nid: {id}\ndata: {data}\n\n"),
        None => format!("event: {name}\ndata: {data}\n\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    fn failure() -> Failure {
        let mut all = Diagnostics::default();
        all.push(
            Diagnostic::error("sheets/2019/a.md", crate::t!("must-not-be-empty"))
                .at(3, 1)
                .field("titolo"),
        );
        Failure::new(&all)
    }

    /// The events a new page gets after `hello`.
    fn first(live: &Live, since: &str) -> Vec<String> {
        let (_, first) = live.listen(Some(since)).unwrap();
        assert!(
            first[0].starts_with("event: hello\ndata: {"),
            "{}",
            first[0]
        );
        first[1..].to_vec()
    }

    /// The event a new page gets last: `errors` or `ok`.
    fn condition(live: &Live) -> String {
        let events = first(live, &live.current());
        events[0].lines().next().unwrap().to_string()
    }

    #[test]
    fn a_listener_gets_what_changed_since_its_page_then_the_state() {
        let live = Live::new("s0".into());
        live.changed("s1".into(), vec!["/2019/a.html".into()]);
        live.changed(
            "s2".into(),
            vec!["/2019/b.pdf".into(), "/2019/a.html".into()],
        );
        assert_eq!(
            first(&live, "s0"),
            [
                "event: reload\nid: s2\ndata: [\"/2019/a.html\",\"/2019/b.pdf\"]\n\n",
                "event: ok\ndata: {}\n\n"
            ]
        );
        assert_eq!(live.since("s1"), ["/2019/a.html", "/2019/b.pdf"]);
        assert_eq!(first(&live, "s2"), ["event: ok\ndata: {}\n\n"]);
        assert_eq!(live.since("s2"), Vec::<String>::new());
    }

    #[test]
    fn a_state_of_another_server_reloads_anything() {
        let live = Live::new("s0".into());
        live.changed("s1".into(), vec!["/2019/a.html".into()]);
        assert_eq!(live.since("elsewhere"), ["*"]);
    }

    #[test]
    fn hello_names_the_server_and_the_state() {
        let live = Live::new("s0".into());
        let other = Live::new("s0".into());
        let hello = |live: &Live| {
            let (_, first) = live.listen(None).unwrap();
            let data = first[0]
                .lines()
                .nth(1)
                .unwrap()
                .strip_prefix("data: ")
                .unwrap()
                .to_string();
            serde_json::from_str::<serde_json::Value>(&data).unwrap()
        };
        let (one, two) = (hello(&live), hello(&other));
        assert_eq!(one["state"], "s0");
        assert_ne!(one["server"], two["server"], "each server is another");
        assert_eq!(
            one["stopped"],
            "schede serve is not running: this page will update when it is back"
        );
    }

    #[test]
    fn the_state_is_named_by_the_files_and_their_hashes() {
        let mut manifest = Manifest::default();
        let empty = state_of(&manifest);
        let entry = |hash: &str| crate::manifest::Entry {
            key: "k".into(),
            hash: hash.into(),
            pages: None,
            size: None,
        };
        manifest.files.insert("2019/a.pdf".into(), entry("h1"));
        let one = state_of(&manifest);
        manifest.files.get_mut("2019/a.pdf").unwrap().key = "other key".into();
        assert_eq!(state_of(&manifest), one, "a new key with the same bytes");
        manifest.files.insert("2019/a.pdf".into(), entry("h2"));
        assert_ne!(state_of(&manifest), one);
        assert_ne!(one, empty);
        assert_eq!(one.len(), 16);
    }

    #[test]
    fn errors_reach_every_listener_until_a_good_build() {
        let live = Live::new("s0".into());
        let (events, _) = live.listen(None).unwrap();
        live.failed(Stage::Sheets, failure());
        let message = events.recv().unwrap();
        assert_eq!(
            message,
            "event: errors\ndata: {\"diagnostics\":[\"sheets/2019/a.md:3:1: error: field `titolo`: must not be empty\"],\"summary\":\"1 error, 0 warnings\",\"title\":\"The build failed: 1 error, 0 warnings. The pages show the last good build.\",\"close\":\"Hide until the next build\"}\n\n"
        );
        assert_eq!(condition(&live), "event: errors");
        live.succeeded(Stage::Sheets);
        assert_eq!(events.recv().unwrap(), "event: ok\ndata: {}\n\n");
        assert_eq!(condition(&live), "event: ok");
    }

    #[test]
    fn the_sheets_success_keeps_an_error_of_the_volumes() {
        let live = Live::new("s0".into());
        live.failed(Stage::Everything, failure());
        live.succeeded(Stage::Sheets);
        assert_eq!(condition(&live), "event: errors");
        live.succeeded(Stage::Everything);
        assert_eq!(condition(&live), "event: ok");
    }

    #[test]
    fn a_page_older_than_the_history_reloads_anything() {
        let live = Live::new("s0".into());
        for i in 0..HISTORY + 2 {
            live.changed(format!("s{}", i + 1), vec![format!("/{i}.html")]);
        }
        // The last HISTORY changes are remembered: from s2 on.
        assert_eq!(live.since("s0"), ["*"]);
        assert_eq!(live.since("s1"), ["*"]);
        assert_eq!(live.since("s2").len(), HISTORY);
        assert_eq!(live.since(&format!("s{}", HISTORY + 1)), ["/257.html"]);
    }

    #[test]
    fn closing_ends_the_streams() {
        let live = Live::new("s0".into());
        let (events, _) = live.listen(None).unwrap();
        live.close();
        assert!(events.recv().is_err());
        assert!(live.listen(None).is_none());
    }
}
