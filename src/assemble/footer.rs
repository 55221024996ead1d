//! The footer's page numbers: the font taken from a small Typst PDF, its glyph codes and
//! widths read from its `ToUnicode` map and `/W` array, and the content stream drawn on a page.

use anyhow::{Result, anyhow, bail};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;
use std::io::Write;

use super::Footer;
use super::prepare::inherited_attributes;
use super::prepare::plain_graph;
use super::read::{deref, load};
use super::serialize::Fill;
use super::write::{SENT_FONT, Volume};

/// The footer's font once in the volume: its object number, and per character the glyph code
/// (2 bytes, `Identity-H`) and the advance width in thousandths of the font size.
pub(super) struct FooterFont {
    pub(super) id: u32,
    glyphs: Glyphs,
}

/// Per character, its glyph code and advance width (thousandths of the font size); a space
/// with no glyph has the code `u16::MAX`.
type Glyphs = HashMap<char, (u16, f32)>;

impl<'w, W: Write> Volume<'w, W> {
    /// Copies the footer's font from `footer.font_pdf` and reads its glyphs.
    pub(super) fn footer_font(&mut self, footer: &Footer) -> Result<FooterFont> {
        let doc = load(footer.font_pdf)?;
        let page = doc
            .page_iter()
            .next()
            .ok_or_else(|| anyhow!("the font pdf has no page"))?;
        let fonts = doc.get_page_fonts(page).map_err(|e| anyhow!("{e}"))?;
        let mut needed: Vec<char> = ('0'..='9').collect();
        needed.extend(footer.text_left.chars().filter(|c| !c.is_whitespace()));
        needed.push(' ');
        // The font with the fewest missing characters: (missing, font, glyphs).
        let mut best: Option<(usize, ObjectId, Glyphs)> = None;
        let resources = page_font_refs(&doc, page)?;
        for (name, id) in resources {
            let Some(dict) = fonts.get(&name) else {
                continue;
            };
            let glyphs = font_glyphs(&doc, dict)?;
            let missing = needed.iter().filter(|c| !glyphs.contains_key(c)).count();
            if best.as_ref().is_none_or(|b| missing < b.0) {
                best = Some((missing, id, glyphs));
            }
        }
        let (_, font_id, mut glyphs) =
            best.ok_or_else(|| anyhow!("the font pdf has no Type0 font on its first page"))?;
        // A space is only an advance: it needs no glyph.
        glyphs.entry(' ').or_insert((u16::MAX, 250.0));
        let missing: String = needed.iter().filter(|c| !glyphs.contains_key(c)).collect();
        if !missing.is_empty() {
            bail!("the font pdf has no glyph for {missing:?}");
        }
        let (graph, local) = plain_graph(&doc, &[font_id]);
        let numbers = self.copy_graph(&graph, Fill::PLAIN, None)?;
        let id = (local.get(font_id.0 as usize))
            .and_then(|&index| numbers.get(index as usize).copied())
            .ok_or_else(|| anyhow!("font not copied"))?;
        Ok(FooterFont { id, glyphs })
    }
}

