//! schede: the objective sheets of a municipal management plan (PEG), from
//! YAML + Markdown sources to PDF/A-2a + PDF/UA-1 and accessible HTML.
//!
//! The sheet format is documented on [`model`]; the build on [`pipeline`].

pub mod cache;
pub mod cli;
pub mod diag;
pub mod diff;
pub mod fmt;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod synth;
