//! `schede check` accepts only what `schede build` can build: on arbitrary
//! sheets (any Unicode text in every field, Markdown of every structure in
//! the description), whatever `Sheet::parse` accepts renders and compiles
//! into a PDF/A-2a + PDF/UA-1 document, and whatever it refuses is refused
//! at a line and column of the sheet.
//!
//! `PROPTEST_CASES=2000 cargo test --test check_build` runs it long.

use crate::common;

use std::path::Path;

use proptest::prelude::*;
use schede::fmt::scalar;
use schede::model::{Plan, Sheet};
use schede::pdf::{PdfMeta, Typesetter};
use schede::render::{SheetPage, Templates};

/// Pieces of text of every kind: Latin letters, Markdown and Typst
/// punctuation, words of other scripts, symbols and emoji, format
/// characters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::char::range('a', 'z').prop_map(String::from),
        5 => prop::sample::select(
            "#$@*_`<>[]{}()\\/=+-.:;'\"~!?&%^|, 0123456789".chars().collect::<Vec<_>>()
        ).prop_map(String::from),
        4 => prop::sample::select(vec![
            " ", "à", "È", "€", "«»", "’", "–", "—", "…", "°", "§", "αβΩ", "жЩ", "✅", "👉", "👍",
            "⚠️", "✔", "❌", "→", "⇒", "★", "京都", "東京", "한국", "ಕನ್ನಡ", "മലയാളം", "العربية",
            "עברית", "हिन्दी", "ශ්‍රී", "ไทย", "ქართ", "ሰላም", "👩‍💻", "🇮🇹", "\u{200b}",
            "\u{a0}", "\u{ad}", "e\u{301}", "1.50", "€ 450.000,00",
        ]).prop_map(String::from),
    ]
}

/// A text of such pieces, or now and then (one in fifty) with any code
/// point and combining marks after any character.
fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    let any = prop_oneof![
        8 => piece(),
        1 => any::<char>().prop_map(String::from),
        1 => prop::sample::select(vec!["\u{301}", "\u{93f}", "\u{d02}", "\u{20dd}", "\u{feff}", "\u{e000}", "\u{fffe}"])
            .prop_map(String::from),
    ];
    prop_oneof![
        49 => prop::collection::vec(piece(), min..max),
        1 => prop::collection::vec(any, min..max),
    ]
    .prop_map(|pieces| pieces.concat())
}

/// A one-line field value: not empty once trimmed.
fn field() -> impl Strategy<Value = String> {
    text(1, 30).prop_map(|t| {
        let t = t.replace(['\n', '\r'], " ");
        if t.trim().is_empty() { "x".into() } else { t }
    })
}

/// Markdown blocks of every structure the description supports.
fn markdown() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        4 => text(0, 60),
        1 => text(0, 20).prop_map(|t| format!("# {t}")),
        1 => text(0, 20).prop_map(|t| format!("### {t}\n")),
        1 => Just("#".to_string()),
        1 => Just("## ".to_string()),
        1 => (text(0, 15), text(0, 15)).prop_map(|(a, b)| format!("- {a}\n  - {b}\n    1. {a}\n- *{b}*")),
        1 => (text(0, 15), text(0, 15)).prop_map(|(a, b)| format!("> {a}\n>\n> **{b}** ~~{a}~~")),
        1 => text(0, 30).prop_map(|t| format!("```\n{t}\n```")),
        1 => (text(0, 15), text(0, 15)).prop_map(|(a, b)| format!("[{a}](https://{b}) ![{b}](x.png) `{a}`")),
        1 => (text(0, 12), text(0, 12), text(0, 12)).prop_map(|(a, b, c)| {
            format!("| {a} | {b} |\n|:--|--:|\n| {c} | {a} |\n| {b} |")
        }),
        1 => (text(0, 12), text(0, 12)).prop_map(|(a, b)| format!("{a}[^n]\n\n[^n]: {b}")),
        1 => Just("---".to_string()),
    ];
    prop::collection::vec(block, 1..8).prop_map(|blocks| blocks.join("\n\n"))
}

fn plan() -> Plan {
    Plan {
        ente: "Comune".into(),
        titolo: "PEG 2019-2021".into(),
        anni: vec![2019, 2020, 2021],
        data: None,
        sito: None,
        catalogo: None,
        valutazione: None,
    }
}

/// A sheet of the given texts, every field written in canonical YAML.
fn sheet(fields: &[String], targets: &[String], note: &str, description: &str) -> String {
    let mut out = String::from("---\ncodice: 2019_P1\n");
    let keys = std::iter::once("titolo").chain(schede::model::HEADER_KEYS);
    for (key, value) in keys.zip(fields) {
        out.push_str(&format!("{key}: {}\n", scalar(value)));
    }
    out.push_str(&format!(
        "indicatori:\n  - descrizione: {}\n    tipo: {}\n    valore_atteso:\n",
        scalar(&fields[7]),
        scalar(&fields[8])
    ));
    for (year, target) in [2019, 2020, 2021].iter().zip(targets) {
        out.push_str(&format!("      {year}: {}\n", scalar(target)));
    }
    out.push_str(&format!(
        "    note: {}\n---\n\n{description}\n",
        scalar(note)
    ));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn what_check_accepts_build_compiles(
        fields in prop::collection::vec(field(), 9),
        targets in prop::collection::vec(field(), 3),
        note in text(0, 30),
        description in markdown(),
    ) {
        let source = sheet(&fields, &targets, &note, &description);
        let path = Path::new("sheets/2019/2019_P1.md");
        let plan = plan();
        let sheet = match Sheet::parse(path, &source, &plan) {
            Ok(sheet) => sheet,
            Err(problems) => {
                for problem in problems {
                    prop_assert!(problem.line > 0, "no line: {problem}\n{source}");
                }
                return Ok(());
            }
        };
        let templates = Templates::load(&common::root().join("templates")).unwrap();
        let page = SheetPage::new(&plan, &sheet);
        let typst = templates.sheet_typst(&page).map_err(|d| TestCaseError::fail(d.to_string()))?;
        let meta = PdfMeta { ident: "2019/2019_P1".into(), timestamp: 0 };
        let compiled = Typesetter::new().unwrap().compile("/2019/2019_P1.typ", typst, &meta, path);
        prop_assert!(compiled.is_ok(), "{:?}\n{}", compiled.err(), source);
    }
}
