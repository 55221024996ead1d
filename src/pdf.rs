//! Typst: one engine and one font set for the whole run, compiling generated
//! sheet sources to PDF/A-2a + PDF/UA-1.
//!
//! The fonts are embedded in the binary (Titillium Web, plus Typst's own fonts
//! and those of `fonts/` as fallback for the glyphs it lacks, see
//! [`crate::glyphs`]); system fonts are never read. Typst
//! sees only the generated sources handed to it: it cannot read any file.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use typst::WorldExt;
use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst_as_lib::TypstEngine;
use typst_as_lib::file_resolver::FileResolver;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::Diagnostic;
use crate::i18n::Text;
use crate::t;

/// A fingerprint of the embedded fonts, for the build cache: each font's
/// length and first 64 KiB, computed once per run. Hashing the whole fonts
/// (9 MB) took a tenth of a no-op build, and adds nothing: the fonts are in
/// the binary, whose identity starts every key ([`crate::manifest::Key`]).
pub fn fonts_fingerprint() -> &'static str {
    use sha2::{Digest, Sha256};
    static FINGERPRINT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    FINGERPRINT.get_or_init(|| {
        let mut hasher = Sha256::new();
        for font in crate::fonts::all() {
            hasher.update((font.len() as u64).to_le_bytes());
            hasher.update(&font[..font.len().min(64 * 1024)]);
        }
        crate::manifest::hex(&hasher.finalize())
    })
}

/// The generated sources Typst may read, by file id; nothing else exists for it.
#[derive(Clone, Default)]
struct Sources(Arc<RwLock<HashMap<FileId, Source>>>);

impl FileResolver for Sources {
    fn resolve_binary(&self, _: FileId) -> FileResult<Cow<'_, Bytes>> {
        Err(FileError::AccessDenied)
    }

    fn resolve_source(&self, id: FileId) -> FileResult<Cow<'_, Source>> {
        let sources = self.0.read().map_err(|_| FileError::AccessDenied)?;
        match sources.get(&id) {
            Some(source) => Ok(Cow::Owned(source.clone())),
            None => Err(FileError::AccessDenied),
        }
    }
}

/// What a PDF needs besides its source.
pub struct PdfMeta {
    /// A stable identifier of the document, e.g. `2019/2019_Z101`.
    pub ident: String,
    /// Seconds since 1970 (UTC) for the PDF's dates.
    pub timestamp: i64,
}

/// A compiled document.
pub struct Compiled {
    pub pdf: Vec<u8>,
    pub pages: usize,
}

/// The Typst engine with the embedded fonts.
pub struct Typesetter {
    engine: TypstEngine,
    sources: Sources,
}

impl Typesetter {
    /// The engine with every embedded font; a font that does not load is an
    /// error (a broken build of the tool), never a silent fallback.
    pub fn new() -> Result<Self, Diagnostic> {
        let sources = Sources::default();
        let mut fonts = Vec::new();
        for (index, data) in crate::fonts::all().enumerate() {
            let font = typst::text::Font::new(Bytes::new(data), 0).ok_or_else(|| {
                Diagnostic::error("schede", t!("font-broken", index = index + 1))
                    .hint(t!("font-broken-hint"))
            })?;
            fonts.push(font);
        }
        let engine = TypstEngine::builder()
            .fonts(fonts)
            .add_file_resolver(sources.clone())
            .comemo_evict_max_age(None)
            .build();
        Ok(Typesetter { engine, sources })
    }

