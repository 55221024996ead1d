//! The review commands end to end: `schede fmt` (canonical form, lossless,
//! idempotent), `schede diff` (git revisions of a repository built in a
//! temporary folder, the working tree, year folders) and `schede new`.

mod diff;

mod fmt;

mod new;

use std::fs;
use std::path::Path;

pub(super) use crate::common::schede;
use schede::model::Fields;

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn fixture(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/review")
            .join(name),
    )
    .unwrap()
}

fn parse_front(text: &str) -> Option<Fields> {
    let split = schede::model::split_front_matter(text).ok()?;
    serde_yaml::from_str(split.front).ok()
}
