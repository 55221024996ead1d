//! The whole build of the shipped plan: the PDF's pages and words, the HTML
//! page, and identical bytes on a second build.

use std::fs;
use std::path::Path;

use crate::common::{letters, page_count, pdf_letters, pdftotext_words, project, root, words};
use schede::build::{self, Options, Paths};

fn paths(dir: &Path) -> Paths {
    Paths {
        sheets: dir.join("sheets"),
        templates: dir.join("templates"),
        output: dir.join("output"),
    }
}

fn build(dir: &Path) {
    build::build(&paths(dir), &Options::default(), &|_| {})
        .unwrap_or_else(|d| panic!("build failed:\n{}", d.report()));
}

/// The text of the official sheet (a copy of `shared/reference/2019_Z101.txt`).
fn reference() -> String {
    fs::read_to_string(root().join("tests/reference/2019_Z101.txt")).unwrap()
}

/// The HTML page's text: tags dropped, entities decoded.
fn html_text(html: &str) -> String {
    let body = &html[html.find("<main>").unwrap()..html.find("</main>").unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
}

#[test]
fn shipped_sheet_builds_to_the_reference_text_in_two_pages() {
    let dir = project(&root().join("sheets"));
    build(dir.path());
    let pdf_path = dir.path().join("output/2019/2019_Z101.pdf");
    let pdf = fs::read(&pdf_path).unwrap();
    assert_eq!(page_count(&pdf), 2);
    let reference = reference();
    assert_eq!(pdf_letters(&pdf), letters(&reference));
    if let Some(pdf_words) = pdftotext_words(&pdf_path) {
        assert_eq!(pdf_words, words(&reference));
    }

    // The HTML page says the same words, in the same order, once each
    // (the PDF repeats the code and title as the running header of page 2).
    let html = fs::read_to_string(dir.path().join("output/2019/2019_Z101.html")).unwrap();
    let mut expected = words(&reference);
    let repeat = expected.iter().rposition(|w| w == "2019_Z101").unwrap();
    expected.drain(repeat..repeat + 8);
    assert_eq!(words(&html_text(&html)), expected);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"it\">"));
    assert!(html.contains("<th scope=\"col\">Valore Atteso 2020</th>"));
    assert!(dir.path().join("output/2019/schede.css").is_file());
}

#[test]
fn two_builds_give_identical_bytes() {
    let first = project(&root().join("sheets"));
    let second = project(&root().join("sheets"));
    build(first.path());
    build(second.path());
    let mut files = 0;
    for entry in walkdir::WalkDir::new(first.path().join("output")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(first.path()).unwrap();
            assert_eq!(
                fs::read(entry.path()).unwrap(),
                fs::read(second.path().join(relative)).unwrap(),
                "{} differs",
                relative.display()
            );
            files += 1;
        }
    }
    assert!(files >= 3);
}

