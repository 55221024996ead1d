//! Our own open data, `piano.json` (as `schede build` publishes it): the
//! plan and every objective, descriptions included, so that importing it
//! into an empty folder gives back the sources it was built from.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{Draft, Place, Source};
use crate::diag::Diagnostic;
use crate::model::{Fields, Indicator, Plan, Target};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PianoJson {
    ente: String,
    titolo: String,
    anni: Vec<i32>,
    #[serde(default)]
    data: Option<String>,
    obiettivi: Vec<ObiettivoJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObiettivoJson {
    codice: String,
    titolo: String,
    direzione: String,
    direttore: String,
    servizio: String,
    dirigente: String,
    classificazione: String,
    tipologia: String,
    descrizione: String,
    indicatori: Vec<IndicatoreJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatoreJson {
    descrizione: String,
    tipo: String,
    valore_atteso: BTreeMap<String, String>,
    note: Option<String>,
}

/// Parses a `piano.json`.
pub fn parse(path: &Path, text: &str) -> Result<Source, Vec<Diagnostic>> {
    let piano: PianoJson = serde_json::from_str(text).map_err(|err| {
        let message = err.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(&*message, |i| &message[..i])
            .to_string();
        vec![
            Diagnostic::error(path, format!("not a plan's open data ({message})"))
                .at(err.line(), err.column())
                .hint("import takes the `piano.json` that `schede build` writes"),
        ]
    })?;
    let mut problems = Vec::new();
    let sheets = piano
        .obiettivi
        .into_iter()
        .map(|o| {
            // The objective's line: where its code is written.
            let needle = format!(
                "\"codice\": {}",
                serde_json::to_string(&o.codice).unwrap_or_default()
            );
            let line = text
                .find(&needle)
                .map_or(1, |at| text[..at].matches('\n').count() + 1);
            let place = Place::line(path, line);
            let indicatori = o
                .indicatori
                .into_iter()
                .enumerate()
                .map(|(i, indicator)| Indicator {
                    descrizione: indicator.descrizione,
                    tipo: indicator.tipo,
                    valore_atteso: indicator
                        .valore_atteso
                        .into_iter()
                        .filter_map(|(year, target)| match year.parse() {
                            Ok(year) => Some((year, Target(target))),
                            Err(_) => {
                                problems.push(place.error(format!(
                                    "objective `{}`, indicator {}: `{year}` is not a year",
                                    o.codice,
                                    i + 1
                                )));
                                None
                            }
                        })
                        .collect(),
                    note: indicator.note,
                })
                .collect();
            Draft {
                fields: Fields {
                    codice: o.codice,
                    titolo: o.titolo,
                    direzione: o.direzione,
                    direttore: o.direttore,
                    servizio: o.servizio,
                    dirigente: o.dirigente,
                    classificazione: o.classificazione,
                    tipologia: o.tipologia,
                    indicatori,
                },
                descrizione: o.descrizione,
                at: place,
                places: Vec::new(),
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Source {
        plan: Some(Plan {
            ente: piano.ente,
            titolo: piano.titolo,
            anni: piano.anni,
            data: piano.data,
            sito: None,
            catalogo: None,
        }),
        sheets,
    })
}
