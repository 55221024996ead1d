//! Assembles a volume PDF from PDFs that are already compiled, copying their pages instead of
//! typesetting them again.
//!
//! The parts are Typst PDFs that are PDF/A-2a + PDF/UA-1 (tagged, fonts embedded, one output
//! intent, XMP metadata). [`assemble`] loads one part at a time, renumbers its objects into the
//! volume's object space, writes them out and drops the part, so that memory grows with the
//! volume's tables (pages, parent tree, ID tree, dedup hashes), not with the parts. What is
//! merged:
//!
//! - pages, copied with their content streams as they are (no re-encoding), all under one page
//!   tree node;
//! - the structure trees: every part's top-level elements become kids of one `Document`
//!   element (a part's own `Document` element becomes a `Part`), headings `H1`..`H6` move down
//!   by [`Part::heading_shift`] (capped at `H6`), `StructParent(s)` numbers and the parent tree
//!   are renumbered, the keys of the ID tree and the elements' `/ID` get the prefix `p<n>-`
//!   (Typst names them per document, so they collide), link annotations and their `OBJR`
//!   references are kept, role maps and class maps are merged (a conflict is an error);
//! - one XMP packet, one output intent (the first part's), `/Lang`, `MarkInfo`,
//!   `DisplayDocTitle`, a document information dictionary consistent with the XMP packet;
//! - bookmarks made from [`Bookmark`]s (the parts' own outlines are dropped);
//! - optional page numbers in the footer ([`Footer`]), drawn as pagination artifacts with a font
//!   taken from a small Typst PDF that contains the characters needed.
//!
//! Identical objects that refer to nothing that is per page (font programs, font dictionaries,
//! ICC profiles, widths arrays...) are written once: each such object is hashed (SHA-256 of its
//! serialised bytes, after renumbering) and a second copy reuses the first one's number. The
//! output is deterministic: object numbers follow the parts' order and their object graphs, no
//! hash map order is ever iterated, and the file identifier comes from [`VolumeMeta::ident`].
//! Objects that are not streams are packed into compressed object streams, with a
//! cross-reference stream (PDF 1.5+, allowed by PDF/A-2).
//!
//! Speed: a part is first *prepared* ([`prepare`]): parsed, its structure renamed, its
//! objects serialised in the order they are copied, with holes for what depends on its place
//! in the volume (object numbers, `/StructParent` numbers, the prefix of its names, the page
//! numbers of the footer). Copying it is filling the holes, hashing its shareable objects and
//! writing them. A second thread prepares the next parts while the calling thread copies the
//! current one. A part prepared once is kept as bytes ([`prepare_part`], [`PartFile::Prepared`]),
//! so that the next volume copies it without reading its PDF again. Typst's files (one classic
//! cross-reference table, no object streams) are parsed by a small parser of this module, 3
//! times faster than lopdf's reader and giving the same objects; any other file goes to lopdf's
//! reader. Measured on the 500-sheet synthetic plan (1,272 pages, 2 cores, release build), one
//! sheet changed: its year files (the whole plan's and its Direzione's volumes, their covers
//! and contents, the pages) take 0.23-0.27 s with the other sheets' parts prepared, 0.74-1.0 s
//! when every part was read from its PDF.
//!
//! How a volume is made with it:
//!
//! 1. the page count of each sheet PDF ([`page_count`]) places every sheet in the volume;
//! 2. Typst compiles what is new, as separate PDF/A-2a + PDF/UA-1 parts: the cover and the
//!    table of contents (its entries link to the sheets with `#link("volume-page:N")`, see
//!    [`PAGE_LINK`]), the opening page(s) of each Direzione;
//! 3. Typst compiles the footer's font PDF (see [`Footer::font_pdf`]);
//! 4. [`assemble_files`] (or [`assemble`]) copies the parts in reading order, with
//!    `heading_shift` so that no heading level is skipped (for example the sheets' `H1` become
//!    `H3` under a Direzione's `H1` and a Servizio's `H2`), [`Bookmark`]s Direzione > Servizio
//!    > sheet and [`Footer::volume_style`];
//! 5. tests check the result with `verify::verify` (compiled for the tests only) and the PDF
//!    checkers.
//!
//! The rooms: [`read`] parses the parts, [`prepare`] makes a part ready to copy (and keeps it
//! as bytes), [`write`] is the object writer of the volume (object numbers, shared objects,
//! object streams, the cross-reference stream) over [`serialize`]'s low-level serialisation
//! (objects to bytes with holes), [`part`] copies a prepared part's pages and objects in, [`structure`] merges
//! the structure trees, [`outline`] writes the bookmarks, [`footer`] the page numbers, [`xmp`]
//! the metadata; `verify` checks a volume for the tests.
//!
//! Limits: the parts must be tagged (a part without a structure tree is an error); a part's
//! role map or class map may not contradict another's; the footer is placed for unrotated
//! pages; the parts' font subsets are kept per part (identical subsets are shared, different
//! subsets of the same font are not merged: about a third of the volume's size on the
//! synthetic plan); named destinations and IDs are renamed `p<n>-...` (links from outside the
//! volume to a sheet's named destination do not survive).

