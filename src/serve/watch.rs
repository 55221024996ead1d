//! Watching the sources: the sheets and templates folders, recursively.
//! A burst of file events (an editor's save writes, renames and deletes
//! several files within milliseconds) arrives as one message.
//!
//! Only events that can change a file count: the build itself opens and
//! reads every source, and on Linux those reads are events too.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::{t, tr};

/// How long the sources must stay quiet before a burst ends. An editor's
/// save is over within a few milliseconds.
const QUIET: Duration = Duration::from_millis(50);

/// The longest a burst can hold the rebuild back, should a program keep
/// writing into the sources.
const LONGEST: Duration = Duration::from_secs(1);

/// What the serve loop waits for.
#[derive(Debug)]
pub enum Event {
    /// These source files changed (already filtered).
    Changed(Vec<PathBuf>),
    /// Ctrl-C.
    Stop,
}

/// Watches `dirs` until the returned watcher is dropped, sending the
/// changed files that matter to `events`; files under `ignore` (the output
/// folder, should it sit inside a watched folder) never count.
pub fn watch(
    dirs: &[&Path],
    ignore: PathBuf,
    events: Sender<Event>,
) -> Result<RecommendedWatcher, String> {
    let (raw, incoming) = channel();
    let mut watcher = notify::recommended_watcher(raw).map_err(|err| {
        tr!(
            "serve-cannot-watch",
            reason = crate::diag::error_reason(&err)
        )
    })?;
    for dir in dirs {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|err| {
                let reason = crate::diag::error_reason(&err);
                tr!(
                    "serve-cannot-watch-path",
                    path = dir.display(),
                    reason = reason
                )
            })?;
    }
    std::thread::spawn(move || debounce(&incoming, &ignore, &events));
    Ok(watcher)
}

/// Turns the raw events into one message per burst, until either side
/// closes.
fn debounce(
    incoming: &Receiver<notify::Result<notify::Event>>,
    ignore: &Path,
    events: &Sender<Event>,
) {
    let relevant = |event: notify::Result<notify::Event>| -> Vec<PathBuf> {
        match event {
            Ok(event) if changes(&event.kind) => event
                .paths
                .into_iter()
                .filter(|path| matters(path) && !path.starts_with(ignore))
                .collect(),
            Ok(_) => Vec::new(),
            Err(err) => {
                let reason = crate::diag::error_reason(&err);
                let warning = t!("serve-cannot-watch", reason = reason);
                eprintln!("{}: {warning}", t!("label-warning"));
                Vec::new()
            }
        }
    };
    while let Ok(event) = incoming.recv() {
        let mut paths = relevant(event);
        if paths.is_empty() {
            continue;
        }
        let start = Instant::now();
        let mut quiet_from = start;
        loop {
            let now = Instant::now();
            let deadline = (quiet_from + QUIET).min(start + LONGEST);
            if now >= deadline {
                break;
            }
            match incoming.recv_timeout(deadline - now) {
                Ok(event) => {
                    let more = relevant(event);
                    if !more.is_empty() {
                        paths.extend(more);
                        quiet_from = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        paths.sort();
        paths.dedup();
        if events.send(Event::Changed(paths)).is_err() {
            return;
        }
    }
}

/// Whether an event can change a file: not a mere open, read or close
/// after reading.
fn changes(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether a changed path can change the build: not an editor's swap,
/// backup or probe file, nor a hidden one.
fn matters(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    !(name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        // Vim's probe of a folder's permissions.
        || name == "4913")
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind};

    #[test]
    fn editors_scratch_files_do_not_matter() {
        for path in [
            "sheets/2019/.2019_A01.md.swp",
            "sheets/2019/2019_A01.md~",
            "sheets/2019/4913",
            "templates/.#sheet.html",
        ] {
            assert!(!matters(Path::new(path)), "{path}");
        }
        for path in [
            "sheets/2019/2019_A01.md",
            "sheets/2019",
            "templates/sheet.typ",
        ] {
            assert!(matters(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn reading_a_source_is_no_change() {
        assert!(!changes(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn a_burst_is_one_message() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let (sender, received) = channel();
        let _watcher = watch(&[&root], root.join("output"), sender).unwrap();
        let sheet = root.join("a.md");
        std::fs::write(&sheet, "one").unwrap();
        std::fs::write(root.join("a.md~"), "backup").unwrap();
        std::fs::write(&sheet, "two").unwrap();
        std::fs::create_dir(root.join("output")).unwrap();
        std::fs::write(root.join("output/a.html"), "page").unwrap();
        let Ok(Event::Changed(paths)) = received.recv_timeout(Duration::from_secs(10)) else {
            panic!("no change");
        };
        assert_eq!(paths, [sheet]);
        std::fs::read_to_string(root.join("a.md")).unwrap();
        assert!(
            received.recv_timeout(QUIET * 4).is_err(),
            "a read is no change"
        );
    }
}
