//! The manifest: the one record of what a build wrote into the output folder.
//!
//! It lives in `output/.schede-manifest.json` and lists every file the last
//! build produced (path relative to the output folder), with the key of the
//! inputs it was made from, the hash of its bytes and, for PDFs, its pages.
//! It serves twice:
//! - as the cache: an output is reused when its key matches and the file on
//!   disk still holds the recorded bytes (its recorded size and a time older
//!   than the manifest's, or else the recorded hash: [`Manifest::holds`]);
//!   a file is removed only if its bytes have the recorded hash;
//! - as the list of what is ours: a build removes only files it recorded
//!   and no longer produces, and overwrites only files it recorded (or whose
//!   bytes are already the ones it would write). Anything else is the user's.
//!
//! While a build runs, the manifest also names the folder of its temporary
//! files ([`Manifest::staging`]), so that a build that was killed leaves
//! nothing behind that the next one does not know to be its own.
//!
//! A key is a SHA-256 over every input of an output, starting with the
//! identity of the running binary, so a rebuilt tool never reuses an output
//! of another build of itself.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::t;

/// The manifest's name inside the output folder.
pub const FILE: &str = ".schede-manifest.json";

/// What the outputs of a build were made from.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Per output file (path relative to the output folder, `/`-separated).
    pub files: BTreeMap<String, Entry>,
    /// The folder of a build's temporary files while it runs; still set
    /// after a build that was killed, whose leftovers the next one removes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staging: Option<String>,
    /// When the manifest was written, to a fraction of a second, if the
    /// file system keeps such times: see [`Manifest::holds`].
    #[serde(skip)]
    pub written: Option<SystemTime>,
}

/// One output file's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The hash of the inputs it was made from.
    pub key: String,
    /// The hash of its bytes.
    pub hash: String,
    /// Its pages, for a PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    /// Its size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

impl Manifest {
    /// Reads the manifest of `output`. A missing one is empty; an unreadable
    /// or damaged one is empty too, which makes nothing in the folder ours.
    /// The manifest is data, never authority: a path in it that is not a
    /// plain relative path inside the output folder (`..`, absolute, a
    /// drive) is an error, and nothing it lists is touched.
    pub fn load(output: &Path) -> Result<Manifest, Diagnostic> {
        let written = fs::metadata(output.join(FILE))
            .and_then(|meta| meta.modified())
            .ok()
            .filter(|time| precise(*time));
        let manifest = fs::read(output.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Manifest>(&bytes).ok())
            .map(|manifest| Manifest {
                written,
                ..manifest
            })
            .unwrap_or_default();
        match manifest.files.keys().find(|path| !is_plain(path)) {
            Some(path) => Err(Diagnostic::error(
                output.join(FILE),
                t!("manifest-bad-path", path = path.as_str()),
            )
            .hint(t!("manifest-bad-path-hint"))),
            None => Ok(manifest),
        }
    }

    /// The manifest as JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The record of `path` if it was made from `key` and the file under
    /// `output` is intact.
    pub fn fresh(&self, output: &Path, path: &str, key: &str) -> Option<&Entry> {
        let entry = self.files.get(path).filter(|entry| entry.key == key)?;
        self.holds(&output.join(path), entry).then_some(entry)
    }

    /// Whether the file at `path` still holds the bytes `entry` records. A
    /// file of the recorded size that was last changed before this manifest
    /// was written is taken to, without being read, as make and cargo trust
    /// times: a no-op build then reads no output. Any other file is read
    /// and hashed. Only times to a fraction of a second count, so that on a
    /// file system that keeps whole seconds a file changed within the second
    /// of a build is still read.
    pub fn holds(&self, path: &Path, entry: &Entry) -> bool {
        let untouched = |meta: fs::Metadata| {
            let modified = meta.modified().ok().filter(|time| precise(*time));
            Some(meta.len()) == entry.size
                && modified
                    .zip(self.written)
                    .is_some_and(|(file, us)| file < us)
        };
        fs::metadata(path).is_ok_and(untouched) || file_hash(path).as_deref() == Some(&entry.hash)
    }
}

/// Whether a file time has a fraction of a second.
fn precise(time: SystemTime) -> bool {
    time.duration_since(UNIX_EPOCH)
        .is_ok_and(|since| since.subsec_nanos() != 0)
}

/// Whether `path` is a plain relative path: `/`-separated names, none of
/// them empty, `.` or `..`, with no root, drive or backslash, so that it
/// stays inside the folder it is joined to.
pub fn is_plain(path: &str) -> bool {
    !path.contains(['\\', '\0'])
        && path
            .split('/')
            .all(|name| !name.is_empty() && name != "." && name != "..")
        && Path::new(path)
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
}

/// The SHA-256 of a file's bytes, if it can be read.
pub fn file_hash(path: &Path) -> Option<String> {
    fs::read(path).ok().map(|bytes| hash(&bytes))
}

