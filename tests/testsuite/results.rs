//! The second half of the year: results in the sources leave the plan's
//! files as they were; the monitoring workbook goes out, comes back filled
//! and its results reach the sources and the published results sheets;
//! `diff` shows what changed.

use std::fs;
use std::path::Path;

use calamine::Reader;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::common::{letters, page_count, pdf_letters, project, root, schede};

/// Adds results to every indicator of every sheet under `sheets`: a value
/// and a hand-given achievement at two dates of the plan year, and a
/// narrative, so that any target shape is accepted.
fn add_results(sheets: &Path) {
    for year in fs::read_dir(sheets).unwrap() {
        let year = year.unwrap().path();
        let name = year.file_name().unwrap().to_string_lossy().into_owned();
        for file in fs::read_dir(&year).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let mut out = String::new();
            let mut fences = 0;
            for line in text.lines() {
                if line == "---" {
                    fences += 1;
                    if fences == 2 {
                        out.push_str(&format!(
                            "risultati:\n  {name}-06-30:\n    scostamento: A metà anno.\n  {name}-12-31:\n    attivita: |-\n      Svolte le attività.\n\n      Con cura.\n    scostamento: Nessuno.\n"
                        ));
                    }
                }
                out.push_str(line);
                out.push('\n');
                if line.trim_start().starts_with("tipo:") && fences == 1 {
                    let indent = &line[..line.len() - line.trim_start().len()];
                    out.push_str(&format!(
                        "{indent}valore_raggiunto: {{{name}-06-30: 40%, {name}-12-31: 97%}}\n{indent}raggiungimento: {{{name}-06-30: 40%, {name}-12-31: 100%}}\n"
                    ));
                }
            }
            fs::write(&path, out).unwrap();
        }
    }
}

/// Every file under `dir`, relative, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap();
            found.push((
                relative.to_string_lossy().replace('\\', "/"),
                fs::read(entry.path()).unwrap(),
            ));
        }
    }
    found
}

#[test]
fn results_change_no_byte_of_the_plans_documents_and_data() {
    let dir = project(&root().join("tests/publish/sheets"));
    let (code, _, err) = schede(dir.path(), &["build", "--output", "plan"]);
    assert_eq!(code, 0, "{err}");
    add_results(&dir.path().join("sheets"));
    let (code, _, err) = schede(dir.path(), &["check", "--deny-warnings"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = schede(dir.path(), &["build", "--output", "results"]);
    assert_eq!(code, 0, "{err}");
    let before = files(&dir.path().join("plan"));
    let after: std::collections::BTreeMap<String, Vec<u8>> =
        files(&dir.path().join("results")).into_iter().collect();
    let mut compared = 0;
    for (path, bytes) in &before {
        let plan_file =
            !path.starts_with('.') && [".pdf", ".csv", ".json"].iter().any(|e| path.ends_with(e));
        if plan_file {
            compared += 1;
            assert!(after.get(path) == Some(bytes), "{path} changed");
        }
    }
    assert!(compared >= 10, "only {compared} files compared");
    for added in [
        "2019/risultati.csv",
        "2019/relazione-2019-06-30.pdf",
        "2019/relazione-2019-12-31.pdf",
        "2019/risultati-2019-12-31.html",
        "2019/2019_Z101-risultati-2019-12-31.pdf",
        "2019/2019_Z101-risultati-2019-06-30.html",
    ] {
        assert!(after.contains_key(added), "{added} missing");
    }
    let csv = String::from_utf8(after["2019/risultati.csv"].clone()).unwrap();
    assert!(csv.starts_with(
        "codice,indicatore,data,valore_atteso,valore_raggiunto,raggiungimento,esito\r\n"
    ));
    assert!(csv.contains(",2019-12-31,"), "{csv}");
}

/// The rows of the worksheet "Risultati", cells as text.
fn read_rows(path: &Path) -> Vec<Vec<String>> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let range = book.worksheet_range("Risultati").unwrap();
    range
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect()
}

/// The workbook as a person fills it: the known cells copied, then a value
/// per indicator typed as a person types it (percentage cells, a text, a
/// date cell) and a hand-given achievement where the value is not comparable.
fn fill(rows: &[Vec<String>], path: &Path, first: f64) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Risultati").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    let percent = Format::new().set_num_format("0%");
    let percent_decimal = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_number_with_format(1, 9, first, &percent)
        .unwrap();
    sheet.write_number_with_format(2, 9, 1.0, &percent).unwrap();
    sheet.write_string(3, 9, "95%").unwrap();
    sheet
        .write_number_with_format(4, 9, 0.5, &percent_decimal)
        .unwrap();
    sheet
        .write_string(4, 11, "Richieste arrivate a fine anno")
        .unwrap();
    let day = ExcelDateTime::from_ymd(2019, 11, 15).unwrap();
    sheet.write_datetime_with_format(5, 9, &day, &date).unwrap();
    sheet
        .write_number_with_format(5, 10, 1.0, &percent)
        .unwrap();
    book.save(path).unwrap();
}

