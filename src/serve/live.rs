//! The reload channel: what each build changed, the errors of a failed
//! build, and the open pages listening for both (Server-Sent Events).
//!
//! Every build that changes files is a new generation. A page is served
//! with the generation it was read at, and its event stream starts by
//! replaying what changed since then, so that a build landing between the
//! page's request and its stream's connection still reloads it.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::tr;

/// How many generations are remembered for replay; a page older than that
/// reloads whatever changed.
const HISTORY: usize = 256;

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

#[derive(Default)]
struct State {
    generation: u64,
    /// The URL paths changed by each recent generation, oldest first.
    history: VecDeque<(u64, Vec<String>)>,
    failure: Option<(Stage, Failure)>,
    listeners: Vec<Sender<String>>,
    closed: bool,
}

/// The shared state of the reload channel.
#[derive(Default)]
pub struct Live {
    state: Mutex<State>,
}

impl Live {
    /// The current generation, to stamp a page with before reading it.
    pub fn generation(&self) -> u64 {
        self.lock().map_or(0, |state| state.generation)
    }

    /// A new listener, with the events it must get first: what changed
    /// since generation `since`, then the errors or their absence. `None`
    /// once the server is stopping.
    pub fn listen(&self, since: u64) -> Option<(Receiver<String>, Vec<String>)> {
        let mut state = self.lock()?;
        if state.closed {
            return None;
        }
        let mut first = Vec::new();
        if since < state.generation {
            let oldest = state.history.front().map_or(u64::MAX, |(g, _)| *g);
            let changed: Vec<String> = if since + 1 < oldest {
                vec!["*".to_string()]
            } else {
                let mut paths: Vec<String> = state
                    .history
                    .iter()
                    .filter(|(g, _)| *g > since)
                    .flat_map(|(_, paths)| paths.iter().cloned())
                    .collect();
                paths.sort();
                paths.dedup();
                paths
            };
            first.push(reload_event(state.generation, &changed));
        }
        first.push(match &state.failure {
            Some((_, failure)) => errors_event(failure),
            None => event("ok", "{}", None),
        });
        let (sender, receiver) = channel();
        state.listeners.push(sender);
        Some((receiver, first))
    }

    /// A build changed these URL paths (like `/2019/2019_A01.html`):
    /// the pages showing them reload.
    pub fn changed(&self, paths: Vec<String>) {
        if paths.is_empty() {
            return;
        }
        let Some(mut state) = self.lock() else {
            return;
        };
        state.generation += 1;
        let generation = state.generation;
        let message = reload_event(generation, &paths);
        state.history.push_back((generation, paths));
        if state.history.len() > HISTORY {
            state.history.pop_front();
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

fn broadcast(state: &mut State, message: &str) {
    state
        .listeners
        .retain(|listener| listener.send(message.to_string()).is_ok());
}

fn reload_event(generation: u64, paths: &[String]) -> String {
    let data = serde_json::to_string(paths).unwrap_or_else(|_| "[\"*\"]".to_string());
    event("reload", &data, Some(generation))
}

fn errors_event(failure: &Failure) -> String {
    event(
        "errors",
        &serde_json::to_string(failure).unwrap_or_default(),
        None,
    )
}

/// One Server-Sent Event; `data` is one line of JSON.
fn event(name: &str, data: &str, id: Option<u64>) -> String {
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

    /// The event a new page gets first: `errors` or `ok`.
    fn state(live: &Live) -> String {
        let (_, first) = live.listen(live.generation()).unwrap();
        first[0].lines().next().unwrap().to_string()
    }

    #[test]
    fn a_listener_gets_what_changed_since_its_page_then_the_state() {
        let live = Live::default();
        live.changed(vec!["/2019/a.html".into()]);
        live.changed(vec!["/2019/b.pdf".into(), "/2019/a.html".into()]);
        let (_, first) = live.listen(0).unwrap();
        assert_eq!(
            first,
            [
                "event: reload\nid: 2\ndata: [\"/2019/a.html\",\"/2019/b.pdf\"]\n\n",
                "event: ok\ndata: {}\n\n"
            ]
        );
        let (_, first) = live.listen(2).unwrap();
        assert_eq!(first, ["event: ok\ndata: {}\n\n"]);
    }

    #[test]
    fn errors_reach_every_listener_until_a_good_build() {
        let live = Live::default();
        let (events, _) = live.listen(0).unwrap();
        live.failed(Stage::Sheets, failure());
        let message = events.recv().unwrap();
        assert_eq!(
            message,
            "event: errors\ndata: {\"diagnostics\":[\"sheets/2019/a.md:3:1: error: field `titolo`: must not be empty\"],\"summary\":\"1 error, 0 warnings\",\"title\":\"The build failed: 1 error, 0 warnings. The pages show the last good build.\",\"close\":\"Hide until the next build\"}\n\n"
        );
        let (_, first) = live.listen(0).unwrap();
        assert!(first[0].starts_with("event: errors\n"));
        live.succeeded(Stage::Sheets);
        assert_eq!(events.recv().unwrap(), "event: ok\ndata: {}\n\n");
        assert_eq!(state(&live), "event: ok");
    }

    #[test]
    fn the_sheets_success_keeps_an_error_of_the_volumes() {
        let live = Live::default();
        live.failed(Stage::Everything, failure());
        live.succeeded(Stage::Sheets);
        assert_eq!(state(&live), "event: errors");
        live.succeeded(Stage::Everything);
        assert_eq!(state(&live), "event: ok");
    }

    #[test]
    fn a_page_older_than_the_history_reloads_anything() {
        let live = Live::default();
        for i in 0..HISTORY + 2 {
            live.changed(vec![format!("/{i}.html")]);
        }
        let (_, first) = live.listen(0).unwrap();
        assert!(first[0].contains("data: [\"*\"]"), "{}", first[0]);
    }

    #[test]
    fn closing_ends_the_streams() {
        let live = Live::default();
        let (events, _) = live.listen(0).unwrap();
        live.close();
        assert!(events.recv().is_err());
        assert!(live.listen(0).is_none());
    }
}
