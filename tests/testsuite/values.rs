//! Targets print exactly as written in the source, quoted or not, though
//! YAML would read `1.50` as 1.5, `1.000` as 1, `07` as 7, `yes` as true and
//! `~` as null: in the PDF, the HTML page, `indicatori.csv` and `piano.json`.
//! The sheet is `tests/torture/sheets/2020/2020_U1.md`: indicator `Forma N`
//! has the N-th shape below as its target. Tables and footnotes of a
//! description print as such too.

use std::fs;

use crate::common::{letters, pdf_letters, pdftotext_words, project, root};

/// The targets of `2020_U1.md` as they print, in the order of its indicators.
const SHAPES: [&str; 24] = [
    "1.50",
    "1.000",
    "0,5",
    "07",
    "1e3",
    "yes",
    "NO",
    "~",
    ".inf",
    "100%",
    "€ 450.000,00",
    "31.12.2019",
    "1250000 1300000 1350000",
    "entro giugno",
    "≥ 95%",
    "1.50",  // written "1.50"
    "007",   // written '007'
    "null",  // written null
    "true",  // written true
    "0x1F",  // hexadecimal to YAML
    "+12",   // a signed number to YAML
    "-3",    // a negative number to YAML
    "1_000", // 1000 to YAML 1.1
    "2019-12-31",
];

/// The torture sheets built with `schede build` in a temporary project.
fn build_torture() -> tempfile::TempDir {
    let dir = project(&root().join("tests/torture/sheets"));
    let status = crate::common::schede_command()
        .current_dir(dir.path())
        .arg("build")
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

#[test]
fn every_target_prints_as_written_everywhere() {
    let dir = build_torture();
    let out = dir.path().join("output/2020");

    // PDF: each indicator's row reads `Forma N RISULTATO <target>`.
    let pdf = pdf_letters(&fs::read(out.join("2020_U1.pdf")).unwrap());
    for (i, shape) in SHAPES.iter().enumerate() {
        let row = letters(&format!("Forma {} RISULTATO {shape}", i + 1));
        assert!(pdf.contains(&row), "PDF: {row} not in {pdf}");
    }

    // HTML: the target's cell.
    let html = fs::read_to_string(out.join("2020_U1.html")).unwrap();
    let cells: Vec<&str> = html
        .split("<td class=\"valore\">")
        .skip(1)
        .map(|rest| rest.split("</td>").next().unwrap())
        .collect();
    assert_eq!(cells, SHAPES);

    // CSV: one row per indicator and year.
    let csv = fs::read_to_string(out.join("indicatori.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let targets: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[5].to_string())
        .collect();
    assert_eq!(targets, SHAPES);

    // JSON: the indicators' `valore_atteso`, from year to text.
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("piano.json")).unwrap()).unwrap();
    let targets: Vec<&str> = json["obiettivi"][0]["indicatori"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["valore_atteso"]["2020"].as_str().unwrap())
        .collect();
    assert_eq!(targets, SHAPES);
}

/// `tests/torture/sheets/2019/2019_T2.md` has two pipe tables and two
/// footnotes in its description: a table with its header cells in the PDF
/// and the HTML, the notes numbered at the end, linked both ways.
#[test]
fn pipe_tables_and_footnotes_print_as_tables_and_notes() {
    let dir = build_torture();
    let out = dir.path().join("output/2019");

    let pdf = pdf_letters(&fs::read(out.join("2019_T2.pdf")).unwrap());
    for text in [
        "Tabella dei rischi Rischio Probabilità Impatto Misura di mitigazione \
         Ritardo nella consegna dei lavori Media € 450.000,00",
        "Fasi e tempi Fase Inizio Fine Progettazione 01.01.2019 30.06.2019",
        "Testo con una nota1 e un'altra nota2.",
        "1. La formazione è finanziata dal fondo regionale.",
    ] {
        let text = letters(text);
        assert!(pdf.contains(&text), "PDF: {text} not in {pdf}");
    }
    assert!(!pdf.contains("|---|"), "the table printed as text");

    let html = fs::read_to_string(out.join("2019_T2.html")).unwrap();
    for fragment in [
        "<thead>\n<tr><th scope=\"col\" class=\"a-sinistra\">Rischio</th>\
         <th scope=\"col\" class=\"a-centro\">Probabilità</th>\
         <th scope=\"col\" class=\"a-destra\">Impatto</th>\
         <th scope=\"col\">Misura di mitigazione</th></tr>",
        "<td class=\"a-destra\">€ 450.000,00</td>",
        "<tr><th scope=\"col\">Fase</th><th scope=\"col\">Inizio</th><th scope=\"col\">Fine</th></tr>",
        "Formazione<sup><a href=\"#nota-1\" id=\"rif-1\">1</a></sup>",
        "una nota<sup><a href=\"#nota-1\">1</a></sup> e un'altra nota\
         <sup><a href=\"#nota-2\" id=\"rif-2\">2</a></sup>",
        "<li id=\"nota-1\">\n<p>La formazione è finanziata dal fondo regionale.</p>\n\
         <a href=\"#rif-1\" class=\"torna\" aria-label=\"Torna al testo della nota 1\">↩</a></li>",
    ] {
        assert!(html.contains(fragment), "HTML: {fragment} not in {html}");
    }
}

/// A code of 25 characters or more (`tests/torture/sheets/2019/2019_T4.md`:
/// a pagoPA IUV code in the description, in a 14-column table's sheet and
/// as a target) wraps where it must, and the text copied out of the PDF is
/// the code as written: no zero-width space or other character inserted, in
/// any of the torture sheets.
#[test]
fn long_codes_copy_out_of_the_pdf_as_written() {
    let dir = build_torture();
    let iuv = "RF18000000000000012345678901";
    for (year, sheet) in [
        ("2019", "2019_T1"),
        ("2019", "2019_T2"),
        ("2019", "2019_T4"),
    ] {
        let path = dir.path().join(format!("output/{year}/{sheet}.pdf"));
        let text = pdf_extract::extract_text_from_mem(&fs::read(&path).unwrap()).unwrap();
        assert!(!text.contains('\u{200b}'), "{sheet}: U+200B in {text}");
        if let Some(words) = pdftotext_words(&path) {
            assert!(
                !words.concat().contains('\u{200b}'),
                "{sheet}: U+200B from pdftotext"
            );
            if sheet == "2019_T4" {
                assert!(
                    words.iter().any(|w| w.contains(iuv)),
                    "{iuv} not a word of {words:?}"
                );
            }
        }
    }
    let t4 = pdf_letters(&fs::read(dir.path().join("output/2019/2019_T4.pdf")).unwrap());
    assert!(t4.contains(&format!("IUV{iuv},")), "{t4}");
}