#[test]
fn results_round_trip_from_the_workbook_to_the_results_sheet() {
    let dir = project(&root().join("sheets"));
    let (code, out, err) = schede(
        dir.path(),
        &["monitor", "2019", "--at", "2019-12-31", "--output", "."],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "wrote ./monitoraggio-2019-2019-12-31.xlsx\n");
    let sent = dir.path().join("monitoraggio-2019-2019-12-31.xlsx");
    let rows = read_rows(&sent);
    assert_eq!(rows[0][..3], ["Codice", "Direzione", "Servizio"]);
    assert_eq!(rows.len(), 6, "one row per indicator of 2019_Z101");
    assert_eq!(rows[1][7], "100%");
    assert_eq!(rows[1][8], "2019-12-31");
    fill(&rows, &dir.path().join("compilato.xlsx"), 0.98);
    let (code, _, err) = schede(dir.path(), &["import", "compilato.xlsx"]);
    assert_eq!(code, 0, "{err}");
    let source = fs::read_to_string(dir.path().join("sheets/2019/2019_Z101.md")).unwrap();
    assert!(
        source.contains("    valore_raggiunto: {2019-12-31: 98%}\n"),
        "{source}"
    );
    assert!(source.contains("    valore_raggiunto: {2019-12-31: 15/11/2019}\n    raggiungimento: {2019-12-31: 100%}\n"), "{source}");
    assert!(
        source.contains("    attivita: \"Indicatore 4: Richieste arrivate a fine anno\"\n"),
        "{source}"
    );
    let (code, _, err) = schede(dir.path(), &["fmt", "--check"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = schede(dir.path(), &["build"]);
    assert_eq!(code, 0, "{err}");
    let pdf = fs::read(
        dir.path()
            .join("output/2019/2019_Z101-risultati-2019-12-31.pdf"),
    )
    .unwrap();
    let text = pdf_letters(&pdf);
    for shown in [
        "Risultatial31/12/2019",
        "98%98%",
        "100%100%",
        "95%95%",
        "50,0%50%",
        "15/11/2019100%(dichiarato)",
        "88,6%(parzialmenteraggiunto)",
        "Indicatore4:Richiestearrivateafineanno",
    ] {
        assert!(text.contains(&letters(shown)), "{shown} not in {text}");
    }
    // A second import of other values is refused without `--force`, at the cell.
    fill(&rows, &dir.path().join("compilato.xlsx"), 0.9);
    let (code, out, err) = schede(dir.path(), &["import", "compilato.xlsx"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.starts_with("compilato.xlsx:Risultati!J2: error: a result at 2019-12-31 is already in the sources\n  hint: run again with `--force` to replace it\n"),
        "{err}"
    );
}

#[test]
fn the_monitoring_workbook_is_locked_but_for_the_cells_to_fill() {
    let dir = project(&root().join("tests/publish/sheets"));
    let (code, out, err) = schede(
        dir.path(),
        &[
            "monitor",
            "2019",
            "--at",
            "2019-06-30",
            "--per-direzione",
            "--output",
            "out",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let books: Vec<&str> = out.lines().collect();
    assert!(books.len() >= 2, "{out}");
    let first = books[0].strip_prefix("wrote ").unwrap();
    let file = fs::File::open(dir.path().join(first)).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("<sheetProtection"), "{xml}");
    assert!(xml.contains("autoFilter=\"0\""), "{xml}");
    assert!(xml.contains("<autoFilter ref=\"A1:L"), "{xml}");
    // The same sources give the same bytes, and a workbook is never overwritten.
    let (code, _, err) = schede(
        dir.path(),
        &[
            "monitor",
            "2019",
            "--at",
            "2019-06-30",
            "--per-direzione",
            "--output",
            "out",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("error: the file exists"), "{err}");
}

#[test]
fn diff_shows_the_results_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&root().join("sheets/2019"), &dir.path().join("old/2019"));
    crate::common::copy_dir(&root().join("sheets/2019"), &dir.path().join("new/2019"));
    let path = dir.path().join("new/2019/2019_Z101.md");
    let text = fs::read_to_string(&path).unwrap().replacen(
        "    valore_atteso: {2019: 100%, 2020: 100%, 2021: 100%}\n",
        "    valore_atteso: {2019: 100%, 2020: 100%, 2021: 100%}\n    valore_raggiunto: {2019-12-31: 98%}\n",
        1,
    );
    fs::write(&path, text).unwrap();
    let (code, out, err) = schede(dir.path(), &["diff", "old", "new"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("      valore_raggiunto 2019-12-31: (none) -> 98%\n"),
        "{out}"
    );
}

#[test]
fn hostile_results_stay_text() {
    let dir = project(&root().join("sheets"));
    let path = dir.path().join("sheets/2019/2019_Z101.md");
    let text = fs::read_to_string(&path).unwrap();
    let value = r##"    valore_raggiunto: {2019-12-31: "=cmd|' /C calc'!A0 #eval(\"1+1\") <script>x</script>"}
    raggiungimento: {2019-12-31: 100%}
"##;
    let text = text
        .replacen(
            "    valore_atteso: {2019: 100%, 2020: 100%, 2021: 100%}\n",
            &format!("    valore_atteso: {{2019: 100%, 2020: 100%, 2021: 100%}}\n{value}"),
            1,
        )
        .replacen(
            "\n---\n",
            "\nrisultati:\n  2019-12-31:\n    attivita: |-\n      #import \"/etc/passwd\": * <img src=x onerror=alert(1)> ]) #panic()\n---\n",
            1,
        );
    fs::write(&path, text).unwrap();
    let (code, _, err) = schede(dir.path(), &["build"]);
    assert_eq!(code, 0, "{err}");
    let out = dir.path().join("output/2019");
    // A value wider than its column breaks between letters (zero-width spaces).
    let pdf = pdf_letters(&fs::read(out.join("2019_Z101-risultati-2019-12-31.pdf")).unwrap())
        .replace('\u{200b}', "");
    for shown in [
        r##"=cmd|'/C calc'!A0#eval("1+1")<script>x</script>"##,
        r##"#import"/etc/passwd":*<imgsrc=xonerror=alert(1)>])#panic()"##,
    ] {
        assert!(pdf.contains(&letters(shown)), "{shown} not in {pdf}");
    }
    let html = fs::read_to_string(out.join("2019_Z101-risultati-2019-12-31.html")).unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("<img"),
        "{html}"
    );
    let csv = fs::read_to_string(out.join("risultati.csv")).unwrap();
    // A spreadsheet would run the value as a formula: it starts with `'`.
    assert!(csv.contains(",2019-12-31,100%,\"'=cmd|"), "{csv}");
}

#[test]
fn the_annex_is_assembled_from_the_results_sheets_and_one_changed_result_remakes_its_date_only() {
    let dir = project(&root().join("tests/results/sheets"));
    let (code, _, err) = schede(dir.path(), &["build"]);
    assert_eq!(code, 0, "{err}");
    let output = dir.path().join("output/2019");
    let read = |name: &str| fs::read(output.join(name)).unwrap();
    let annex = read("relazione-2019-12-31.pdf");
    let text = pdf_letters(&annex);
    let codes = ["2019_A01", "2019_A02", "2019_A03", "2019_Z101"];
    for expected in [
        "Indice",
        "Sintesi dei risultati",
        "Direzione UFFICIO DEL SINDACO",
    ]
    .into_iter()
    .chain(codes)
    {
        assert!(text.contains(&letters(expected)), "{expected} missing");
    }
    // Cover and contents, the summary and two Direzione pages, one page each,
    // then the results sheets' own pages.
    let sheets: usize = (codes.iter())
        .map(|c| page_count(&read(&format!("{c}-risultati-2019-12-31.pdf"))))
        .sum();
    assert_eq!(page_count(&annex), 2 + 1 + 2 + sheets);

    let before = files(&output);
    let sheet = dir.path().join("sheets/2019/2019_A01.md");
    let text = fs::read_to_string(&sheet).unwrap();
    fs::write(&sheet, text.replace("2019-12-31: 11}", "2019-12-31: 12}")).unwrap();
    let (code, out, err) = schede(dir.path(), &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("compiled 1 PDF "), "{out}");
    let after: std::collections::BTreeMap<String, Vec<u8>> = files(&output).into_iter().collect();
    let changed: Vec<&str> = (before.iter())
        .filter(|(path, bytes)| path.ends_with(".pdf") && after.get(path) != Some(bytes))
        .map(|(path, _)| path.as_str())
        .collect();
    assert_eq!(
        changed,
        [
            "2019_A01-risultati-2019-12-31.pdf",
            "relazione-2019-12-31.pdf"
        ]
    );
}
