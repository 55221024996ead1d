//! Publication: the volumes, the portal pages and the open data of a small
//! plan (`tests/publish/sheets`: 2 Direzioni, 3 Servizi, 4 sheets), built
//! with the real templates.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use schede::build::{self, Options, Paths};
use schede::model::Sheet;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/publish/sheets");
const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");

/// The fixture's sheets in publication order: Direzione, Servizio, code.
const ORDER: [&str; 4] = ["2019_A02", "2019_A01", "2019_A03", "2019_Z101"];

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn build(sheets: &Path, templates: &Path, output: &Path) -> Result<(), String> {
    let paths = Paths {
        sheets: sheets.to_path_buf(),
        templates: templates.to_path_buf(),
        output: output.to_path_buf(),
    };
    build::build(&paths, &Options::default(), &|_| {})
        .map(|_| ())
        .map_err(|d| d.report())
}

/// Every file under `dir`, by relative path; none if `dir` does not exist.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The text of each page of a PDF, by `pdftotext -raw`, or `None` when
/// poppler is not installed.
fn pages(pdf: &Path) -> Option<Vec<String>> {
    let output = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    assert!(output.status.success(), "pdftotext failed on {pdf:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    pages.pop_if(|p| p.trim().is_empty());
    Some(pages)
}

/// Asserts that `needles` occur in `haystack` in this order.
/// The bookmarks of a PDF: level, title and page (from 1), in order.
fn bookmarks(pdf: &[u8]) -> Vec<(usize, String, usize)> {
    let document = lopdf::Document::load_mem(pdf).unwrap();
    let pages: BTreeMap<lopdf::ObjectId, usize> = document
        .get_pages()
        .into_iter()
        .map(|(number, id)| (id, number as usize))
        .collect();
    let outlines = document
        .catalog()
        .unwrap()
        .get_deref(b"Outlines", &document)
        .unwrap();
    let mut found = Vec::new();
    let mut stack = vec![(outlines.as_dict().unwrap().get(b"First").ok().cloned(), 1)];
    while let Some((item, level)) = stack.pop() {
        let Some(lopdf::Object::Reference(id)) = item else {
            continue;
        };
        let dict = document.get_dictionary(id).unwrap();
        let title = match dict.get(b"Title").unwrap() {
            lopdf::Object::String(bytes, _) => lopdf::decode_text_string(&lopdf::Object::String(
                bytes.clone(),
                lopdf::StringFormat::Literal,
            ))
            .unwrap(),
            other => panic!("title {other:?}"),
        };
        let dest = dict
            .get_deref(b"Dest", &document)
            .unwrap()
            .as_array()
            .unwrap();
        let page = pages[&dest[0].as_reference().unwrap()];
        found.push((level, title, page));
        stack.push((dict.get(b"Next").ok().cloned(), level));
        stack.push((dict.get(b"First").ok().cloned(), level + 1));
    }
    found
}

fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("`{needle}` missing or out of order in:\n{haystack}"),
        }
    }
}

fn fixture_sheets() -> Vec<Sheet> {
    let (plans, diagnostics) = schede::load::load_plans(Path::new(FIXTURE));
    assert!(diagnostics.is_empty(), "{}", diagnostics.report());
    let mut sheets = plans.into_iter().next().unwrap().sheets;
    sheets.sort_by_key(|s| ORDER.iter().position(|c| *c == s.codice()));
    sheets
}