#[test]
fn hostile_text_is_printed_literally_and_never_runs() {
    let dir = project(&root().join("tests/hostile/sheets"));
    build(dir.path());
    let hostile = r#"#read("/etc/passwd") $x$ <script>alert(1)</script> @ref ] \ *a*b"#;
    let pdf = fs::read(dir.path().join("output/2019/2019_H1.pdf")).unwrap();
    let text = pdf_letters(&pdf);
    for field in [
        "TITOLO",
        "DIREZIONE",
        "DIRETTORE",
        "SERVIZIO",
        "DIRIGENTE",
        "CLASSIFICAZIONE",
        "TIPOLOGIA",
        "DESCRIZIONE",
        "TIPO",
        "V19",
        "V20",
        "NOTE",
    ] {
        let expected = letters(&format!("{field} {hostile}"));
        assert!(text.contains(&expected), "{field} not shown literally");
    }
    for literal in [
        r#"Paragrafo #read("/etc/passwd") $x$ <script>alert(1)</script> @ref ] \ *a*b e #eval("1")."#,
        r#"<img src=x onerror="alert(3)">"#,
        r#"voce #import "/etc/hosts": *"#,
        "collegamento e sito",
        r#"2019. Non è un elenco: = titolo? // commento /* no */ -- --- ... ~ 'virgolette' "doppie""#,
        r#"#read("/etc/shadow")"#,
    ] {
        assert!(
            text.contains(&letters(literal)),
            "`{literal}` not shown literally"
        );
    }
    assert!(!text.contains("root:"), "a file was read");

    let html = fs::read_to_string(dir.path().join("output/2019/2019_H1.html")).unwrap();
    for tag in ["<script", "<img", "javascript:"] {
        assert!(!html.contains(tag), "`{tag}` reached the HTML");
    }
    assert!(html.contains("TITOLO #read(&quot;/etc/passwd&quot;) $x$ &lt;script&gt;alert(1)&lt;/script&gt; @ref ] \\ *a*b"));
    assert!(html.contains("&lt;img src=x onerror=\"alert(3)\"&gt;"));
    assert!(html.contains("<a href=\"https://example.org/?a=%3Cb%3E\">sito</a>"));
}

/// A project with a synthetic plan of `count` sheets.
fn synthetic(count: usize) -> tempfile::TempDir {
    let dir = project(&root().join("tests/valid/bom_crlf/sheets"));
    fs::remove_dir_all(dir.path().join("sheets")).unwrap();
    schede::synth::write_plan(&dir.path().join("sheets"), 2030, count, 3, false).unwrap();
    dir
}

fn build_report(dir: &Path, force: bool) -> build::Report {
    let mut options = Options::default();
    options.settings.force = force;
    build::build(&paths(dir), &options, &|_| {})
        .unwrap_or_else(|d| panic!("build failed:\n{}", d.report()))
}

/// Every output file's bytes, by path relative to the output folder.
fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let out = dir.join("output");
    walkdir::WalkDir::new(&out)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let relative = e.path().strip_prefix(&out).unwrap().display().to_string();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn incremental_builds_rebuild_what_changed_and_equal_forced_builds() {
    let dir = synthetic(6);
    let sheet = dir.path().join("sheets/2030/2030_S00002.md");
    assert_eq!(build_report(dir.path(), false).compiled, 6);
    assert_eq!(build_report(dir.path(), false).compiled, 0);

    // One sheet changed: only its PDF is compiled again.
    let text = fs::read_to_string(&sheet).unwrap();
    fs::write(&sheet, text.replace("tipologia: ", "tipologia: NUOVA ")).unwrap();
    assert_eq!(build_report(dir.path(), false).compiled, 1);
    let incremental = outputs(dir.path());
    assert_eq!(build_report(dir.path(), true).compiled, 6);
    assert_eq!(outputs(dir.path()), incremental);

    // The plan and the Typst templates are inputs of every PDF.
    let plan = dir.path().join("sheets/2030/piano.yaml");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(&plan, text.replace("Comune di Esempio", "Comune di Prova")).unwrap();
    assert_eq!(build_report(dir.path(), false).compiled, 6);
    let template = dir.path().join("templates/sheet.typ");
    let text = fs::read_to_string(&template).unwrap();
    fs::write(&template, format!("{text}\n")).unwrap();
    assert_eq!(build_report(dir.path(), false).compiled, 6);

    // A damaged output or a corrupt cache is rebuilt.
    fs::write(
        dir.path().join("output/2030/2030_S00001.pdf"),
        b"%PDF-broken",
    )
    .unwrap();
    assert_eq!(build_report(dir.path(), false).compiled, 1);
    fs::write(dir.path().join("output/.schede-manifest.json"), b"{oops").unwrap();
    assert_eq!(build_report(dir.path(), false).compiled, 6);
}

