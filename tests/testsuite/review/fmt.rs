//! `schede fmt`: the canonical form, `--check`, and the lossless property.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use proptest::prelude::*;
use schede::fmt::format_sheet;
use schede::markdown;
use schede::model::{Fields, Indicator, Narrative, Plan, Sheet, Target};
use tempfile::TempDir;

use super::{fixture, parse_front, schede, write};

#[test]
fn fmt_rewrites_a_sheet_in_canonical_form() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("sheets/2019/2019_A1.md");
    write(&path, &fixture("messy.md").replace('\n', "\r\n"));
    let (status, stdout, stderr) = schede(dir.path(), &["fmt"]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "formatted sheets/2019/2019_A1.md\nformatted 1 of 1 sheet\n"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), fixture("canonical.md"));
    let (status, stdout, _) = schede(dir.path(), &["fmt"]);
    assert_eq!((status, stdout.as_str()), (0, "formatted 0 of 1 sheet\n"));
}

#[test]
fn fmt_check_lists_what_is_not_canonical_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    write(
        &dir.path().join("sheets/2019/2019_A1.md"),
        &fixture("messy.md"),
    );
    write(
        &dir.path().join("sheets/2019/2019_A2.md"),
        &fixture("canonical.md").replace("2019_A1", "2019_A2"),
    );
    let (status, stdout, stderr) = schede(dir.path(), &["fmt", "--check", "sheets"]);
    assert_eq!(status, 1);
    assert_eq!(stdout, "sheets/2019/2019_A1.md\n");
    assert_eq!(
        stderr,
        "error: not in canonical form: 1 of 2 sheets\n  hint: run `schede fmt` to rewrite them\n"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("sheets/2019/2019_A1.md")).unwrap(),
        fixture("messy.md")
    );
}

#[test]
fn fmt_reports_sheets_it_cannot_read() {
    let dir = TempDir::new().unwrap();
    write(&dir.path().join("a.md"), "no fields\n");
    let (status, _, stderr) = schede(dir.path(), &["fmt", "a.md", "missing.md"]);
    assert_eq!(status, 1);
    assert_eq!(
        stderr,
        "a.md:1:1: error: the sheet must start with a `---` line opening its fields\n\
         missing.md: error: not found\n2 errors, 0 warnings\n"
    );
}

#[test]
fn shipped_sheets_are_canonical() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (status, stdout, stderr) = schede(root, &["fmt", "--check"]);
    assert_eq!((status, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.ends_with("in canonical form\n"), "{stdout}");
}

/// Text that YAML and Markdown may read in more than one way.
fn tricky_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("null".to_string()),
        Just("12".to_string()),
        Just("- voce".to_string()),
        Just("a: b # c".to_string()),
        Just("{x}, [y]".to_string()),
        Just("'apici' e \"virgolette\"".to_string()),
        Just(" spazi ".to_string()),
        "[a-zA-Z0-9 àè.,:;#'\"%&*!|>@`{}\\[\\]\\\\/-]{0,24}",
        "\\PC{0,8}",
        "[a-z \n\t\u{7}\u{2028}]{0,8}",
    ]
}

fn indicator_strategy() -> impl Strategy<Value = Indicator> {
    (
        tricky_text(),
        tricky_text(),
        proptest::collection::btree_map(2019..2024i32, tricky_text(), 0..4),
        proptest::option::of(tricky_text()),
        proptest::collection::btree_map(date(), tricky_text(), 0..3),
    )
        .prop_map(|(descrizione, tipo, targets, note, values)| Indicator {
            descrizione,
            tipo,
            valore_atteso: targets.into_iter().map(|(y, t)| (y, Target(t))).collect(),
            note,
            valore_raggiunto: values.into_iter().map(|(d, v)| (d, Target(v))).collect(),
            ..Default::default()
        })
}

/// A monitoring date (`fmt` keeps any text as a key; `check` wants real dates).
fn date() -> impl Strategy<Value = String> {
    (2019..2022i32, 1..13u8, 1..29u8).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
}

/// The narratives of some dates: multi-line Markdown as a person writes it.
fn narratives() -> impl Strategy<Value = BTreeMap<String, Narrative>> {
    let text = || proptest::collection::vec(tricky_text(), 1..4).prop_map(|lines| lines.join("\n"));
    proptest::collection::btree_map(
        date(),
        (proptest::option::of(text()), proptest::option::of(text())).prop_map(
            |(attivita, scostamento)| Narrative {
                attivita,
                scostamento,
            },
        ),
        0..3,
    )
}