#[test]
fn publishes_volumes_portal_pages_and_open_data() {
    let work = tempfile::tempdir().unwrap();
    let sheets = work.path().join("sheets");
    copy_dir(Path::new(FIXTURE), &sheets);
    let out = work.path().join("output");
    build(&sheets, Path::new(TEMPLATES), &out).unwrap();
    let year = out.join("2019");
    let all = files(&out);
    for name in [
        "index.html",
        "schede.css",
        "2019/index.html",
        "2019/schede.css",
        "2019/piano-2019.pdf",
        "2019/direzione-attivita-economiche-e-turismo.pdf",
        "2019/direzione-ufficio-del-sindaco.pdf",
        "2019/obiettivi.csv",
        "2019/indicatori.csv",
        "2019/piano.json",
    ] {
        assert!(all.contains_key(Path::new(name)), "{name} not written");
    }
    assert!(
        !all.keys()
            .any(|p| p.extension().is_some_and(|e| e == "typ"))
    );

    // The volume: cover, contents, then Direzione > Servizio > sheet, each
    // sheet on its own pages with its own running header.
    if let Some(volume) = pages(&year.join("piano-2019.pdf")) {
        assert_eq!(volume.len(), 12, "{volume:#?}");
        assert_in_order(
            &volume[0],
            &[
                "Comune di Prova",
                "Piano Esecutivo di Gestione 2019-2021",
                "2019-2021",
            ],
        );
        assert_in_order(
            &volume[1],
            &[
                "Indice",
                "ATTIVITÀ ECONOMICHE E TURISMO",
                "COMMERCIO SU AREE PUBBLICHE",
                "2019_A02 - Riordino",
                "PROMOZIONE ECONOMICA, TURISTICA E LAVORO",
                "2019_A01 - Promozione",
                "2019_A03 - Sportello \"Lavoro & Impresa\"",
                "UFFICIO DEL SINDACO",
                "2019_Z101 - Attività",
            ],
        );
        assert_in_order(
            &volume[2],
            &[
                "Direzione",
                "ATTIVITÀ ECONOMICHE E TURISMO",
                "Direttore BIANCHI LAURA",
                "Servizio COMMERCIO SU AREE PUBBLICHE",
                "Dirigente NERI GIULIA. Obiettivo: 2019_A02.",
                "Servizio PROMOZIONE ECONOMICA, TURISTICA E LAVORO",
                "Obiettivi: 2019_A01, 2019_A03.",
            ],
        );
        // Each sheet: its first page, then its INDICATORI under its own code
        // and title; the contents give the page where each sheet starts.
        let first_pages = [
            (3, "2019_A02"),
            (5, "2019_A01"),
            (7, "2019_A03"),
            (10, "2019_Z101"),
        ];
        for (page, codice) in first_pages {
            let listed = volume[1]
                .lines()
                .find(|line| line.starts_with(&format!("{codice} - ")))
                .and_then(|line| line.rsplit(' ').next())
                .and_then(|n| n.parse::<usize>().ok());
            assert_eq!(listed, Some(page + 1), "the contents' page of {codice}");
            assert!(
                volume[page].starts_with(&format!("{codice}\n")),
                "{}",
                volume[page]
            );
            assert_in_order(&volume[page], &[codice, "Descrizione", "dettagliata"]);
            assert_in_order(&volume[page + 1], &[codice, "INDICATORI"]);
            assert!(
                ORDER
                    .iter()
                    .filter(|c| **c != codice)
                    .all(|c| !volume[page].contains(c) && !volume[page + 1].contains(c)),
                "page {} shows another sheet",
                page + 1
            );
        }
        assert_in_order(&volume[9], &["Direzione", "UFFICIO DEL SINDACO"]);
        assert_in_order(
            &volume[8],
            &["n. utenti #sportello *non* $x$ <b>", "OUTPUT 800 850 entro"],
        );
        for (i, page) in volume.iter().enumerate().skip(1) {
            assert!(
                page.contains(&format!("Piano Esecutivo di Gestione 2019-2021 {}", i + 1)),
                "no page number on page {}",
                i + 1
            );
        }
        // The bookmarks: Direzione > Servizio > sheet, at the sheets' first pages.
        let toc = bookmarks(&fs::read(year.join("piano-2019.pdf")).unwrap());
        let expected: Vec<(usize, String, usize)> = [
            (1, "Indice", 2),
            (1, "ATTIVITÀ ECONOMICHE E TURISMO", 3),
            (2, "COMMERCIO SU AREE PUBBLICHE", 4),
            (
                3,
                "2019_A02 - Riordino delle concessioni di posteggio su aree pubbliche",
                4,
            ),
            (2, "PROMOZIONE ECONOMICA, TURISTICA E LAVORO", 6),
            (
                3,
                "2019_A01 - Promozione del territorio e dei suoi mercati storici",
                6,
            ),
            (
                3,
                "2019_A03 - Sportello \"Lavoro & Impresa\" per chi cerca lavoro",
                8,
            ),
            (1, "UFFICIO DEL SINDACO", 10),
            (2, "UFFICIO DEL SINDACO", 11),
            (
                3,
                "2019_Z101 - Attività gestionali della Direzione Ufficio del Sindaco",
                11,
            ),
        ]
        .into_iter()
        .map(|(level, title, page)| (level, title.to_string(), page))
        .collect();
        assert_eq!(toc, expected);
        let direzione = pages(&year.join("direzione-ufficio-del-sindaco.pdf")).unwrap();
        assert_eq!(direzione.len(), 5);
        let text = direzione.concat();
        assert_in_order(
            &text,
            &["Direzione", "UFFICIO DEL SINDACO", "Indice", "2019_Z101"],
        );
        assert!(!text.contains("2019_A0"));
    } else {
        eprintln!("pdftotext not found: the volumes' text is not checked");
    }

    // The open data round-trips the sources.
    let sheets_in_order = fixture_sheets();
    let mut reader = csv::Reader::from_path(year.join("obiettivi.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "codice",
            "titolo",
            "direzione",
            "direttore",
            "servizio",
            "dirigente",
            "classificazione",
            "tipologia",
            "indicatori"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    for (row, sheet) in rows.iter().zip(&sheets_in_order) {
        let f = &sheet.fields;
        let count = f.indicatori.len().to_string();
        let expected = [
            &f.codice,
            &f.titolo,
            &f.direzione,
            &f.direttore,
            &f.servizio,
            &f.dirigente,
            &f.classificazione,
            &f.tipologia,
            &count,
        ];
        assert_eq!(row.iter().collect::<Vec<_>>(), expected);
    }
    let mut reader = csv::Reader::from_path(year.join("indicatori.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "codice",
            "indicatore",
            "descrizione",
            "tipo",
            "anno",
            "valore_atteso",
            "note"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut expected = Vec::new();
    for sheet in &sheets_in_order {
        for (i, indicator) in sheet.fields.indicatori.iter().enumerate() {
            for (year, target) in &indicator.valore_atteso {
                expected.push(vec![
                    sheet.codice().to_string(),
                    (i + 1).to_string(),
                    indicator.descrizione.clone(),
                    indicator.tipo.clone(),
                    year.to_string(),
                    target.0.clone(),
                    indicator.note.clone().unwrap_or_default(),
                ]);
            }
        }
    }
    let got: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(str::to_string).collect())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(got.len(), 18);
    assert!(
        got.iter()
            .any(|r| r[6] == "Conteggio \"eventi\" come da delibera, anche congiunti")
    );

    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(year.join("piano.json")).unwrap()).unwrap();
    assert_eq!(json["ente"], "Comune di Prova");
    assert_eq!(json["titolo"], "Piano Esecutivo di Gestione 2019-2021");
    assert_eq!(json["anni"], serde_json::json!([2019, 2020, 2021]));
    let obiettivi = json["obiettivi"].as_array().unwrap();
    assert_eq!(obiettivi.len(), 4);
    for (o, sheet) in obiettivi.iter().zip(&sheets_in_order) {
        assert_eq!(o["codice"], sheet.codice());
        assert_eq!(o["servizio"], sheet.fields.servizio.as_str());
        assert_eq!(o["descrizione"], sheet.descrizione.as_str());
        let indicatori = o["indicatori"].as_array().unwrap();
        assert_eq!(indicatori.len(), sheet.fields.indicatori.len());
        for (i, indicator) in indicatori.iter().zip(&sheet.fields.indicatori) {
            assert_eq!(i["descrizione"], indicator.descrizione.as_str());
            for (year, target) in &indicator.valore_atteso {
                assert_eq!(i["valore_atteso"][year.to_string()], target.0.as_str());
            }
            assert_eq!(i["note"].as_str(), indicator.note.as_deref());
        }
    }

    // The portal pages link every sheet, volume and data file, relatively.
    let page = fs::read_to_string(year.join("index.html")).unwrap();
    let mut in_order = Vec::new();
    for codice in ORDER {
        in_order.push(format!("href=\"{codice}.html\""));
        in_order.push(format!("href=\"{codice}.pdf\""));
    }
    assert_in_order(
        &page,
        &in_order.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    for href in [
        "piano-2019.pdf",
        "direzione-attivita-economiche-e-turismo.pdf",
        "direzione-ufficio-del-sindaco.pdf",
        "obiettivi.csv",
        "indicatori.csv",
        "piano.json",
        "schede.css",
        "../index.html",
    ] {
        assert!(
            page.contains(&format!("href=\"{href}\"")),
            "no link to {href}"
        );
    }
    assert!(page.contains("Sportello &quot;Lavoro &amp; Impresa&quot;"));
    // The one web address is the licence's text, a link to follow.
    let licence = "https://creativecommons.org/licenses/by/4.0/deed.it";
    assert!(
        !page.replace(licence, "").contains("http"),
        "the page must work offline"
    );
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    for href in [
        "2019/index.html",
        "2019/piano-2019.pdf",
        "2019/piano.json",
        "schede.css",
    ] {
        assert!(
            index.contains(&format!("href=\"{href}\"")),
            "no link to {href}"
        );
    }

    // Same sources, same bytes.
    let again = work.path().join("again");
    build(&sheets, Path::new(TEMPLATES), &again).unwrap();
    assert!(files(&again) == all, "a second build differs");

    // A withdrawn Direzione takes its volume with it.
    fs::remove_file(sheets.join("2019/2019_Z101.md")).unwrap();
    build(&sheets, Path::new(TEMPLATES), &out).unwrap();
    assert!(!year.join("direzione-ufficio-del-sindaco.pdf").exists());
    assert!(
        year.join("direzione-attivita-economiche-e-turismo.pdf")
            .exists()
    );
    let page = fs::read_to_string(year.join("index.html")).unwrap();
    assert!(!page.contains("2019_Z101"));
}

#[test]
fn a_changed_sheet_changes_only_the_volumes_that_hold_it() {
    let dir = tempfile::tempdir().unwrap();
    let (sheets, output) = (dir.path().join("sheets"), dir.path().join("output"));
    copy_dir(Path::new(FIXTURE), &sheets);
    build(&sheets, Path::new(TEMPLATES), &output).unwrap();
    let before = files(&output);
    let sheet = sheets.join("2019/2019_Z101.md");
    let text = fs::read_to_string(&sheet).unwrap();
    fs::write(
        &sheet,
        text.replace("tipologia: SINTESI", "tipologia: SINTESI ANNUALE"),
    )
    .unwrap();
    build(&sheets, Path::new(TEMPLATES), &output).unwrap();
    let after = files(&output);
    let changed: Vec<String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.display().to_string())
        .filter(|path| path.ends_with(".pdf"))
        .collect();
    assert_eq!(
        changed,
        [
            "2019/2019_Z101.pdf",
            "2019/direzione-ufficio-del-sindaco.pdf",
            "2019/piano-2019.pdf"
        ]
    );
    // Only the changed sheet was prepared again for the volumes, and the volumes copied
    // from the other sheets' prepared parts are those a build from scratch makes.
    let prepared: Vec<String> = (after.iter())
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path.display().to_string())
        .filter(|path| path.ends_with(".parte"))
        .collect();
    assert_eq!(prepared, [".schede-cache/2019/parti/2019_Z101.parte"]);
    let fresh = dir.path().join("fresh");
    build(&sheets, Path::new(TEMPLATES), &fresh).unwrap();
    for volume in [
        "2019/direzione-ufficio-del-sindaco.pdf",
        "2019/piano-2019.pdf",
    ] {
        let same = fs::read(fresh.join(volume)).unwrap() == after[Path::new(volume)];
        assert!(same, "{volume} differs from a build from scratch");
    }
}

/// The files under the output folder's cache, and those the manifest records there.
fn cache(output: &Path) -> (Vec<String>, Vec<String>) {
    let on_disk = files(&output.join(".schede-cache"))
        .into_keys()
        .map(|p| p.display().to_string())
        .collect();
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(output.join(".schede-manifest.json")).unwrap()).unwrap();
    let recorded = manifest["files"]
        .as_object()
        .unwrap()
        .keys()
        .filter_map(|path| path.strip_prefix(".schede-cache/"))
        .map(str::to_string)
        .collect();
    (on_disk, recorded)
}

