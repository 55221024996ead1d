//! The optional fields of `piano.yaml` that describe where the plan is
//! published: the links of the portal pages' footer (`sito`) and what the
//! DCAT-AP_IT catalogue of the open data needs (`catalogo`).
//!
//! ```text
//! sito:
//!   istituzionale: https://www.comune.firenze.it/
//!   accessibilita: https://form.agid.gov.it/view/...
//!   note_legali: https://www.comune.firenze.it/note-legali
//!   privacy: https://www.comune.firenze.it/privacy
//!   contatti: https://www.comune.firenze.it/urp
//! catalogo:
//!   codice_ipa: c_d612
//!   url: https://trasparenza.comune.firenze.it/peg/
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Plan, locate};
use crate::diag::Diagnostic;
use crate::t;

/// The ente's web site, linked from the pages' header and footer (`sito`).
/// Every link is optional: a link not given is not shown (templates see it
/// as `null`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The ente's institutional site (`istituzionale`), linked from its name
    /// in the header, e.g. `https://www.comune.firenze.it/`.
    #[serde(default, rename = "istituzionale")]
    pub home: Option<String>,
    /// The accessibility statement (`accessibilita`, "dichiarazione di
    /// accessibilità"), usually on AgID's form.agid.gov.it.
    #[serde(default, rename = "accessibilita")]
    pub accessibility: Option<String>,
    /// The legal notes (`note_legali`).
    #[serde(default, rename = "note_legali")]
    pub legal_notes: Option<String>,
    /// The privacy notice (`privacy`, "informativa sulla privacy").
    #[serde(default)]
    pub privacy: Option<String>,
    /// How to reach the office (`contatti`): the URP's page, or a
    /// `mailto:` address.
    #[serde(default, rename = "contatti")]
    pub contacts: Option<String>,
}

/// What the DCAT-AP_IT catalogue of a plan year's open data needs
/// (`catalogo`). Without `codice_ipa` and `url` no catalogue is made, and
/// `check` and `build` warn, naming what is missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The ente's code in the IPA index (`codice_ipa`, indicepa.gov.it),
    /// e.g. `c_d612`: it identifies the rights holder and the publisher, and
    /// prefixes the datasets' identifiers.
    #[serde(
        default,
        rename = "codice_ipa",
        skip_serializing_if = "Option::is_none"
    )]
    pub ipa: Option<String>,
    /// The address where the output folder is published, e.g.
    /// `https://trasparenza.comune.firenze.it/peg/`: the catalogue's links
    /// are this address followed by `<year>/<file>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The publisher (`editore`), when it is not the ente itself: its name
    /// and IPA code. By default the ente publishes.
    #[serde(default, rename = "editore", skip_serializing_if = "Option::is_none")]
    pub publisher: Option<Agent>,
}

/// A body of the public administration, as the catalogue names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The body's name (`nome`).
    #[serde(rename = "nome")]
    pub name: String,
    /// The body's IPA code (`codice_ipa`).
    #[serde(rename = "codice_ipa")]
    pub ipa: String,
}

/// A complete catalogue configuration: what the catalogue is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueSettings {
    /// The ente, rights holder of the data.
    pub holder: Agent,
    /// The publisher: the ente unless `editore` says otherwise.
    pub publisher: Agent,
    /// The published output folder's address, ending with `/`.
    pub base: String,
}

impl Plan {
    /// The catalogue's settings, when `catalogo` gives all it needs.
    pub fn catalogue(&self) -> Option<CatalogueSettings> {
        let catalogue = self.catalogo.as_ref()?;
        let ipa = catalogue.ipa.as_ref()?;
        let url = catalogue.url.as_ref()?;
        let holder = Agent {
            name: self.ente.clone(),
            ipa: ipa.clone(),
        };
        Some(CatalogueSettings {
            publisher: catalogue
                .publisher
                .clone()
                .unwrap_or_else(|| holder.clone()),
            holder,
            base: if url.ends_with('/') {
                url.clone()
            } else {
                format!("{url}/")
            },
        })
    }

    /// The errors of `sito` and `catalogo`: links that are not web
    /// addresses, empty or malformed IPA codes.
    pub(super) fn portal_errors(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut check = |field: &str, value: &str, mail: bool| {
            let web = (value.starts_with("https://") || value.starts_with("http://"))
                && value.len() > "https://".len()
                && !value.contains(|c: char| c.is_whitespace() || "<>\"{}|^`\\".contains(c));
            let mail = mail && value.starts_with("mailto:") && value.contains('@');
            if !web && !mail {
                let (line, column) = locate(text, field, 1);
                problems.push(
                    Diagnostic::error(path, t!("portal-not-web", value = value))
                        .at(line, column)
                        .field(field)
                        .hint(if field == "sito.contatti" {
                            t!("portal-not-web-or-mail-hint")
                        } else {
                            t!("portal-not-web-hint")
                        }),
                );
            }
        };
        if let Some(site) = &self.sito {
            for (field, value) in [
                ("sito.istituzionale", &site.home),
                ("sito.accessibilita", &site.accessibility),
                ("sito.note_legali", &site.legal_notes),
                ("sito.privacy", &site.privacy),
                ("sito.contatti", &site.contacts),
            ] {
                if let Some(value) = value {
                    check(field, value, field == "sito.contatti");
                }
            }
        }
        let Some(catalogue) = &self.catalogo else {
            return problems;
        };
        if let Some(url) = &catalogue.url {
            check("catalogo.url", url, false);
        }
        let codes = [
            ("catalogo.codice_ipa", catalogue.ipa.as_deref()),
            (
                "catalogo.editore.codice_ipa",
                catalogue.publisher.as_ref().map(|p| p.ipa.as_str()),
            ),
        ];
        for (field, code) in codes {
            if let Some(code) = code
                && !is_ipa_code(code)
            {
                let (line, column) = locate(text, field, 1);
                problems.push(
                    Diagnostic::error(path, t!("portal-not-ipa", code = code))
                        .at(line, column)
                        .field(field)
                        .hint(t!("portal-not-ipa-hint")),
                );
            }
        }
        problems
    }

