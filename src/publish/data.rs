//! The open data of a plan year: `obiettivi.csv` (one row per objective),
//! `indicatori.csv` (one row per indicator and year) and `piano.json` (the
//! whole plan). CSV files are UTF-8, comma-separated, with a header row and
//! CRLF line ends (RFC 4180); rows follow the publication order.
//!
//! The CSV files are published for citizens to open in a spreadsheet, which
//! reads a cell starting with `=`, `+`, `-` or `@` as a formula (one that can
//! fetch a page or run a command). Following OWASP's guidance on CSV
//! injection, such a cell, or one starting with a tab or a carriage return,
//! is written with a `'` before it ([`cell`]), except a plain number as an
//! office writes targets (`-`, `-5%`, `+3`, `-1.000,50`): no formula.

use std::collections::BTreeMap;

use serde::Serialize;

use super::Directorate;
use crate::load::YearPlan;
use crate::model::{Plan, Sheet};

/// The columns of `obiettivi.csv`: the sheet's fields, `indicatori` being
/// their number.
pub const OBIETTIVI_COLUMNS: [&str; 9] = crate::model::SHEET_KEYS;

/// The columns of `indicatori.csv`.
pub const INDICATORI_COLUMNS: [&str; 7] = [
    "codice",
    "indicatore",
    "descrizione",
    "tipo",
    "anno",
    "valore_atteso",
    "note",
];

/// One data file, ready to be written and linked.
pub struct DataFile {
    pub file: &'static str,
    pub bytes: Vec<u8>,
}

/// The data files of one year, in the order the index page lists them.
pub fn stage(year: &YearPlan, direzioni: &[Directorate<&Sheet>]) -> anyhow::Result<Vec<DataFile>> {
    let sheets: Vec<&Sheet> = direzioni
        .iter()
        .flat_map(Directorate::schede)
        .copied()
        .collect();
    Ok(vec![
        DataFile {
            file: "obiettivi.csv",
            bytes: obiettivi_csv(&sheets)?,
        },
        DataFile {
            file: "indicatori.csv",
            bytes: indicatori_csv(&year.plan, &sheets)?,
        },
        DataFile {
            file: "piano.json",
            bytes: piano_json(&year.plan, &sheets)?,
        },
    ])
}

/// A text as a CSV cell that no spreadsheet runs as a formula: a `'` goes
/// before a text starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return, unless it is a plain number (an optional sign, digits, `.`, `,`,
/// spaces, an optional `%`) or a lone `-`, which spreadsheets read as a
/// number or a text and never as a call.
pub fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(text) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `-`, or a sign, a digit, then digits, `.`, `,` and spaces, and an
/// optional `%`: `-5%`, `+3`, `-1.000,50`.
fn is_plain_number(text: &str) -> bool {
    if text == "-" {
        return true;
    }
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    let rest = rest.strip_suffix('%').unwrap_or(rest).trim_end();
    rest.starts_with(|c: char| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' '))
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

fn obiettivi_csv(sheets: &[&Sheet]) -> anyhow::Result<Vec<u8>> {
    let mut out = writer();
    out.write_record(OBIETTIVI_COLUMNS)?;
    for sheet in sheets {
        let f = &sheet.fields;
        let count = f.indicatori.len().to_string();
        let texts = [
            f.codice.as_str(),
            &f.titolo,
            &f.direzione,
            &f.direttore,
            &f.servizio,
            &f.dirigente,
            &f.classificazione,
            &f.tipologia,
            &count,
        ];
        out.write_record(texts.map(cell).iter().map(|c| c.as_bytes()))?;
    }
    Ok(out.into_inner().map_err(|err| err.into_error())?)
}

fn indicatori_csv(plan: &Plan, sheets: &[&Sheet]) -> anyhow::Result<Vec<u8>> {
    let mut out = writer();
    out.write_record(INDICATORI_COLUMNS)?;
    for sheet in sheets {
        for (i, indicator) in sheet.fields.indicatori.iter().enumerate() {
            for year in &plan.anni {
                let target = indicator.valore_atteso.get(year).map_or("", |t| &t.0);
                let (number, year) = ((i + 1).to_string(), year.to_string());
                let texts = [
                    sheet.codice(),
                    &number,
                    &indicator.descrizione,
                    &indicator.tipo,
                    &year,
                    target,
                    indicator.note.as_deref().unwrap_or(""),
                ];
                out.write_record(texts.map(cell).iter().map(|c| c.as_bytes()))?;
            }
        }
    }
    Ok(out.into_inner().map_err(|err| err.into_error())?)
}