    /// Compiles `source`, known to Typst as `name` (a path like
    /// `/2019/2019_Z101.typ`), into a PDF. On failure, the diagnostics point
    /// into the source and name `shown_as` as its file.
    pub fn compile(
        &self,
        name: &str,
        source: String,
        meta: &PdfMeta,
        shown_as: &Path,
    ) -> Result<Compiled, Vec<Diagnostic>> {
        self.with_document(name, source, shown_as, |document, errors| {
            let standards =
                PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1]).map_err(|err| {
                    vec![Diagnostic::error(
                        shown_as,
                        Text::raw(err.message().to_string()),
                    )]
                })?;
            let options = PdfOptions {
                ident: Smart::Custom(meta.ident.clone()),
                creator: Smart::Custom(Some(format!("schede {}", env!("CARGO_PKG_VERSION")))),
                timestamp: Some(Timestamp::new_utc(datetime(meta.timestamp))),
                standards,
                ..PdfOptions::default()
            };
            let pdf = typst_pdf::pdf(document, &options).map_err(|e| errors(&e))?;
            Ok(Compiled {
                pdf,
                pages: document.pages().len(),
            })
        })
    }

    /// The text of the laid-out document, in reading order of its frames:
    /// what a reader sees, for tests.
    pub fn text(&self, name: &str, source: String) -> Result<String, Vec<Diagnostic>> {
        self.with_document(name, source, Path::new(name), |document, _| {
            let mut text = String::new();
            for page in document.pages() {
                frame_text(&page.frame, &mut text);
            }
            Ok(text)
        })
    }

    /// The texts of the laid-out document that leave their box: the text
    /// area between side margins of `margin`, or a table cell (see
    /// [`crate::overflow`]).
    pub fn overflows(
        &self,
        name: &str,
        source: String,
        margin: typst::layout::Abs,
    ) -> Result<Vec<crate::overflow::Overflow>, Vec<Diagnostic>> {
        self.with_document(name, source, Path::new(name), |document, _| {
            let pages: Vec<_> = document
                .pages()
                .iter()
                .map(|page| (&page.frame, page.frame.width()))
                .collect();
            Ok(crate::overflow::find(&pages, margin))
        })
    }

    /// Lays out `source` and hands the document to `then`, with a function
    /// that turns Typst errors into diagnostics.
    fn with_document<T>(
        &self,
        name: &str,
        source: String,
        shown_as: &Path,
        then: impl FnOnce(
            &PagedDocument,
            &dyn Fn(&[SourceDiagnostic]) -> Vec<Diagnostic>,
        ) -> Result<T, Vec<Diagnostic>>,
    ) -> Result<T, Vec<Diagnostic>> {
        let vpath = VirtualPath::new(name).map_err(|_| {
            vec![Diagnostic::error(
                shown_as,
                t!("typst-source-name", name = name),
            )]
        })?;
        let id = RootedPath::new(VirtualRoot::Project, vpath).intern();
        let source = Source::new(id, source);
        if let Ok(mut sources) = self.sources.0.write() {
            sources.insert(id, source.clone());
        }
        let result = (|| {
            let world = self
                .engine
                .world_builder(id)
                .build()
                .map_err(|err| vec![Diagnostic::error(shown_as, Text::raw(err.to_string()))])?;
            let errors = |errors: &[SourceDiagnostic]| -> Vec<Diagnostic> {
                errors
                    .iter()
                    .filter(|e| e.severity == TypstSeverity::Error)
                    .map(|e| {
                        let (line, column) = world
                            .range(e.span)
                            .and_then(|range| source.lines().byte_to_line_column(range.start))
                            .map_or((0, 0), |(l, c)| (l + 1, c + 1));
                        let mut d = Diagnostic::error(
                            PathBuf::from(shown_as),
                            Text::raw(format!("typst: {}", e.message)),
                        )
                        .at(line, column);
                        if let Some(hint) = e.hints.first() {
                            d = d.hint(Text::raw(hint.v.to_string()));
                        }
                        d
                    })
                    .collect()
            };
            let document: PagedDocument = typst::compile(&world).output.map_err(|e| errors(&e))?;
            then(&document, &errors)
        })();
        if let Ok(mut sources) = self.sources.0.write() {
            sources.remove(&id);
        }
        result
    }

    /// Frees Typst's caches of documents compiled long ago.
    pub fn evict(&self, max_age: usize) {
        typst::comemo::evict(max_age);
    }
}

fn frame_text(frame: &typst::layout::Frame, text: &mut String) {
    for (_, item) in frame.items() {
        match item {
            typst::layout::FrameItem::Group(group) => frame_text(&group.frame, text),
            typst::layout::FrameItem::Text(run) => {
                text.push_str(&run.text);
                text.push(' ');
            }
            _ => {}
        }
    }
}

/// A UTC date-time from seconds since 1970 (checked by
/// [`seconds_since_1970`]).
fn datetime(seconds: i64) -> Datetime {
    let at = utc(seconds);
    Datetime::from_ymd_hms(
        i32::from(at.year()),
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
    )
    .unwrap_or_else(|| Datetime::from_ymd(1970, 1, 1).expect("a valid date"))
}

/// The UTC date and time of seconds since 1970; 1970 itself out of range.
pub fn utc(seconds: i64) -> jiff::civil::DateTime {
    jiff::Timestamp::from_second(seconds)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .datetime()
}

/// Seconds since 1970 of `text` (as `SOURCE_DATE_EPOCH` gives them), if
/// they name a moment of the years 1 to 9999.
pub fn seconds_since_1970(text: &str) -> Option<i64> {
    let seconds: i64 = text.trim().parse().ok()?;
    let at = jiff::Timestamp::from_second(seconds).ok()?;
    (at.to_zoned(jiff::tz::TimeZone::UTC).year() >= 1).then_some(seconds)
}

/// Seconds since 1970 of a date at midnight UTC.
pub fn midnight_utc(date: crate::model::Date) -> i64 {
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map_or(0, |at| at.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_seconds_agree() {
        let date = jiff::civil::date(2019, 1, 31);
        assert_eq!(midnight_utc(date), 1_548_892_800);
        assert_eq!(utc(1_548_892_800).date(), date);
        assert_eq!(seconds_since_1970(" 1548892800\n"), Some(1_548_892_800));
        assert_eq!(seconds_since_1970("99999999999999"), None);
        assert_eq!(seconds_since_1970("yesterday"), None);
    }
}