mod footer;
mod outline;
mod part;
mod prepare;
mod read;
mod serialize;
mod structure;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod verify;
mod write;
mod xmp;

use anyhow::{Context, Result, anyhow, bail};
use lopdf::Document;
use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;

use prepare::{Prepared, prepare};
use read::load;
use write::Volume;

/// One compiled PDF to copy into the volume, in order.
pub struct Part<'a> {
    /// A Typst PDF/A-2a + PDF/UA-1 file.
    pub pdf: &'a [u8],
    /// Added to the level of every `H1`..`H6` heading of its structure tree (capped at `H6`).
    pub heading_shift: u8,
}

/// One entry of the volume's outline (bookmarks), in document order.
pub struct Bookmark {
    /// The text shown.
    pub title: String,
    /// 1 for a top-level entry; an entry of level `n + 1` nests under the last entry of level
    /// `n` before it.
    pub level: usize,
    /// The 0-based index of the page in the volume where the entry points.
    pub page: usize,
}

/// The volume's own metadata.
pub struct VolumeMeta {
    /// The document title (XMP `dc:title`, `/Title`, shown by viewers).
    pub title: String,
    /// The author (XMP `dc:creator`, `/Author`).
    pub author: String,
    /// The document language, as `it-IT`.
    pub lang: String,
    /// Creation and modification date, in seconds since the Unix epoch (UTC).
    pub timestamp: i64,
    /// A stable seed of the file identifier (`/ID`) and of the XMP document id: the same
    /// volume keeps the same identifier from one build to the next.
    pub ident: String,
}

/// Page numbers in the footer, and an optional text at their left.
pub struct Footer<'a> {
    /// The 0-based index of the first page that gets a number; the number shown is the page's
    /// position in the volume counted from 1.
    pub first_page: usize,
    /// Printed at the left of the footer (for example the plan's title); may be empty.
    pub text_left: String,
    /// A small Typst PDF whose first page uses the footer's font (regular weight) for the digits
    /// `0`-`9` and every character of `text_left`, with ligatures off, for example made from
    /// `#set text(font: "Titillium Web", ligatures: false)` and `0123456789 <text_left>`.
    /// The font (its subset) is copied from it once; its `ToUnicode` map gives the glyphs.
    pub font_pdf: &'a [u8],
    /// Font size in points (Typst's volume uses 8.5).
    pub size: f32,
    /// Grey level of the text, 0 (black) to 1 (white).
    pub gray: f32,
    /// Distance of the text's baseline from the bottom edge of the page, in points.
    pub baseline: f32,
    /// Left and right margin of the text, in points.
    pub margin_x: f32,
}

impl<'a> Footer<'a> {
    /// The footer of `templates/volume.typ`: 8.5 pt, `luma(75)`, 1.8 cm from the sides, the
    /// baseline where Typst puts it with a 2 cm bottom margin (measured on its volumes).
    pub fn volume_style(first_page: usize, text_left: String, font_pdf: &'a [u8]) -> Self {
        Footer {
            first_page,
            text_left,
            font_pdf,
            size: 8.5,
            gray: 75.0 / 255.0,
            baseline: 33.8,
            margin_x: 51.0236,
        }
    }
}

/// The number of pages of a PDF, read from its page tree without loading its objects.
pub fn page_count(pdf: &[u8]) -> Result<usize> {
    let meta = Document::load_metadata_mem(pdf).map_err(|e| anyhow!("cannot read pdf: {e}"))?;
    Ok(meta.page_count as usize)
}

/// Writes the volume made of `parts`, in order, to `out`, and returns its number of pages.
///
/// `bookmarks` point at pages of the volume (0-based); `footer` adds page numbers. The output
/// claims PDF/A-2a and PDF/UA-1, as the parts do; it is only as compliant as the parts are.
/// Errors name the part (`part 3: ...`, counted from 1).
pub fn assemble(
    parts: &[Part],
    bookmarks: &[Bookmark],
    footer: Option<&Footer>,
    meta: &VolumeMeta,
    out: &mut impl Write,
) -> Result<usize> {
    let get = |i: usize| {
        Ok(Source::Pdf(
            Cow::Borrowed(parts[i].pdf),
            parts[i].heading_shift,
        ))
    };
    assemble_parts(parts.len(), get, bookmarks, footer, meta, out)
}

