//! Property tests of the two Markdown converters on arbitrary text: the Typst
//! output always compiles and shows exactly the input's text, and the HTML
//! output carries no tag or attribute that the input smuggled in. Deep
//! structures too: Markdown nested within the limit that `check` enforces
//! compiles, and YAML nested at any depth is refused or parsed.
//!
//! `PROPTEST_CASES=20000 cargo test properties::` runs them
//! long; the README records the last long run.

use proptest::prelude::*;
use schede::markdown;
use schede::pdf::Typesetter;

/// Characters that mean something to Typst, HTML or Markdown, and others.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::sample::select(
            "#$@*_`<>[]{}()\\/=+-.:;'\"~!?&%^|,0123456789 \n".chars().collect::<Vec<_>>()
        ),
        2 => prop::char::range('a', 'z'),
        1 => prop::sample::select("àèéìòùÀÈ€«»’–—…°§".chars().collect::<Vec<_>>()),
    ]
}

fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), 0..max).prop_map(|chars| chars.into_iter().collect())
}

/// Markdown-ish lines: list markers, headings, fences, HTML and links mixed in.
fn tricky_markdown() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        3 => tricky_text(40),
        1 => tricky_text(20).prop_map(|t| format!("- {t}")),
        1 => tricky_text(20).prop_map(|t| format!("  1. {t}")),
        1 => tricky_text(20).prop_map(|t| format!("## {t}")),
        1 => tricky_text(20).prop_map(|t| format!("[{t}](javascript:{t})")),
        1 => tricky_text(20).prop_map(|t| format!("<script>{t}</script><img src=x onerror={t}>")),
        1 => tricky_text(20).prop_map(|t| format!("```\n{t}\n```")),
        1 => Just(String::new()),
    ];
    prop::collection::vec(line, 0..12).prop_map(|lines| lines.join("\n"))
}

/// Markdown nested deep: block quotes, lists, emphasis, strong,
/// strikethrough and links inside each other, up to 16 levels.
fn deep_markdown() -> impl Strategy<Value = String> {
    let leaf = tricky_text(12).prop_map(|t| t.replace('\n', " "));
    leaf.prop_recursive(16, 64, 2, |inner| {
        prop_oneof![
            inner
                .clone()
                .prop_map(|t| format!("> {}", t.replace('\n', "\n> "))),
            inner
                .clone()
                .prop_map(|t| format!("- {}", t.replace('\n', "\n  "))),
            inner.clone().prop_map(|t| format!("*{t}*")),
            inner.clone().prop_map(|t| format!("**{t}**")),
            inner.clone().prop_map(|t| format!("~~{t}~~")),
            inner
                .clone()
                .prop_map(|t| format!("[{t}](https://example.org)")),
            prop::collection::vec(inner, 1..3).prop_map(|v| v.join("\n\n")),
        ]
    })
}

/// YAML fields nested deep, in flow (`[`, `{`) and block (`- `, `a:`) style.
fn deep_yaml() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x".to_string()),
        Just("'[['".to_string()),
        Just("1".to_string())
    ];
    leaf.prop_recursive(40, 200, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| format!("[{t}]")),
            inner.clone().prop_map(|t| format!("{{a: {t}}}")),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| format!("[{}]", v.join(", "))),
            inner.prop_map(|t| format!("\n- {}", t.replace('\n', "\n  "))),
        ]
    })
    .prop_map(|value| format!("titolo: {value}\n"))
}

fn letters(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A document that shows `body` with no list markers, so that its text is
/// exactly the text of the content.
fn document(body: &str) -> String {
    format!(
        "#set text(font: \"Titillium Web\")\n#set list(marker: [])\n#set enum(numbering: n => [])\n{body}\n"
    )
}

/// The description `md` as Typst compiles and shows exactly its text.
fn compiles_to_its_text(md: &str) -> Result<(), TestCaseError> {
    let typesetter = Typesetter::new().unwrap();
    let typst = markdown::to_typst(md);
    let shown = typesetter
        .text("/description.typ", document(&typst))
        .map_err(|d| TestCaseError::fail(format!("{d:?}\n{typst}")))?;
    prop_assert_eq!(
        letters(&shown),
        letters(&markdown::plain_text(md)),
        "{}",
        typst
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn escaped_text_compiles_to_itself(text in tricky_text(80)) {
        let typesetter = Typesetter::new().unwrap();
        let shown = typesetter
            .text("/field.typ", document(&markdown::escape_typst(&text)))
            .map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        prop_assert_eq!(letters(&shown), letters(&text));
    }

    #[test]
    fn markdown_to_typst_compiles_to_its_text(md in tricky_markdown()) {
        compiles_to_its_text(&md)?;
    }

    #[test]
    fn deep_markdown_that_check_accepts_compiles(md in deep_markdown()) {
        prop_assume!(markdown::too_deep(&md).is_none());
        compiles_to_its_text(&md)?;
    }

    #[test]
    fn deep_yaml_is_refused_before_parsing_or_parses(yaml in deep_yaml()) {
        let start = std::time::Instant::now();
        if schede::model::yaml_too_deep(&yaml).is_none() {
            // Any outcome but a hang or a panic: an error is fine.
            let _ = serde_yaml::from_str::<serde_yaml::Value>(&yaml);
        }
        prop_assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn markdown_to_html_has_only_our_tags(md in tricky_markdown()) {
        let html = markdown::to_html(&md);
        for tag in tags(&html) {
            let (name, attributes) = tag;
            prop_assert!(ALLOWED_TAGS.contains(&name.as_str()), "tag <{}> in {}", name, html);
            for (attribute, value) in attributes {
                prop_assert!(
                    ["href", "title", "start", "id", "class", "scope", "role", "aria-label", "tabindex"]
                        .contains(&attribute.as_str()),
                    "attribute {} in {}", attribute, html
                );
                if attribute == "href" {
                    prop_assert!(
                        value.starts_with("http://") || value.starts_with("https://") || value.starts_with("mailto:"),
                        "href {} in {}", value, html
                    );
                }
            }
        }
    }
}

const ALLOWED_TAGS: &[&str] = &[
    "p",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "del",
    "a",
    "code",
    "pre",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "div",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "section",
];

/// The tags of an HTML fragment whose text is escaped: every `<` opens a tag.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let inside = rest[start + 1..end]
            .trim_start_matches('/')
            .trim_end_matches('/');
        let (name, mut attrs) = inside.split_once(' ').unwrap_or((inside, ""));
        let mut attributes = Vec::new();
        while let Some(eq) = attrs.find("=\"") {
            let attribute = attrs[..eq].trim().to_string();
            let value_end = attrs[eq + 2..]
                .find('"')
                .map_or(attrs.len(), |v| eq + 2 + v);
            attributes.push((attribute, attrs[eq + 2..value_end].to_string()));
            attrs = &attrs[(value_end + 1).min(attrs.len())..];
        }
        tags.push((name.to_string(), attributes));
        rest = &rest[(end + 1).min(rest.len())..];
    }
    tags
}
