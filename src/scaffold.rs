//! `schede new`: a new sheet from the template, every field present and
//! explained by a comment, in canonical form.
//!
//! The fields are left empty, so that `schede check` lists what is still to
//! write; `--like` fills the header fields (Direzione, Servizio, their heads,
//! classification and type) from another sheet of the same Servizio.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, io_message};
use crate::fmt::{self, Anchor, Comment};
use crate::i18n::Text;
use crate::load;
use crate::model::{Fields, Indicator, Plan, Target};
use crate::output;
use crate::t;

/// What each field is for, as written above it in a new sheet: the
/// catalogue's message, in the run's language.
const COMMENTS: &[(Anchor, &str)] = &[
    (Anchor::Key("codice"), "new-comment-codice"),
    (Anchor::Key("titolo"), "new-comment-titolo"),
    (Anchor::Key("direzione"), "new-comment-direzione"),
    (Anchor::Key("direttore"), "new-comment-direttore"),
    (Anchor::Key("servizio"), "new-comment-servizio"),
    (Anchor::Key("dirigente"), "new-comment-dirigente"),
    (
        Anchor::Key("classificazione"),
        "new-comment-classificazione",
    ),
    (Anchor::Key("tipologia"), "new-comment-tipologia"),
    (Anchor::Key("indicatori"), "new-comment-indicatori"),
    (Anchor::Indicator(0), "new-comment-indicatore"),
    (Anchor::IndicatorKey(0, "tipo"), "new-comment-tipo"),
    (
        Anchor::IndicatorKey(0, "valore_atteso"),
        "new-comment-valore-atteso",
    ),
    (Anchor::IndicatorKey(0, "note"), "new-comment-note"),
    (Anchor::End, "new-comment-end"),
];

/// The text of a new sheet `codice` of `plan`, with the header fields of
/// `like` when given.
pub fn template(codice: &str, plan: &Plan, like: Option<&Fields>) -> String {
    let header = |pick: fn(&Fields) -> &String| like.map(pick).cloned().unwrap_or_default();
    let fields = Fields {
        codice: codice.to_string(),
        titolo: String::new(),
        direzione: header(|f| &f.direzione),
        direttore: header(|f| &f.direttore),
        servizio: header(|f| &f.servizio),
        dirigente: header(|f| &f.dirigente),
        classificazione: header(|f| &f.classificazione),
        tipologia: header(|f| &f.tipologia),
        indicatori: vec![Indicator {
            descrizione: String::new(),
            tipo: String::new(),
            valore_atteso: plan
                .anni
                .iter()
                .map(|&year| (year, Target(String::new())))
                .collect(),
            note: Some(String::new()),
            ..Default::default()
        }],
        risultati: Default::default(),
    };
    let comments: Vec<Comment> = COMMENTS
        .iter()
        .map(|&(anchor, id)| Comment {
            anchor,
            text: format!("# {}", Text::new(id)),
        })
        .collect();
    fmt::emit(&fields, &comments, "")
}

/// The year of a code, when the code is well formed.
pub fn year_of(codice: &str) -> Option<&str> {
    let (year, rest) = codice.split_once('_')?;
    let valid = load::is_year(year)
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    valid.then_some(year)
}

fn code_error(codice: &str) -> Diagnostic {
    Diagnostic::error(codice, t!("new-code-invalid")).hint(t!("new-code-invalid-hint"))
}

/// The diagnostics about `path`, if any, else `fallback`.
fn about(diagnostics: &Diagnostics, path: &Path, fallback: Diagnostic) -> Vec<Diagnostic> {
    let found: Vec<Diagnostic> = diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.path == path && d.is_error())
        .cloned()
        .collect();
    if found.is_empty() {
        vec![fallback]
    } else {
        found
    }
}

/// Writes the new sheet, refusing to overwrite one; returns its path. The
/// sheets are read by the loader that `build` uses: only the year's plan
/// and the `--like` sheet need to be free of errors.
pub fn create(sheets: &Path, codice: &str, like: Option<&str>) -> Result<PathBuf, Vec<Diagnostic>> {
    let year = year_of(codice).ok_or_else(|| vec![code_error(codice)])?;
    let (plans, diagnostics) = load::load_plans(sheets);
    let plan_path = sheets.join(year).join(load::PLAN_FILE);
    let plan = plans.iter().find(|p| p.year == year).ok_or_else(|| {
        let missing = Diagnostic::error(&plan_path, t!("plan-not-found"))
            .hint(t!("new-plan-not-found-hint", path = plan_path.display()));
        about(&diagnostics, &plan_path, missing)
    })?;
    let like = match like {
        None => None,
        Some(code) => {
            let like_year = year_of(code).ok_or_else(|| vec![code_error(code)])?;
            let path = sheets.join(like_year).join(format!("{code}.md"));
            let found = plans
                .iter()
                .filter(|p| p.year == like_year)
                .flat_map(|p| &p.sheets)
                .find(|s| s.codice() == code);
            let missing = Diagnostic::error(&path, t!("new-like-not-found"))
                .hint(t!("new-like-not-found-hint"));
            Some(found.ok_or_else(|| about(&diagnostics, &path, missing))?)
        }
    };
    let text = template(codice, &plan.plan, like.map(|s| &s.fields));
    let path = sheets.join(year).join(format!("{codice}.md"));
    if path.exists() {
        return Err(vec![
            Diagnostic::error(&path, t!("already-exists")).hint(t!("new-exists-hint")),
        ]);
    }
    output::write_new(&path, text.as_bytes()).map_err(|err| {
        let exists = err
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::AlreadyExists);
        let message = if exists {
            t!("already-exists")
        } else {
            io_message(&err)
        };
        vec![Diagnostic::error(&path, message)]
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan {
            ente: "Comune".into(),
            titolo: "PEG".into(),
            anni: vec![2019, 2020, 2021],
            data: None,
            sito: None,
            catalogo: None,
            valutazione: None,
        }
    }

    #[test]
    fn template_is_canonical_and_lists_every_field() {
        let text = template("2019_Z102", &plan(), None);
        let formatted = fmt::format_sheet(Path::new("sheets/2019/2019_Z102.md"), &text).unwrap();
        assert_eq!(formatted.text, text);
        for key in [
            "codice: 2019_Z102",
            "titolo: \"\"",
            "tipologia: \"\"",
            "  - descrizione: \"\"",
            "    valore_atteso: {2019: \"\", 2020: \"\", 2021: \"\"}",
            "    note: \"\"",
        ] {
            assert!(text.lines().any(|l| l == key), "{key} in\n{text}");
        }
    }

    #[test]
    fn codes_need_a_year_and_a_name() {
        assert_eq!(year_of("2019_Z101"), Some("2019"));
        for bad in ["Z101", "19_Z1", "2019_", "2019_a/b", "../2019_x"] {
            assert_eq!(year_of(bad), None, "{bad}");
        }
    }
}
