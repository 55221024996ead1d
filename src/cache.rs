//! The build cache: what each output was made from, so that a rebuild skips
//! the sheets whose inputs did not change.
//!
//! It lives in `output/.schede-cache.json`. A key is a SHA-256 over every
//! input of an output (the tool's version, the fonts, the sheet, the plan,
//! the templates, the date); an output is reused only when its key matches
//! and the file on disk still has the recorded hash. A missing, unreadable or
//! foreign cache is an empty one: everything rebuilds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The cache file's name inside the output folder.
pub const FILE: &str = ".schede-cache.json";

/// What the outputs of the last build were made from.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cache {
    /// The tool version that wrote the cache; another version ignores it.
    pub version: String,
    /// Per output file (path relative to the output folder): its key and hash.
    pub files: BTreeMap<String, Entry>,
    /// Pages of each sheet's PDF, by `year/codice`.
    #[serde(default)]
    pub pages: BTreeMap<String, usize>,
}

/// One output file's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The hash of the inputs it was made from.
    pub key: String,
    /// The hash of its bytes.
    pub hash: String,
}

impl Cache {
    /// Reads the cache of `output`; anything wrong gives an empty cache.
    pub fn load(output: &Path) -> Cache {
        fs::read(output.join(FILE))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Cache>(&bytes).ok())
            .filter(|cache| cache.version == env!("CARGO_PKG_VERSION"))
            .unwrap_or_default()
    }

    /// The cache as JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// Whether `path` (under `output`) was made from `key` and is intact.
    pub fn is_fresh(&self, output: &Path, path: &Path, key: &str) -> bool {
        let Some(entry) = self.files.get(&relative(output, path)) else {
            return false;
        };
        entry.key == key && fs::read(path).is_ok_and(|bytes| hash(&bytes) == entry.hash)
    }

    /// Records that `path` holds `bytes` made from `key`.
    pub fn record(&mut self, output: &Path, path: &Path, key: &str, bytes: &[u8]) {
        self.files.insert(
            relative(output, path),
            Entry {
                key: key.to_string(),
                hash: hash(bytes),
            },
        );
    }

    /// Keeps the record of a reused file from the previous cache.
    pub fn keep(&mut self, previous: &Cache, output: &Path, path: &Path) {
        let relative = relative(output, path);
        if let Some(entry) = previous.files.get(&relative) {
            self.files.insert(relative, entry.clone());
        }
    }
}

/// `path` relative to the output folder, with `/` separators.
pub fn relative(output: &Path, path: &Path) -> String {
    path.strip_prefix(output)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The SHA-256 of some bytes, in hex.
pub fn hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds a key from a sequence of named parts.
#[derive(Clone)]
pub struct Key(Sha256);

impl Default for Key {
    fn default() -> Self {
        Key::new()
    }
}

impl Key {
    pub fn new() -> Key {
        let mut hasher = Sha256::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        Key(hasher)
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
}

/// A key over the files of `dir`, read in name order (for the templates).
pub fn folder_key(dir: &Path) -> String {
    folder_key_of(dir, "")
}

/// A key over the files of `dir` whose names end with `suffix`.
pub fn folder_key_of(dir: &Path, suffix: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_corrupt_cache_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE), b"{not json").unwrap();
        assert_eq!(Cache::load(dir.path()), Cache::default());
    }

    #[test]
    fn fresh_needs_the_same_key_and_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2019/a.pdf");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, b"pdf").unwrap();
        let mut cache = Cache::default();
        cache.record(dir.path(), &path, "k1", b"pdf");
        assert!(cache.is_fresh(dir.path(), &path, "k1"));
        assert!(!cache.is_fresh(dir.path(), &path, "k2"));
        fs::write(&path, b"pdf, truncated").unwrap();
        assert!(!cache.is_fresh(dir.path(), &path, "k1"));
    }

    #[test]
    fn key_parts_do_not_run_together() {
        let ab = Key::new().part(b"a").part(b"b").finish();
        let a_b = Key::new().part(b"ab").finish();
        assert_ne!(ab, a_b);
    }
}
