//! The output folder: where it may be, atomic writes, and the commit of a
//! build's files that never touches a file the tool did not write.
//!
//! Every file is written to a temporary file in its folder, then renamed over
//! the old one: a reader, or a build killed midway, sees the old file or the
//! new one, never half a file. What is ours is what the manifest recorded
//! ([`crate::manifest`]): the commit overwrites a file only if it is ours or
//! already holds the new bytes, and removes only files it recorded, no
//! longer produces, and that still hold the recorded bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

use crate::diag::{Diagnostic, Diagnostics, io_message};
use crate::manifest::{self, Entry, Manifest};
use crate::t;

/// Writes `bytes` to `path` through a temporary file and a rename; unchanged
/// files are left alone so that their dates stay. Says whether it wrote.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<bool> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(false);
    }
    Staged::new(path, bytes)?.commit(path)?;
    Ok(true)
}

/// Writes `bytes` to a new file at `path` through a temporary file, failing
/// if `path` exists: nothing is overwritten and no half file is left.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let staged = Staged::new(path, bytes)?;
    staged
        .temp
        .persist_noclobber(path)
        .map_err(|err| err.error)
        .with_context(|| t!("cannot-write-path", path = path.display()))
}

/// A file written to a temporary name next to its destination, waiting to
/// be renamed into place; dropped without [`Staged::commit`], it is deleted.
#[derive(Debug)]
pub struct Staged {
    temp: tempfile::TempPath,
}

impl Staged {
    /// Writes `bytes` to a temporary file in the folder of `path`.
    pub fn new(path: &Path, bytes: &[u8]) -> Result<Staged> {
        Staged::write(temp_file_for(path)?, path, bytes, true)
    }

    /// Writes `bytes`, meant for `path`, to a temporary file in `staging`.
    pub fn in_staging(staging: &Path, path: &Path, bytes: &[u8]) -> Result<Staged> {
        Staged::write(temp_file_in(staging)?, path, bytes, true)
    }

    /// As [`Staged::in_staging`], for a file of the cache ([`is_cache`]): not flushed to the
    /// disk before it is renamed into place, since nothing is lost if a crash of the system
    /// leaves it empty or damaged (its recorded size or hash no longer matches, or it does not
    /// decode, and it is made again). A build writes one per sheet.
    pub fn cache_in_staging(staging: &Path, path: &Path, bytes: &[u8]) -> Result<Staged> {
        Staged::write(temp_file_in(staging)?, path, bytes, false)
    }

    fn write(
        mut temp: tempfile::NamedTempFile,
        path: &Path,
        bytes: &[u8],
        flush: bool,
    ) -> Result<Staged> {
        temp.write_all(bytes)
            .and_then(|()| match flush {
                true => temp.as_file().sync_data(),
                false => Ok(()),
            })
            .with_context(|| t!("cannot-write-path", path = path.display()))?;
        Ok(Staged {
            temp: temp.into_temp_path(),
        })
    }

    /// Renames the file into place.
    pub fn commit(self, path: &Path) -> Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .with_context(|| t!("cannot-create-path", path = dir.display()))?;
        }
        self.temp
            .persist(path)
            .map_err(|err| err.error)
            .with_context(|| t!("cannot-write-path", path = path.display()))
    }
}

/// A file being written into the staging folder, hashed as it is written.
pub struct StagedWriter {
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    hasher: sha2::Sha256,
    size: u64,
    path: PathBuf,
}

impl StagedWriter {
    /// A new temporary file in `staging`, meant for `path`.
    pub fn new(staging: &Path, path: &Path) -> Result<StagedWriter> {
        use sha2::Digest;
        Ok(StagedWriter {
            file: std::io::BufWriter::new(temp_file_in(staging)?),
            hasher: sha2::Sha256::new(),
            size: 0,
            path: path.to_path_buf(),
        })
    }

    /// The staged file, the SHA-256 of its bytes in hex, and its size.
    pub fn finish(self) -> Result<(Staged, String, u64)> {
        use sha2::Digest;
        let path = self.path;
        let temp = self
            .file
            .into_inner()
            .map_err(|err| err.into_error())
            .with_context(|| t!("cannot-write-path", path = path.display()))?;
        temp.as_file()
            .sync_data()
            .with_context(|| t!("cannot-write-path", path = path.display()))?;
        let hash = manifest::hex(&self.hasher.finalize());
        Ok((
            Staged {
                temp: temp.into_temp_path(),
            },
            hash,
            self.size,
        ))
    }
}