/// `piano.json`: the plan and its objectives, keys in a fixed order.
#[derive(Serialize)]
struct PlanJson<'a> {
    ente: &'a str,
    titolo: &'a str,
    anni: &'a [i32],
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a str>,
    obiettivi: Vec<ObjectiveJson<'a>>,
}

#[derive(Serialize)]
struct ObjectiveJson<'a> {
    codice: &'a str,
    titolo: &'a str,
    direzione: &'a str,
    direttore: &'a str,
    servizio: &'a str,
    dirigente: &'a str,
    classificazione: &'a str,
    tipologia: &'a str,
    descrizione: &'a str,
    indicatori: Vec<IndicatorJson<'a>>,
}

#[derive(Serialize)]
struct IndicatorJson<'a> {
    descrizione: &'a str,
    tipo: &'a str,
    valore_atteso: BTreeMap<String, &'a str>,
    note: Option<&'a str>,
}

/// The bytes of `piano.json` for `plan` and its sheets in publication order.
pub fn piano_json(plan: &Plan, sheets: &[&Sheet]) -> anyhow::Result<Vec<u8>> {
    let obiettivi = sheets
        .iter()
        .map(|sheet| {
            let f = &sheet.fields;
            ObjectiveJson {
                codice: &f.codice,
                titolo: &f.titolo,
                direzione: &f.direzione,
                direttore: &f.direttore,
                servizio: &f.servizio,
                dirigente: &f.dirigente,
                classificazione: &f.classificazione,
                tipologia: &f.tipologia,
                descrizione: &sheet.descrizione,
                indicatori: f
                    .indicatori
                    .iter()
                    .map(|i| IndicatorJson {
                        descrizione: &i.descrizione,
                        tipo: &i.tipo,
                        valore_atteso: i
                            .valore_atteso
                            .iter()
                            .map(|(year, target)| (year.to_string(), target.0.as_str()))
                            .collect(),
                        note: i.note.as_deref(),
                    })
                    .collect(),
            }
        })
        .collect();
    let piano = PlanJson {
        ente: &plan.ente,
        titolo: &plan.titolo,
        anni: &plan.anni,
        data: plan.data.as_deref(),
        obiettivi,
    };
    let mut bytes = serde_json::to_vec_pretty(&piano)?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn csv_quotes_what_needs_it() {
        let plan = Plan {
            ente: "Comune".into(),
            titolo: "PEG".into(),
            anni: vec![2019, 2020],
            data: None,
            sito: None,
            catalogo: None,
            valutazione: None,
        };
        let text = "---
codice: 2019_A1
titolo: \"Uno, due\"
direzione: D
direttore: X
servizio: S
dirigente: Y
classificazione: C
tipologia: T
indicatori:
  - descrizione: 'detto \"tre\"'
    tipo: RISULTATO
    valore_atteso: {2019: 100%, 2020: 5}
---

Testo.
";
        let sheet = Sheet::parse(Path::new("sheets/2019/2019_A1.md"), text, &plan).unwrap();
        let obiettivi = String::from_utf8(obiettivi_csv(&[&sheet]).unwrap()).unwrap();
        assert_eq!(
            obiettivi,
            "codice,titolo,direzione,direttore,servizio,dirigente,classificazione,tipologia,indicatori\r\n\
             2019_A1,\"Uno, due\",D,X,S,Y,C,T,1\r\n"
        );
        let indicatori = String::from_utf8(indicatori_csv(&plan, &[&sheet]).unwrap()).unwrap();
        assert_eq!(
            indicatori,
            "codice,indicatore,descrizione,tipo,anno,valore_atteso,note\r\n\
             2019_A1,1,\"detto \"\"tre\"\"\",RISULTATO,2019,100%,\r\n\
             2019_A1,1,\"detto \"\"tre\"\"\",RISULTATO,2020,5,\r\n"
        );
    }

    #[test]
    fn formula_starts_are_neutralised_and_office_numbers_kept() {
        for (text, written) in [
            (
                "=HYPERLINK(\"http://evil\",\"click\")",
                "'=HYPERLINK(\"http://evil\",\"click\")",
            ),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("- vedi nota", "'- vedi nota"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "-"),
            ("-5%", "-5%"),
            ("+3", "+3"),
            ("-1.000,50", "-1.000,50"),
            ("+ 3", "'+ 3"),
            ("+-5", "'+-5"),
            ("≥ 95%", "≥ 95%"),
            ("100%", "100%"),
            ("12", "12"),
            ("entro giugno", "entro giugno"),
            ("", ""),
        ] {
            assert_eq!(cell(text), written, "{text:?}");
        }
    }
}