/// A page's resources (its own, else `inherited`) with the footer's font added.
pub(super) fn footer_resources(
    doc: &Document,
    page: ObjectId,
    inherited: Option<Object>,
) -> Result<Dictionary> {
    let dict = doc.get_dictionary(page).map_err(|e| anyhow!("{e}"))?;
    let res = match dict.get(b"Resources") {
        Ok(r) => Some(r.clone()),
        Err(_) => inherited,
    };
    let mut res = match res.as_ref().map(|r| deref(doc, r)) {
        Some(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let mut fonts = match res.get(b"Font").map(|f| deref(doc, f)) {
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    fonts.set("VolFooter", Object::Reference(SENT_FONT));
    res.set("Font", fonts);
    Ok(res)
}

/// The names and references of the fonts in a page's resources.
fn page_font_refs(doc: &Document, page: ObjectId) -> Result<Vec<(Vec<u8>, ObjectId)>> {
    let dict = doc.get_dictionary(page).map_err(|e| anyhow!("{e}"))?;
    let mut res = dict.get(b"Resources").ok().map(|r| deref(doc, r));
    if res.is_none() {
        res = inherited_attributes(doc, page)
            .into_iter()
            .find(|(k, _)| k == b"Resources")
            .and_then(|(_, v)| v.as_reference().ok())
            .and_then(|id| doc.objects.get(&id));
    }
    let Some(Object::Dictionary(res)) = res else {
        return Ok(Vec::new());
    };
    let Ok(fonts) = res.get(b"Font") else {
        return Ok(Vec::new());
    };
    let Object::Dictionary(fonts) = deref(doc, fonts) else {
        return Ok(Vec::new());
    };
    Ok(fonts
        .iter()
        .filter_map(|(k, v)| v.as_reference().ok().map(|id| (k.clone(), id)))
        .collect())
}

/// The glyph code and width of each character a `Type0`/`Identity-H` font maps in its
/// `ToUnicode` CMap.
fn font_glyphs(doc: &Document, font: &Dictionary) -> Result<Glyphs> {
    let mut glyphs = HashMap::new();
    if font.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0") {
        return Ok(glyphs);
    }
    let Ok(Object::Reference(tu)) = font.get(b"ToUnicode") else {
        return Ok(glyphs);
    };
    let Ok(Object::Stream(stream)) = doc.get_object(*tu) else {
        return Ok(glyphs);
    };
    let cmap = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let cmap = String::from_utf8_lossy(&cmap);
    let (default_width, widths) = glyph_widths(doc, font);
    let width = |code: u16| widths.get(&code).copied().unwrap_or(default_width);
    let mut add = |code: u16, text: &str| {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            glyphs.entry(c).or_insert((code, width(code)));
        }
    };
    for section in split_sections(&cmap, "beginbfchar", "endbfchar") {
        let hexes = hex_tokens(section);
        for pair in hexes.chunks(2) {
            if let [code, text] = pair {
                add(code_of(code), &utf16_text(text));
            }
        }
    }
    for section in split_sections(&cmap, "beginbfrange", "endbfrange") {
        let hexes = hex_tokens(section);
        for triple in hexes.chunks(3) {
            if let [lo, hi, start] = triple {
                let (lo, hi) = (code_of(lo), code_of(hi));
                let start: Vec<u16> = utf16_units(start);
                if start.len() == 1 {
                    for (n, code) in (lo..=hi).enumerate() {
                        let unit = [start[0] + n as u16];
                        add(code, &String::from_utf16_lossy(&unit));
                    }
                }
            }
        }
    }
    Ok(glyphs)
}

/// The default width and the widths by glyph code of a `Type0` font's
/// descendant font (`/DW` and `/W`).
fn glyph_widths(doc: &Document, font: &Dictionary) -> (f32, HashMap<u16, f32>) {
    let descendant = font
        .get(b"DescendantFonts")
        .map(|d| deref(doc, d))
        .ok()
        .and_then(|d| d.as_array().ok())
        .and_then(|a| a.first())
        .map(|d| deref(doc, d))
        .and_then(|d| d.as_dict().ok());
    let mut default_width = 1000.0;
    let mut widths: HashMap<u16, f32> = HashMap::new();
    let Some(cid) = descendant else {
        return (default_width, widths);
    };
    if let Ok(dw) = cid.get(b"DW") {
        default_width = number(deref(doc, dw)).unwrap_or(1000.0);
    }
    let Some(w) = cid
        .get(b"W")
        .ok()
        .and_then(|w| deref(doc, w).as_array().ok())
    else {
        return (default_width, widths);
    };
    let mut i = 0;
    while i < w.len() {
        let first = number(deref(doc, &w[i])).unwrap_or(0.0) as u16;
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (j, v) in list.iter().enumerate() {
                    widths.insert(first + j as u16, number(deref(doc, v)).unwrap_or(0.0));
                }
                i += 2;
            }
            Some(last) => {
                let last = number(last).unwrap_or(0.0) as u16;
                let width = w
                    .get(i + 2)
                    .and_then(|o| number(deref(doc, o)))
                    .unwrap_or(0.0);
                for c in first..=last {
                    widths.insert(c, width);
                }
                i += 3;
            }
            None => break,
        }
    }
    (default_width, widths)
}

