//! The integration tests: one binary, a module per area (as mdBook's
//! `tests/testsuite/`), so the dependencies link once. Fixtures live under
//! `tests/` and are copied to a temporary folder before any test writes.

mod build;
mod check_build;
mod common;
mod import;
mod language;
mod output;
mod overflow;
mod portal;
mod properties;
mod publish;
mod results;
mod review;
mod serve;
mod validation;
mod values;
