//! Finding and reading the sources: the `sheets/` tree, file decoding, and
//! the one loader of plans that build, check, diff and new share.
//!
//! The tree is `sheets/<year>/piano.yaml` plus one `sheets/<year>/<codice>.md`
//! per objective. Files are read as UTF-8; a byte order mark is dropped and
//! CRLF line endings are read as LF, so line numbers stay those of the file.
//! Files come from a folder ([`read_tree`]) or from anywhere else, such as a
//! git revision, as [`YearFiles`]; [`parse_years`] turns either into plans.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, cannot_read};
use crate::model::{self, Plan, Sheet};
use crate::t;

/// Largest source file accepted: a sheet is a few kilobytes.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// The name of the plan file in each year folder.
pub const PLAN_FILE: &str = "piano.yaml";

/// One year folder of the tree.
#[derive(Debug, Clone)]
pub struct YearDir {
    /// The folder's name, e.g. `2019`.
    pub name: String,
    pub dir: PathBuf,
    /// The sheet files, sorted by name.
    pub sheets: Vec<PathBuf>,
}

/// What lies under `sheets/`, and the files that do not belong there.
#[derive(Debug, Default)]
pub struct Tree {
    pub years: Vec<YearDir>,
    pub problems: Vec<Diagnostic>,
}

/// Walks the sheets folder in name order.
pub fn discover(root: &Path) -> Result<Tree, Diagnostic> {
    if !root.is_dir() {
        return Err(Diagnostic::error(root, t!("sheets-folder-not-found"))
            .hint(t!("sheets-folder-not-found-hint")));
    }
    let mut tree = Tree::default();
    let walker = WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(root).to_path_buf();
                tree.problems
                    .push(Diagnostic::error(path, cannot_read(&err)));
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        let name = entry.file_name().to_string_lossy().into_owned();
        match (entry.depth(), entry.file_type().is_dir()) {
            (1, true) => {
                if is_year(&name) {
                    tree.years.push(YearDir {
                        name,
                        dir: path,
                        sheets: Vec::new(),
                    });
                } else {
                    tree.problems.push(
                        Diagnostic::error(path, t!("folder-not-a-year"))
                            .hint(t!("folder-not-a-year-hint")),
                    );
                }
            }
            (1, false) if name.ends_with(".md") => {
                tree.problems.push(
                    Diagnostic::error(path, t!("sheet-outside-year"))
                        .hint(t!("sheet-outside-year-hint")),
                );
            }
            (2, false) if name.ends_with(".md") => {
                if let Some(year) = tree.years.last_mut().filter(|y| path.starts_with(&y.dir)) {
                    year.sheets.push(path);
                }
            }
            (2, true) if tree.years.last().is_some_and(|y| path.starts_with(&y.dir)) => {
                tree.problems.push(
                    Diagnostic::error(path, t!("nested-folder")).hint(t!("nested-folder-hint")),
                );
            }
            _ => {}
        }
    }
    Ok(tree)
}

/// Whether a folder's name is a plan year, like `2019`.
pub fn is_year(name: &str) -> bool {
    name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit())
}

/// Reads a source file, refusing it once it passes the size limit while
/// reading (a file that grows after a size check is caught too), and decodes it.
pub fn read_source(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read_bounded(path)?;
    decode(path, bytes)
}

/// Reads at most [`MAX_FILE_SIZE`] bytes of a file; a longer one is an error.
/// Only a regular file is read: a pipe (FIFO), socket or device is refused
/// before it is opened, since reading one could wait or never end.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    let cannot = |err: std::io::Error| Diagnostic::error(path, cannot_read(&err));
    let special = || Diagnostic::error(path, t!("not-a-regular-file"));
    if !fs::metadata(path).map_err(cannot)?.is_file() {
        return Err(special());
    }
    let file = fs::File::open(path).map_err(cannot)?;
    if !file.metadata().map_err(cannot)?.is_file() {
        return Err(special());
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(too_large(path));
    }
    Ok(bytes)
}

