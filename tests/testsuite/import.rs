//! `schede import` and `schede roll` end to end: the official text of the
//! reference sheet gives back the shipped sheet byte for byte; spreadsheets
//! written here (xlsx by rust_xlsxwriter, ods built as its zip) and CSV
//! pairs import as an Italian reader sees them; a damaged source writes
//! nothing; the open data round-trips (property test); rolling the shipped
//! plan leaves exactly the new year's targets to fill.

use crate::common;

use crate::common::schede;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use schede::model::{Fields, Indicator, Plan, Sheet, Target};

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/import").join(name)
}

/// A temporary folder holding a copy of the fixture `name` and, when
/// `plan`, the shipped `sheets/2019/piano.yaml`.
fn workspace(name: &str, plan: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&fixture(name), dir.path());
    if plan {
        fs::create_dir_all(dir.path().join("sheets/2019")).unwrap();
        fs::copy(
            common::root().join("sheets/2019/piano.yaml"),
            dir.path().join("sheets/2019/piano.yaml"),
        )
        .unwrap();
    }
    dir
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn reference_text_recreates_the_shipped_sheet() {
    let dir = workspace("text", true);
    let (code, out, err) = schede(dir.path(), &["import", "2019_Z101.txt"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "wrote sheets/2019/2019_Z101.md\nimported 1 sheet and 0 new plans into sheets\n"
    );
    assert_eq!(
        fs::read(dir.path().join("sheets/2019/2019_Z101.md")).unwrap(),
        fs::read(common::root().join("sheets/2019/2019_Z101.md")).unwrap()
    );
    let (code, _, err) = schede(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_file_of_several_sheets_imports_them_all() {
    let dir = workspace("text", false);
    let (code, out, err) = schede(
        dir.path(),
        &[
            "import",
            "piano.txt",
            "--ente",
            "Comune di Firenze",
            "--titolo",
            "Piano Esecutivo di Gestione 2019-2021",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "wrote sheets/2019/piano.yaml\nwrote sheets/2019/2019_A12.md\nwrote sheets/2019/2019_Z101.md\n\
         imported 2 sheets and 1 new plan into sheets\n"
    );
    assert_eq!(
        read(&dir.path().join("sheets/2019/piano.yaml")),
        read(&common::root().join("sheets/2019/piano.yaml"))
    );
    assert_eq!(
        read(&dir.path().join("sheets/2019/2019_Z101.md")),
        read(&common::root().join("sheets/2019/2019_Z101.md"))
    );
    assert_eq!(
        read(&dir.path().join("sheets/2019/2019_A12.md")),
        read(&fixture("text/2019_A12.expected.md"))
    );
}

#[test]
fn a_damaged_text_gets_every_error_and_writes_nothing() {
    let dir = workspace("text", true);
    let (code, out, err) = schede(dir.path(), &["import", "damaged.txt"]);
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert_eq!(err, read(&fixture("text/damaged.expected.txt")));
    assert_eq!(files(&dir.path().join("sheets")), ["2019/piano.yaml"]);
}

#[test]
fn existing_sheets_stay_unless_forced_and_dry_runs_write_nothing() {
    let dir = workspace("text", true);
    let (code, out, _) = schede(dir.path(), &["import", "--dry-run", "2019_Z101.txt"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "would write sheets/2019/2019_Z101.md\nwould import 1 sheet and 0 new plans into sheets\n"
    );
    assert_eq!(files(&dir.path().join("sheets")), ["2019/piano.yaml"]);
    let sheet = dir.path().join("sheets/2019/2019_Z101.md");
    fs::write(&sheet, "mine").unwrap();
    let (code, _, err) = schede(dir.path(), &["import", "2019_Z101.txt"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "sheets/2019/2019_Z101.md: error: already exists\n  hint: imported from 2019_Z101.txt:3; `--force` replaces it\n\
         1 error, 0 warnings\nnothing was written\n"
    );
    assert_eq!(read(&sheet), "mine");
    let (code, _, _) = schede(dir.path(), &["import", "--force", "2019_Z101.txt"]);
    assert_eq!(code, 0);
    assert_eq!(
        read(&sheet),
        read(&common::root().join("sheets/2019/2019_Z101.md"))
    );
}

#[test]
fn a_missing_plan_names_the_flags_to_give() {
    let dir = workspace("text", false);
    let (code, _, err) = schede(dir.path(), &["import", "2019_Z101.txt", "--ente", "Comune"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "sheets/2019/piano.yaml: error: plan file not found\n  hint: create it with `ente`, `titolo` and `anni`, or give `--titolo`\n\
         1 error, 0 warnings\nnothing was written\n"
    );
    assert!(!dir.path().join("sheets").exists());
}

/// The objectives' columns as the office's spreadsheet has them, with a
/// column the importer does not know.
const OBJECTIVE_HEADERS: [&str; 10] = [
    "CODICE",
    "Titolo",
    "Direzione",
    "Direttore",
    "Servizio",
    "Dirigente",
    "Classificazione",
    "Tipologia",
    "Descrizione dettagliata dell'obiettivo",
    "Referente",
];

const OBJECTIVE_ROW: [&str; 10] = [
    "2019_B7",
    "Manutenzione delle strade",
    "NUOVE INFRASTRUTTURE",
    "VERDI LUCA",
    "VIABILITÀ",
    "NERI PAOLA",
    "GESTIONALE",
    "SVILUPPO",
    "Il Servizio cura le strade.\nIn particolare:\n- buche;\n- segnaletica.",
    "Ufficio tecnico",
];

/// What the workbooks below import as.
const B7: &str = r#"---
codice: 2019_B7
titolo: Manutenzione delle strade
direzione: NUOVE INFRASTRUTTURE
direttore: VERDI LUCA
servizio: VIABILITÀ
dirigente: NERI PAOLA
classificazione: GESTIONALE
tipologia: SVILUPPO
indicatori:
  - descrizione: Strade riasfaltate
    tipo: RISULTATO
    valore_atteso: {2019: 100%, 2020: 31/12/2019, 2021: "12.500,50"}
  - descrizione: Segnalazioni evase
    tipo: EFFICIENZA
    valore_atteso: {2019: entro giugno, 2020: "25,5%", 2021: 5}
    note: nuovo
---

Il Servizio cura le strade.

In particolare:

- buche;
- segnaletica.
"#;

#[test]
fn an_xlsx_workbook_imports_as_displayed() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = workspace("table", true);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Obiettivi").unwrap();
    for (col, (header, value)) in OBJECTIVE_HEADERS.iter().zip(OBJECTIVE_ROW).enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
        sheet.write_string(1, col as u16, value).unwrap();
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Indicatori").unwrap();
    let headers = [
        "Codice",
        "Descrizione",
        "Tipo",
        "Valore Atteso",
        "Valore Atteso 2020",
        "VALORE ATTESO 2021",
        "Note",
    ];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let percent = Format::new().set_num_format("0%");
    let percent1 = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let thousands = Format::new().set_num_format("#,##0.00");
    for (row, texts) in [
        ["2019_B7", "Strade riasfaltate", "RISULTATO"],
        ["2019_B7", "Segnalazioni evase", "EFFICIENZA"],
    ]
    .iter()
    .enumerate()
    {
        for (col, text) in texts.iter().enumerate() {
            sheet
                .write_string(row as u32 + 1, col as u16, *text)
                .unwrap();
        }
    }
    sheet.write_number_with_format(1, 3, 1.0, &percent).unwrap();
    let day = ExcelDateTime::from_ymd(2019, 12, 31).unwrap();
    sheet.write_datetime_with_format(1, 4, &day, &date).unwrap();
    sheet
        .write_number_with_format(1, 5, 12500.5, &thousands)
        .unwrap();
    sheet.write_string(2, 3, "entro giugno").unwrap();
    sheet
        .write_number_with_format(2, 4, 0.255, &percent1)
        .unwrap();
    sheet.write_number(2, 5, 5.0).unwrap();
    sheet.write_string(2, 6, "nuovo").unwrap();
    workbook.save(dir.path().join("piano.xlsx")).unwrap();

    let (code, out, err) = schede(dir.path(), &["import", "piano.xlsx"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "piano.xlsx:Obiettivi!J1: warning: column `Referente` is not imported\n  \
         hint: `--map` renames a header to a field, with a line `\"Referente\": dirigente`\n\
         0 errors, 1 warning\n"
    );
    assert_eq!(
        out,
        "wrote sheets/2019/2019_B7.md\nimported 1 sheet and 0 new plans into sheets\n"
    );
    assert_eq!(read(&dir.path().join("sheets/2019/2019_B7.md")), B7);

    // An indicator of an unknown objective is named by its cell, and nothing is written.
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Obiettivi").unwrap();
    for (col, (header, value)) in OBJECTIVE_HEADERS.iter().zip(OBJECTIVE_ROW).enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
        sheet.write_string(1, col as u16, value).unwrap();
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Indicatori").unwrap();
    for (col, text) in [
        "Codice",
        "Descrizione",
        "Tipo",
        "Valore Atteso 2019",
        "Valore Atteso 2020",
        "Valore Atteso 2021",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, col as u16, *text).unwrap();
    }
    for (col, text) in ["2019_B8", "Strade riasfaltate", "RISULTATO", "1", "2"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, col as u16, *text).unwrap();
    }
    for (col, text) in ["2019_B7", "Strade riasfaltate", "RISULTATO", "1", "2"]
        .iter()
        .enumerate()
    {
        sheet.write_string(13, col as u16, *text).unwrap();
    }
    workbook.save(dir.path().join("vuoto.xlsx")).unwrap();
    fs::remove_file(dir.path().join("sheets/2019/2019_B7.md")).unwrap();
    let (code, out, err) = schede(dir.path(), &["import", "vuoto.xlsx"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        "vuoto.xlsx:Indicatori!A2: error: no objective `2019_B8` in the table of objectives\n  \
         hint: each indicator's `Codice` is the code of its objective\n\
         vuoto.xlsx:Obiettivi!J1: warning: column `Referente` is not imported\n  \
         hint: `--map` renames a header to a field, with a line `\"Referente\": dirigente`\n\
         1 error, 1 warning\nnothing was written\n"
    );
    assert_eq!(files(&dir.path().join("sheets")), ["2019/piano.yaml"]);
}

#[test]
fn an_empty_target_is_named_by_its_cell() {
    use rust_xlsxwriter::Workbook;
    let dir = workspace("table", true);
    let mut workbook = Workbook::new();
    objectives_sheet(&mut workbook);
    let sheet = workbook.add_worksheet();
    sheet.set_name("Indicatori").unwrap();
    let rows: [&[&str]; 2] = [
        &[
            "Codice",
            "Descrizione",
            "Tipo",
            "Valore Atteso",
            "Valore Atteso 2020",
            "Valore Atteso 2021",
        ],
        &["2019_B7", "Strade riasfaltate", "RISULTATO", "100%", "100%"],
    ];
    for (row, texts) in rows.iter().enumerate() {
        for (col, text) in texts.iter().enumerate() {
            // The indicator is on row 14, as far down as the office has it.
            sheet
                .write_string(if row == 0 { 0 } else { 13 }, col as u16, *text)
                .unwrap();
        }
    }
    workbook.save(dir.path().join("piano.xlsx")).unwrap();
    let (code, out, err) = schede(dir.path(), &["import", "piano.xlsx"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        "piano.xlsx:Indicatori!F14: error: sheet `2019_B7`, field `indicatori[0].valore_atteso.2021`: \
         the target for 2021 is empty (indicator 1)\n  \
         hint: write the target as displayed: `100%`, `5`, `entro giugno`\n\
         1 error, 0 warnings\nnothing was written\n"
    );
    assert_eq!(files(&dir.path().join("sheets")), ["2019/piano.yaml"]);
}

#[test]
fn broken_open_data_is_named_at_its_line() {
    let dir = workspace("table", false);
    fs::write(
        dir.path().join("piano.json"),
        "{\n  \"ente\": \"Comune\",\n  \"titol\": 1\n}\n",
    )
    .unwrap();
    let (code, _, err) = schede(dir.path(), &["import", "piano.json"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "piano.json:3:9: error: not a plan's open data (unknown field `titol`, expected one of `ente`, `titolo`, `anni`, `data`, `obiettivi`)\n  \
         hint: import takes the `piano.json` that `schede build` writes\n\
         1 error, 0 warnings\nnothing was written\n"
    );
}

/// The content of an ods workbook: objectives under a banner row, then
/// indicators a row per year (long layout), with a percentage, a date and a
/// thousands cell.
fn ods_content() -> String {
    let cell = |text: &str| {
        format!(
            "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
            text.replace('&', "&amp;").replace('<', "&lt;")
        )
    };
    let row = |cells: Vec<String>| format!("<table:table-row>{}</table:table-row>", cells.concat());
    let texts = |texts: &[&str]| texts.iter().map(|t| cell(t)).collect::<Vec<_>>();
    let description = format!(
        "<table:table-cell office:value-type=\"string\">{}</table:table-cell>",
        OBJECTIVE_ROW[8]
            .lines()
            .map(|l| format!("<text:p>{l}</text:p>"))
            .collect::<String>()
    );
    let mut objective = texts(&OBJECTIVE_ROW[..8]);
    objective.push(description);
    // The manager's column has a name of the office's own, renamed by `--map`.
    let mut headers = OBJECTIVE_HEADERS[..9].to_vec();
    headers[5] = "Resp. Servizio";
    let indicator = |n: &str, desc: &str, tipo: &str, year: &str, target: String, note: &str| {
        let mut cells = texts(&["2019_B7", n, desc, tipo, year]);
        cells.push(target);
        cells.push(cell(note));
        row(cells)
    };
    let percent = |value: &str, style: &str| {
        format!(
            "<table:table-cell table:style-name=\"{style}\" office:value-type=\"percentage\" office:value=\"{value}\"><text:p>x</text:p></table:table-cell>"
        )
    };
    let date = "<table:table-cell office:value-type=\"date\" office:date-value=\"2019-12-31\"><text:p>31/12/19</text:p></table:table-cell>".to_string();
    // The thousands format is the column's default style (see the columns below).
    let thousands = "<table:table-cell office:value-type=\"float\" office:value=\"12500.5\"><text:p>12500.5</text:p></table:table-cell>".to_string();
    // A cell of its own style, without a number format.
    let plain = "<table:table-cell table:style-name=\"Default\" office:value-type=\"float\" office:value=\"5\"><text:p>5</text:p></table:table-cell>".to_string();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.2">
<office:automatic-styles>
<number:percentage-style style:name="N1"><number:number number:decimal-places="0" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
<number:percentage-style style:name="N2"><number:number number:decimal-places="1" number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
<number:number-style style:name="N3"><number:number number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"/></number:number-style>
<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>
<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N2"/>
<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N3"/>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="Obiettivi"><table:table-row><table:table-cell office:value-type="string"><text:p>PEG 2019-2021: obiettivi</text:p></table:table-cell></table:table-row>{}{}</table:table>
<table:table table:name="Indicatori"><table:table-column table:number-columns-repeated="5"/><table:table-column table:default-cell-style-name="ce2"/><table:table-column/>{}{}{}{}{}{}{}</table:table>
</office:spreadsheet></office:body></office:document-content>
"#,
        row(texts(&headers)),
        row(objective),
        row(texts(&[
            "Codice",
            "Indicatore",
            "Descrizione",
            "Tipo",
            "Anno",
            "Valore atteso",
            "Note"
        ])),
        indicator(
            "1",
            "Strade riasfaltate",
            "RISULTATO",
            "2019",
            percent("1", "ce1"),
            ""
        ),
        indicator("1", "Strade riasfaltate", "RISULTATO", "2020", date, ""),
        indicator(
            "1",
            "Strade riasfaltate",
            "RISULTATO",
            "2021",
            thousands,
            ""
        ),
        indicator(
            "2",
            "Segnalazioni evase",
            "EFFICIENZA",
            "2019",
            cell("entro giugno"),
            "nuovo"
        ),
        indicator(
            "2",
            "Segnalazioni evase",
            "EFFICIENZA",
            "2020",
            percent("0.255", "ce3"),
            "nuovo"
        ),
        indicator(
            "2",
            "Segnalazioni evase",
            "EFFICIENZA",
            "2021",
            plain,
            "nuovo"
        ),
    )
}

/// Writes an ods file: a zip whose first entry is the uncompressed
/// `mimetype`, then the manifest and the content.
fn write_ods(path: &Path, content: &str) {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = SimpleFileOptions::default();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"#,
    )
    .unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
}

#[test]
fn an_ods_workbook_with_a_row_per_year_imports_as_displayed() {
    let dir = workspace("table", true);
    write_ods(&dir.path().join("piano.ods"), &ods_content());
    let (code, _, err) = schede(dir.path(), &["import", "piano.ods"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "piano.ods:Obiettivi!A2: error: the objectives have no `dirigente` column\n  \
         hint: name the column like the printed sheet, or rename it with `--map`\n\
         piano.ods:Obiettivi!F2: warning: column `Resp. Servizio` is not imported\n  \
         hint: `--map` renames a header to a field, with a line `\"Resp. Servizio\": dirigente`\n\
         1 error, 1 warning\nnothing was written\n"
    );
    let (code, out, err) = schede(dir.path(), &["import", "piano.ods", "--map", "map.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    assert_eq!(
        out,
        "wrote sheets/2019/2019_B7.md\nimported 1 sheet and 0 new plans into sheets\n"
    );
    assert_eq!(read(&dir.path().join("sheets/2019/2019_B7.md")), B7);
}

#[test]
fn a_csv_pair_imports_and_bad_cells_are_named() {
    let dir = workspace("table", true);
    let (code, out, err) = schede(dir.path(), &["import", "obiettivi.csv", "indicatori.csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "wrote sheets/2019/2019_B7.md\nimported 1 sheet and 0 new plans into sheets\n"
    );
    assert_eq!(read(&dir.path().join("sheets/2019/2019_B7.md")), B7);
    let (code, out, err) = schede(
        dir.path(),
        &["import", "--force", "obiettivi.csv", "broken.csv"],
    );
    assert_eq!(code, 1);
    assert_eq!(out, "");
    assert_eq!(err, read(&fixture("table/broken.expected.txt")));
}

#[test]
fn a_windows_1252_csv_pair_imports_with_its_accents_and_euros() {
    let dir = workspace("cp1252", true);
    let (code, out, err) = schede(dir.path(), &["import", "obiettivi.csv", "indicatori.csv"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "indicatori.csv:2:35: warning: not UTF-8: read as Windows-1252, the encoding of Excel's CSV files in Italian\n  \
         hint: check the accents and `€` of the sheets written; saving as \"CSV UTF-8\" avoids this\n\
         obiettivi.csv:2:15: warning: not UTF-8: read as Windows-1252, the encoding of Excel's CSV files in Italian\n  \
         hint: check the accents and `€` of the sheets written; saving as \"CSV UTF-8\" avoids this\n\
         0 errors, 2 warnings\n"
    );
    assert_eq!(
        out,
        "wrote sheets/2019/2019_B8.md\nimported 1 sheet and 0 new plans into sheets\n"
    );
    let sheet = read(&dir.path().join("sheets/2019/2019_B8.md"));
    for text in [
        "titolo: Qualità delle strade e città più sicura",
        "servizio: VIABILITÀ",
        "  - descrizione: Spesa per manutenzione (€)",
        "valore_atteso: {2019: 1.000 €, 2020: 2.000 €, 2021: entro l'età dell'oro}",
        "note: è così",
        "Il Servizio cura le strade: 1.200.000 € per l'attività dell'anno.\n\nPerché sia così, è necessario un piano.",
    ] {
        assert!(sheet.contains(text), "{text}\n{sheet}");
    }
    let templates = common::root().join("templates");
    let templates = templates.to_str().unwrap();
    let (code, _, err) = schede(dir.path(), &["check", "--templates", templates]);
    assert_eq!((code, err.as_str()), (0, ""), "the sheet is good");
}

#[test]
fn rolling_the_shipped_plan_leaves_the_new_targets_to_fill() {
    let dir = common::project(&common::root().join("sheets"));
    let (code, out, err) = schede(dir.path(), &["roll", "2019", "2020"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "wrote sheets/2020/piano.yaml\nwrote sheets/2020/2020_Z101.md\n\
         rolled 1 objective from 2019 to 2020; 5 targets to fill\n  \
         hint: `schede check` lists them; `schede diff sheets/2019 sheets/2020` shows the roll\n"
    );
    assert_eq!(
        read(&dir.path().join("sheets/2020/piano.yaml")),
        "ente: Comune di Firenze\ntitolo: Piano Esecutivo di Gestione 2020-2022\nanni: [2020, 2021, 2022]\n"
    );
    let rolled = read(&dir.path().join("sheets/2020/2020_Z101.md"));
    let shipped = read(&common::root().join("sheets/2019/2019_Z101.md"));
    assert_eq!(
        rolled,
        shipped
            .replace("codice: 2019_Z101", "codice: 2020_Z101")
            .replace(
                "{2019: 100%, 2020: 100%, 2021: 100%}",
                "{2020: 100%, 2021: 100%, 2022: \"\"}"
            )
    );

    let (code, _, err) = schede(dir.path(), &["check"]);
    assert_eq!(code, 1);
    assert_eq!(err, read(&fixture("roll/check.expected.txt")));

    let (code, out, err) = schede(dir.path(), &["diff", "sheets/2019", "sheets/2020"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, read(&fixture("roll/diff.expected.txt")));

    let (code, _, err) = schede(dir.path(), &["roll", "2019", "2020"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "sheets/2020: error: already exists\n  hint: roll starts a new year's plan: it never writes into an existing one\n1 error, 0 warnings\n"
    );

    fs::write(
        dir.path().join("sheets/2020/2020_Z101.md"),
        rolled.replace("2022: \"\"", "2022: 100%"),
    )
    .unwrap();
    let (code, _, err) = schede(dir.path(), &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("output/2020/2020_Z101.pdf").is_file());
}

#[test]
fn rolling_keeps_the_plans_evaluation() {
    let dir = common::project(&common::root().join("sheets"));
    let plan = dir.path().join("sheets/2019/piano.yaml");
    let evaluation =
        "valutazione:\n  raggiunto: 90%\n  parzialmente_raggiunto: 50%\n  tetto: nessuno\n";
    fs::write(&plan, read(&plan) + evaluation).unwrap();
    let (code, _, err) = schede(dir.path(), &["roll", "2019", "2020"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        read(&dir.path().join("sheets/2020/piano.yaml")),
        format!(
            "ente: Comune di Firenze\ntitolo: Piano Esecutivo di Gestione 2020-2022\nanni: [2020, 2021, 2022]\n{evaluation}"
        )
    );
}

#[test]
fn roll_selects_objectives() {
    let dir = common::project(&common::root().join("sheets"));
    let (code, _, err) = schede(dir.path(), &["roll", "2019", "2020", "--except", "Z101"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(files(&dir.path().join("sheets/2020")), ["piano.yaml"]);
    // The office's comments stay with their fields.
    let dir = common::project(&common::root().join("sheets"));
    let sheet = dir.path().join("sheets/2019/2019_Z101.md");
    let commented = read(&sheet).replace("titolo:", "# Da rivedere con il Gabinetto.\ntitolo:");
    fs::write(&sheet, &commented).unwrap();
    let (code, _, err) = schede(dir.path(), &["roll", "2019", "2020", "--only", "Z101"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        read(&dir.path().join("sheets/2020/2020_Z101.md"))
            .starts_with("---\ncodice: 2020_Z101\n# Da rivedere con il Gabinetto.\ntitolo:")
    );
    let dir = common::project(&common::root().join("sheets"));
    let (code, _, err) = schede(dir.path(), &["roll", "2019", "2020", "--only", "2019_Z9"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "sheets/2019: error: no objective `2019_Z9` in the plan\n  hint: `--only` and `--except` take codes like `2019_Z101` or `Z101`\n1 error, 0 warnings\n"
    );
    assert!(!dir.path().join("sheets/2020").exists());
}

/// Texts that stay on one line and read the same once trimmed.
fn text() -> impl Strategy<Value = String> {
    "[A-Za-zàèéìòù0-9][A-Za-zàèéìòù0-9 ,.:;'\"()/%#-]{0,30}".prop_map(|t| t.trim().to_string())
}

fn indicator(years: Vec<i32>) -> impl Strategy<Value = Indicator> {
    let n = years.len();
    (
        text(),
        text(),
        prop::collection::vec(text(), n),
        prop::option::of(text()),
    )
        .prop_map(move |(descrizione, tipo, targets, note)| Indicator {
            descrizione,
            tipo,
            valore_atteso: years
                .iter()
                .copied()
                .zip(targets.into_iter().map(Target))
                .collect(),
            note,
            ..Default::default()
        })
}

/// A description: paragraphs and bullet lists.
fn description() -> impl Strategy<Value = String> {
    let block = prop_oneof![
        2 => text(),
        1 => prop::collection::vec(text(), 1..4)
            .prop_map(|items| items.iter().map(|i| format!("- {i}")).collect::<Vec<_>>().join("\n")),
    ];
    prop::collection::vec(block, 1..4).prop_map(|blocks| blocks.join("\n\n"))
}

fn plan() -> impl Strategy<Value = (Plan, Vec<(Fields, String)>)> {
    (
        2000..2090i32,
        1..4usize,
        text(),
        text(),
        prop::option::of(Just("2019-03-01".to_string())),
    )
        .prop_flat_map(|(year, span, ente, titolo, data)| {
            let years: Vec<i32> = (year..year + span as i32).collect();
            let sheet = (
                prop::collection::vec(text(), 7),
                prop::collection::vec(indicator(years.clone()), 1..4),
                description(),
            );
            (
                Just(Plan {
                    ente,
                    titolo,
                    anni: years.clone(),
                    data,
                    sito: None,
                    catalogo: None,
                    valutazione: None,
                }),
                prop::collection::btree_map("[A-Z][0-9]{1,3}", sheet, 1..5),
            )
        })
        .prop_map(|(plan, sheets)| {
            let year = plan.anni[0];
            let sheets = sheets
                .into_iter()
                .map(|(code, (f, indicatori, descrizione))| {
                    let fields = Fields {
                        codice: format!("{year}_{code}"),
                        titolo: f[0].clone(),
                        direzione: f[1].clone(),
                        direttore: f[2].clone(),
                        servizio: f[3].clone(),
                        dirigente: f[4].clone(),
                        classificazione: f[5].clone(),
                        tipologia: f[6].clone(),
                        indicatori,
                        risultati: Default::default(),
                    };
                    (fields, descrizione)
                })
                .collect();
            (plan, sheets)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Sources -> piano.json -> import into an empty folder gives the same sources.
    #[test]
    fn open_data_round_trips((plan, sheets) in plan()) {
        let year = plan.anni[0].to_string();
        let original = tempfile::tempdir().unwrap();
        let dir = original.path().join(&year);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("piano.yaml"), schede::import::plan_yaml(&plan)).unwrap();
        let mut parsed = Vec::new();
        for (fields, descrizione) in &sheets {
            let path = dir.join(format!("{}.md", fields.codice));
            let text = schede::import::canonical_sheet(&path, fields, &[], descrizione).unwrap();
            fs::write(&path, &text).unwrap();
            parsed.push(Sheet::parse(&path, &text, &plan).unwrap());
        }
        let refs: Vec<&Sheet> = parsed.iter().collect();
        let json = schede::publish::piano_json(&plan, &refs).unwrap();
        let work = tempfile::tempdir().unwrap();
        fs::write(work.path().join("piano.json"), json).unwrap();
        let args = schede::import::Options {
            files: vec![work.path().join("piano.json")],
            sheets: work.path().join("sheets"),
            dry_run: false,
            force: false,
            ente: None,
            titolo: None,
            anni: None,
            map: None,
        };
        let outcome = schede::import::prepare(&args).map_err(|d| d.report()).unwrap();
        schede::import::write_all(&outcome.files).unwrap();
        let imported = work.path().join("sheets").join(&year);
        prop_assert_eq!(files(&imported), files(&dir));
        for name in files(&dir) {
            prop_assert_eq!(read(&imported.join(&name)), read(&dir.join(&name)), "{}", name);
        }
    }
}

/// A worksheet `Obiettivi` with the objective `B7`.
fn objectives_sheet(workbook: &mut rust_xlsxwriter::Workbook) {
    let sheet = workbook.add_worksheet();
    sheet.set_name("Obiettivi").unwrap();
    for (col, (header, value)) in OBJECTIVE_HEADERS[..9].iter().zip(OBJECTIVE_ROW).enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
        sheet.write_string(1, col as u16, value).unwrap();
    }
}

/// A workbook of the two tables that import as `B7`, through `edit` first.
fn b7_workbook(path: &Path, edit: impl FnOnce(&mut rust_xlsxwriter::Workbook)) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    objectives_sheet(&mut workbook);
    let sheet = workbook.add_worksheet();
    sheet.set_name("Indicatori").unwrap();
    let rows: [[&str; 6]; 2] = [
        [
            "Codice",
            "Descrizione",
            "Tipo",
            "Valore Atteso",
            "Valore Atteso 2020",
            "Valore Atteso 2021",
        ],
        [
            "2019_B7",
            "Strade riasfaltate",
            "RISULTATO",
            "100%",
            "100%",
            "100%",
        ],
    ];
    for (row, texts) in rows.iter().enumerate() {
        for (col, text) in texts.iter().enumerate() {
            sheet.write_string(row as u32, col as u16, *text).unwrap();
        }
    }
    edit(&mut workbook);
    workbook.save(path).unwrap();
}

/// Asserts that `import --dry-run file` in `dir` fails with a report
/// starting with `first_line`.
fn refused_with(dir: &Path, file: &str, first_line: &str) {
    let (code, out, err) = schede(dir, &["import", "--dry-run", file]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.starts_with(first_line), "{err}");
}

#[test]
fn a_cell_at_the_far_corner_is_refused_not_allocated() {
    let dir = workspace("table", true);
    b7_workbook(&dir.path().join("piano.xlsx"), |workbook| {
        let sheet = workbook.worksheet_from_name("Indicatori").unwrap();
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
    });
    let (code, out, err) = schede(dir.path(), &["import", "--dry-run", "piano.xlsx"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        "piano.xlsx:Indicatori: error: the filled cells span 17179869184 cells (the limit is 4000000): not read\n  \
         hint: a cell far from the table (such as `XFD1048576`) or a row repeated many times makes the span; delete what is beyond the table\n\
         1 error, 0 warnings\nnothing was written\n"
    );
}

#[test]
fn a_workbook_inflating_past_the_bound_is_refused_unread() {
    use zip::write::SimpleFileOptions;
    let dir = workspace("table", true);
    let path = dir.path().join("piano.xlsx");
    b7_workbook(&path, |_| {});
    // The same workbook with one more part of 129 MiB of zeros (130 kB packed).
    let mut zip = zip::ZipWriter::new_append(
        fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&path)
            .unwrap(),
    )
    .unwrap();
    zip.start_file("xl/media/bomb.bin", SimpleFileOptions::default())
        .unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..129 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(fs::metadata(&path).unwrap().len() < 1024 * 1024);
    refused_with(
        dir.path(),
        "piano.xlsx",
        "piano.xlsx: error: its part `xl/media/bomb.bin` inflates past 134217728 bytes: not read\n",
    );
}

#[test]
fn repeat_counts_of_an_ods_are_counted_not_made() {
    let dir = workspace("table", true);
    // 1.8 kB: 9,000 rows of 10,000 cells that say "x", 90 million cells.
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="Foglio1">
<table:table-row table:number-rows-repeated="9000"><table:table-cell table:number-columns-repeated="10000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>
"#;
    write_ods(&dir.path().join("piano.ods"), content);
    refused_with(
        dir.path(),
        "piano.ods",
        "piano.ods:Foglio1: error: the filled cells span 90000000 cells (the limit is 4000000): not read\n",
    );
}

#[test]
fn a_hidden_worksheet_is_skipped_with_a_warning() {
    let dir = workspace("table", true);
    b7_workbook(&dir.path().join("piano.xlsx"), |workbook| {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Vecchio").unwrap();
        sheet.write_string(0, 0, "Codice").unwrap();
        sheet.write_string(0, 1, "Titolo").unwrap();
        sheet.write_string(1, 0, "2019_Z9").unwrap();
        sheet.write_string(1, 1, "Obiettivo ritirato").unwrap();
        sheet.set_hidden(true);
    });
    let (code, out, err) = schede(dir.path(), &["import", "--dry-run", "piano.xlsx"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "piano.xlsx:Vecchio: warning: the worksheet is hidden: not imported\n  \
         hint: show it in the spreadsheet to import it\n0 errors, 1 warning\n"
    );
    assert!(
        out.contains("sheets/2019/2019_B7.md") && !out.contains("2019_Z9"),
        "{out}"
    );
}

#[test]
fn a_csv_with_an_unclosed_quote_says_where() {
    let dir = workspace("table", true);
    let broken =
        read(&dir.path().join("indicatori.csv")).replacen("2021,5,nuovo", "2021,5,\"nuovo", 1);
    fs::write(dir.path().join("indicatori.csv"), broken).unwrap();
    let (code, _, err) = schede(dir.path(), &["import", "obiettivi.csv", "indicatori.csv"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "indicatori.csv:7:48: error: the quote opened here is never closed: the rest of the file would be one cell\n  \
         hint: close the quote, or double it (`\"\"`) inside a quoted cell\n\
         1 error, 0 warnings\nnothing was written\n"
    );
}

#[test]
fn import_refuses_a_sheet_that_check_would_refuse_as_too_large() {
    let dir = workspace("table", true);
    let long = "Il Servizio cura le strade. ".repeat(40_000);
    let objectives =
        read(&dir.path().join("obiettivi.csv")).replacen("Il Servizio cura le strade.", &long, 1);
    fs::write(dir.path().join("obiettivi.csv"), objectives).unwrap();
    let (code, _, err) = schede(dir.path(), &["import", "obiettivi.csv", "indicatori.csv"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("obiettivi.csv:2:1: error: sheet `2019_B7`: file is too large (the limit is 1048576 bytes)\n"),
        "{err}"
    );
    assert_eq!(files(&dir.path().join("sheets")), ["2019/piano.yaml"]);
}

#[test]
fn escape_codes_in_cells_reach_no_terminal() {
    let dir = workspace("table", true);
    let evil = "2019_\u{1b}]0;PWNED\u{7}\u{1b}[2J";
    let objectives = read(&dir.path().join("obiettivi.csv")).replacen(
        "descrizione",
        "descrizione;\u{1b}[31mRosso",
        1,
    );
    fs::write(dir.path().join("obiettivi.csv"), objectives).unwrap();
    let indicators = read(&dir.path().join("indicatori.csv")).replacen("2019_B7", evil, 1);
    fs::write(dir.path().join("indicatori.csv"), indicators).unwrap();
    let (code, _, err) = schede(dir.path(), &["import", "obiettivi.csv", "indicatori.csv"]);
    assert_eq!(code, 1);
    assert!(!err.contains(['\u{1b}', '\u{7}']), "{err:?}");
    assert!(
        err.contains("no objective `2019_\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J`"),
        "{err}"
    );
    assert!(
        err.contains("column `\\u{1b}[31mRosso` is not imported"),
        "{err}"
    );
}