#[test]
fn the_volumes_parts_are_cached_in_the_output_folder_recorded_and_pruned() {
    let dir = tempfile::tempdir().unwrap();
    let (sheets, output) = (dir.path().join("sheets"), dir.path().join("output"));
    copy_dir(Path::new(FIXTURE), &sheets);
    build(&sheets, Path::new(TEMPLATES), &output).unwrap();
    // The cover and contents of each volume, each Direzione's opening page, and each sheet
    // prepared to be copied into the volumes.
    let parts = [
        "2019/direzione-attivita-economiche-e-turismo-apertura.pdf",
        "2019/direzione-attivita-economiche-e-turismo-indice.pdf",
        "2019/direzione-ufficio-del-sindaco-apertura.pdf",
        "2019/direzione-ufficio-del-sindaco-indice.pdf",
        "2019/parti/2019_A01.parte",
        "2019/parti/2019_A02.parte",
        "2019/parti/2019_A03.parte",
        "2019/parti/2019_Z101.parte",
        "2019/piano-2019-indice.pdf",
    ];
    assert_eq!(
        cache(&output),
        (
            parts.map(String::from).to_vec(),
            parts.map(String::from).to_vec()
        )
    );

    // Kept while their volumes are up to date; a file of the user there is left alone.
    fs::write(output.join(".schede-cache/mine.txt"), "mine").unwrap();
    build(&sheets, Path::new(TEMPLATES), &output).unwrap();
    let (on_disk, recorded) = cache(&output);
    assert_eq!(recorded, parts);
    assert_eq!(on_disk.last().map(String::as_str), Some("mine.txt"));

    // A withdrawn Direzione takes its volume's parts with it, and its sheet's.
    fs::remove_file(sheets.join("2019/2019_Z101.md")).unwrap();
    build(&sheets, Path::new(TEMPLATES), &output).unwrap();
    let left = [parts[0], parts[1], parts[4], parts[5], parts[6], parts[8]];
    let (on_disk, recorded) = cache(&output);
    assert_eq!(recorded, left);
    let mut expected = left.to_vec();
    expected.push("mine.txt");
    assert_eq!(on_disk, expected);
}