/// The error for a source over [`MAX_FILE_SIZE`].
pub fn too_large(path: &Path) -> Diagnostic {
    Diagnostic::error(path, t!("file-too-large", limit = MAX_FILE_SIZE))
}

/// Decodes a file's bytes: UTF-8 required, BOM dropped, CRLF read as LF.
/// A bad byte is placed by line and by character column, as editors count.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
        let line = valid.matches('\n').count() + 1;
        let column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Diagnostic::error(path, t!("not-utf8"))
            .at(line, column)
            .hint(t!("not-utf8-hint"))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.replace("\r\n", "\n"))
}

/// A source file: the path it is shown at and its decoded text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// The sources of one year folder, wherever they were read from.
#[derive(Debug, Clone)]
pub struct YearFiles {
    /// The folder's name, e.g. `2019`.
    pub year: String,
    /// Where `piano.yaml` is, or would be.
    pub plan_path: PathBuf,
    pub plan: Option<SourceFile>,
    /// The sheets, by name.
    pub sheets: Vec<SourceFile>,
}

/// One plan year: its plan and its sheets, in publication order.
#[derive(Debug, Clone)]
pub struct YearPlan {
    pub year: String,
    pub plan: Plan,
    pub sheets: Vec<Sheet>,
    /// A hash of the year's sources as read (`piano.yaml` and every sheet,
    /// with their names): what the year-level files are made from, besides
    /// the templates and the volumes.
    pub sources: String,
}

/// Reads every source under `root` (the sheets folder); unreadable files
/// and misplaced ones are reported.
pub fn read_tree(root: &Path) -> (Vec<YearFiles>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let tree = match discover(root) {
        Ok(tree) => tree,
        Err(problem) => {
            diagnostics.push(problem);
            return (Vec::new(), diagnostics);
        }
    };
    diagnostics.extend(tree.problems);
    let years = tree
        .years
        .into_iter()
        .map(|year| {
            let plan_path = year.dir.join(PLAN_FILE);
            let plan = plan_path.is_file().then(|| read_file(&plan_path));
            let sheets: Vec<_> = year.sheets.par_iter().map(|p| read_file(p)).collect();
            (year.name, plan_path, plan, sheets)
        })
        .collect::<Vec<_>>();
    let mut out = Vec::new();
    for (year, plan_path, plan, sheets) in years {
        let mut keep = |file: Result<SourceFile, Diagnostic>| match file {
            Ok(file) => Some(file),
            Err(problem) => {
                diagnostics.push(problem);
                None
            }
        };
        let plan = plan.and_then(&mut keep);
        let sheets = sheets.into_iter().filter_map(&mut keep).collect();
        out.push(YearFiles {
            year,
            plan_path,
            plan,
            sheets,
        });
    }
    (out, diagnostics)
}

fn read_file(path: &Path) -> Result<SourceFile, Diagnostic> {
    Ok(SourceFile {
        path: path.to_path_buf(),
        text: read_source(path)?,
    })
}

/// Parses and checks the plans and sheets of each year. Sources with errors
/// are left out of the result and reported; consistency is checked within
/// each plan year.
pub fn parse_years(years: Vec<YearFiles>) -> (Vec<YearPlan>, Diagnostics) {
    parse_years_with(years, Sheet::parse)
}

/// [`parse_years`] for plans still being prepared: a year's target may be
/// empty (`schede roll` leaves the new year's to fill; `diff` reads them).
pub fn parse_drafts(years: Vec<YearFiles>) -> (Vec<YearPlan>, Diagnostics) {
    parse_years_with(years, Sheet::parse_draft)
}

/// [`YearPlan::sources`] of `year`.
fn sources_digest(year: &YearFiles) -> String {
    let files = year.plan.iter().chain(&year.sheets);
    files
        .fold(crate::manifest::Key::new(), |key, file| {
            let name = file.path.file_name().unwrap_or_default();
            key.part(name.as_encoded_bytes()).part(file.text.as_bytes())
        })
        .finish()
}

