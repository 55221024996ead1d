//! What a build writes: artifacts, and the workshop that makes them.
//!
//! Every file of a build is an [`Artifact`]: its path in the output folder
//! and its [`Recipe`], which carries the key of its inputs and how to make
//! it (a Typst source to typeset, or bytes). The [`Workshop`] makes an
//! artifact, or reuses the file in place when the manifest says it was made
//! from the same key, and hands back a staged [`Product`] for the commit.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics, io_message};
use crate::load::YearPlan;
use crate::manifest::{self, Entry, Manifest};
use crate::output::{Product, Staged};
use crate::pdf::{PdfMeta, Typesetter};
use crate::render::Templates;
use crate::t;

/// What a build works on: the checked plans, the templates, and the date of
/// each plan's documents.
pub struct Project {
    pub plans: Vec<YearPlan>,
    pub templates: Templates,
    /// Seconds since 1970 for each plan's PDFs, in the order of `plans`.
    pub dates: Vec<i64>,
}

/// Work that makes something or says why it cannot.
pub type Job<'a, T> = Box<dyn Fn() -> Result<T, Vec<Diagnostic>> + Send + Sync + 'a>;

/// One file of the build.
pub struct Artifact<'a> {
    /// Where it goes, relative to the output folder, `/`-separated.
    pub path: String,
    pub recipe: Recipe<'a>,
}

/// How an artifact is made.
pub enum Recipe<'a> {
    /// A PDF typeset by Typst, reused while `key` (over everything the
    /// source is made from) stays the recorded one.
    Typst { key: String, job: Job<'a, TypstJob> },
    /// Bytes, reused while `key` stays the recorded one; without a key they
    /// are made every time and written only when they changed.
    Bytes {
        key: Option<String>,
        job: Job<'a, Vec<u8>>,
    },
}

/// A Typst source to typeset.
pub struct TypstJob {
    pub source: String,
    pub meta: PdfMeta,
    /// The source file it was generated from, named in errors.
    pub made_from: PathBuf,
}

/// How the workshop works.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Ignore the manifest: make everything anew.
    pub force: bool,
    /// Also write each Typst source made under this folder.
    pub emit_typst: Option<PathBuf>,
    /// Do everything but typeset: each "PDF" holds its Typst source
    /// (benchmarks, to time the work outside Typst).
    pub skip_typst: bool,
}

/// Time spent, summed over threads.
#[derive(Debug, Default)]
pub struct Clock {
    /// In Typst: layout and PDF export.
    typst: AtomicU64,
    /// On whole artifacts: rendering, Typst, staging.
    making: AtomicU64,
    /// PDFs typeset.
    pub typeset: AtomicUsize,
}

impl Clock {
    pub fn typst(&self) -> Duration {
        Duration::from_nanos(self.typst.load(Ordering::Relaxed))
    }
    pub fn making(&self) -> Duration {
        Duration::from_nanos(self.making.load(Ordering::Relaxed))
    }
}

fn add_time(counter: &AtomicU64, since: Instant) {
    counter.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
}

/// Makes artifacts into staged files of the output folder.
pub struct Workshop<'a> {
    pub output: &'a Path,
    /// Where the files made wait for the commit.
    pub staging: &'a Path,
    pub previous: &'a Manifest,
    pub templates: &'a Templates,
    /// Typst, started when the first document needs it (a rebuild that
    /// reuses every PDF never loads the fonts).
    pub typesetter: &'a OnceLock<Result<Typesetter, Diagnostic>>,
    pub settings: &'a Settings,
    pub clock: Clock,
}