/// A part read from its file only when its turn comes, so that the parts of a large volume
/// are never all in memory at once.
pub enum PartFile {
    /// A PDF, as [`Part`].
    Pdf { path: PathBuf, heading_shift: u8 },
    /// A part prepared by [`prepare_part`] from the PDF `pdf` with `heading_shift`: copied
    /// without reading `pdf` again, unless `path` cannot be read or is not a prepared part
    /// (a damaged file of the cache): then `pdf` is prepared anew.
    Prepared {
        path: PathBuf,
        pdf: PathBuf,
        heading_shift: u8,
    },
}

/// Prepares a PDF to be a part of volumes later, as [`PartFile::Prepared`]: everything that
/// does not depend on where it goes is done (the PDF parsed, its structure renamed, its objects
/// serialised and hashed), so that copying it is about a fifth of the work. It gets
/// `heading_shift` and the footer on all its pages: it cannot be a volume's first part.
pub fn prepare_part(pdf: &[u8], heading_shift: u8) -> Result<Vec<u8>> {
    let doc = load(pdf)?;
    Ok(prepare(doc, heading_shift, Some(0), false)?.encode())
}

/// As [`assemble`], reading each part from its file when it is needed.
pub fn assemble_files(
    parts: &[PartFile],
    bookmarks: &[Bookmark],
    footer: Option<&Footer>,
    meta: &VolumeMeta,
    out: &mut impl Write,
) -> Result<usize> {
    let read = |path: &PathBuf| {
        std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let get = |i: usize| match &parts[i] {
        PartFile::Pdf {
            path,
            heading_shift,
        } => Ok(Source::Pdf(Cow::Owned(read(path)?), *heading_shift)),
        PartFile::Prepared {
            path,
            pdf,
            heading_shift,
        } => match std::fs::read(path).map(|bytes| Prepared::decode(&bytes)) {
            Ok(Ok(prepared)) => Ok(Source::Prepared(Box::new(prepared))),
            _ => Ok(Source::Pdf(Cow::Owned(read(pdf)?), *heading_shift)),
        },
    };
    assemble_parts(parts.len(), get, bookmarks, footer, meta, out)
}

/// A part as it comes to be copied.
enum Source<'p> {
    /// A PDF and its heading shift.
    Pdf(Cow<'p, [u8]>, u8),
    /// A part prepared before.
    Prepared(Box<Prepared>),
}

fn assemble_parts<'p>(
    count: usize,
    get: impl Fn(usize) -> Result<Source<'p>> + Sync,
    bookmarks: &[Bookmark],
    footer: Option<&Footer>,
    meta: &VolumeMeta,
    out: &mut impl Write,
) -> Result<usize> {
    if count == 0 {
        bail!("a volume needs at least one part");
    }
    let mut vol = Volume::new(out)?;
    let font = match footer {
        Some(f) => Some(vol.footer_font(f).context("footer font")?),
        None => None,
    };
    // Reading and preparing a part is most of the work: a second thread prepares the next
    // parts while this one copies the current one. The channel is bounded, so at most a few
    // prepared parts wait in memory, and they arrive in order.
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel(2);
        let get = &get;
        scope.spawn(move || {
            // The volume's page where the part starts, for the pages that get the footer.
            let mut first_page = 0;
            for index in 0..count {
                let prepared = get(index).and_then(|source| match source {
                    Source::Pdf(bytes, shift) => {
                        let from = footer.map(|f| f.first_page.saturating_sub(first_page));
                        prepare(load(&bytes)?, shift, from, index == 0)
                    }
                    Source::Prepared(prepared) => Ok(*prepared),
                });
                first_page += prepared.as_ref().map_or(0, |p| p.pages.len());
                if send.send(prepared).is_err() {
                    break;
                }
            }
        });
        for index in 0..count {
            let prepared = receive
                .recv()
                .map_err(|_| anyhow!("the parser thread stopped"))
                .and_then(|prepared| prepared)
                .with_context(|| format!("part {}", index + 1))?;
            vol.add_part(index, &prepared, footer.zip(font.as_ref()))
                .with_context(|| format!("part {}", index + 1))?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    vol.finish(bookmarks, meta)
}

/// A link whose URI is this prefix and a page number (`volume-page:12`, counted from 1) goes
/// to the top of that page of the volume: a table of contents typeset apart from the sheets
/// links to their pages with `#link("volume-page:12")[...]` in Typst. The link becomes a
/// go-to to the named destination `volume-page:12`, defined by the volume. Typst gives a link
/// its URI as its description (`/Contents`, read by screen readers): what follows the number
/// and a space becomes the description instead, as in
/// `#link("volume-page:12 «Servizi sociali» pag. 12")[...]` (the description of today's
/// table of contents' entries).
pub const PAGE_LINK: &str = "volume-page:";