fn fields_strategy() -> impl Strategy<Value = Fields> {
    (
        proptest::collection::vec(tricky_text(), 7),
        proptest::collection::vec(indicator_strategy(), 0..3),
        narratives(),
    )
        .prop_map(|(t, indicatori, risultati)| Fields {
            codice: "2019_A1".into(),
            titolo: t[0].clone(),
            direzione: t[1].clone(),
            direttore: t[2].clone(),
            servizio: t[3].clone(),
            dirigente: t[4].clone(),
            classificazione: t[5].clone(),
            tipologia: t[6].clone(),
            indicatori,
            risultati,
        })
}

/// Markdown lines to build descriptions from: blank lines, trailing spaces,
/// hard breaks, lists, code, quotes, HTML, backslashes.
const BODY_LINES: &[&str] = &[
    "",
    "   ",
    "Testo semplice.",
    "riga con a capo  ",
    "riga con tre spazi   ",
    "riga con tab\t",
    "fine\\",
    "barra\\ ",
    "due barre\\\\  ",
    "- voce",
    "  - annidata  ",
    "1. numero",
    "> citazione  ",
    "```",
    "    codice indentato  ",
    "`codice  ",
    "<b>html</b>  ",
    "# Titolo  ",
    "***",
    "a *b* c",
];

/// A source for `fields` written another way: keys in another order,
/// serde_yaml's own quoting and block scalars, and maybe a comment.
fn messy_source(fields: &Fields, order: &[usize], comment_at: Option<usize>) -> String {
    let value = serde_yaml::to_value(fields).unwrap();
    let mapping = value.as_mapping().unwrap();
    let keys: Vec<&serde_yaml::Value> = mapping.keys().collect();
    let mut shuffled = serde_yaml::Mapping::new();
    for &i in order {
        shuffled.insert(keys[i].clone(), mapping[keys[i]].clone());
    }
    // The results are not serialized (the plan's templates never see
    // them): they are added here, as YAML writes them.
    if let Some(serde_yaml::Value::Sequence(indicators)) = shuffled.get_mut("indicatori") {
        for (value, indicator) in indicators.iter_mut().zip(&fields.indicatori) {
            let reached: BTreeMap<&str, &str> = (indicator.valore_raggiunto.iter())
                .map(|(d, v)| (d.as_str(), v.0.as_str()))
                .collect();
            if let (Some(map), false) = (value.as_mapping_mut(), reached.is_empty()) {
                map.insert(
                    "valore_raggiunto".into(),
                    serde_yaml::to_value(reached).unwrap(),
                );
            }
        }
    }
    if !fields.risultati.is_empty() {
        shuffled.insert(
            "risultati".into(),
            serde_yaml::to_value(&fields.risultati).unwrap(),
        );
    }
    let yaml = serde_yaml::to_string(&shuffled).unwrap();
    let mut lines: Vec<&str> = yaml.lines().collect();
    if let Some(at) = comment_at {
        lines.insert(at % (lines.len() + 1), "# un commento");
    }
    format!("---\n{}\n---\n", lines.join("\n"))
}

fn renders(markdown_text: &str) -> (String, String) {
    (
        markdown::to_html(markdown_text),
        markdown::to_typst(markdown_text),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The sheet parsed after `fmt` equals the sheet parsed before, and
    /// `fmt` twice equals `fmt` once.
    #[test]
    fn fmt_is_lossless_and_idempotent(
        fields in fields_strategy(),
        order in Just((0..9).collect::<Vec<usize>>()).prop_shuffle(),
        comment_at in proptest::option::of(0..40usize),
        body in proptest::collection::vec(proptest::sample::select(BODY_LINES), 0..14),
    ) {
        let body = body.join("\n");
        let text = format!("{}{}", messy_source(&fields, &order, comment_at), body);
        let before = parse_front(&text);
        prop_assume!(before.is_some());
        let path = Path::new("sheets/2019/2019_A1.md");
        let once = format_sheet(path, &text).unwrap();
        prop_assert_eq!(parse_front(&once.text), before);
        let body_before = schede::model::split_front_matter(&text).unwrap().body.trim().to_string();
        let body_after = schede::model::split_front_matter(&once.text).unwrap().body.trim().to_string();
        prop_assert_eq!(renders(&body_after), renders(&body_before));
        let twice = format_sheet(path, &once.text).unwrap();
        prop_assert_eq!(&twice.text, &once.text);
        prop_assert!(once.text.ends_with('\n'));
        prop_assert!(once.warning.is_none(), "{:?}", once.warning);
        let plan = Plan {
            ente: "Comune".into(),
            titolo: "PEG".into(),
            anni: fields.indicatori.first().map(|i| i.valore_atteso.keys().copied().collect()).unwrap_or_default(),
            data: None,
            sito: None,
            catalogo: None,
            valutazione: None,
        };
        let parsed = |text: &str| Sheet::parse(path, text, &plan).map(|s| s.fields).map_err(|d| d.len());
        prop_assert_eq!(parsed(&once.text), parsed(&text));
    }
}