type SheetParser = fn(&Path, &str, &Plan) -> Result<Sheet, Vec<Diagnostic>>;

fn parse_years_with(years: Vec<YearFiles>, parse: SheetParser) -> (Vec<YearPlan>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut plans = Vec::new();
    for year in years {
        let plan = match &year.plan {
            Some(file) => Plan::parse(&file.path, &file.text, &year.year),
            None => Err(vec![
                Diagnostic::error(&year.plan_path, t!("plan-not-found"))
                    .hint(t!("plan-not-found-hint")),
            ]),
        };
        let plan = match plan {
            Ok(plan) => plan,
            Err(problems) => {
                diagnostics.extend(problems);
                continue;
            }
        };
        if let Some(file) = &year.plan {
            diagnostics.extend(plan.portal_warnings(&file.path, &file.text));
        }
        let parsed: Vec<Result<Sheet, Vec<Diagnostic>>> = year
            .sheets
            .par_iter()
            .map(|file| parse(&file.path, &file.text, &plan))
            .collect();
        let mut sheets = Vec::new();
        for result in parsed {
            match result {
                Ok(sheet) => sheets.push(sheet),
                Err(problems) => diagnostics.extend(problems),
            }
        }
        // Publication order: by Direzione, then Servizio, then code; the
        // sheet pages' previous and next links follow it, like the volumes.
        sheets.sort_by(|a, b| {
            let (a, b) = (&a.fields, &b.fields);
            (&a.direzione, &a.servizio, &a.codice).cmp(&(&b.direzione, &b.servizio, &b.codice))
        });
        let all: Vec<&Sheet> = sheets.iter().collect();
        diagnostics.extend(model::check_consistency(&all));
        for sheet in &sheets {
            diagnostics.extend(model::unexplained_deviations(sheet, &plan));
        }
        plans.push(YearPlan {
            sources: sources_digest(&year),
            year: year.year,
            plan,
            sheets,
        });
    }
    (plans, diagnostics)
}

/// Reads, parses and checks every source under the sheets folder `root`.
pub fn load_plans(root: &Path) -> (Vec<YearPlan>, Diagnostics) {
    let (years, mut diagnostics) = read_tree(root);
    let (plans, problems) = parse_years(years);
    diagnostics.append(problems);
    (plans, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_drops_bom_and_crlf() {
        let text = decode(Path::new("x"), b"\xef\xbb\xbf---\r\na\r\n".to_vec()).unwrap();
        assert_eq!(text, "---\na\n");
    }

    #[test]
    fn a_bad_byte_is_placed_by_characters_after_a_bom() {
        let err = decode(
            Path::new("x.md"),
            b"\xef\xbb\xbf\xc3\xa0\xc3\xa8\xff".to_vec(),
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (1, 3));
        let err = decode(Path::new("x.md"), b"ok\n\xe2\x82\xac\xff".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (2, 2));
    }

    #[test]
    fn reads_stop_at_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        std::fs::write(&path, vec![b'a'; MAX_FILE_SIZE as usize + 1]).unwrap();
        let err = read_source(&path).unwrap_err();
        assert_eq!(
            err.message.to_string(),
            format!("file is too large (the limit is {MAX_FILE_SIZE} bytes)")
        );
        std::fs::write(&path, vec![b'a'; MAX_FILE_SIZE as usize]).unwrap();
        assert!(read_source(&path).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2019_A1.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        // Reading it would wait for a writer forever.
        let err = read_source(&path).unwrap_err();
        assert_eq!(
            err.message.to_string(),
            "not a regular file (a pipe, socket or device): it is not read"
        );
    }

    #[test]
    fn decode_points_at_the_bad_byte() {
        let err = decode(Path::new("x.md"), b"ok\nab\xff".to_vec()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.md:2:3: error: file is not valid UTF-8\n  hint: save the file with UTF-8 encoding"
        );
    }
}
