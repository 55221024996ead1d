//! The server's own pages: the preview of one sheet (its HTML page and its
//! PDF side by side), the list of sheets to preview, the page for a missing
//! file, and the reload script added to every HTML page served.

use std::fs;
use std::path::Path;

use crate::{t, tr};

/// The reload script, served at `/__schede/live.js`.
pub const LIVE_JS: &[u8] = include_bytes!("live.js");

/// `page` with the reload script before its `</body>` (or at its end): the
/// script learns the state of the output folder the page was read at.
pub fn inject(page: &[u8], state: &str) -> Vec<u8> {
    let tag = script_tag(state);
    let at = page
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + tag.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// The script's tag; `state` is a digest in hexadecimal, nothing to escape.
fn script_tag(state: &str) -> String {
    format!("<script src=\"/__schede/live.js\" data-since=\"{state}\"></script>\n")
}

/// Whether `name` can be a year folder or a sheet's code: letters, digits,
/// `_` and `-` only, so it is safe in a path and in HTML.
fn is_plain(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The preview page of `<year>/<codice>` (the rest of the URL after
/// `/__schede/preview/`), if that sheet has a page or a PDF in `root`.
pub fn preview(root: &Path, rest: &str, state: &str) -> Option<Vec<u8>> {
    let (year, codice) = rest.trim_end_matches('/').split_once('/')?;
    if !is_plain(year) || !is_plain(codice) {
        return None;
    }
    let dir = root.join(year);
    let has = |ext: &str| dir.join(format!("{codice}.{ext}")).is_file();
    if !has("html") && !has("pdf") {
        return None;
    }
    let base = format!("/{year}/{codice}");
    // `year` and `codice` are plain (letters, digits, `_`, `-`): nothing to escape.
    let code = format!("<code>{codice}</code>");
    let body = format!(
        r#"<header>
<h1>{}</h1>
<nav aria-label="{}"><a href="{base}.html">{}</a> · <a href="{base}.pdf">PDF</a> · <a href="/{year}/index.html">{}</a> · <a href="/__schede/">{}</a></nav>
</header>
<main class="side-by-side">
<iframe id="schede-page" title="{}" src="{base}.html"></iframe>
<iframe id="schede-pdf" title="{}" src="{base}.pdf"></iframe>
</main>"#,
        t!("serve-preview-of", code = code),
        t!("serve-preview"),
        t!("serve-page"),
        t!("serve-plan", year = year),
        t!("serve-all-sheets"),
        t!("serve-page-of", code = codice),
        t!("serve-pdf-of", code = codice),
    );
    Some(page(
        &tr!("serve-preview-of", code = codice),
        &format!(" data-schede-preview=\"{base}\""),
        &body,
        state,
    ))
}

/// Every sheet of `root` with a link to its preview, by year; the list
/// reloads by itself when a build adds or removes a sheet.
pub fn preview_index(root: &Path, state: &str) -> Vec<u8> {
    let mut body = format!("<main>\n<h1>{}</h1>\n", t!("serve-to-preview"));
    let mut years: Vec<String> = fs::read_dir(root)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| is_plain(name))
        .collect();
    years.sort_by(|a, b| b.cmp(a));
    for year in &years {
        let mut codes: Vec<String> = fs::read_dir(root.join(year))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let codice = name.strip_suffix(".pdf")?.to_string();
                (codice.starts_with(&format!("{year}_")) && is_plain(&codice)).then_some(codice)
            })
            .collect();
        if codes.is_empty() {
            continue;
        }
        codes.sort();
        body.push_str(&format!("<h2>{year}</h2>\n<ul>\n"));
        for codice in codes {
            body.push_str(&format!(
                "<li><a href=\"/__schede/preview/{year}/{codice}\">{codice}</a></li>\n"
            ));
        }
        body.push_str("</ul>\n");
    }
    body.push_str("</main>");
    page(
        &tr!("serve-to-preview"),
        " data-schede-list=\"\"",
        &body,
        state,
    )
}

/// The page of a missing file: it reloads by itself when a build makes it.
pub fn not_found(state: &str) -> Vec<u8> {
    let body = format!(
        "<main>\n<h1>{}</h1>\n<p>{}</p>\n<p><a href=\"/\">{}</a> · <a href=\"/__schede/\">{}</a></p>\n</main>",
        t!("serve-not-found"),
        t!("serve-not-found-text"),
        t!("serve-all-plans"),
        t!("serve-to-preview"),
    );
    page(&tr!("serve-not-found"), "", &body, state)
}

const STYLE: &str = "body{margin:0;font:1rem/1.4 system-ui,sans-serif;color:#1a1a1a}\
header,main{padding:0 1rem}header{display:flex;flex-wrap:wrap;gap:0 2rem;align-items:baseline}\
h1{font-size:1.25rem}a{color:#0b57a4}\
.side-by-side{display:flex;flex-wrap:wrap;gap:1rem;padding-bottom:1rem}\
.side-by-side iframe{flex:1 1 30rem;height:calc(100vh - 6rem);min-height:30rem;border:1px solid #767676}";

fn page(title: &str, body_attributes: &str, body: &str, state: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} - schede serve</title>\n<style>{STYLE}</style>\n</head>\n<body{body_attributes}>\n{body}\n{}</body>\n</html>\n",
        script_tag(state),
        lang = match crate::i18n::current() {
            crate::i18n::Lang::It => "it",
            crate::i18n::Lang::En => "en",
        },
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<body><p>x</p></BODY>\n</html>", "0a1b");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<body><p>x</p><script src=\"/__schede/live.js\" data-since=\"0a1b\"></script>\n</BODY>\n</html>"
        );
        assert!(inject(b"<p>no body</p>", "0a1b").ends_with(b"</script>\n"));
    }

    #[test]
    fn the_preview_shows_the_page_and_the_pdf_of_an_existing_sheet() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("2019")).unwrap();
        fs::write(dir.path().join("2019/2019_A01.pdf"), "%PDF").unwrap();
        let page = String::from_utf8(preview(dir.path(), "2019/2019_A01", "0a").unwrap()).unwrap();
        assert!(page.contains("<iframe id=\"schede-page\" title=\"The HTML page of 2019_A01\" src=\"/2019/2019_A01.html\">"));
        assert!(page.contains(
            "<iframe id=\"schede-pdf\" title=\"The PDF of 2019_A01\" src=\"/2019/2019_A01.pdf\">"
        ));
        assert!(page.contains("<body data-schede-preview=\"/2019/2019_A01\">"));
        assert!(preview(dir.path(), "2019/2019_B01", "0a").is_none());
        assert!(preview(dir.path(), "2019/..", "0a").is_none());
        assert!(preview(dir.path(), "../2019/2019_A01", "0a").is_none());
        let index = String::from_utf8(preview_index(dir.path(), "0a")).unwrap();
        assert!(index.contains("<a href=\"/__schede/preview/2019/2019_A01\">2019_A01</a>"));
        assert!(
            index.contains("<body data-schede-list=\"\">"),
            "a live list"
        );
    }
}
