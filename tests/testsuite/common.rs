//! Helpers shared by the integration tests: a project in a temporary folder,
//! and what a PDF says.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, speaking English whatever the locale of the test run
/// (`in_language` chooses another).
pub fn schede_command() -> std::process::Command {
    in_language("C")
}

/// The binary with the locale `lang` (`LANG`), no other locale variable set.
pub fn in_language(lang: &str) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_schede"));
    command
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("SCHEDE_LANG")
        .env("LANG", lang);
    command
}

/// Runs the binary in `dir`: exit status, stdout, stderr.
pub fn schede(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = schede_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `schede` with `args` in `dir`.
pub fn run_schede(dir: &Path, args: &[&str]) -> std::process::Output {
    schede_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A temporary project with the real templates and the given sheets folder.
pub fn project(sheets: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("templates"), &dir.path().join("templates"));
    copy_dir(sheets, &dir.path().join("sheets"));
    dir
}

/// The characters of a PDF's text in content order, without white space
/// and list bullets (pure Rust: pdf-extract).
pub fn pdf_letters(pdf: &[u8]) -> String {
    letters(&pdf_extract::extract_text_from_mem(pdf).unwrap())
}

/// The characters of a text without white space, bullets and bold marks.
pub fn letters(text: &str) -> String {
    text.replace("**", "")
        .lines()
        .map(|line| line.trim_start().trim_start_matches("- "))
        .flat_map(str::chars)
        .filter(|c| !c.is_whitespace() && *c != '•')
        .collect()
}

/// The words of a PDF as `pdftotext -raw` extracts them in content order, or
/// `None` where poppler's pdftotext is not installed.
pub fn pdftotext_words(pdf: &Path) -> Option<Vec<String>> {
    let output = std::process::Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    Some(words(&String::from_utf8(output.stdout).unwrap()))
}

/// The words of a text, without list bullets and bold marks.
pub fn words(text: &str) -> Vec<String> {
    text.replace("**", "")
        .split_whitespace()
        .filter(|w| *w != "-" && *w != "•")
        .map(str::to_string)
        .collect()
}

/// The number of pages of a PDF.
pub fn page_count(pdf: &[u8]) -> usize {
    lopdf::Document::load_mem(pdf).unwrap().get_pages().len()
}
