//! The output folder: where each file goes, atomic writes, and the removal
//! of outputs whose sheet no longer exists.
//!
//! Every file is written to a temporary file in its folder, then renamed over
//! the old one: a reader, or a build killed midway, sees the old file or the
//! new one, never half a file.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes `bytes` to `path` through a temporary file and a rename; unchanged
/// files are left alone so that their dates stay. Says whether it wrote.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    let mut temp = temp_file_for(path)?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_data())
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    temp.persist(path)
        .map_err(|err| err.error)
        .with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(true)
}

/// A file written to a temporary name next to its destination, waiting to
/// be renamed into place; dropped without [`Staged::commit`], it is deleted.
pub struct Staged {
    temp: tempfile::TempPath,
    /// The SHA-256 of its bytes.
    pub hash: String,
}

impl Staged {
    /// Writes `bytes` to a temporary file in the folder of `path`.
    pub fn new(path: &Path, bytes: &[u8]) -> Result<Staged> {
        let mut temp = temp_file_for(path)?;
        temp.write_all(bytes)
            .and_then(|()| temp.as_file().sync_data())
            .with_context(|| format!("cannot write `{}`", path.display()))?;
        Ok(Staged {
            temp: temp.into_temp_path(),
            hash: crate::cache::hash(bytes),
        })
    }

    /// Renames the file into place.
    pub fn commit(self, path: &Path) -> Result<()> {
        self.temp
            .persist(path)
            .map_err(|err| err.error)
            .with_context(|| format!("cannot write `{}`", path.display()))
    }
}

fn temp_file_for(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".schede-").suffix(".tmp");
    // Published files are readable by all, like any file the user creates.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in `{}`", dir.display()))
}

/// Removes the files of `dir` (one level down too) that the build did not
/// produce and that it owns: sheets' PDF, HTML and Typst files and leftover
/// temporary files. Returns the removed paths.
pub fn remove_stale(dir: &Path, produced: &BTreeSet<PathBuf>) -> Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    if !dir.is_dir() {
        return Ok(removed);
    }
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(2)
        .sort_by_file_name()
    {
        let entry = entry.with_context(|| format!("cannot read `{}`", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        let owned = name.starts_with(".schede-")
            || [".pdf", ".html", ".typ", ".csv", ".json"]
                .iter()
                .any(|ext| name.ends_with(ext));
        if owned && !produced.contains(path) {
            fs::remove_file(path).with_context(|| format!("cannot remove `{}`", path.display()))?;
            removed.push(path.to_path_buf());
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn remove_stale_keeps_what_was_produced() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("2019/a.pdf");
        let stale = dir.path().join("2019/b.pdf");
        write_atomic(&keep, b"a").unwrap();
        write_atomic(&stale, b"b").unwrap();
        write_atomic(&dir.path().join(".gitkeep"), b"").unwrap();
        let produced = BTreeSet::from([keep.clone()]);
        assert_eq!(remove_stale(dir.path(), &produced).unwrap(), vec![stale]);
        assert!(keep.exists());
        assert!(dir.path().join(".gitkeep").exists());
    }
}