/// The SHA-256 of some bytes, in hex.
pub fn hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes in lowercase hex, as the manifest writes hashes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The running binary: its version, and the size and date of its file, so
/// that any rebuild of the tool changes every key.
fn tool_identity() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let exe = std::env::current_exe()
            .and_then(fs::metadata)
            .map(|meta| {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{} {modified}", meta.len())
            })
            .unwrap_or_default();
        format!("{} {exe}", env!("CARGO_PKG_VERSION"))
    })
}

/// Builds a key from a sequence of parts.
#[derive(Clone)]
pub struct Key(Sha256);

impl Default for Key {
    fn default() -> Self {
        Key::new()
    }
}

impl Key {
    /// A key that starts with the running binary's identity.
    pub fn new() -> Key {
        Key(Sha256::new()).part(tool_identity().as_bytes())
    }

    /// Adds a part; its length is hashed too, so parts cannot run together.
    pub fn part(mut self, part: &[u8]) -> Key {
        self.0.update((part.len() as u64).to_le_bytes());
        self.0.update(part);
        self
    }

    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }

    /// A key over the files of `dir` whose names end with `suffix`, read in
    /// name order (for the templates).
    pub fn folder(dir: &Path, suffix: &str) -> String {
        let mut paths: Vec<PathBuf> = fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        paths.sort();
        paths
            .iter()
            .filter(|p| p.is_file() && p.to_string_lossy().ends_with(suffix))
            .fold(Key::new(), |key, path| {
                key.part(path.file_name().unwrap_or_default().as_encoded_bytes())
                    .part(&fs::read(path).unwrap_or_default())
            })
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_manifest_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE), b"{not json").unwrap();
        assert_eq!(Manifest::load(dir.path()).unwrap(), Manifest::default());
    }

    #[test]
    fn only_plain_relative_paths_are_plain() {
        for path in ["index.html", "2019/2019_Z101.pdf", "a/b/c.txt"] {
            assert!(is_plain(path), "{path}");
        }
        for path in [
            "",
            "../mine.txt",
            "2019/../../templates/year.html",
            "/etc/passwd",
            "a//b",
            "./a",
            "a/.",
            "..",
            "a\\..\\b",
            "C:\\x",
        ] {
            assert!(!is_plain(path), "{path}");
        }
    }

    #[test]
    fn a_manifest_listing_a_path_out_of_the_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let forged = r#"{"files": {"index.html": {"key": "k", "hash": "h"},
            "../mine.txt": {"key": "k", "hash": "h"}}}"#;
        fs::write(dir.path().join(FILE), forged).unwrap();
        let err = Manifest::load(dir.path()).unwrap_err();
        assert_eq!(
            err.message.to_string(),
            "the manifest lists `../mine.txt`, which is not a plain path inside the output folder"
        );
        assert_eq!(err.path, dir.path().join(FILE));
    }

    #[test]
    fn fresh_needs_the_same_key_and_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2019/a.pdf");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, b"pdf").unwrap();
        let mut manifest = Manifest::default();
        let entry = Entry {
            key: "k1".into(),
            hash: hash(b"pdf"),
            pages: Some(2),
            size: None,
        };
        manifest.files.insert("2019/a.pdf".into(), entry);
        assert!(manifest.fresh(dir.path(), "2019/a.pdf", "k1").is_some());
        assert!(manifest.fresh(dir.path(), "2019/a.pdf", "k2").is_none());
        fs::write(&path, b"pdf, truncated").unwrap();
        assert!(manifest.fresh(dir.path(), "2019/a.pdf", "k1").is_none());
    }

    #[test]
    fn a_file_older_than_the_manifest_with_its_size_is_not_read_and_any_other_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.pdf");
        fs::write(&path, b"pdf").unwrap();
        let file = fs::File::options().write(true).open(&path).unwrap();
        let time = UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 5);
        file.set_modified(time).unwrap();
        let mut manifest = Manifest {
            written: Some(time + std::time::Duration::from_secs(1)),
            ..Manifest::default()
        };
        let entry = |hash: String| Entry {
            key: "k".into(),
            hash,
            pages: None,
            size: Some(3),
        };
        // Trusted: recorded bytes that are not the file's.
        manifest.files.insert("a.pdf".into(), entry(hash(b"oth")));
        assert!(manifest.fresh(dir.path(), "a.pdf", "k").is_some());
        // Changed after the manifest: read, and not the recorded bytes.
        file.set_modified(time + std::time::Duration::from_secs(2))
            .unwrap();
        assert!(manifest.fresh(dir.path(), "a.pdf", "k").is_none());
        manifest.files.insert("a.pdf".into(), entry(hash(b"pdf")));
        assert!(manifest.fresh(dir.path(), "a.pdf", "k").is_some());
        // A time of whole seconds is never trusted.
        let whole = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        file.set_modified(whole).unwrap();
        manifest.files.insert("a.pdf".into(), entry(hash(b"oth")));
        assert!(manifest.fresh(dir.path(), "a.pdf", "k").is_none());
    }

    #[test]
    fn key_parts_do_not_run_together() {
        let ab = Key::new().part(b"a").part(b"b").finish();
        let a_b = Key::new().part(b"ab").finish();
        assert_ne!(ab, a_b);
    }
}
