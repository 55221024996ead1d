//! Publication: the annual volumes, the portal's index pages and the open
//! data files of each plan year.

use std::path::{Path, PathBuf};

use crate::render::Templates;

use crate::diag::Diagnostic;
use crate::pdf::Typesetter;
use crate::pipeline::YearPlan;

/// The year-level files of every plan, ready to be written: nothing yet.
pub fn stage(
    _plans: &[YearPlan],
    _templates: &Templates,
    _typesetter: &Typesetter,
    _output: &Path,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Vec<Diagnostic>> {
    Ok(Vec::new())
}