impl Workshop<'_> {
    /// Frees Typst's caches of documents compiled long ago, if Typst started.
    pub fn evict(&self, max_age: usize) {
        if let Some(Ok(typesetter)) = self.typesetter.get() {
            typesetter.evict(max_age);
        }
    }

    /// Makes one artifact, or reuses it. A panic inside (a bug of Typst, say)
    /// becomes an error naming what was being made.
    pub fn make(&self, artifact: &Artifact) -> Result<Product, Vec<Diagnostic>> {
        let start = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.make_unguarded(artifact)
        }))
        .unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(vec![
                Diagnostic::error(
                    self.output.join(&artifact.path),
                    t!("artifact-panic", what = what),
                )
                .hint(t!("artifact-panic-hint")),
            ])
        });
        add_time(&self.clock.making, start);
        result
    }

    fn make_unguarded(&self, artifact: &Artifact) -> Result<Product, Vec<Diagnostic>> {
        let path = &artifact.path;
        match &artifact.recipe {
            Recipe::Typst { key, job } => {
                if let Some(product) = self.reuse(path, key) {
                    return Ok(product);
                }
                let job = job()?;
                let (pdf, pages) = self.typeset(path, job)?;
                self.stage(path, key.clone(), &pdf, Some(pages))
            }
            Recipe::Bytes { key, job } => {
                if let Some(product) = key.as_ref().and_then(|key| self.reuse(path, key)) {
                    return Ok(product);
                }
                let bytes = job()?;
                let hash = manifest::hash(&bytes);
                let key = key.clone().unwrap_or_else(|| hash.clone());
                match self.unchanged(path, &key, &hash, bytes.len()) {
                    Some(product) => Ok(product),
                    None => self.stage(path, key, &bytes, None),
                }
            }
        }
    }

    /// The previous build's record of `path`, kept as it is: for a file of
    /// the cache that stays while what is made from it is up to date.
    pub fn keep(&self, path: &str) -> Option<Product> {
        let entry = self.previous.files.get(path)?;
        let size = std::fs::metadata(self.output.join(path)).ok()?.len();
        Some(Product {
            path: path.to_string(),
            entry: entry.clone(),
            size,
            staged: None,
        })
    }

    /// The file in place, if the manifest says it is made from `key`.
    pub fn reuse(&self, path: &str, key: &str) -> Option<Product> {
        if self.settings.force {
            return None;
        }
        let entry = self.previous.fresh(self.output, path, key)?;
        let size = match entry.size {
            Some(size) => size,
            None => std::fs::metadata(self.output.join(path)).map_or(0, |m| m.len()),
        };
        Some(Product {
            path: path.to_string(),
            entry: Entry {
                size: Some(size),
                ..entry.clone()
            },
            size,
            staged: None,
        })
    }

    /// The file in place, now made from `key`, if it already holds the
    /// bytes of `hash` and `size`: a file made anew the same (a file keyed
    /// by its bytes, or one whose inputs changed but not its bytes) is not
    /// written again.
    fn unchanged(&self, path: &str, key: &str, hash: &str, size: usize) -> Option<Product> {
        let entry = self.previous.files.get(path)?;
        let full = self.output.join(path);
        if self.settings.force || entry.hash != hash || !self.previous.holds(&full, entry) {
            return None;
        }
        Some(Product {
            path: path.to_string(),
            entry: Entry {
                key: key.to_string(),
                size: Some(size as u64),
                ..entry.clone()
            },
            size: size as u64,
            staged: None,
        })
    }

    /// Every file the manifest records as made from `key`, if there is
    /// one and all are in place.
    pub fn reuse_all(&self, key: &str) -> Option<Vec<Product>> {
        let paths = (self.previous.files.iter()).filter(|(_, entry)| entry.key == key);
        let kept: Option<Vec<Product>> = paths.map(|(path, _)| self.reuse(path, key)).collect();
        kept.filter(|kept| !kept.is_empty())
    }

    /// Stages `bytes` as the file at `path`, made from `key`.
    pub fn stage(
        &self,
        path: &str,
        key: String,
        bytes: &[u8],
        pages: Option<usize>,
    ) -> Result<Product, Vec<Diagnostic>> {
        let full = self.output.join(path);
        let staged = match crate::output::is_cache(path) {
            true => Staged::cache_in_staging(self.staging, &full, bytes),
            false => Staged::in_staging(self.staging, &full, bytes),
        }
        .map_err(|err| vec![Diagnostic::error(&full, io_message(&err))])?;
        Ok(Product {
            path: path.to_string(),
            entry: Entry {
                key,
                hash: manifest::hash(bytes),
                pages,
                size: Some(bytes.len() as u64),
            },
            size: bytes.len() as u64,
            staged: Some(staged),
        })
    }

    /// Makes the file at `path` by writing it: `write` gets a writer into a
    /// staged file and returns the PDF's pages. Nothing is held in memory.
    pub fn stage_with(
        &self,
        path: &str,
        key: String,
        write: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<usize>,
    ) -> Result<Product, Vec<Diagnostic>> {
        let full = self.output.join(path);
        let fail = |err: anyhow::Error| {
            vec![Diagnostic::error(
                &full,
                t!("artifact-failed", reason = format!("{err:#}")),
            )]
        };
        let mut writer = crate::output::StagedWriter::new(self.staging, &full).map_err(fail)?;
        let pages = write(&mut writer).map_err(fail)?;
        let (staged, hash, size) = writer.finish().map_err(fail)?;
        Ok(Product {
            path: path.to_string(),
            entry: Entry {
                key,
                hash,
                pages: Some(pages),
                size: Some(size),
            },
            size,
            staged: Some(staged),
        })
    }

    /// Typesets a part of a document (not an output of its own): its PDF and
    /// its page count; `path` names it in errors.
    pub fn typeset_part(
        &self,
        path: &str,
        job: TypstJob,
    ) -> Result<(Vec<u8>, usize), Vec<Diagnostic>> {
        self.typeset(path, job)
    }

    /// Typesets a job into a PDF and its page count.
    fn typeset(&self, path: &str, job: TypstJob) -> Result<(Vec<u8>, usize), Vec<Diagnostic>> {
        let typ_name = Path::new(path).with_extension("typ");
        if let Some(dir) = &self.settings.emit_typst {
            let emitted = dir.join(&typ_name);
            crate::output::write_atomic(&emitted, job.source.as_bytes())
                .map_err(|err| vec![Diagnostic::error(&emitted, io_message(&err))])?;
        }
        if self.settings.skip_typst {
            return Ok((job.source.into_bytes(), 0));
        }
        let start = Instant::now();
        let name = format!("/{}", typ_name.to_string_lossy());
        let typesetter = self
            .typesetter
            .get_or_init(Typesetter::new)
            .as_ref()
            .map_err(|problem| vec![problem.clone()])?;
        let compiled = typesetter.compile(
            &name,
            job.source.clone(),
            &job.meta,
            &self.output.join(&typ_name),
        );
        add_time(&self.clock.typst, start);
        self.clock.typeset.fetch_add(1, Ordering::Relaxed);
        match compiled {
            Ok(compiled) => Ok((compiled.pdf, compiled.pages)),
            Err(problems) => Err(explain_failure(problems, self.templates, &typ_name, &job)),
        }
    }
}