fn number(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(n) => Some(*n as f32),
        Object::Real(x) => Some(*x),
        _ => None,
    }
}

fn split_sections<'a>(text: &'a str, begin: &str, end: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(begin) {
        let after = &rest[start + begin.len()..];
        let stop = after.find(end).unwrap_or(after.len());
        out.push(&after[..stop]);
        rest = &after[stop..];
    }
    out
}

fn hex_tokens(text: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let hex: Vec<u8> = rest[start + 1..start + len]
            .bytes()
            .filter(u8::is_ascii_hexdigit)
            .collect();
        let bytes = hex
            .chunks(2)
            .map(|pair| {
                let s = std::str::from_utf8(pair).unwrap_or("0");
                u8::from_str_radix(s, 16).unwrap_or(0) << if pair.len() == 1 { 4 } else { 0 }
            })
            .collect();
        out.push(bytes);
        rest = &rest[start + len + 1..];
    }
    out
}

fn code_of(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0u16, |acc, b| (acc << 8) | *b as u16)
}

fn utf16_units(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(code_of).collect()
}

fn utf16_text(bytes: &[u8]) -> String {
    String::from_utf16_lossy(&utf16_units(bytes))
}

/// The content stream of a page's footer: `text_left` at the left, the page number at the right,
/// as one pagination artifact. Glyphs are placed by their advance widths (no kerning).
pub(super) fn footer_content(
    footer: &Footer,
    font: &FooterFont,
    media: [f32; 4],
    number: usize,
) -> Vec<u8> {
    let page_width = media[2] - media[0];
    let show = |text: &str| -> (String, f32) {
        let mut hex = String::new();
        let mut width = 0.0;
        let mut pending_space = 0.0;
        let mut parts = String::new();
        for c in text.chars() {
            let Some(&(code, w)) = font.glyphs.get(&c) else {
                continue;
            };
            if code == u16::MAX {
                pending_space += w;
                width += w;
                continue;
            }
            if pending_space > 0.0 {
                parts.push_str(&format!("<{hex}> {} ", fmt(-pending_space)));
                hex.clear();
                pending_space = 0.0;
            }
            hex.push_str(&format!("{code:04X}"));
            width += w;
        }
        parts.push_str(&format!("<{hex}>"));
        (format!("[{parts}] TJ"), width * footer.size / 1000.0)
    };
    let mut out = String::new();
    out.push_str("Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n");
    if media[0] != 0.0 || media[1] != 0.0 {
        // Page coordinates start at the media box's lower left corner.
        out.push_str(&format!(
            "q 1 0 0 1 {} {} cm\n",
            fmt(media[0]),
            fmt(media[1])
        ));
    }
    out.push_str(&format!("{} g\n", fmt(footer.gray)));
    let left = footer.text_left.trim();
    if !left.is_empty() {
        let (tj, _) = show(left);
        out.push_str(&format!(
            "BT\n/VolFooter {} Tf\n1 0 0 1 {} {} Tm\n{tj}\nET\n",
            fmt(footer.size),
            fmt(footer.margin_x),
            fmt(footer.baseline)
        ));
    }
    let (tj, width) = show(&number.to_string());
    out.push_str(&format!(
        "BT\n/VolFooter {} Tf\n1 0 0 1 {} {} Tm\n{tj}\nET\n",
        fmt(footer.size),
        fmt(page_width - footer.margin_x - width),
        fmt(footer.baseline)
    ));
    if media[0] != 0.0 || media[1] != 0.0 {
        out.push_str("Q\n");
    }
    out.push_str("EMC\n");
    out.into_bytes()
}

fn fmt(x: f32) -> String {
    let s = format!("{:.3}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}