    /// A warning when `catalogo` is there but lacks what the catalogue
    /// needs (the plan is published without one), or when the catalogue
    /// lacks what DCAT-AP_IT recommends: a contact point with an e-mail
    /// address (`sito.contatti: mailto:...`) and a chosen date (`data`).
    pub fn portal_warnings(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let Some(catalogue) = &self.catalogo else {
            return Vec::new();
        };
        let missing = match (catalogue.ipa.is_none(), catalogue.url.is_none()) {
            (false, false) => return self.catalogue_gaps(path, text),
            (true, false) => "ipa",
            (false, true) => "url",
            (true, true) => "both",
        };
        let (line, column) = locate(text, "catalogo", 1);
        vec![
            Diagnostic::warning(path, t!("portal-no-catalogue", missing = missing))
                .at(line, column)
                .field("catalogo")
                .hint(t!("portal-no-catalogue-hint")),
        ]
    }
}

impl Plan {
    /// The contact point's e-mail address (`sito.contatti` when a `mailto:`
    /// link): DCAT-AP_IT's contact point must have one.
    pub fn contact_email(&self) -> Option<&str> {
        let contacts = self.sito.as_ref()?.contacts.as_deref()?;
        contacts.starts_with("mailto:").then_some(contacts)
    }

    /// The warnings of a complete catalogue: no contact point, no `data`.
    fn catalogue_gaps(&self, path: &Path, text: &str) -> Vec<Diagnostic> {
        let mut warnings = Vec::new();
        if self.contact_email().is_none() {
            let field = if self.sito.as_ref().is_some_and(|s| s.contacts.is_some()) {
                "sito.contatti"
            } else {
                "catalogo"
            };
            let (line, column) = locate(text, field, 1);
            warnings.push(
                Diagnostic::warning(path, t!("portal-no-contact-point"))
                    .at(line, column)
                    .field(field)
                    .hint(t!("portal-no-contact-point-hint")),
            );
        }
        if self.data.is_none() {
            let (line, column) = locate(text, "catalogo", 1);
            let year = self.date().year();
            warnings.push(
                Diagnostic::warning(path, t!("portal-no-date", year = year.to_string()))
                    .at(line, column)
                    .field("catalogo")
                    .hint(t!("portal-no-date-hint")),
            );
        }
        warnings
    }
}

/// An IPA code: letters, digits and `_`, at most 20 characters.
fn is_ipa_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 20
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "ente: Comune di Prova
titolo: PEG
anni: [2019]
sito:
  accessibilita: form.agid.gov.it
  contatti: mailto:urp@comune.prova.it
catalogo:
  codice_ipa: c d
";

    #[test]
    fn bad_links_and_codes_are_errors_at_their_line() {
        let path = Path::new("piano.yaml");
        let problems: Vec<String> = Plan::parse(path, PLAN, "2019")
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "piano.yaml:5:3: error: field `sito.accessibilita`: `form.agid.gov.it` is not a web address\n  hint: write an address starting with `https://`",
                "piano.yaml:8:3: error: field `catalogo.codice_ipa`: `c d` is not an IPA code\n  hint: the code of the ente in indicepa.gov.it, e.g. `c_d612`",
            ]
        );
    }

    #[test]
    fn an_incomplete_catalogue_warns_and_makes_none() {
        let text =
            "ente: Comune di Prova\ntitolo: PEG\nanni: [2019]\ncatalogo:\n  codice_ipa: c_z999\n";
        let path = Path::new("piano.yaml");
        let plan = Plan::parse(path, text, "2019").unwrap();
        assert_eq!(plan.catalogue(), None);
        let warnings: Vec<String> = plan
            .portal_warnings(path, text)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            warnings,
            [
                "piano.yaml:4:1: warning: field `catalogo`: no DCAT-AP_IT catalogue is made without `url`\n  hint: add them under `catalogo`, or remove `catalogo` to publish without a catalogue"
            ]
        );
        let complete = format!("{text}  url: https://example.org/peg\n");
        let plan = Plan::parse(path, &complete, "2019").unwrap();
        let warnings: Vec<String> = plan
            .portal_warnings(path, &complete)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            warnings,
            [
                "piano.yaml:4:1: warning: field `catalogo`: the catalogue's datasets have no contact point\n  hint: give the office's e-mail address as `contatti: mailto:...` under `sito`",
                "piano.yaml:4:1: warning: field `catalogo`: without `data` the catalogue dates the data 1 January 2019\n  hint: write the plan's date of adoption as `data: YYYY-MM-DD`",
            ]
        );
        let quiet =
            format!("data: 2019-03-28\nsito:\n  contatti: mailto:urp@example.org\n{complete}");
        let plan = Plan::parse(path, &quiet, "2019").unwrap();
        assert!(plan.portal_warnings(path, &quiet).is_empty());
        let settings = plan.catalogue().unwrap();
        assert_eq!(settings.base, "https://example.org/peg/");
        assert_eq!(settings.publisher, settings.holder);
        assert_eq!(settings.holder.name, "Comune di Prova");
    }
}