/// Where the Typst sources of a failed build are kept for inspection: a
/// folder of this run's own in the system's temporary folder, never the
/// output folder. It is made on first use with a new random name, readable
/// by its owner only (sheets may be drafts), and never through a link:
/// creating it fails rather than follow one. `None` if it cannot be made.
pub fn failed_sources_dir() -> Option<&'static Path> {
    static DIR: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let mut builder = tempfile::Builder::new();
        builder.prefix("schede-failed-");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        builder.tempdir().ok().map(tempfile::TempDir::keep)
    })
    .as_deref()
}

/// Typst errors of a generated source, made useful: the source is kept
/// outside the output folder for inspection, each error points at the
/// template line it comes from when that is known, and names what the
/// source was made from.
fn explain_failure(
    mut problems: Vec<Diagnostic>,
    templates: &Templates,
    typ_name: &Path,
    job: &TypstJob,
) -> Vec<Diagnostic> {
    let kept_at = failed_sources_dir().map(|dir| dir.join(typ_name));
    let generated_at = match kept_at {
        Some(kept_at) if crate::output::write_atomic(&kept_at, job.source.as_bytes()).is_ok() => {
            kept_at
        }
        _ => typ_name.to_path_buf(),
    };
    for problem in &mut problems {
        let mut notes = Vec::new();
        let generated = job.source.lines().nth(problem.line.saturating_sub(1));
        if let Some((template, line)) = generated.and_then(|text| templates.trace_typst_line(text))
        {
            notes.push(t!(
                "typst-generated-at",
                path = generated_at.display(),
                line = problem.line
            ));
            problem.path = template;
            problem.line = line;
        } else {
            problem.path = generated_at.clone();
        }
        notes.push(t!("typst-generated-from", path = job.made_from.display()));
        problem.hints.extend(notes);
    }
    problems
}