#[test]
fn a_withdrawn_sheet_is_no_longer_published() {
    let dir = synthetic(3);
    build_report(dir.path(), false);
    let out = dir.path().join("output/2030");
    assert!(out.join("2030_S00001.pdf").is_file());
    fs::remove_file(dir.path().join("sheets/2030/2030_S00001.md")).unwrap();
    let report = build_report(dir.path(), false);
    // Its PDF, its page, and the volume of a Direzione left without sheets.
    assert!(report.removed.len() >= 2, "{:?}", report.removed);
    assert!(!out.join("2030_S00001.pdf").exists());
    assert!(!out.join("2030_S00001.html").exists());
    assert!(out.join("2030_S00002.pdf").is_file());
}

#[test]
fn a_killed_build_leaves_only_whole_files() {
    let dir = synthetic(24);
    let run = |args: &[&str]| {
        crate::common::schede_command()
            .args(args)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    assert!(run(&["build"]).wait().unwrap().success());
    let before = outputs(dir.path());
    for delay in [20, 60, 120, 200, 300, 450, 700] {
        let mut child = run(&["build", "--force"]);
        std::thread::sleep(std::time::Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();
        // Every file is the previous one or a whole new one: same names, PDFs
        // that open, pages that end.
        let after = outputs(dir.path());
        let names =
            |files: &[(String, Vec<u8>)]| files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&after), names(&before), "killed after {delay} ms");
        for (name, bytes) in &after {
            if name.ends_with(".pdf") {
                assert!(lopdf::Document::load_mem(bytes).is_ok(), "{name} is broken");
            } else if name.ends_with(".html") {
                assert!(bytes.ends_with(b"</html>\n"), "{name} is cut");
            }
        }
    }
    // The next build cleans up any temporary file a killed one left.
    assert!(run(&["build"]).wait().unwrap().success());
    let leftovers: Vec<_> = walkdir::WalkDir::new(dir.path().join("output"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(outputs(dir.path()), before);
}

#[test]
fn output_and_template_folder_problems_are_clear_errors() {
    let dir = project(&root().join("sheets"));
    fs::write(dir.path().join("output"), b"not a folder").unwrap();
    let err = build::build(&paths(dir.path()), &Options::default(), &|_| {}).unwrap_err();
    let report = err.report();
    assert!(
        report.ends_with("/output: error: the output folder is a file\n  hint: move the file, or choose another output folder with `--output`\n1 error, 0 warnings\n"),
        "{report}"
    );
    assert_eq!(
        fs::read(dir.path().join("output")).unwrap(),
        b"not a folder"
    );
    fs::remove_file(dir.path().join("output")).unwrap();
    fs::remove_dir_all(dir.path().join("templates")).unwrap();
    let err = build::build(&paths(dir.path()), &Options::default(), &|_| {}).unwrap_err();
    assert!(err.report().ends_with(
        "/templates: error: templates folder not found\n  hint: run from the project folder, or point to the templates with `--templates`\n1 error, 0 warnings\n"
    ), "{}", err.report());
    assert!(!dir.path().join("output").exists());
}

/// The generated Typst and HTML of the shipped sheet, as snapshots: a change
/// to the templates or the converters shows up in review.
#[test]
fn shipped_sheet_renders_as_its_snapshots() {
    let sheets = root().join("sheets");
    let (plans, diagnostics) = schede::load::load_plans(&sheets);
    assert!(diagnostics.is_empty(), "{}", diagnostics.report());
    let templates = schede::render::Templates::load(&root().join("templates")).unwrap();
    let year = &plans[0];
    let mut page = schede::render::SheetPage::new(&year.plan, &year.sheets[0]);
    page.successivo = Some(schede::render::Link {
        href: "2019_Z102.html".into(),
        codice: "2019_Z102".into(),
        titolo: "Un altro obiettivo".into(),
    });
    insta::assert_snapshot!("2019_Z101.typ", templates.sheet_typst(&page).unwrap());
    insta::assert_snapshot!("2019_Z101.html", templates.sheet_html(&page).unwrap());
}
