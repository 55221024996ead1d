//! schede: the objective sheets of a municipal management plan (PEG), from
//! YAML + Markdown sources to PDF/A-2a + PDF/UA-1 and accessible HTML.
//!
//! The sheet format is documented on [`model`]; the build on [`build`].
//!
//! Layers, each using only those below it: `i18n` (the messages), `diag`,
//! `fonts` (the embedded fonts and words' widths), `markdown`, `glyphs`
//! (which characters print), `results` (achievement, from text), then
//! `model` and `load` (the sources),
//! then `render`, `overflow` and `pdf` (rendering and typesetting), then
//! `manifest`, `output` and `artifact` (what a build writes), `assemble`,
//! then `publish` and `build`; the review commands `fmt`, `diff` and
//! `scaffold` sit beside `build`, `monitor` (the monitoring workbook) beside
//! `publish`, `import` and `roll` above them, `serve`
//! above `build`, and `cli` on top of everything.

pub mod artifact;
pub mod assemble;
pub mod build;
pub mod cli;
pub mod diag;
pub mod diff;
pub mod fmt;
pub mod fonts;
pub mod glyphs;
pub mod i18n;
pub mod import;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod model;
pub mod monitor;
pub mod output;
pub mod overflow;
pub mod pdf;
pub mod publish;
pub mod render;
pub mod results;
pub mod roll;
pub mod scaffold;
pub mod serve;
pub mod synth;