/// The products, or every problem found making them.
pub fn gather(
    results: impl IntoIterator<Item = Result<Product, Vec<Diagnostic>>>,
) -> Result<Vec<Product>, Vec<Diagnostic>> {
    let mut products = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(product) => products.push(product),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(products)
    } else {
        Err(problems)
    }
}

/// The stack of each worker thread: Typst recurses deeply on long
/// documents (a volume of a few hundred sheets needs more than 64 MiB).
const WORKER_STACK: usize = 256 << 20;

/// `f` over `items` on `threads` threads of our own, results in input order.
///
/// Not rayon's pool: Typst runs parts of a compile on rayon, and a rayon
/// worker waiting for them would start another sheet on top of its stack,
/// so the sheets in flight (and the memory) would grow without bound. Here
/// each thread makes one artifact at a time.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Result<Vec<R>, Diagnostics> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let mut workers = Vec::new();
        for _ in 0..threads.min(items.len()).max(1) {
            let worker = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, || {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            return done;
                        };
                        done.push((index, f(item)));
                    }
                })
                .map_err(|err| {
                    Diagnostic::error(
                        "schede",
                        t!("worker-start", reason = crate::diag::io_reason(&err)),
                    )
                })?;
            workers.push(worker);
        }
        let mut all = Vec::new();
        for worker in workers {
            // `f` catches its own panics: a worker that fails is a bug here.
            all.extend(
                worker
                    .join()
                    .map_err(|_| Diagnostic::error("schede", t!("worker-failed")))?,
            );
        }
        Ok::<_, Diagnostic>(all)
    })?;
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_making_names_the_file_and_spares_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let templates = Templates::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"))
            .unwrap_or_else(|_| panic!("templates"));
        let typesetter = OnceLock::new();
        let previous = Manifest::default();
        let settings = Settings::default();
        let workshop = Workshop {
            output: dir.path(),
            staging: dir.path(),
            previous: &previous,
            templates: &templates,
            typesetter: &typesetter,
            settings: &settings,
            clock: Clock::default(),
        };
        let artifacts = [
            Artifact {
                path: "2019/a.html".into(),
                recipe: Recipe::Bytes {
                    key: None,
                    job: Box::new(|| panic!("index out of bounds")),
                },
            },
            Artifact {
                path: "2019/b.html".into(),
                recipe: Recipe::Bytes {
                    key: None,
                    job: Box::new(|| Ok(b"<p>b</p>".to_vec())),
                },
            },
        ];
        let made = parallel_map(&artifacts, 2, |a| workshop.make(a)).unwrap();
        let problem = &made[0].as_ref().unwrap_err()[0];
        assert_eq!(problem.path, dir.path().join("2019/a.html"));
        assert_eq!(
            problem.message.to_string(),
            "cannot be made: schede failed unexpectedly (index out of bounds)"
        );
        assert_eq!(made[1].as_ref().unwrap().path, "2019/b.html");
    }
}
