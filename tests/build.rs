//! The whole build of the shipped plan: the PDF's pages and words, the HTML
//! page, and identical bytes on a second build.

mod common;

use std::fs;
use std::path::Path;

use common::{letters, page_count, pdf_letters, pdftotext_words, project, root, words};
use schede::pipeline::{self, Paths};

fn paths(dir: &Path) -> Paths {
    Paths {
        sheets: dir.join("sheets"),
        templates: dir.join("templates"),
        output: dir.join("output"),
    }
}

fn build(dir: &Path) {
    pipeline::build(&paths(dir), false, &mut |_| {})
        .unwrap_or_else(|d| panic!("build failed:\n{}", d.report()));
}

fn reference() -> String {
    fs::read_to_string(root().join("../shared/reference/2019_Z101.txt"))
        .or_else(|_| fs::read_to_string(root().join("tests/reference/2019_Z101.txt")))
        .unwrap()
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