impl Write for StagedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let written = self.file.write(buf)?;
        self.hasher.update(&buf[..written]);
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Staged {
    /// The temporary file, deleted when dropped: a part of an output.
    pub fn into_temp_path(self) -> tempfile::TempPath {
        self.temp
    }

    /// Where the staged file is, until it is committed.
    pub fn path(&self) -> &Path {
        &self.temp
    }
}

impl Product {
    /// Where the product's bytes are now: its staged file, or the file in
    /// place when it was reused.
    pub fn current_path(&self, output: &Path) -> PathBuf {
        match &self.staged {
            Some(staged) => staged.path().to_path_buf(),
            None => output.join(&self.path),
        }
    }
}

fn temp_file_for(path: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).with_context(|| t!("cannot-create-path", path = dir.display()))?;
    temp_file_in(dir)
}

fn temp_file_in(dir: &Path) -> Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".schede-").suffix(".tmp");
    // Published files are readable by all, like any file the user creates.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    builder
        .tempfile_in(dir)
        .with_context(|| t!("cannot-write-in", path = dir.display()))
}

/// A path made absolute and free of `.` and `..`, following the symbolic
/// links of the part that exists, so two spellings of a folder compare equal.
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical;
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

/// Refuses an output folder that is, contains, or lies inside one of the
/// source folders (`(what, path)` pairs such as `("sheets", ...)`): a build
/// there would mix its files with the sources.
pub fn check_location(output: &Path, sources: &[(&str, &Path)]) -> Result<(), Diagnostic> {
    if fs::metadata(output).is_ok_and(|meta| !meta.is_dir()) {
        return Err(Diagnostic::error(output, t!("output-is-file")).hint(t!("output-is-file-hint")));
    }
    let out = resolved(output);
    for (what, dir) in sources {
        let dir_resolved = resolved(dir);
        let relation = if out == dir_resolved {
            "is"
        } else if dir_resolved.starts_with(&out) {
            "contains"
        } else if out.starts_with(&dir_resolved) {
            "inside"
        } else {
            continue;
        };
        return Err(Diagnostic::error(
            output,
            t!(
                "output-overlaps",
                relation = relation,
                what = *what,
                path = dir.display()
            ),
        )
        .hint(t!("output-overlaps-hint")));
    }
    Ok(())
}

/// The folder of a build's temporary files, inside the output folder.
pub const STAGING: &str = ".schede-staging";

/// The file a build holds locked while it writes an output folder.
pub const LOCK: &str = ".schede-lock";

/// An error if the path `path`, relative to `output`, passes through a
/// symbolic link below the output folder (or is one): writing or removing
/// there could reach the sheets, the templates or any other folder. The
/// output folder itself may be a link: where it leads was checked by
/// [`check_location`].
pub fn through_link(output: &Path, path: &str) -> Option<Diagnostic> {
    let mut at = output.to_path_buf();
    for name in path.split('/') {
        at.push(name);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&at).unwrap_or_default();
                return Some(
                    Diagnostic::error(&at, t!("output-link", target = target.display()))
                        .hint(t!("output-link-hint")),
                );
            }
            Ok(_) => {}
            // Nothing below a missing name exists either.
            Err(_) => return None,
        }
    }
    None
}

/// One build's hold on an output folder: a second build finding it stops
/// with a message instead of mixing its files with the first one's. The
/// lock file goes when the hold ends, and so does the output folder if
/// the lock created it and it is still empty (a first build that failed).
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    created: Option<PathBuf>,
    _file: fs::File,
}

