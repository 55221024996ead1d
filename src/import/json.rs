//! Our own open data, `piano.json` (as `schede build` publishes it): the
//! plan and every objective, descriptions included, so that importing it
//! into an empty folder gives back the sources it was built from.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{Draft, Place, Source};
use crate::diag::Diagnostic;
use crate::model::{Fields, Indicator, Plan, Target};
use crate::t;

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
            Diagnostic::error(path, t!("import-json-invalid", reason = message))
                .at(err.line(), err.column())
                .hint(t!("import-json-invalid-hint")),
        ]
    })?;
    let mut problems = Vec::new();
    let sheets = (piano.obiettivi.into_iter())
        .map(|o| draft(path, text, o, &mut problems))
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
            valutazione: None,
        }),
        sheets,
    })
}

/// The draft of one objective of `text`, placed at the line of its code.
fn draft(path: &Path, text: &str, o: ObiettivoJson, problems: &mut Vec<Diagnostic>) -> Draft {
    let needle = format!(
        "\"codice\": {}",
        serde_json::to_string(&o.codice).unwrap_or_default()
    );
    let line = text
        .find(&needle)
        .map_or(1, |at| text[..at].matches('\n').count() + 1);
    let place = Place::line(path, line);
    let mut indicatori = Vec::new();
    for (i, indicator) in o.indicatori.into_iter().enumerate() {
        let mut valore_atteso = BTreeMap::new();
        for (year, target) in indicator.valore_atteso {
            match year.parse() {
                Ok(year) => {
                    valore_atteso.insert(year, Target(target));
                }
                Err(_) => problems.push(place.error(t!(
                    "import-json-not-a-year",
                    code = o.codice.as_str(),
                    indicator = i + 1,
                    year = year
                ))),
            }
        }
        indicatori.push(Indicator {
            descrizione: indicator.descrizione,
            tipo: indicator.tipo,
            valore_atteso,
            note: indicator.note,
            ..Default::default()
        });
    }
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
            risultati: Default::default(),
        },
        descrizione: o.descrizione,
        at: place,
        places: Vec::new(),
    }
}