#[test]
fn a_missing_publication_template_is_named() {
    let work = tempfile::tempdir().unwrap();
    let templates = work.path().join("templates");
    copy_dir(Path::new(TEMPLATES), &templates);
    fs::remove_file(templates.join("year.html")).unwrap();
    let out = work.path().join("output");
    let report = build(Path::new(FIXTURE), &templates, &out).unwrap_err();
    assert!(
        report.contains("year.html: error: template not found"),
        "{report}"
    );
    let written: Vec<PathBuf> = files(&out).into_keys().collect();
    assert!(
        !written
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "pdf" || e == "html")),
        "nothing is published when publication fails: {written:?}"
    );
}

/// A sheet whose texts a spreadsheet would run as formulas, beside the
/// values an office really writes.
const FORMULAS: &str = r#"---
codice: 2019_F1
titolo: '=HYPERLINK("http://evil","click")'
direzione: ATTIVITÀ ECONOMICHE E TURISMO
direttore: BIANCHI LAURA
servizio: PROMOZIONE ECONOMICA, TURISTICA E LAVORO
dirigente: VERDI PAOLO
classificazione: '+cmd|'' /C calc''!A0'
tipologia: '-2+3'
indicatori:
  - descrizione: '@SUM(1+1)'
    tipo: "\t=1+1"
    valore_atteso: {2019: "-", 2020: "-5%", 2021: "+3"}
    note: "≥ 95%"
  - descrizione: '=1+1'
    tipo: RISULTATO
    valore_atteso: {2019: "-1.000,50", 2020: "=2+2", 2021: "@A1"}
