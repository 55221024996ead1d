//! Targets print exactly as written in the source, quoted or not, though
//! YAML would read `1.50` as 1.5, `1.000` as 1, `07` as 7, `yes` as true and
//! `~` as null: in the PDF, the HTML page, `indicatori.csv` and `piano.json`.
//! The sheet is `tests/torture/sheets/2020/2020_U1.md`: indicator `Forma N`
//! has the N-th shape below as its target.

mod common;

use std::fs;
use std::process::Command;

use common::{letters, pdf_letters, project, root};

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

#[test]
fn every_target_prints_as_written_everywhere() {
    let dir = project(&root().join("tests/torture/sheets"));
    let status = Command::new(env!("CARGO_BIN_EXE_schede"))
        .current_dir(dir.path())
        .arg("build")
        .status()
        .unwrap();
    assert!(status.success());
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
