//! The fonts embedded in the binary, and how wide words print in them.
//!
//! The tables' column widths are decided from these widths before Typst
//! runs, so that Typst does not measure every word of every cell at every
//! size it tries. A word is shaped with Titillium Web (kerning and
//! ligatures, as Typst does); a character Titillium lacks takes its advance
//! from the first embedded font that has it, in the order Typst falls back,
//! or a full em. Widths are in ems of the type size: the templates multiply
//! them by the size they pick.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use rustybuzz::{Face, UnicodeBuffer};

/// Titillium Web, the text's font.
const TITILLIUM: [&[u8]; 5] = [
    include_bytes!("../fonts/TitilliumWeb-Regular.ttf"),
    include_bytes!("../fonts/TitilliumWeb-Italic.ttf"),
    include_bytes!("../fonts/TitilliumWeb-SemiBold.ttf"),
    include_bytes!("../fonts/TitilliumWeb-Bold.ttf"),
    include_bytes!("../fonts/TitilliumWeb-BoldItalic.ttf"),
];

/// The fallback fonts (`fonts/README.md`).
const FALLBACK: [&[u8]; 24] = [
    include_bytes!("../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../fonts/NotoSansSymbols-Regular.ttf"),
    include_bytes!("../fonts/NotoSansSymbols2-Regular.ttf"),
    include_bytes!("../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansArmenian-Regular.ttf"),
    include_bytes!("../fonts/NotoSansBengali-Regular.ttf"),
    include_bytes!("../fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../fonts/NotoSansEthiopic-Regular.ttf"),
    include_bytes!("../fonts/NotoSansGeorgian-Regular.ttf"),
    include_bytes!("../fonts/NotoSansGujarati-Regular.ttf"),
    include_bytes!("../fonts/NotoSansGurmukhi-Regular.ttf"),
    include_bytes!("../fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../fonts/NotoSansKannada-Regular.ttf"),
    include_bytes!("../fonts/NotoSansKhmer-Regular.ttf"),
    include_bytes!("../fonts/NotoSansLao-Regular.ttf"),
    include_bytes!("../fonts/NotoSansMalayalam-Regular.ttf"),
    include_bytes!("../fonts/NotoSansMyanmar-Regular.ttf"),
    include_bytes!("../fonts/NotoSansOriya-Regular.ttf"),
    include_bytes!("../fonts/NotoSansSinhala-Regular.ttf"),
    include_bytes!("../fonts/NotoSansTamil-Regular.ttf"),
    include_bytes!("../fonts/NotoSansTelugu-Regular.ttf"),
    include_bytes!("../fonts/NotoSansThai-Regular.ttf"),
    include_bytes!("../fonts/NotoSansCJKsc-Subset.otf"),
];

/// Symbola is last so that the Noto fonts, made to go with each other, come first.
const EMOJI: &[u8] = include_bytes!("../fonts/Symbola-Emoji.ttf");

/// Every font embedded in the binary, Titillium Web first, then the sans
/// serif fallbacks before Typst's own fonts (serif and monospace), which
/// win the fallback only for what the others lack.
pub fn all() -> impl Iterator<Item = &'static [u8]> {
    TITILLIUM
        .into_iter()
        .chain(FALLBACK)
        .chain(typst_assets::fonts())
        .chain([EMOJI])
}

/// The faces a word is measured with: the text's own, then every fallback.
struct Faces {
    regular: Face<'static>,
    bold: Face<'static>,
    /// Every embedded font, in Typst's fallback order, for the characters
    /// the text's font lacks.
    fallback: Vec<Face<'static>>,
}

static FACES: LazyLock<Option<Faces>> = LazyLock::new(|| {
    let mut faces: Vec<Face<'static>> = all()
        .map(|data| Face::from_slice(data, 0))
        .collect::<Option<_>>()?;
    // Titillium's Regular and Bold (`TITILLIUM`); the others fall back.
    let bold = faces.remove(3);
    let regular = faces.remove(0);
    Some(Faces {
        regular,
        bold,
        fallback: faces,
    })
});

thread_local! {
    /// The widths already measured on this thread: the same values ("100%",
    /// "RISULTATO") come back in sheet after sheet, and a build that finds
    /// its outputs up to date still renders every sheet's source.
    static MEASURED: RefCell<HashMap<(String, bool), f64>> = RefCell::new(HashMap::new());
}

/// The width of `text` on one line in ems, regular or bold.
pub fn text_em(text: &str, bold: bool) -> f64 {
    let key = (text.to_string(), bold);
    if let Some(width) = MEASURED.with(|m| m.borrow().get(&key).copied()) {
        return width;
    }
    let width = shaped_em(text, bold);
    MEASURED.with(|m| m.borrow_mut().insert(key, width));
    width
}

fn shaped_em(text: &str, bold: bool) -> f64 {
    let Some(faces) = FACES.as_ref() else {
        // Broken embedded fonts are reported when the typesetter starts;
        // a full em a character is wider than any of them.
        return text.chars().count() as f64;
    };
    let face = if bold { &faces.bold } else { &faces.regular };
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    let shaped = rustybuzz::shape(face, &[], buffer);
    let per_em = f64::from(face.units_per_em());
    let mut width = 0.0;
    for (info, position) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        if info.glyph_id != 0 {
            width += f64::from(position.x_advance) / per_em;
            continue;
        }
        // A missing glyph: the character at this cluster, from a fallback.
        let c = text[info.cluster as usize..].chars().next().unwrap_or(' ');
        width += faces
            .fallback
            .iter()
            .find_map(|face| {
                let glyph = face.glyph_index(c)?;
                let advance = face.glyph_hor_advance(glyph)?;
                Some(f64::from(advance) / f64::from(face.units_per_em()))
            })
            .unwrap_or(1.0);
    }
    width
}

/// The width in ems of the widest word of `text` (words are separated by
/// white space), rounded up to a thousandth.
pub fn widest_word(text: &str, bold: bool) -> f64 {
    let widest = text
        .split_whitespace()
        .map(|word| text_em(word, bold))
        .fold(0.0, f64::max);
    (widest * 1000.0).ceil() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_words_measure_wider() {
        assert_eq!(widest_word("", false), 0.0);
        let short = widest_word("1.50", false);
        let long = widest_word("1250000 1300000", false);
        assert!(short > 1.0 && short < 2.5, "{short}");
        assert!(long > short * 2.0, "{long}");
        assert!(widest_word("Settembre", true) > widest_word("Settembre", false));
    }

    #[test]
    fn characters_of_other_fonts_count() {
        // Titillium lacks CJK: each character is about an em wide.
        let cjk = widest_word("東京都庁", false);
        assert!((3.5..=4.5).contains(&cjk), "{cjk}");
    }
}