impl Lock {
    /// Takes the lock of `output`, creating the folder if needed.
    pub fn take(output: &Path) -> Result<Lock, Diagnostic> {
        let path = output.join(LOCK);
        let created = (!output.exists()).then(|| output.to_path_buf());
        fs::create_dir_all(output).map_err(|err| {
            let what = t!("cannot-create-path", path = output.display());
            Diagnostic::error(output, io_message(&anyhow::Error::from(err).context(what)))
        })?;
        if let Some(problem) = through_link(output, LOCK) {
            return Err(problem);
        }
        let cannot = |err: std::io::Error| {
            let what = t!("cannot-write-path", path = path.display());
            Diagnostic::error(&path, io_message(&anyhow::Error::from(err).context(what)))
        };
        let file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(cannot)?;
        let locked = || {
            Diagnostic::error(output, t!("output-locked", lock = path.display()))
                .hint(t!("output-locked-hint"))
        };
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(locked()),
            Err(fs::TryLockError::Error(err)) => return Err(cannot(err)),
        }
        // The build that held it may have removed the file after we opened
        // it: a lock on a removed file holds nothing.
        if !same_file(&file, &path) {
            return Err(locked());
        }
        Ok(Lock {
            path,
            created,
            _file: file,
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
        if let Some(folder) = &self.created {
            let _ = fs::remove_dir(folder);
        }
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.is_file()
}

/// The folder of what a build keeps only to make later builds faster (the
/// volumes' typeset parts), inside the output folder. Its files are
/// recorded in the manifest and committed and removed like the outputs,
/// but not counted or served as outputs.
pub const CACHE: &str = ".schede-cache";

/// Whether `path` (relative to the output folder) is in the cache.
pub fn is_cache(path: &str) -> bool {
    path.strip_prefix(CACHE)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// Gets the output folder ready for a build's temporary files: removes the
/// leftovers of a killed build (its staging folder, recorded in the
/// manifest), records the staging folder, and creates it.
pub fn prepare(output: &Path, previous: &Manifest) -> Result<PathBuf, Diagnostics> {
    let ours: Vec<Diagnostic> = [STAGING, manifest::FILE]
        .iter()
        .filter_map(|name| through_link(output, name))
        .collect();
    if !ours.is_empty() {
        return Err(ours.into());
    }
    let staging = output.join(STAGING);
    if previous.staging.as_deref() == Some(STAGING) {
        clear_staging(&staging);
    }
    let mut recorded = previous.clone();
    recorded.staging = Some(STAGING.to_string());
    write_manifest(output, &recorded)?;
    Ok(staging)
}

/// Removes our temporary files from the staging folder, then the folder if
/// that leaves it empty.
fn clear_staging(staging: &Path) {
    if let Ok(entries) = fs::read_dir(staging) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".schede-") && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    let _ = fs::remove_dir(staging);
}

/// Leaves the output folder as it was before a build that failed: the
/// staging folder goes, and so do the manifest and the folder themselves
/// when the build was the first.
pub fn abandon(output: &Path, previous: &Manifest) {
    if previous == &Manifest::default() {
        let _ = fs::remove_file(output.join(manifest::FILE));
        clear_staging(&output.join(STAGING));
        let _ = fs::remove_dir(output);
    } else {
        let _ = write_manifest(output, previous);
        clear_staging(&output.join(STAGING));
    }
}

/// One file of a build, ready to be committed.
#[derive(Debug)]
pub struct Product {
    /// Where it goes, relative to the output folder, `/`-separated.
    pub path: String,
    /// Its record for the manifest.
    pub entry: Entry,
    /// Its size in bytes.
    pub size: u64,
    /// Its new bytes in a temporary file, or `None` when the file in place
    /// is already the one recorded (reused).
    pub staged: Option<Staged>,
}

/// What a commit did.
#[derive(Debug, Default)]
pub struct Committed {
    /// Files written (made anew and different from what was there).
    pub written: usize,
    /// Files of the previous build that this one no longer produces, removed.
    pub removed: Vec<String>,
    /// The files written and removed, by path: what a reader of the folder
    /// sees changed.
    pub changed: Vec<String>,
}

/// Puts a build's files into `output`: checks that none would overwrite a
/// file that is not ours, records them all, renames them into place, removes
/// what the previous build recorded and this one no longer produces, and
/// writes the manifest. `partial` keeps every previous record (a build that
/// made only part of the outputs).
pub fn commit(
    output: &Path,
    previous: &Manifest,
    products: Vec<Product>,
    partial: bool,
) -> Result<Committed, Diagnostics> {
    let mut manifest = Manifest::default();
    for product in &products {
        manifest
            .files
            .insert(product.path.clone(), product.entry.clone());
    }
    let stale: BTreeMap<&String, &Entry> = previous
        .files
        .iter()
        .filter(|(path, _)| !manifest.files.contains_key(*path))
        .collect();
    // Every file to write or remove is checked before any is touched.
    let written = products.iter().filter(|p| p.staged.is_some());
    let in_the_way: Vec<Diagnostic> = written
        .clone()
        .filter_map(|p| through_link(output, &p.path))
        .chain(stale.keys().filter_map(|path| through_link(output, path)))
        .chain(written.filter_map(|p| not_ours(output, previous, &p.path, &p.entry.hash)))
        .collect();
    if !in_the_way.is_empty() {
        return Err(in_the_way.into());
    }
    // Recorded first, both old and new, so that a build killed while
    // renaming leaves every file it touched recorded.
    let mut union = manifest.clone();
    union
        .files
        .extend(stale.iter().map(|(p, e)| ((*p).clone(), (*e).clone())));
    union.staging = Some(STAGING.to_string());
    write_manifest(output, &union)?;
    let mut done = Committed::default();
    let mut problems = Diagnostics::default();
    for product in products {
        if let Some(staged) = product.staged {
            let path = output.join(&product.path);
            let same = match previous.files.get(&product.path) {
                Some(old) => old.hash == product.entry.hash && previous.holds(&path, old),
                None => manifest::file_hash(&path).as_deref() == Some(&product.entry.hash),
            };
            match staged.commit(&path) {
                Ok(()) if same || is_cache(&product.path) => {}
                Ok(()) => {
                    done.written += 1;
                    done.changed.push(product.path);
                }
                Err(err) => problems.push(Diagnostic::error(&path, io_message(&err))),
            }
        }
    }
    if partial {
        let kept = stale.iter().map(|(p, e)| ((*p).clone(), (*e).clone()));
        manifest.files.extend(kept);
    } else {
        done.removed = remove_stale(output, &stale, &mut problems);
    }
    if problems.has_errors() {
        return Err(problems);
    }
    write_manifest(output, &manifest)?;
    clear_staging(&output.join(STAGING));
    done.changed.extend(done.removed.iter().cloned());
    done.changed.sort();
    Ok(done)
}

/// Removes a build's temporary files when the process is about to end in
/// the middle of it (a second Ctrl-C): the folder is left publishable.
/// Threads still writing may add a file while it is emptied, hence the
/// few rounds; the next build removes anything left anyway.
pub fn discard_staging(output: &Path) {
    let staging = output.join(STAGING);
    for _ in 0..10 {
        clear_staging(&staging);
        if !staging.exists() {
            return;
        }
    }
}

/// An error if the file at `path` exists, is not recorded as ours, and
/// holds other bytes than the new ones (`hash`).
fn not_ours(output: &Path, previous: &Manifest, path: &str, hash: &str) -> Option<Diagnostic> {
    let full = output.join(path);
    if previous.files.contains_key(path) || fs::symlink_metadata(&full).is_err() {
        return None;
    }
    if full.is_file() && manifest::file_hash(&full).as_deref() == Some(hash) {
        return None;
    }
    Some(Diagnostic::error(&full, t!("output-not-ours")).hint(t!("output-not-ours-hint")))
}

/// Writes the manifest through the staging folder, so that even a build
/// killed while writing it leaves no temporary file outside that folder.
fn write_manifest(output: &Path, manifest: &Manifest) -> Result<(), Diagnostics> {
    let path = output.join(manifest::FILE);
    let staging = output.join(STAGING);
    fs::create_dir_all(&staging)
        .map_err(|err| {
            anyhow::Error::from(err).context(t!("cannot-create-path", path = staging.display()))
        })
        .and_then(|()| Staged::in_staging(&staging, &path, &manifest.to_bytes()))
        .and_then(|staged| staged.commit(&path))
        .map_err(|err| Diagnostic::error(&path, io_message(&err)).into())
}

/// Removes the stale files that still hold what was recorded (a file the
/// user changed since is left alone), then the folders they leave empty.
fn remove_stale(
    output: &Path,
    stale: &BTreeMap<&String, &Entry>,
    problems: &mut Diagnostics,
) -> Vec<String> {
    let mut removed = Vec::new();
    let mut folders = BTreeSet::new();
    for (path, entry) in stale {
        let full = output.join(path);
        // Read whatever its times say: removing takes the bytes themselves
        // as proof that the file is the one this tool wrote.
        if manifest::file_hash(&full).as_deref() != Some(&entry.hash) {
            continue;
        }
        match fs::remove_file(&full) {
            Ok(()) => {
                removed.push((*path).clone());
                folders.extend(full.parent().map(Path::to_path_buf));
            }
            Err(err) => problems.push(Diagnostic::error(
                &full,
                t!("cannot-remove", reason = crate::diag::io_reason(&err)),
            )),
        }
    }
    for folder in folders.iter().rev() {
        if folder.starts_with(output) && folder != output {
            // Only an empty folder goes; anything left in it keeps it.
            let _ = fs::remove_dir(folder);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(dir: &Path, path: &str, bytes: &[u8]) -> Product {
        Product {
            path: path.into(),
            entry: Entry {
                key: "k".into(),
                hash: manifest::hash(bytes),
                pages: None,
                size: Some(bytes.len() as u64),
            },
            size: bytes.len() as u64,
            staged: Some(Staged::new(&dir.join(path), bytes).unwrap()),
        }
    }

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
    fn write_new_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        write_new(&path, b"one").unwrap();
        assert!(write_new(&path, b"two").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn commit_removes_only_what_it_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let first = vec![
            product(out, "2019/a.pdf", b"a"),
            product(out, "2019/b.pdf", b"b"),
        ];
        commit(out, &Manifest::default(), first, false).unwrap();
        fs::write(out.join("2019/notes.pdf"), b"mine").unwrap();
        let previous = Manifest::load(out).unwrap();
        let second = vec![product(out, "2019/a.pdf", b"a2")];
        let done = commit(out, &previous, second, false).unwrap();
        assert_eq!(done.removed, vec!["2019/b.pdf".to_string()]);
        assert_eq!(fs::read(out.join("2019/notes.pdf")).unwrap(), b"mine");
        assert_eq!(fs::read(out.join("2019/a.pdf")).unwrap(), b"a2");
    }

    #[test]
    fn a_recorded_file_of_the_right_size_and_age_is_removed_only_if_its_bytes_are_ours() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        // A file of the user, older than a manifest that claims it with its
        // size (forged, or the user's same-size edit): trusted for reuse,
        // never for removal.
        fs::write(out.join("mine.pdf"), b"mine").unwrap();
        let old = std::time::UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 5);
        fs::File::options()
            .write(true)
            .open(out.join("mine.pdf"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let mut previous = Manifest {
            written: Some(old + std::time::Duration::from_secs(1)),
            ..Manifest::default()
        };
        let entry = Entry {
            key: "k".into(),
            hash: manifest::hash(b"ours"),
            pages: None,
            size: Some(4),
        };
        previous.files.insert("mine.pdf".into(), entry.clone());
        assert!(previous.holds(&out.join("mine.pdf"), &entry));
        let done = commit(out, &previous, Vec::new(), false).unwrap();
        assert!(done.removed.is_empty());
        assert_eq!(fs::read(out.join("mine.pdf")).unwrap(), b"mine");
    }

    #[test]
    fn commit_refuses_to_overwrite_a_file_of_the_user() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fs::write(out.join("index.html"), b"mine").unwrap();
        let result = commit(
            out,
            &Manifest::default(),
            vec![product(out, "index.html", b"ours")],
            false,
        );
        let report = result.unwrap_err().report();
        assert!(
            report.contains("a file that schede did not write is in the way"),
            "{report}"
        );
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"mine");
        assert_eq!(
            fs::read_dir(out).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn an_output_folder_around_or_inside_the_sources_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let sheets = dir.path().join("sheets");
        fs::create_dir_all(&sheets).unwrap();
        let sources = [("sheets", sheets.as_path())];
        for output in [
            dir.path().to_path_buf(),
            sheets.clone(),
            sheets.join("out"),
            sheets.join("x/../y"),
        ] {
            assert!(
                check_location(&output, &sources).is_err(),
                "{}",
                output.display()
            );
        }
        assert!(check_location(&dir.path().join("output"), &sources).is_ok());
        assert!(check_location(&sheets.join("../output"), &sources).is_ok());
    }
}