---

Testo.
"#;

#[test]
fn published_csv_cells_never_start_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let sheets = dir.path().join("sheets");
    copy_dir(Path::new(FIXTURE), &sheets);
    fs::write(sheets.join("2019/2019_F1.md"), FORMULAS).unwrap();
    let output = dir.path().join("output");
    build(&sheets, Path::new(TEMPLATES), &output).unwrap();
    let obiettivi = fs::read_to_string(output.join("2019/obiettivi.csv")).unwrap();
    assert!(
        obiettivi.contains(
            "2019_F1,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",ATTIVITÀ ECONOMICHE E TURISMO,BIANCHI LAURA,\"PROMOZIONE ECONOMICA, TURISTICA E LAVORO\",VERDI PAOLO,'+cmd|' /C calc'!A0,'-2+3,2\r\n"
        ),
        "{obiettivi}"
    );
    let indicatori = fs::read_to_string(output.join("2019/indicatori.csv")).unwrap();
    for row in [
        "2019_F1,1,'@SUM(1+1),'\t=1+1,2019,-,≥ 95%\r\n",
        "2019_F1,1,'@SUM(1+1),'\t=1+1,2020,-5%,≥ 95%\r\n",
        "2019_F1,1,'@SUM(1+1),'\t=1+1,2021,+3,≥ 95%\r\n",
        "2019_F1,2,'=1+1,RISULTATO,2019,\"-1.000,50\",\r\n",
        "2019_F1,2,'=1+1,RISULTATO,2020,'=2+2,\r\n",
        "2019_F1,2,'=1+1,RISULTATO,2021,'@A1,\r\n",
    ] {
        assert!(indicatori.contains(row), "{row:?} in\n{indicatori}");
    }
    if std::env::var_os("SCHEDE_LIBREOFFICE_TESTS").is_some() {
        for file in ["obiettivi.csv", "indicatori.csv"] {
            let formulas = spreadsheet_formulas(&output.join("2019").join(file));
            assert!(formulas.is_empty(), "{file}: {formulas:?}");
        }
        // The check itself finds a formula where there is one.
        let control = dir.path().join("control.csv");
        fs::write(
            &control,
            "a,b\r\n\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",1\r\n",
        )
        .unwrap();
        assert_eq!(spreadsheet_formulas(&control).len(), 1);
    }
}

/// The formula cells LibreOffice Calc makes of a CSV file, opened as a
/// citizen would open it with formulas evaluated (its CSV filter's 13th
/// option); the converted flat ODS names each in a `table:formula`.
fn spreadsheet_formulas(csv: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    );
    let converted = Command::new("soffice")
        .args(["--headless", &profile])
        .arg("--infilter=CSV:44,34,76,1,,1033,false,true,false,false,false,-1,true")
        .args(["--convert-to", "fods", "--outdir"])
        .arg(dir.path())
        .arg(csv)
        .output()
        .expect("SCHEDE_LIBREOFFICE_TESTS is set but `soffice` (libreoffice-calc) is missing");
    let fods = dir
        .path()
        .join(csv.with_extension("fods").file_name().unwrap());
    let xml = fs::read_to_string(&fods).unwrap_or_else(|_| {
        panic!(
            "LibreOffice did not convert {}: {converted:?}",
            csv.display()
        )
    });
    xml.match_indices("table:formula=\"")
        .map(|(at, _)| xml[at..].chars().take(80).collect())
        .collect()
}
