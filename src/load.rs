//! Finding and reading the sources: the `sheets/` tree, file decoding, and
//! the split of a sheet into YAML front matter and Markdown body.
//!
//! The tree is `sheets/<year>/piano.yaml` plus one `sheets/<year>/<codice>.md`
//! per objective. Files are read as UTF-8; a byte order mark is dropped and
//! CRLF line endings are read as LF, so line numbers stay those of the file.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diag::Diagnostic;

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
        return Err(Diagnostic::error(root, "sheets folder not found")
            .hint("run from the project folder, or point to the sheets with `--sheets`"));
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
                    .push(Diagnostic::error(path, format!("cannot read ({err})")));
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
                        Diagnostic::error(path, "folder is not a plan year")
                            .hint("sheets live in a folder named after the plan's first year, like `sheets/2019/`"),
                    );
                }
            }
            (1, false) if name.ends_with(".md") => {
                tree.problems.push(
                    Diagnostic::error(path, "sheet is outside any year folder")
                        .hint("move it into the folder of its plan year, like `sheets/2019/`"),
                );
            }
            (2, false) if name.ends_with(".md") => {
                if let Some(year) = tree.years.last_mut().filter(|y| path.starts_with(&y.dir)) {
                    year.sheets.push(path);
                }
            }
            (2, true) if tree.years.last().is_some_and(|y| path.starts_with(&y.dir)) => {
                tree.problems.push(
                    Diagnostic::error(path, "nested folders are not read")
                        .hint("keep every sheet directly in its year folder"),
                );
            }
            _ => {}
        }
    }
    Ok(tree)
}

fn is_year(name: &str) -> bool {
    name.len() == 4 && name.bytes().all(|b| b.is_ascii_digit())
}

/// Reads a source file with the size limit and decodes it.
pub fn read_source(path: &Path) -> Result<String, Diagnostic> {
    let meta = fs::metadata(path)
        .map_err(|err| Diagnostic::error(path, format!("cannot read ({err})")))?;
    if meta.len() > MAX_FILE_SIZE {
        return Err(Diagnostic::error(
            path,
            format!(
                "file is too large ({} bytes, the limit is {MAX_FILE_SIZE})",
                meta.len()
            ),
        ));
    }
    let bytes =
        fs::read(path).map_err(|err| Diagnostic::error(path, format!("cannot read ({err})")))?;
    decode(path, bytes)
}

/// Decodes a file's bytes: UTF-8 required, BOM dropped, CRLF read as LF.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text = String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        Diagnostic::error(path, "file is not valid UTF-8")
            .at(line, column)
            .hint("save the file with UTF-8 encoding")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.replace("\r\n", "\n"))
}

/// A sheet split into its parts, with the line where each starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Line of the file where the front matter's first line is.
    pub front_line: usize,
    pub body: &'a str,
    /// Line of the file where the body's first line is.
    pub body_line: usize,
}

/// Splits a sheet into front matter (between the `---` lines) and body.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, String> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return Err("the sheet must start with a `---` line opening its fields".into());
    };
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                front,
                front_line: 2,
                body,
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    Err("the fields are not closed by a `---` line".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_counts_lines_from_the_top_of_the_file() {
        let split = split_front_matter("---\na: 1\nb: 2\n---\n\nbody\n").unwrap();
        assert_eq!(split.front, "a: 1\nb: 2\n");
        assert_eq!(split.front_line, 2);
        assert_eq!(split.body, "\nbody\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn split_needs_both_fences() {
        assert_eq!(
            split_front_matter("a: 1\n").unwrap_err(),
            "the sheet must start with a `---` line opening its fields"
        );
        assert_eq!(
            split_front_matter("---\na: 1\n").unwrap_err(),
            "the fields are not closed by a `---` line"
        );
    }

    #[test]
    fn decode_drops_bom_and_crlf() {
        let text = decode(Path::new("x"), b"\xef\xbb\xbf---\r\na\r\n".to_vec()).unwrap();
        assert_eq!(text, "---\na\n");
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
