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
//! Speed: a second thread reads and parses the next parts while the calling thread copies the
//! current one. Typst's files (one classic cross-reference table, no object streams) are parsed
//! by a small parser of this module, 3 times faster than lopdf's reader and giving the same
//! objects; any other file goes to lopdf's reader. Measured on the 500-sheet synthetic plan
//! (1,310 pages, 2 cores, release build): 0.5 s and 18 MB peak RSS with [`assemble_files`],
//! a volume 0.68 times the size of the one Typst typesets; 5,000 sheets: 7 s, 114 MB.
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
//! 5. tests check the result with [`verify`] and the PDF checkers.
//!
//! Limits: the parts must be tagged (a part without a structure tree is an error); a part's
//! role map or class map may not contradict another's; the footer is placed for unrotated
//! pages; the parts' font subsets are kept per part (identical subsets are shared, different
//! subsets of the same font are not merged: about a third of the volume's size on the
//! synthetic plan); named destinations and IDs are renamed `p<n>-...` (links from outside the
//! volume to a sheet's named destination do not survive).

use anyhow::{Context, Result, anyhow, bail};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

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
    let get = |i: usize| Ok((Cow::Borrowed(parts[i].pdf), parts[i].heading_shift));
    assemble_parts(parts.len(), get, bookmarks, footer, meta, out)
}

/// A part read from its file only when its turn comes, so that the parts of a large volume
/// are never all in memory at once.
pub struct PartFile {
    pub path: PathBuf,
    /// As [`Part::heading_shift`].
    pub heading_shift: u8,
}

/// As [`assemble`], reading each part from its file when it is needed.
pub fn assemble_files(
    parts: &[PartFile],
    bookmarks: &[Bookmark],
    footer: Option<&Footer>,
    meta: &VolumeMeta,
    out: &mut impl Write,
) -> Result<usize> {
    let get = |i: usize| {
        let part = &parts[i];
        let bytes = std::fs::read(&part.path)
            .with_context(|| format!("cannot read {}", part.path.display()))?;
        Ok((Cow::Owned(bytes), part.heading_shift))
    };
    assemble_parts(parts.len(), get, bookmarks, footer, meta, out)
}

fn assemble_parts<'p>(
    count: usize,
    get: impl Fn(usize) -> Result<(Cow<'p, [u8]>, u8)> + Sync,
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
    // Parsing a part is about half of the work: a second thread reads and parses the next
    // parts while this one copies the current one. The channel is bounded, so at most a few
    // parsed parts wait in memory, and they arrive in order.
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel(2);
        let get = &get;
        scope.spawn(move || {
            for index in 0..count {
                let parsed = get(index).and_then(|(bytes, shift)| Ok((load(&bytes)?, shift)));
                if send.send(parsed).is_err() {
                    break;
                }
            }
        });
        for index in 0..count {
            let (doc, shift) = receive
                .recv()
                .map_err(|_| anyhow!("the parser thread stopped"))
                .and_then(|parsed| parsed)
                .with_context(|| format!("part {}", index + 1))?;
            vol.add_part(index, doc, shift, footer.zip(font.as_ref()))
                .with_context(|| format!("part {}", index + 1))?;
        }
        Ok::<_, anyhow::Error>(())
    })?;
    vol.finish(bookmarks, meta)
}

/// Sentinel object ids standing, inside a part, for objects of the volume.
const SENT_PAGES: ObjectId = (u32::MAX, u16::MAX);
const SENT_DOCUMENT: ObjectId = (u32::MAX - 1, u16::MAX);
const SENT_FONT: ObjectId = (u32::MAX - 2, u16::MAX);

/// A link whose URI is this prefix and a page number (`volume-page:12`, counted from 1) goes
/// to the top of that page of the volume: a table of contents typeset apart from the sheets
/// links to their pages with `#link("volume-page:12")[...]` in Typst. The link becomes a
/// go-to to the named destination `volume-page:12`, defined by the volume. Typst gives a link
/// its URI as its description (`/Contents`, read by screen readers): what follows the number
/// and a space becomes the description instead, as in
/// `#link("volume-page:12 «Servizi sociali» pag. 12")[...]` (the description of today's
/// table of contents' entries).
pub const PAGE_LINK: &str = "volume-page:";

/// Fixed object numbers of the volume.
const ID_CATALOG: u32 = 1;
const ID_PAGES: u32 = 2;
const ID_STRUCT_ROOT: u32 = 3;
const ID_DOCUMENT: u32 = 4;
const FIRST_FREE: u32 = 5;

/// Compression of object streams and the cross-reference stream: level 1 is ~4x faster than
/// the default 6 here and the volume only a little larger (measured on 500 sheets).
const DEFLATE_LEVEL: u32 = 1;

/// Objects per object stream.
const OBJSTM_SIZE: usize = 200;
/// Entries per leaf of the parent tree and the ID tree.
const TREE_LEAF: usize = 256;

/// The new number of each object of a part, by old number (an object number has one live
/// generation in a file), and of the sentinels standing for the volume's own objects.
struct Renumber {
    dense: Vec<u32>,
    fixed: Vec<(ObjectId, u32)>,
    identity: bool,
}

impl Renumber {
    /// Keeps every number: for objects made by the volume itself.
    fn identity() -> Self {
        Renumber {
            dense: Vec::new(),
            fixed: Vec::new(),
            identity: true,
        }
    }

    fn get(&self, id: &ObjectId) -> Option<u32> {
        if self.identity {
            return Some(id.0);
        }
        if let Some((_, n)) = self.fixed.iter().find(|(k, _)| k == id) {
            return Some(*n);
        }
        self.dense
            .get(id.0 as usize)
            .copied()
            .filter(|&n| n != u32::MAX)
    }
}

/// Where an object of the volume is: at a byte offset, or inside an object stream.
#[derive(Clone, Copy)]
enum Slot {
    Free,
    Offset(u64),
    InStream(u32, u32),
}

/// The footer's font once in the volume: its object number, and per character the glyph code
/// (2 bytes, `Identity-H`) and the advance width in thousandths of the font size.
struct FooterFont {
    id: u32,
    glyphs: Glyphs,
}

/// Per character, its glyph code and advance width (thousandths of the font size); a space
/// with no glyph has the code `u16::MAX`.
type Glyphs = HashMap<char, (u16, f32)>;

struct Volume<'w, W: Write> {
    out: &'w mut W,
    pos: u64,
    slots: Vec<Slot>,
    /// Small objects waiting to go into the next object stream: (number, serialised bytes).
    pending: Vec<(u32, Vec<u8>)>,
    pending_bytes: usize,
    /// Objects written once, by the hash of their bytes.
    dedup: HashMap<[u8; 32], u32>,
    pages: Vec<u32>,
    /// The volume pages (1-based) that links go to (see [`PAGE_LINK`]), with the part that
    /// links there.
    page_links: BTreeMap<usize, usize>,
    /// Per page: its media box top, for the bookmarks' destinations.
    page_tops: Vec<f32>,
    /// The parent tree's entries, their values serialised (compact: 5,000 sheets have ~10^6
    /// references there).
    parent_tree: Vec<(i64, Box<[u8]>)>,
    next_struct_parent: i64,
    id_tree: Vec<(Vec<u8>, u32)>,
    dests: Vec<(Vec<u8>, Object)>,
    top_elements: Vec<u32>,
    role_map: Dictionary,
    class_map: Dictionary,
    output_intent: Option<u32>,
}

impl<'w, W: Write> Volume<'w, W> {
    fn new(out: &'w mut W) -> Result<Self> {
        let mut vol = Volume {
            out,
            pos: 0,
            slots: vec![Slot::Free; FIRST_FREE as usize],
            pending: Vec::new(),
            pending_bytes: 0,
            dedup: HashMap::new(),
            pages: Vec::new(),
            page_links: BTreeMap::new(),
            page_tops: Vec::new(),
            parent_tree: Vec::new(),
            next_struct_parent: 0,
            id_tree: Vec::new(),
            dests: Vec::new(),
            top_elements: Vec::new(),
            role_map: Dictionary::new(),
            class_map: Dictionary::new(),
            output_intent: None,
        };
        vol.emit(b"%PDF-1.7\n%\x80\x81\x82\x83\n")?;
        Ok(vol)
    }

    fn emit(&mut self, bytes: &[u8]) -> Result<()> {
        self.out
            .write_all(bytes)
            .context("cannot write the volume")?;
        self.pos += bytes.len() as u64;
        Ok(())
    }

    fn alloc(&mut self) -> u32 {
        self.slots.push(Slot::Free);
        (self.slots.len() - 1) as u32
    }

    /// Writes object `id` whose serialised body is `body`: streams go straight to the file,
    /// other objects into the pending object stream.
    fn put(&mut self, id: u32, body: Vec<u8>, is_stream: bool) -> Result<()> {
        if is_stream {
            self.slots[id as usize] = Slot::Offset(self.pos);
            self.emit(format!("{id} 0 obj\n").as_bytes())?;
            self.emit(&body)?;
            self.emit(b"\nendobj\n")?;
        } else {
            self.pending_bytes += body.len();
            self.pending.push((id, body));
            if self.pending.len() >= OBJSTM_SIZE {
                self.flush_objects()?;
            }
        }
        Ok(())
    }

    /// Writes the pending objects as one compressed object stream.
    fn flush_objects(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let stream_id = self.alloc();
        let mut header = Vec::new();
        let mut offset = 0;
        for (id, body) in &pending {
            header.extend_from_slice(format!("{id} {offset} ").as_bytes());
            offset += body.len() + 1;
        }
        let mut data = Vec::with_capacity(header.len() + self.pending_bytes + pending.len());
        data.extend_from_slice(&header);
        for (index, (id, body)) in pending.iter().enumerate() {
            data.extend_from_slice(body);
            data.push(b'\n');
            self.slots[*id as usize] = Slot::InStream(stream_id, index as u32);
        }
        self.pending_bytes = 0;
        let packed = deflate(&data)?;
        let dict = format!(
            "<</Type/ObjStm/N {}/First {}/Filter/FlateDecode/Length {}>>\nstream\n",
            pending.len(),
            header.len(),
            packed.len()
        );
        let mut body = dict.into_bytes();
        body.extend_from_slice(&packed);
        body.extend_from_slice(b"\nendstream");
        self.put(stream_id, body, true)
    }

    /// Copies the footer's font from `footer.font_pdf` and reads its glyphs.
    fn footer_font(&mut self, footer: &Footer) -> Result<FooterFont> {
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
        let mut doc = doc;
        let map = self.copy_graph(&mut doc, &[font_id], &[])?;
        let id = map
            .get(&font_id)
            .ok_or_else(|| anyhow!("font not copied"))?;
        Ok(FooterFont { id, glyphs })
    }

    /// Adds a sheet's PDF as the part `index` of the volume: its pages, its
    /// structure tree renumbered and renamed apart from the other parts', its
    /// trees' entries and named destinations, and the footer on its pages.
    fn add_part(
        &mut self,
        index: usize,
        mut doc: Document,
        heading_shift: u8,
        footer: Option<(&Footer, &FooterFont)>,
    ) -> Result<()> {
        let catalog = doc.catalog().map_err(|e| anyhow!("{e}"))?.clone();
        let pages: Vec<ObjectId> = doc.page_iter().collect();
        if pages.is_empty() {
            bail!("the pdf has no page");
        }
        if self.output_intent.is_none() {
            self.copy_output_intent(&mut doc, &catalog)?;
        }
        let tree = PartTree::read(&doc, &catalog)?;
        self.merge_maps(&doc, &tree.root)?;
        let sp_offset = self.next_struct_parent;
        self.next_struct_parent += tree.struct_parents_span();
        let prefix = format!("p{}-", index + 1).into_bytes();
        let part_lang = catalog
            .get(b"Lang")
            .ok()
            .and_then(|l| l.as_str().ok())
            .map(<[u8]>::to_vec);
        self.rewrite_structure(&mut doc, &tree.tops, heading_shift, &prefix, part_lang)?;
        for obj in doc.objects.values_mut() {
            let dict = match obj {
                Object::Dictionary(d) => d,
                Object::Stream(s) => &mut s.dict,
                _ => continue,
            };
            if let Some(page) = relink(dict, sp_offset, &prefix)? {
                self.page_links.entry(page).or_insert(index);
            }
        }
        let first_page = self.pages.len();
        let mut tops_y = Vec::new();
        for (i, &page) in pages.iter().enumerate() {
            let footer = footer.filter(|(f, _)| first_page + i >= f.first_page);
            tops_y.push(prepare_page(&mut doc, page, footer, first_page + i)?);
        }
        self.copy_part(&mut doc, &pages, tree, footer, sp_offset, &prefix)?;
        self.page_tops.extend(tops_y);
        Ok(())
    }

    /// The first part's output intent, copied once for the volume.
    fn copy_output_intent(&mut self, doc: &mut Document, catalog: &Dictionary) -> Result<()> {
        let intents = catalog
            .get(b"OutputIntents")
            .ok()
            .and_then(|o| deref(doc, o).as_array().ok().cloned())
            .unwrap_or_default();
        let first = intents
            .first()
            .ok_or_else(|| anyhow!("the pdf has no output intent"))?;
        let id = match first {
            Object::Reference(id) => *id,
            other => doc.add_object(other.clone()),
        };
        let map = self.copy_graph(doc, &[id], &[])?;
        self.output_intent = map.get(&id);
        Ok(())
    }

    /// Adds the role map and class map of a part's structure tree root to
    /// the volume's: entries must be direct and agree with earlier parts'.
    fn merge_maps(&mut self, doc: &Document, root: &Dictionary) -> Result<()> {
        for (key, map, what) in [
            (&b"RoleMap"[..], &mut self.role_map, "role map"),
            (&b"ClassMap"[..], &mut self.class_map, "class map"),
        ] {
            let Ok(obj) = root.get(key) else {
                continue;
            };
            let dict = deref(doc, obj)
                .as_dict()
                .map_err(|_| anyhow!("the {what} is not a dictionary"))?;
            for (k, v) in dict.iter() {
                let v = deref(doc, v);
                if !all_direct(v) {
                    bail!(
                        "the {what} entry /{} refers to other objects",
                        String::from_utf8_lossy(k)
                    );
                }
                match map.get(k) {
                    Ok(old) if old != v => bail!(
                        "the {what} entry /{} differs from an earlier part's",
                        String::from_utf8_lossy(k)
                    ),
                    Ok(_) => {}
                    Err(_) => map.set(k.clone(), v.clone()),
                }
            }
        }
        Ok(())
    }

    /// Copies everything reachable from the part's pages, structure
    /// elements and trees, and records them in the volume, renumbered.
    fn copy_part(
        &mut self,
        doc: &mut Document,
        pages: &[ObjectId],
        tree: PartTree,
        footer: Option<(&Footer, &FooterFont)>,
        sp_offset: i64,
        prefix: &[u8],
    ) -> Result<()> {
        let mut roots = pages.to_vec();
        roots.extend(&tree.tops);
        for (_, value) in &tree.parent_entries {
            collect_refs(value, &mut roots);
        }
        roots.extend(tree.id_entries.iter().map(|(_, v)| *v));
        for (_, value) in &tree.dest_entries {
            collect_refs(value, &mut roots);
        }
        let mut fixed = vec![(SENT_PAGES, ID_PAGES), (SENT_DOCUMENT, ID_DOCUMENT)];
        if let Some((_, font)) = footer {
            fixed.push((SENT_FONT, font.id));
        }
        let map = self.copy_graph(doc, &roots, &fixed)?;
        let lookup = |id: &ObjectId| -> Result<u32> {
            map.get(id)
                .ok_or_else(|| anyhow!("object {} {} R is missing", id.0, id.1))
        };
        for page in pages {
            self.pages.push(lookup(page)?);
        }
        for top in &tree.tops {
            self.top_elements.push(lookup(top)?);
        }
        for (key, value) in tree.parent_entries {
            let mut bytes = Vec::new();
            serialize(&value, &map, &mut bytes);
            self.parent_tree
                .push((key + sp_offset, bytes.into_boxed_slice()));
        }
        let renamed = |key: &[u8]| [prefix, key].concat();
        for (key, value) in tree.dest_entries {
            self.dests.push((renamed(&key), remap(&value, &map)));
        }
        for (key, value) in tree.id_entries {
            self.id_tree.push((renamed(&key), lookup(&value)?));
        }
        Ok(())
    }

    /// Renames the part's structure: heading levels, `/ID`s, the top elements' parent.
    fn rewrite_structure(
        &mut self,
        doc: &mut Document,
        tops: &[ObjectId],
        shift: u8,
        prefix: &[u8],
        part_lang: Option<Vec<u8>>,
    ) -> Result<()> {
        let mut stack: Vec<ObjectId> = tops.iter().rev().copied().collect();
        let mut seen = std::collections::HashSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let is_top = tops.contains(&id);
            let Ok(dict) = doc.get_dictionary_mut(id) else {
                continue;
            };
            if dict
                .get(b"Type")
                .and_then(Object::as_name)
                .is_ok_and(|t| t != b"StructElem")
            {
                continue;
            }
            if let Ok(Object::Name(s)) = dict.get_mut(b"S") {
                if s.len() == 2 && s[0] == b'H' && (b'1'..=b'6').contains(&s[1]) {
                    let level = (s[1] - b'0').saturating_add(shift).min(6);
                    s[1] = b'0' + level;
                } else if is_top && s == b"Document" {
                    *s = b"Part".to_vec();
                }
            }
            if let Ok(Object::String(key, _)) = dict.get_mut(b"ID") {
                let mut new_key = prefix.to_vec();
                new_key.extend_from_slice(key);
                *key = new_key;
            }
            if is_top {
                dict.set("P", Object::Reference(SENT_DOCUMENT));
                if let Some(lang) = &part_lang
                    && !dict.has(b"Lang")
                {
                    dict.set("Lang", Object::String(lang.clone(), StringFormat::Literal));
                }
            }
            let mut kids = Vec::new();
            if let Ok(k) = dict.get(b"K") {
                match k {
                    Object::Reference(r) => kids.push(*r),
                    Object::Array(a) => kids.extend(a.iter().filter_map(|o| o.as_reference().ok())),
                    _ => {}
                }
            }
            stack.extend(kids.into_iter().rev());
        }
        Ok(())
    }

    /// Writes every object reachable from `roots` in `doc`, renumbered; `fixed` maps ids that
    /// stand for the volume's own objects. Returns the new number of each object written or
    /// found identical to one already written.
    /// Copies the objects reachable from `roots` (the `fixed` ones mapped to
    /// the given numbers), children first; objects that are not on a cycle
    /// and not pages, structure elements or annotations are shared with
    /// identical ones copied before.
    fn copy_graph(
        &mut self,
        doc: &mut Document,
        roots: &[ObjectId],
        fixed: &[(ObjectId, u32)],
    ) -> Result<Renumber> {
        let objects = &doc.objects;
        let (order, shareable) = children_first(objects, roots);
        let mut map = Renumber {
            dense: vec![u32::MAX; shareable.len()],
            fixed: fixed.to_vec(),
            identity: false,
        };
        for id in &order {
            if !shareable[id.0 as usize] {
                let new = self.alloc();
                map.dense[id.0 as usize] = new;
            }
        }
        for id in order {
            let obj = &objects[&id];
            let mut buf = Vec::new();
            let is_stream = matches!(obj, Object::Stream(_));
            serialize(obj, &map, &mut buf);
            if shareable[id.0 as usize] {
                let hash: [u8; 32] = Sha256::digest(&buf).into();
                if let Some(&existing) = self.dedup.get(&hash) {
                    map.dense[id.0 as usize] = existing;
                    continue;
                }
                let new = self.alloc();
                self.dedup.insert(hash, new);
                map.dense[id.0 as usize] = new;
                self.put(new, buf, is_stream)?;
            } else {
                self.put(map.dense[id.0 as usize], buf, is_stream)?;
            }
        }
        Ok(map)
    }

    /// Writes what the parts do not bring: the page tree, the structure
    /// tree root and its trees, the named destinations, the outline, the
    /// metadata, the catalog and the cross-reference stream.
    fn finish(mut self, bookmarks: &[Bookmark], meta: &VolumeMeta) -> Result<usize> {
        let page_count = self.pages.len();
        self.write_pages()?;
        self.write_structure()?;
        let dests_id = self.write_dests()?;
        let outlines = self.write_outline(bookmarks, page_count)?;
        let metadata_id = self.write_metadata(meta)?;
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference((ID_PAGES, 0)));
        catalog.set("StructTreeRoot", Object::Reference((ID_STRUCT_ROOT, 0)));
        let mut mark = Dictionary::new();
        mark.set("Marked", true);
        catalog.set("MarkInfo", mark);
        catalog.set(
            "Lang",
            Object::String(meta.lang.clone().into_bytes(), StringFormat::Literal),
        );
        let mut prefs = Dictionary::new();
        prefs.set("DisplayDocTitle", true);
        catalog.set("ViewerPreferences", prefs);
        catalog.set("Metadata", Object::Reference((metadata_id, 0)));
        if let Some(intent) = self.output_intent {
            catalog.set("OutputIntents", vec![Object::Reference((intent, 0))]);
        }
        if let Some(id) = dests_id {
            let mut names = Dictionary::new();
            names.set("Dests", Object::Reference((id, 0)));
            catalog.set("Names", names);
        }
        if let Some(id) = outlines {
            catalog.set("Outlines", Object::Reference((id, 0)));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        self.put_dict(ID_CATALOG, &catalog)?;
        let info_id = self.write_info(meta)?;
        self.flush_objects()?;
        self.write_xref(info_id, meta)?;
        Ok(page_count)
    }

    fn write_pages(&mut self) -> Result<()> {
        let kids: Vec<Object> = self
            .pages
            .iter()
            .map(|&p| Object::Reference((p, 0)))
            .collect();
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Kids", kids);
        pages.set("Count", self.pages.len() as i64);
        self.put_dict(ID_PAGES, &pages)
    }

    /// The structure tree: the `Document` element over the parts' top
    /// elements, the root with the parent tree, ID tree, role and class maps.
    fn write_structure(&mut self) -> Result<()> {
        let mut document = Dictionary::new();
        document.set("Type", Object::Name(b"StructElem".to_vec()));
        document.set("S", Object::Name(b"Document".to_vec()));
        document.set("P", Object::Reference((ID_STRUCT_ROOT, 0)));
        let kids: Vec<Object> = self
            .top_elements
            .iter()
            .map(|&id| Object::Reference((id, 0)))
            .collect();
        document.set("K", kids);
        self.put_dict(ID_DOCUMENT, &document)?;
        let mut parent_tree = std::mem::take(&mut self.parent_tree);
        parent_tree.sort_by_key(|(k, _)| *k);
        let parent_entries: Vec<(Object, Box<[u8]>)> = parent_tree
            .into_iter()
            .map(|(k, v)| (Object::Integer(k), v))
            .collect();
        let parent_tree_id = self.write_tree(parent_entries, "Nums")?;
        let id_tree_id = self.write_id_tree()?;
        let mut root = Dictionary::new();
        root.set("Type", Object::Name(b"StructTreeRoot".to_vec()));
        root.set("K", vec![Object::Reference((ID_DOCUMENT, 0))]);
        root.set("ParentTree", Object::Reference((parent_tree_id, 0)));
        root.set("ParentTreeNextKey", self.next_struct_parent);
        if let Some(id) = id_tree_id {
            root.set("IDTree", Object::Reference((id, 0)));
        }
        if !self.role_map.is_empty() {
            root.set("RoleMap", std::mem::take(&mut self.role_map));
        }
        if !self.class_map.is_empty() {
            root.set("ClassMap", std::mem::take(&mut self.class_map));
        }
        self.put_dict(ID_STRUCT_ROOT, &root)
    }

    /// The ID tree of the structure elements, if any has an ID; an ID must
    /// be unique in the volume.
    fn write_id_tree(&mut self) -> Result<Option<u32>> {
        let mut id_tree = std::mem::take(&mut self.id_tree);
        id_tree.sort_by(|a, b| a.0.cmp(&b.0));
        for pair in id_tree.windows(2) {
            if pair[0].0 == pair[1].0 {
                bail!(
                    "the ID {:?} is repeated",
                    String::from_utf8_lossy(&pair[0].0)
                );
            }
        }
        let id_entries: Vec<(Object, Box<[u8]>)> = id_tree
            .into_iter()
            .map(|(k, v)| {
                (
                    Object::String(k, StringFormat::Literal),
                    format!("{v} 0 R").into_bytes().into(),
                )
            })
            .collect();
        if id_entries.is_empty() {
            Ok(None)
        } else {
            Ok(Some(self.write_tree(id_entries, "Names")?))
        }
    }

    /// The named destinations: the parts', and those of the links to pages.
    fn write_dests(&mut self) -> Result<Option<u32>> {
        let page_count = self.pages.len();
        let mut dests = std::mem::take(&mut self.dests);
        let mut errors = Vec::new();
        for (&page, &part) in &self.page_links {
            match self.pages.get(page - 1) {
                Some(&id) => dests.push((
                    format!("{PAGE_LINK}{page}").into_bytes(),
                    Object::Array(vec![
                        Object::Reference((id, 0)),
                        Object::Name(b"XYZ".to_vec()),
                        Object::Integer(0),
                        Object::Real(self.page_tops[page - 1]),
                        Object::Integer(0),
                    ]),
                )),
                None => errors.push(format!(
                    "part {}: a link goes to page {page}, the volume has {page_count} pages",
                    part + 1
                )),
            }
        }
        if !errors.is_empty() {
            bail!("{}", errors.join("; "));
        }
        dests.sort_by(|a, b| a.0.cmp(&b.0));
        dests.dedup_by(|a, b| a.0 == b.0);
        if dests.is_empty() {
            return Ok(None);
        }
        let entries = dests
            .into_iter()
            .map(|(k, v)| {
                let mut bytes = Vec::new();
                serialize(&v, &Renumber::identity(), &mut bytes);
                (
                    Object::String(k, StringFormat::Literal),
                    bytes.into_boxed_slice(),
                )
            })
            .collect();
        Ok(Some(self.write_tree(entries, "Names")?))
    }

    /// The XMP metadata stream.
    fn write_metadata(&mut self, meta: &VolumeMeta) -> Result<u32> {
        let xmp = xmp_packet(meta);
        let metadata_id = self.alloc();
        let mut body = format!(
            "<</Type/Metadata/Subtype/XML/Length {}>>\nstream\n",
            xmp.len()
        )
        .into_bytes();
        body.extend_from_slice(xmp.as_bytes());
        body.extend_from_slice(b"\nendstream");
        self.put(metadata_id, body, true)?;
        Ok(metadata_id)
    }

    /// The document information dictionary.
    fn write_info(&mut self, meta: &VolumeMeta) -> Result<u32> {
        let mut info = Dictionary::new();
        info.set("Title", text_string(&meta.title));
        info.set("Author", text_string(&meta.author));
        let (date, _) = dates(meta.timestamp);
        info.set(
            "CreationDate",
            Object::String(date.clone().into_bytes(), StringFormat::Literal),
        );
        info.set(
            "ModDate",
            Object::String(date.into_bytes(), StringFormat::Literal),
        );
        let info_id = self.alloc();
        self.put_dict(info_id, &info)?;
        Ok(info_id)
    }

    /// The cross-reference stream and the file's end.
    fn write_xref(&mut self, info_id: u32, meta: &VolumeMeta) -> Result<()> {
        let xref_id = self.alloc();
        self.slots[xref_id as usize] = Slot::Offset(self.pos);
        let mut rows = Vec::with_capacity(self.slots.len() * 7);
        for slot in &self.slots {
            let (kind, a, b): (u8, u64, u16) = match *slot {
                Slot::Free => (0, 0, 65535),
                Slot::Offset(o) => (1, o, 0),
                Slot::InStream(s, i) => (2, s as u64, i as u16),
            };
            rows.push(kind);
            rows.extend_from_slice(&a.to_be_bytes()[3..]);
            rows.extend_from_slice(&b.to_be_bytes());
        }
        let packed = deflate(&rows)?;
        let digest = Sha256::digest(meta.ident.as_bytes());
        let id_hex: String = digest[..16].iter().map(|b| format!("{b:02X}")).collect();
        let start = self.pos;
        let dict = format!(
            "{xref_id} 0 obj\n<</Type/XRef/Size {}/W[1 5 2]/Root {ID_CATALOG} 0 R/Info {info_id} 0 R/ID[<{id_hex}><{id_hex}>]/Filter/FlateDecode/Length {}>>\nstream\n",
            self.slots.len(),
            packed.len()
        );
        self.emit(dict.as_bytes())?;
        self.emit(&packed)?;
        self.emit(format!("\nendstream\nendobj\nstartxref\n{start}\n%%EOF\n").as_bytes())?;
        self.out.flush().context("cannot write the volume")
    }

    fn put_dict(&mut self, id: u32, dict: &Dictionary) -> Result<()> {
        let mut buf = Vec::new();
        serialize(
            &Object::Dictionary(dict.clone()),
            &Renumber::identity(),
            &mut buf,
        );
        self.put(id, buf, false)
    }

    /// Writes a number tree (`Nums`) or name tree (`Names`) of sorted entries, in leaves of
    /// `TREE_LEAF` entries under one root; returns the root's number.
    fn write_tree(&mut self, entries: Vec<(Object, Box<[u8]>)>, kind: &str) -> Result<u32> {
        let identity = Renumber::identity();
        let leaf = |chunk: &[(Object, Box<[u8]>)], limits: bool| -> Vec<u8> {
            let mut out = format!("<</{kind}[").into_bytes();
            for (i, (key, value)) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(key, &identity, &mut out);
                out.push(b' ');
                out.extend_from_slice(value);
            }
            out.push(b']');
            if limits {
                out.extend_from_slice(b"/Limits[");
                serialize(&chunk[0].0, &identity, &mut out);
                out.push(b' ');
                serialize(&chunk[chunk.len() - 1].0, &identity, &mut out);
                out.push(b']');
            }
            out.extend_from_slice(b">>");
            out
        };
        let root_id = self.alloc();
        if entries.len() <= TREE_LEAF {
            self.put(root_id, leaf(&entries, false), false)?;
        } else {
            let mut root = b"<</Kids[".to_vec();
            for chunk in entries.chunks(TREE_LEAF) {
                let id = self.alloc();
                self.put(id, leaf(chunk, true), false)?;
                root.extend_from_slice(format!("{id} 0 R ").as_bytes());
            }
            root.extend_from_slice(b"]>>");
            self.put(root_id, root, false)?;
        }
        Ok(root_id)
    }

    /// Writes the outline; returns its root's number, if there are bookmarks.
    fn write_outline(&mut self, bookmarks: &[Bookmark], page_count: usize) -> Result<Option<u32>> {
        if bookmarks.is_empty() {
            return Ok(None);
        }
        check_bookmarks(bookmarks, page_count)?;
        let ids: Vec<u32> = bookmarks.iter().map(|_| self.alloc()).collect();
        let root_id = self.alloc();
        let (parent, children, top_level) = outline_tree(bookmarks);
        let link = |dict: &mut Dictionary, siblings: &[usize], i: usize| {
            let pos = siblings.iter().position(|&s| s == i).expect("sibling");
            if pos > 0 {
                dict.set("Prev", Object::Reference((ids[siblings[pos - 1]], 0)));
            }
            if pos + 1 < siblings.len() {
                dict.set("Next", Object::Reference((ids[siblings[pos + 1]], 0)));
            }
        };
        for (i, b) in bookmarks.iter().enumerate() {
            let mut item = Dictionary::new();
            item.set("Title", text_string(&b.title));
            let siblings = match parent[i] {
                Some(p) => &children[p],
                None => &top_level,
            };
            item.set(
                "Parent",
                Object::Reference((parent[i].map(|p| ids[p]).unwrap_or(root_id), 0)),
            );
            link(&mut item, siblings, i);
            if let (Some(first), Some(last)) = (children[i].first(), children[i].last()) {
                item.set("First", Object::Reference((ids[*first], 0)));
                item.set("Last", Object::Reference((ids[*last], 0)));
                // Closed: the negative count of its direct children.
                item.set("Count", -(children[i].len() as i64));
            }
            let dest = vec![
                Object::Reference((self.pages[b.page], 0)),
                Object::Name(b"XYZ".to_vec()),
                Object::Integer(0),
                Object::Real(self.page_tops[b.page]),
                Object::Integer(0),
            ];
            item.set("Dest", dest);
            self.put_dict(ids[i], &item)?;
        }
        let mut root = Dictionary::new();
        root.set("Type", Object::Name(b"Outlines".to_vec()));
        root.set("First", Object::Reference((ids[top_level[0]], 0)));
        root.set(
            "Last",
            Object::Reference((ids[*top_level.last().expect("top")], 0)),
        );
        root.set("Count", top_level.len() as i64);
        self.put_dict(root_id, &root)?;
        Ok(Some(root_id))
    }
}

/// An error naming each bookmark at level 0 or past the volume's pages.
fn check_bookmarks(bookmarks: &[Bookmark], page_count: usize) -> Result<()> {
    let mut errors = Vec::new();
    for (i, b) in bookmarks.iter().enumerate() {
        if b.level == 0 {
            errors.push(format!(
                "bookmark {} ({:?}): level 0, levels start at 1",
                i + 1,
                b.title
            ));
        }
        if b.page >= page_count {
            errors.push(format!(
                "bookmark {} ({:?}): page {} is past the volume's {} pages",
                i + 1,
                b.title,
                b.page + 1,
                page_count
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        bail!("{}", errors.join("; "))
    }
}

/// The outline's shape from the bookmarks' levels: each bookmark's parent
/// (`None`: the outline root), each one's children, the top-level ones.
type OutlineTree = (Vec<Option<usize>>, Vec<Vec<usize>>, Vec<usize>);

fn outline_tree(bookmarks: &[Bookmark]) -> OutlineTree {
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(bookmarks.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, b) in bookmarks.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if bookmarks[top].level >= b.level {
                stack.pop();
            } else {
                break;
            }
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); bookmarks.len()];
    let mut top_level = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => top_level.push(i),
        }
    }
    (parent, children, top_level)
}

/// What a part's structure tree brings: its root, its top elements, and
/// the entries of its parent tree, ID tree and named destinations.
struct PartTree {
    root: Dictionary,
    tops: Vec<ObjectId>,
    parent_entries: Vec<(i64, Object)>,
    id_entries: Vec<(Vec<u8>, ObjectId)>,
    dest_entries: Vec<(Vec<u8>, Object)>,
    /// The root's `/ParentTreeNextKey`.
    next_key: i64,
}

impl PartTree {
    fn read(doc: &Document, catalog: &Dictionary) -> Result<PartTree> {
        let root_id = catalog
            .get(b"StructTreeRoot")
            .and_then(Object::as_reference)
            .map_err(|_| anyhow!("the pdf is not tagged: no /StructTreeRoot"))?;
        let root = doc
            .get_dictionary(root_id)
            .map_err(|e| anyhow!("{e}"))?
            .clone();
        let not_indirect = || anyhow!("a top-level structure element is not an indirect object");
        let tops: Vec<ObjectId> = match root.get(b"K") {
            Ok(Object::Reference(id)) => vec![*id],
            Ok(Object::Array(kids)) => kids
                .iter()
                .map(|k| k.as_reference().map_err(|_| not_indirect()))
                .collect::<Result<_>>()?,
            Ok(_) => return Err(not_indirect()),
            Err(_) => Vec::new(),
        };
        let next_key = root
            .get(b"ParentTreeNextKey")
            .and_then(Object::as_i64)
            .unwrap_or(0);
        Ok(PartTree {
            parent_entries: parent_entries(doc, &root)?,
            id_entries: id_entries(doc, &root)?,
            dest_entries: dest_entries(doc, catalog)?,
            root,
            tops,
            next_key,
        })
    }

    /// How many `/StructParent(s)` numbers the part uses.
    fn struct_parents_span(&self) -> i64 {
        self.parent_entries
            .iter()
            .map(|(k, _)| k + 1)
            .max()
            .unwrap_or(0)
            .max(self.next_key)
    }
}

/// The entries of a structure tree root's `/ParentTree`, arrays inlined.
fn parent_entries(doc: &Document, root: &Dictionary) -> Result<Vec<(i64, Object)>> {
    let mut entries = Vec::new();
    if let Ok(tree) = root.get(b"ParentTree") {
        walk_tree(doc, tree, b"Nums", &mut |key, value| {
            let key = key
                .as_i64()
                .map_err(|_| anyhow!("a parent tree key is not a number"))?;
            let value = match value {
                Object::Reference(id) => match doc.objects.get(id) {
                    Some(Object::Array(a)) => Object::Array(a.clone()),
                    _ => value.clone(),
                },
                _ => value.clone(),
            };
            entries.push((key, value));
            Ok(())
        })?;
    }
    Ok(entries)
}

/// The entries of a structure tree root's `/IDTree`.
fn id_entries(doc: &Document, root: &Dictionary) -> Result<Vec<(Vec<u8>, ObjectId)>> {
    let mut entries = Vec::new();
    if let Ok(tree) = root.get(b"IDTree") {
        walk_tree(doc, tree, b"Names", &mut |key, value| {
            let key = key
                .as_str()
                .map_err(|_| anyhow!("an ID tree key is not a string"))?;
            let value = value
                .as_reference()
                .map_err(|_| anyhow!("an ID tree value is not a reference"))?;
            entries.push((key.to_vec(), value));
            Ok(())
        })?;
    }
    Ok(entries)
}

/// The named destinations of a part (links inside it), from the name tree
/// and the older `/Dests` dictionary; renamed later like the IDs.
fn dest_entries(doc: &Document, catalog: &Dictionary) -> Result<Vec<(Vec<u8>, Object)>> {
    let mut entries: Vec<(Vec<u8>, Object)> = Vec::new();
    if let Ok(names) = catalog.get(b"Names")
        && let Ok(names) = deref(doc, names).as_dict()
        && let Ok(tree) = names.get(b"Dests")
    {
        walk_tree(doc, tree, b"Names", &mut |key, value| {
            let key = key
                .as_str()
                .map_err(|_| anyhow!("a destination name is not a string"))?;
            entries.push((key.to_vec(), deref(doc, value).clone()));
            Ok(())
        })?;
    }
    if let Ok(dests) = catalog.get(b"Dests")
        && let Ok(dests) = deref(doc, dests).as_dict()
    {
        for (key, value) in dests.iter() {
            entries.push((key.clone(), deref(doc, value).clone()));
        }
    }
    Ok(entries)
}

/// In one object of a part: shifts its `/StructParent(s)`, renames the
/// destinations it names, and turns a link to a page of the volume
/// (`PAGE_LINK` and a number) into a `GoTo`; gives that page.
fn relink(dict: &mut Dictionary, sp_offset: i64, prefix: &[u8]) -> Result<Option<usize>> {
    for key in [&b"StructParent"[..], b"StructParents"] {
        if let Ok(Object::Integer(n)) = dict.get_mut(key) {
            *n += sp_offset;
        }
    }
    rename_destination(dict, prefix);
    if let Ok(Object::Dictionary(action)) = dict.get_mut(b"A") {
        rename_destination(action, prefix);
    }
    let page_link = match dict.get(b"A") {
        Ok(Object::Dictionary(action)) => action
            .get(b"URI")
            .and_then(Object::as_str)
            .ok()
            .and_then(|uri| uri.strip_prefix(PAGE_LINK.as_bytes()))
            .map(|rest| String::from_utf8_lossy(rest).into_owned()),
        _ => None,
    };
    let Some(rest) = page_link else {
        return Ok(None);
    };
    let (number, description) = match rest.split_once(' ') {
        Some((number, description)) => (number, Some(description.trim())),
        None => (rest.as_str(), None),
    };
    let page = match number.parse::<usize>() {
        Ok(page) if page > 0 => page,
        _ => bail!("a link goes to {PAGE_LINK}{number}: not a page number from 1"),
    };
    let mut action = Dictionary::new();
    action.set("S", Object::Name(b"GoTo".to_vec()));
    let name = format!("{PAGE_LINK}{page}").into_bytes();
    action.set("D", Object::String(name, StringFormat::Literal));
    dict.set("A", action);
    if let Some(description) = description.filter(|d| !d.is_empty()) {
        dict.set("Contents", text_string(description));
    }
    Ok(Some(page))
}

/// Readies a page of a part for the volume: inherited attributes made its
/// own, its parent the volume's page tree, the footer (numbered `number`
/// from 0) drawn over it when given; gives the top of its media box.
fn prepare_page(
    doc: &mut Document,
    page: ObjectId,
    footer: Option<(&Footer, &FooterFont)>,
    number: usize,
) -> Result<f32> {
    let inherited = inherited_attributes(doc, page);
    let inherited_value = |key: &[u8]| {
        inherited
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let footer = match footer {
        Some((f, font)) => {
            let media = inherited_value(b"MediaBox").or_else(|| {
                doc.get_dictionary(page)
                    .ok()?
                    .get(b"MediaBox")
                    .ok()
                    .cloned()
            });
            let media = media
                .as_ref()
                .and_then(|m| rect(doc, m))
                .unwrap_or([0.0, 0.0, 595.276, 841.89]);
            let content = footer_content(f, font, media, number + 1);
            let stream = doc.add_object(lopdf::Stream::new(Dictionary::new(), content));
            let q = doc.add_object(lopdf::Stream::new(Dictionary::new(), b"q\n".to_vec()));
            let resources = footer_resources(doc, page, inherited_value(b"Resources"))?;
            Some((stream, q, resources))
        }
        None => None,
    };
    let dict = doc.get_dictionary_mut(page).map_err(|e| anyhow!("{e}"))?;
    for (k, v) in inherited {
        if !dict.has(&k) {
            dict.set(k, v);
        }
    }
    dict.set("Parent", Object::Reference(SENT_PAGES));
    if let Some((stream, q, resources)) = footer {
        let mut contents = vec![Object::Reference(q)];
        match dict.get(b"Contents") {
            Ok(Object::Array(a)) => contents.extend(a.iter().cloned()),
            Ok(other) => contents.push(other.clone()),
            Err(_) => {}
        }
        contents.push(Object::Reference(stream));
        dict.set("Contents", contents);
        dict.set("Resources", resources);
    }
    let top = dict.get(b"MediaBox").ok().cloned();
    Ok(top
        .and_then(|m| rect(doc, &m))
        .map(|r| r[3])
        .unwrap_or(841.89))
}

/// A page's resources (its own, else `inherited`) with the footer's font added.
fn footer_resources(
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
/// The objects reachable from `roots`, children before parents (a depth
/// first walk), and by object number whether each may be shared: not on a
/// cycle, not above one, and not a page, structure element or annotation.
fn children_first(
    objects: &BTreeMap<ObjectId, Object>,
    roots: &[ObjectId],
) -> (Vec<ObjectId>, Vec<bool>) {
    const WHITE: u8 = 0;
    const GRAY: u8 = 1;
    const BLACK: u8 = 2;
    struct Frame {
        id: ObjectId,
        kids: Vec<ObjectId>,
        next: usize,
        shareable: bool,
    }
    // Typst numbers objects densely from 1: per-object state is indexed by number.
    let size = objects.keys().next_back().map_or(0, |id| id.0 as usize + 1);
    let mut color = vec![WHITE; size];
    let mut shareable = vec![false; size];
    let mut order: Vec<ObjectId> = Vec::new();
    let frame = |id: ObjectId| Frame {
        id,
        kids: kids_of(objects, id),
        next: 0,
        shareable: may_share(objects, id),
    };
    for &root in roots {
        if !objects.contains_key(&root) || color[root.0 as usize] != WHITE {
            continue;
        }
        color[root.0 as usize] = GRAY;
        let mut stack = vec![frame(root)];
        while let Some(top) = stack.last_mut() {
            if top.next < top.kids.len() {
                let kid = top.kids[top.next];
                top.next += 1;
                match color[kid.0 as usize] {
                    WHITE => {
                        color[kid.0 as usize] = GRAY;
                        stack.push(frame(kid));
                    }
                    GRAY => top.shareable = false,
                    _ => {}
                }
                continue;
            }
            let Some(done) = stack.pop() else { break };
            color[done.id.0 as usize] = BLACK;
            shareable[done.id.0 as usize] = done.shareable;
            order.push(done.id);
            // An object that is not shared may be on a cycle that closes above it:
            // its ancestors on the stack are not shared either (they must have their
            // number before it is written).
            if !done.shareable
                && let Some(parent) = stack.last_mut()
            {
                parent.shareable = false;
            }
        }
    }
    (order, shareable)
}

/// The objects `id` refers to that exist.
fn kids_of(objects: &BTreeMap<ObjectId, Object>, id: ObjectId) -> Vec<ObjectId> {
    let mut kids = Vec::new();
    if let Some(obj) = objects.get(&id) {
        collect_refs(obj, &mut kids);
    }
    kids.retain(|k| objects.contains_key(k));
    kids
}

/// Whether `id` may be shared with an identical object: pages, structure
/// elements and annotations are never shared, even if identical.
fn may_share(objects: &BTreeMap<ObjectId, Object>, id: ObjectId) -> bool {
    match objects.get(&id) {
        Some(Object::Dictionary(d)) => {
            !matches!(
                d.get(b"Type").and_then(Object::as_name),
                Ok(b"Page" | b"StructElem" | b"Annot" | b"Pages")
            ) && !d.has(b"S")
        }
        Some(_) => true,
        None => false,
    }
}

/// Prefixes a named destination in a link annotation (`/Dest`) or a go-to action (`/D`).
fn rename_destination(dict: &mut Dictionary, prefix: &[u8]) {
    let is_goto = dict
        .get(b"S")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"GoTo");
    for key in [&b"Dest"[..], b"D"] {
        if key == b"D" && !is_goto {
            continue;
        }
        if let Ok(Object::String(name, _)) = dict.get_mut(key) {
            let mut new = prefix.to_vec();
            new.extend_from_slice(name);
            *name = new;
        }
    }
}

/// Parses a PDF: with [`quick_parse`] if it can (Typst's files: one classic cross-reference
/// table, no object streams, direct stream lengths), else with lopdf's reader, 5 to 10 times
/// slower (parsing is most of the time of [`assemble`]).
fn load(pdf: &[u8]) -> Result<Document> {
    if let Some(doc) = quick_parse(pdf) {
        return Ok(doc);
    }
    Document::load_mem(pdf).map_err(|e| anyhow!("cannot read pdf: {e}"))
}

/// Parses a PDF whose cross-reference table is one classic table (no update sections), whose
/// objects are all at the offsets it gives, with direct stream lengths; `None` for anything
/// else (then lopdf's reader takes over, and reports errors).
fn quick_parse(pdf: &[u8]) -> Option<Document> {
    let (offsets, trailer) = xref_table(pdf)?;
    if trailer.has(b"Prev") || trailer.has(b"Encrypt") || trailer.has(b"XRefStm") {
        return None;
    }
    let mut doc = Document::new();
    doc.version = "1.7".to_string();
    for (id, offset) in offsets {
        let object = object_at(pdf, id, offset)?;
        doc.max_id = doc.max_id.max(id.0);
        doc.objects.insert(id, object);
    }
    doc.trailer = trailer;
    Some(doc)
}

/// The objects in use of the classic cross-reference table that
/// `startxref` points to, with their offsets, and the trailer after it.
fn xref_table(pdf: &[u8]) -> Option<(Vec<(ObjectId, usize)>, Dictionary)> {
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let mut p = Parser { s: tail, i: at + 9 };
    let xref = p.integer()? as usize;
    let mut p = Parser { s: pdf, i: xref };
    p.keyword(b"xref")?;
    let mut offsets = Vec::new();
    loop {
        p.space();
        if p.s.get(p.i..p.i + 7)? == b"trailer" {
            p.i += 7;
            break;
        }
        let first = p.integer()? as u32;
        let count = p.integer()? as usize;
        p.space();
        for n in 0..count {
            let entry = p.s.get(p.i..p.i + 20)?;
            if entry[17] == b'n' {
                let field = |range: std::ops::Range<usize>| std::str::from_utf8(&entry[range]).ok();
                let offset = field(0..10)?.parse::<usize>().ok()?;
                let generation = field(11..16)?.parse::<u16>().ok()?;
                offsets.push(((first + n as u32, generation), offset));
            }
            p.i += 20;
        }
    }
    let Object::Dictionary(trailer) = p.object()? else {
        return None;
    };
    Some((offsets, trailer))
}

/// The object `id` written at `offset`: `None` unless it is there, and a
/// stream has a direct length (object and cross-reference streams are
/// left to lopdf).
fn object_at(pdf: &[u8], id: ObjectId, offset: usize) -> Option<Object> {
    let mut p = Parser { s: pdf, i: offset };
    if p.integer()? != id.0 as i64 || p.integer()? != id.1 as i64 {
        return None;
    }
    p.keyword(b"obj")?;
    let mut object = p.object()?;
    p.space();
    if p.s.get(p.i..p.i + 6) == Some(b"stream") {
        let Object::Dictionary(dict) = object else {
            return None;
        };
        if dict
            .get(b"Type")
            .and_then(Object::as_name)
            .is_ok_and(|t| t == b"ObjStm" || t == b"XRef")
        {
            return None;
        }
        let Ok(Object::Integer(length)) = dict.get(b"Length") else {
            return None;
        };
        p.i += 6;
        match p.s.get(p.i)? {
            b'\r' if p.s.get(p.i + 1) == Some(&b'\n') => p.i += 2,
            b'\n' | b'\r' => p.i += 1,
            _ => return None,
        }
        let content = p.s.get(p.i..p.i + usize::try_from(*length).ok()?)?.to_vec();
        p.i += content.len();
        p.keyword(b"endstream")?;
        let mut stream = lopdf::Stream::new(dict, content);
        stream.allows_compression = false;
        object = Object::Stream(stream);
    }
    p.keyword(b"endobj")?;
    Some(object)
}

/// Whether two parsed objects are the same (streams by dictionary and content).
#[cfg(test)]
fn same_object(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Stream(x), Object::Stream(y)) => {
            x.content == y.content
                && x.dict.len() == y.dict.len()
                && x.dict
                    .iter()
                    .all(|(k, v)| y.dict.get(k).is_ok_and(|w| same_object(v, w)))
        }
        (Object::Dictionary(x), Object::Dictionary(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_ok_and(|w| same_object(v, w)))
        }
        (Object::Array(x), Object::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_object(v, w))
        }
        _ => a == b,
    }
}

/// A PDF object parser over bytes: `None` on anything unexpected.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0' => self.i += 1,
                b'%' => {
                    while self
                        .s
                        .get(self.i)
                        .is_some_and(|&c| c != b'\n' && c != b'\r')
                    {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
    }

    fn keyword(&mut self, word: &[u8]) -> Option<()> {
        self.space();
        if self.s.get(self.i..self.i + word.len())? == word {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    fn integer(&mut self) -> Option<i64> {
        self.space();
        let start = self.i;
        if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
            self.i += 1;
        }
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }

    fn object(&mut self) -> Option<Object> {
        self.space();
        let c = *self.s.get(self.i)?;
        let rest = &self.s[self.i..];
        match c {
            b'/' => Some(Object::Name(self.name()?)),
            b'<' if rest.starts_with(b"<<") => self.dictionary(),
            b'<' => self.hex_string(),
            b'(' => self.literal_string(),
            b'[' => self.array(),
            b't' if rest.starts_with(b"true") => {
                self.i += 4;
                Some(Object::Boolean(true))
            }
            b'f' if rest.starts_with(b"false") => {
                self.i += 5;
                Some(Object::Boolean(false))
            }
            b'n' if rest.starts_with(b"null") => {
                self.i += 4;
                Some(Object::Null)
            }
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number_or_reference(),
            _ => None,
        }
    }

    /// `<< /Key value ... >>`, the cursor on its first `<`.
    fn dictionary(&mut self) -> Option<Object> {
        self.i += 2;
        let mut dict = Dictionary::new();
        loop {
            self.space();
            match self.s.get(self.i)? {
                b'>' => {
                    if self.s.get(self.i + 1) != Some(&b'>') {
                        return None;
                    }
                    self.i += 2;
                    return Some(Object::Dictionary(dict));
                }
                b'/' => {
                    let key = self.name()?;
                    let value = self.object()?;
                    dict.set(key, value);
                }
                _ => return None,
            }
        }
    }

    /// `<48656C6C6F>`, the cursor on its `<`.
    fn hex_string(&mut self) -> Option<Object> {
        self.i += 1;
        let mut bytes = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            let digit = match c {
                b'>' => break,
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' => continue,
                _ => return None,
            };
            match high.take() {
                Some(h) => bytes.push(h << 4 | digit),
                None => high = Some(digit),
            }
        }
        if let Some(h) = high {
            bytes.push(h << 4);
        }
        Some(Object::String(bytes, StringFormat::Hexadecimal))
    }

    /// `(text)`, balanced parentheses and escapes, the cursor on its `(`.
    fn literal_string(&mut self) -> Option<Object> {
        self.i += 1;
        let mut bytes = Vec::new();
        let mut depth = 0;
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            match c {
                b'(' => {
                    depth += 1;
                    bytes.push(c);
                }
                b')' if depth == 0 => break,
                b')' => {
                    depth -= 1;
                    bytes.push(c);
                }
                b'\\' => self.escape(&mut bytes)?,
                b'\r' => {
                    // An end of line in a literal string is a line feed.
                    if self.s.get(self.i) == Some(&b'\n') {
                        self.i += 1;
                    }
                    bytes.push(b'\n');
                }
                _ => bytes.push(c),
            }
        }
        Some(Object::String(bytes, StringFormat::Literal))
    }

    /// The escape after a `\` in a literal string, added to `bytes`.
    fn escape(&mut self, bytes: &mut Vec<u8>) -> Option<()> {
        let e = *self.s.get(self.i)?;
        self.i += 1;
        match e {
            b'n' => bytes.push(b'\n'),
            b'r' => bytes.push(b'\r'),
            b't' => bytes.push(b'\t'),
            b'b' => bytes.push(0x08),
            b'f' => bytes.push(0x0c),
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match self.s.get(self.i) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                bytes.push(value as u8);
            }
            b'\r' => {
                if self.s.get(self.i) == Some(&b'\n') {
                    self.i += 1;
                }
            }
            b'\n' => {}
            other => bytes.push(other),
        }
        Some(())
    }

    /// `[ ... ]`, the cursor on its `[`.
    fn array(&mut self) -> Option<Object> {
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.space();
            if *self.s.get(self.i)? == b']' {
                self.i += 1;
                return Some(Object::Array(items));
            }
            items.push(self.object()?);
        }
    }

    /// A number, or `n g R`: a reference.
    fn number_or_reference(&mut self) -> Option<Object> {
        let start = self.i;
        self.i += 1;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_digit() || *c == b'.')
        {
            self.i += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        if text.contains('.') {
            return Some(Object::Real(text.parse().ok()?));
        }
        let value: i64 = text.parse().ok()?;
        let save = self.i;
        if value >= 0 && !text.starts_with(['+', '-']) {
            self.space();
            let g_start = self.i;
            while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
            if self.i > g_start {
                let generation = std::str::from_utf8(&self.s[g_start..self.i])
                    .ok()?
                    .parse::<u16>()
                    .ok();
                self.space();
                if let Some(generation) = generation
                    && self.s.get(self.i) == Some(&b'R')
                    && !self
                        .s
                        .get(self.i + 1)
                        .is_some_and(u8::is_ascii_alphanumeric)
                {
                    self.i += 1;
                    return Some(Object::Reference((u32::try_from(value).ok()?, generation)));
                }
            }
        }
        self.i = save;
        Some(Object::Integer(value))
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        self.i += 1;
        let mut name = Vec::new();
        while let Some(&c) = self.s.get(self.i) {
            if b" \t\n\r\x0c\0()<>[]{}/%".contains(&c) {
                break;
            }
            self.i += 1;
            if c == b'#' {
                let hex = std::str::from_utf8(self.s.get(self.i..self.i + 2)?).ok()?;
                name.push(u8::from_str_radix(hex, 16).ok()?);
                self.i += 2;
            } else {
                name.push(c);
            }
        }
        Some(name)
    }
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    match obj {
        Object::Reference(id) => doc.objects.get(id).unwrap_or(&Object::Null),
        other => other,
    }
}

fn all_direct(obj: &Object) -> bool {
    match obj {
        Object::Reference(_) | Object::Stream(_) => false,
        Object::Array(a) => a.iter().all(all_direct),
        Object::Dictionary(d) => d.iter().all(|(_, v)| all_direct(v)),
        _ => true,
    }
}

fn collect_refs(obj: &Object, out: &mut Vec<ObjectId>) {
    match obj {
        Object::Reference(id) => out.push(*id),
        Object::Array(a) => a.iter().for_each(|o| collect_refs(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, v)| collect_refs(v, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, v)| collect_refs(v, out)),
        _ => {}
    }
}

fn remap(obj: &Object, map: &Renumber) -> Object {
    match obj {
        Object::Reference(id) => match map.get(id) {
            Some(n) => Object::Reference((n, 0)),
            None => Object::Null,
        },
        Object::Array(a) => Object::Array(a.iter().map(|o| remap(o, map)).collect()),
        Object::Dictionary(d) => {
            let mut out = Dictionary::new();
            for (k, v) in d.iter() {
                out.set(k.clone(), remap(v, map));
            }
            Object::Dictionary(out)
        }
        other => other.clone(),
    }
}

/// Walks a number tree or name tree, calling `f` on each (key, value).
fn walk_tree(
    doc: &Document,
    node: &Object,
    kind: &[u8],
    f: &mut dyn FnMut(&Object, &Object) -> Result<()>,
) -> Result<()> {
    let mut stack = vec![node];
    let mut seen = 0usize;
    while let Some(node) = stack.pop() {
        seen += 1;
        if seen > 1_000_000 {
            bail!(
                "a {} tree is too large or cyclic",
                String::from_utf8_lossy(kind)
            );
        }
        let dict = deref(doc, node)
            .as_dict()
            .map_err(|_| anyhow!("a tree node is not a dictionary"))?;
        if let Ok(entries) = dict.get(kind) {
            let entries = deref(doc, entries)
                .as_array()
                .map_err(|_| anyhow!("tree entries are not an array"))?;
            for pair in entries.chunks(2) {
                if let [k, v] = pair {
                    f(k, v)?;
                }
            }
        }
        if let Ok(kids) = dict.get(b"Kids") {
            let kids = deref(doc, kids)
                .as_array()
                .map_err(|_| anyhow!("tree kids are not an array"))?;
            stack.extend(kids.iter().rev());
        }
    }
    Ok(())
}

/// The attributes a page inherits from its ancestors and does not set itself.
fn inherited_attributes(doc: &Document, page: ObjectId) -> Vec<(Vec<u8>, Object)> {
    let mut found: Vec<(Vec<u8>, Object)> = Vec::new();
    let Ok(dict) = doc.get_dictionary(page) else {
        return found;
    };
    let mut parent = dict.get(b"Parent").and_then(Object::as_reference).ok();
    let mut depth = 0;
    while let Some(id) = parent {
        depth += 1;
        let Ok(node) = doc.get_dictionary(id) else {
            break;
        };
        if depth > 64 {
            break;
        }
        for key in [&b"Resources"[..], b"MediaBox", b"CropBox", b"Rotate"] {
            if !dict.has(key)
                && !found.iter().any(|(k, _)| k == key)
                && let Ok(v) = node.get(key)
            {
                found.push((key.to_vec(), v.clone()));
            }
        }
        parent = node.get(b"Parent").and_then(Object::as_reference).ok();
    }
    found
}

fn rect(doc: &Document, obj: &Object) -> Option<[f32; 4]> {
    let a = deref(doc, obj).as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let mut r = [0.0; 4];
    for (i, v) in a.iter().enumerate() {
        r[i] = match deref(doc, v) {
            Object::Integer(n) => *n as f32,
            Object::Real(x) => *x,
            _ => return None,
        };
    }
    Some(r)
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
fn footer_content(footer: &Footer, font: &FooterFont, media: [f32; 4], number: usize) -> Vec<u8> {
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

fn deflate(data: &[u8]) -> Result<Vec<u8>> {
    let mut enc =
        flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(DEFLATE_LEVEL));
    enc.write_all(data).context("cannot compress")?;
    enc.finish().context("cannot compress")
}

/// A PDF text string: PDFDocEncoding-compatible ASCII as is, anything else as UTF-16BE.
fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// The PDF date (`D:YYYYMMDDHHmmSSZ`) and XMP date (`YYYY-MM-DDTHH:mm:SSZ`) of a Unix time.
fn dates(timestamp: i64) -> (String, String) {
    let at = crate::pdf::utc(timestamp);
    (
        at.strftime("D:%Y%m%d%H%M%SZ").to_string(),
        at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The volume's XMP packet: Dublin Core title, creator and language, dates, and the PDF/A-2a
/// and PDF/UA-1 identification with the extension schema PDF/A-2 needs for `pdfuaid`.
fn xmp_packet(meta: &VolumeMeta) -> String {
    let (_, date) = dates(meta.timestamp);
    let digest = Sha256::digest(meta.ident.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let uuid = format!(
        "uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    );
    let title = xml_escape(&meta.title);
    let author = xml_escape(&meta.author);
    let lang = xml_escape(&meta.lang);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<xmp:MetadataDate>{date}</xmp:MetadataDate>
<xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
<xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>A</pdfaid:conformance>
<pdfuaid:part>1</pdfuaid:part>
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"#,
        bom = '\u{feff}'
    )
}

/// Serialises `obj` with its references renumbered by `map` (an id not in `map` keeps its
/// number when `map` is empty, becomes `null` otherwise).
fn serialize(obj: &Object, map: &Renumber, out: &mut Vec<u8>) {
    match obj {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Object::Real(x) => out.extend_from_slice(real(*x).as_bytes()),
        Object::Name(name) => write_name(name, out),
        Object::String(text, StringFormat::Literal) => {
            out.push(b'(');
            for &b in text {
                match b {
                    b'(' | b')' | b'\\' => {
                        out.push(b'\\');
                        out.push(b);
                    }
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::String(text, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in text {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(item, map, out);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dict(dict, map, out, None),
        Object::Stream(stream) => {
            write_dict(&stream.dict, map, out, Some(stream.content.len()));
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference(id) => match map.get(id) {
            Some(n) => out.extend_from_slice(format!("{n} 0 R").as_bytes()),
            None => out.extend_from_slice(b"null"),
        },
    }
}

fn write_dict(dict: &Dictionary, map: &Renumber, out: &mut Vec<u8>, length: Option<usize>) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        if length.is_some() && key == b"Length" {
            continue;
        }
        write_name(key, out);
        out.push(b' ');
        serialize(value, map, out);
    }
    if let Some(len) = length {
        out.extend_from_slice(format!("/Length {len}").as_bytes());
    }
    out.extend_from_slice(b">>");
}

fn write_name(name: &[u8], out: &mut Vec<u8>) {
    out.push(b'/');
    for &b in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

fn real(x: f32) -> String {
    if x.fract() == 0.0 && x.abs() < 1e9 {
        return format!("{}", x as i64);
    }
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Checks what [`assemble`] promises about `volume`, made from `parts`: every page of every
/// part is there in order with its content streams unchanged, one structure tree whose
/// `Document` holds the parts' top elements, every `StructParent(s)` number found once in the
/// parent tree, unique `/ID`s that the ID tree resolves, named destinations that resolve, no
/// reference to a missing object, one output intent, XMP metadata. For tests (the lead's
/// integration tests call it on volumes of compiled sheets); returns all the problems at once.
pub fn verify(volume: &[u8], parts: &[Part]) -> Result<()> {
    let vol = load(volume)?;
    let mut problems = Vec::new();
    let expected_tops = verify_pages(&vol, parts, &mut problems)?;
    for (id, obj) in &vol.objects {
        let mut refs = Vec::new();
        collect_refs(obj, &mut refs);
        for r in refs {
            if !vol.objects.contains_key(&r) {
                problems.push(format!(
                    "object {} {} R refers to missing {} {} R",
                    id.0, id.1, r.0, r.1
                ));
            }
        }
    }
    let catalog = vol.catalog().map_err(|e| anyhow!("{e}"))?;
    let intents = catalog
        .get(b"OutputIntents")
        .ok()
        .and_then(|o| deref(&vol, o).as_array().ok());
    if intents.map(Vec::len) != Some(1) {
        problems.push("the volume has not exactly one output intent".to_string());
    }
    if catalog.get(b"Metadata").is_err() {
        problems.push("the volume has no XMP metadata".to_string());
    }
    let root = catalog
        .get(b"StructTreeRoot")
        .and_then(Object::as_reference)
        .and_then(|r| vol.get_dictionary(r))
        .map_err(|_| anyhow!("the volume has no structure tree"))?;
    verify_document(&vol, root, expected_tops, &mut problems);
    let mut trees = VolumeTrees::read(&vol, catalog, root, &mut problems)?;
    for (id, obj) in &vol.objects {
        let dict = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        trees.verify_object(&vol, *id, dict, &mut problems);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        bail!("{}", problems.join("\n"))
    }
}

/// Checks that every page of every part is in the volume, in order, with
/// its content streams; gives the number of the parts' top elements.
fn verify_pages(vol: &Document, parts: &[Part], problems: &mut Vec<String>) -> Result<usize> {
    let vol_pages: Vec<ObjectId> = vol.page_iter().collect();
    let mut index = 0;
    let mut expected_tops = 0;
    for (n, part) in parts.iter().enumerate() {
        let doc = load(part.pdf)?;
        if let Ok(root) = doc
            .catalog()
            .and_then(|c| c.get(b"StructTreeRoot"))
            .and_then(Object::as_reference)
            && let Ok(root) = doc.get_dictionary(root)
        {
            expected_tops += match root.get(b"K") {
                Ok(Object::Array(a)) => a.len(),
                Ok(_) => 1,
                Err(_) => 0,
            };
        }
        for (p, page) in doc.page_iter().enumerate() {
            let Some(&vol_page) = vol_pages.get(index) else {
                problems.push(format!(
                    "part {} page {}: missing from the volume",
                    n + 1,
                    p + 1
                ));
                continue;
            };
            let theirs = content_streams(&doc, page);
            let ours = content_streams(vol, vol_page);
            if !theirs.is_empty() && !ours.windows(theirs.len()).any(|w| w == theirs.as_slice()) {
                problems.push(format!(
                    "part {} page {}: content differs in volume page {}",
                    n + 1,
                    p + 1,
                    index + 1
                ));
            }
            index += 1;
        }
    }
    if index != vol_pages.len() {
        problems.push(format!(
            "the volume has {} pages, the parts {index}",
            vol_pages.len()
        ));
    }
    Ok(expected_tops)
}

/// Checks that the structure tree's root holds one `Document` element over
/// the parts' top elements.
fn verify_document(
    vol: &Document,
    root: &Dictionary,
    expected_tops: usize,
    problems: &mut Vec<String>,
) {
    let document = root
        .get(b"K")
        .ok()
        .and_then(|k| deref(vol, k).as_array().ok())
        .and_then(|a| a.first())
        .and_then(|d| deref(vol, d).as_dict().ok());
    match document {
        Some(d) if d.get(b"S").and_then(Object::as_name).ok() == Some(b"Document") => {
            let kids = d
                .get(b"K")
                .ok()
                .and_then(|k| k.as_array().ok())
                .map(Vec::len)
                .unwrap_or(0);
            if kids != expected_tops {
                problems.push(format!(
                    "the Document element has {kids} kids, the parts {expected_tops} top elements"
                ));
            }
        }
        _ => problems
            .push("the structure tree's root does not hold one Document element".to_string()),
    }
}

/// The keys of a volume's parent tree, its IDs and its named destinations,
/// and the `StructParent(s)` numbers seen so far.
struct VolumeTrees {
    parent_keys: std::collections::BTreeSet<i64>,
    ids: HashMap<Vec<u8>, Option<ObjectId>>,
    dests: std::collections::HashSet<Vec<u8>>,
    used_keys: std::collections::BTreeSet<i64>,
}

impl VolumeTrees {
    fn read(
        vol: &Document,
        catalog: &Dictionary,
        root: &Dictionary,
        problems: &mut Vec<String>,
    ) -> Result<VolumeTrees> {
        let mut parent_keys = std::collections::BTreeSet::new();
        if let Ok(tree) = root.get(b"ParentTree") {
            walk_tree(vol, tree, b"Nums", &mut |k, _| {
                if !parent_keys.insert(k.as_i64().unwrap_or(-1)) {
                    problems.push(format!("parent tree key {k:?} repeated"));
                }
                Ok(())
            })?;
        }
        let mut ids = HashMap::new();
        if let Ok(tree) = root.get(b"IDTree") {
            walk_tree(vol, tree, b"Names", &mut |k, v| {
                ids.insert(k.as_str().unwrap_or(b"").to_vec(), v.as_reference().ok());
                Ok(())
            })?;
        }
        let mut dests = std::collections::HashSet::new();
        if let Ok(names) = catalog.get(b"Names").and_then(|n| deref(vol, n).as_dict())
            && let Ok(tree) = names.get(b"Dests")
        {
            walk_tree(vol, tree, b"Names", &mut |k, _| {
                dests.insert(k.as_str().unwrap_or(b"").to_vec());
                Ok(())
            })?;
        }
        Ok(VolumeTrees {
            parent_keys,
            ids,
            dests,
            used_keys: Default::default(),
        })
    }

    /// Checks one object: its `StructParent(s)` in the parent tree and used
    /// once, its `/ID` in the ID tree, the destinations it names defined.
    fn verify_object(
        &mut self,
        vol: &Document,
        id: ObjectId,
        dict: &Dictionary,
        problems: &mut Vec<String>,
    ) {
        for key in [&b"StructParent"[..], b"StructParents"] {
            if let Ok(n) = dict.get(key).and_then(Object::as_i64) {
                let key = String::from_utf8_lossy(key);
                if !self.parent_keys.contains(&n) {
                    problems.push(format!(
                        "object {} {} R: /{key} {n} is not in the parent tree",
                        id.0, id.1
                    ));
                }
                if !self.used_keys.insert(n) {
                    problems.push(format!("/{key} {n} is used twice"));
                }
            }
        }
        if let Ok(Object::String(name, _)) = dict.get(b"ID")
            && dict.get(b"S").is_ok()
            && self.ids.get(name) != Some(&Some(id))
        {
            problems.push(format!(
                "element {} {} R: /ID {:?} is not in the ID tree",
                id.0,
                id.1,
                String::from_utf8_lossy(name)
            ));
        }
        let mut dest_names = Vec::new();
        if let Ok(Object::String(name, _)) = dict.get(b"Dest") {
            dest_names.push(name.clone());
        }
        if let Ok(action) = dict.get(b"A").map(|a| deref(vol, a))
            && let Ok(Object::String(name, _)) = action.as_dict().and_then(|a| a.get(b"D"))
        {
            dest_names.push(name.clone());
        }
        for name in dest_names {
            if !self.dests.contains(&name) {
                problems.push(format!(
                    "object {} {} R: destination {:?} is not defined",
                    id.0,
                    id.1,
                    String::from_utf8_lossy(&name)
                ));
            }
        }
    }
}

/// The raw bytes of each content stream of a page.
fn content_streams(doc: &Document, page: ObjectId) -> Vec<Vec<u8>> {
    let Ok(dict) = doc.get_dictionary(page) else {
        return Vec::new();
    };
    let refs = match dict.get(b"Contents") {
        Ok(Object::Array(a)) => a.iter().filter_map(|o| o.as_reference().ok()).collect(),
        Ok(Object::Reference(r)) => vec![*r],
        _ => Vec::new(),
    };
    refs.iter()
        .filter_map(|r| doc.get_object(*r).ok()?.as_stream().ok())
        .map(|s| s.content.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Stream;

    fn r(id: ObjectId) -> Object {
        Object::Reference(id)
    }

    fn name(n: &str) -> Object {
        Object::Name(n.as_bytes().to_vec())
    }

    fn string(s: &str) -> Object {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    }

    fn dict(entries: Vec<(&str, Object)>) -> Dictionary {
        let mut d = Dictionary::new();
        for (k, v) in entries {
            d.set(k, v);
        }
        d
    }

    /// A tagged PDF shaped like Typst's: a Type0 font whose `ToUnicode` maps codes 1..=10 to
    /// `0`..`9` and 11.. to the letters of `letters`; per page a heading (`H1` on the first
    /// page, `H2` after) and a paragraph; a link with a named destination on the first page,
    /// an ID tree, a role map, an outline, an output intent and XMP metadata.
    fn fixture(tag: &str, pages: usize, letters: &str) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let font = fixture_font(&mut doc, letters);
        let pages_id = doc.new_object_id();
        let root_id = doc.new_object_id();
        let document_id = doc.new_object_id();
        let mut page_ids = Vec::new();
        let mut elements = Vec::new();
        let mut nums = Vec::new();
        let mut link_element = None;
        for p in 0..pages {
            let page = fixture_page(&mut doc, tag, p, (pages_id, document_id), font);
            elements.push(r(page.heading));
            elements.push(r(page.paragraph));
            nums.push(Object::Integer(p as i64));
            nums.push(Object::Array(vec![r(page.heading), r(page.paragraph)]));
            page_ids.push(page.id);
            link_element = link_element.or(page.link);
        }
        nums.push(Object::Integer(100));
        nums.push(r(link_element.unwrap()));
        let struct_root = doc.new_object_id();
        doc.objects.insert(
            document_id,
            Object::Dictionary(dict(vec![
                ("Type", name("StructElem")),
                ("S", name("Document")),
                ("P", r(struct_root)),
                ("K", Object::Array(elements.clone())),
            ])),
        );
        let first_heading = elements[0].as_reference().unwrap();
        doc.objects.insert(
            struct_root,
            Object::Dictionary(dict(vec![
                ("Type", name("StructTreeRoot")),
                ("K", r(document_id)),
                (
                    "ParentTree",
                    Object::Dictionary(dict(vec![("Nums", Object::Array(nums))])),
                ),
                ("ParentTreeNextKey", Object::Integer(101)),
                (
                    "IDTree",
                    Object::Dictionary(dict(vec![(
                        "Names",
                        Object::Array(vec![string("U1x1"), r(first_heading)]),
                    )])),
                ),
                (
                    "RoleMap",
                    Object::Dictionary(dict(vec![("Strong", name("Span"))])),
                ),
            ])),
        );
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dict(vec![
                ("Type", name("Pages")),
                (
                    "Kids",
                    Object::Array(page_ids.iter().map(|p| r(*p)).collect()),
                ),
                ("Count", Object::Integer(pages as i64)),
            ])),
        );
        fixture_catalog(&mut doc, root_id, pages_id, struct_root, page_ids[0]);
        doc.trailer.set("Root", r(root_id));
        let mut out = Vec::new();
        save_classic(&mut doc, &mut out);
        out
    }

    /// The fixture's Type0 font: codes 1..=10 are `0`..`9`, 11.. the letters
    /// of `letters`.
    fn fixture_font(doc: &mut Document, letters: &str) -> ObjectId {
        let font_file = doc.add_object(Stream::new(dict(vec![]), b"FONTDATA".to_vec()));
        let descriptor = doc.add_object(dict(vec![
            ("Type", name("FontDescriptor")),
            ("FontName", name("ABCDEF+Test")),
            ("FontFile2", r(font_file)),
        ]));
        let count = 10 + letters.chars().count() as i64;
        let widths: Vec<Object> = (0..count).map(|i| Object::Integer(400 + i)).collect();
        let cid = doc.add_object(dict(vec![
            ("Type", name("Font")),
            ("Subtype", name("CIDFontType2")),
            ("FontDescriptor", r(descriptor)),
            ("DW", Object::Integer(0)),
            (
                "W",
                Object::Array(vec![Object::Integer(1), Object::Array(widths)]),
            ),
        ]));
        let mut cmap =
            String::from("begincmap\n1 beginbfrange\n<0001> <000A> <0030>\nendbfrange\n");
        cmap.push_str(&format!("{} beginbfchar\n", letters.chars().count()));
        for (i, c) in letters.chars().enumerate() {
            cmap.push_str(&format!("<{:04X}> <{:04X}>\n", 11 + i, c as u32));
        }
        cmap.push_str("endbfchar\nendcmap\n");
        let to_unicode = doc.add_object(Stream::new(dict(vec![]), cmap.into_bytes()));
        doc.add_object(dict(vec![
            ("Type", name("Font")),
            ("Subtype", name("Type0")),
            ("BaseFont", name("ABCDEF+Test")),
            ("Encoding", name("Identity-H")),
            ("DescendantFonts", Object::Array(vec![r(cid)])),
            ("ToUnicode", r(to_unicode)),
        ]))
    }

    /// A page of the fixture and its structure elements.
    struct FixturePage {
        id: ObjectId,
        heading: ObjectId,
        paragraph: ObjectId,
        /// The link's element, on the first page.
        link: Option<ObjectId>,
    }

    /// Page `p`: a heading and a paragraph, the first page's with an ID and
    /// a link to a named destination; `(pages, document)` are their parents.
    fn fixture_page(
        doc: &mut Document,
        tag: &str,
        p: usize,
        (pages_id, document_id): (ObjectId, ObjectId),
        font: ObjectId,
    ) -> FixturePage {
        let content = format!(
            "/H{} <</MCID 0>> BDC BT /F1 10 Tf (<{tag} {p}>) Tj ET EMC /P <</MCID 1>> BDC BT (text) Tj ET EMC",
            if p == 0 { 1 } else { 2 }
        );
        let contents = doc.add_object(Stream::new(dict(vec![]), content.into_bytes()));
        let page_id = doc.new_object_id();
        let heading = doc.add_object(dict(vec![
            ("Type", name("StructElem")),
            ("S", name(if p == 0 { "H1" } else { "H2" })),
            ("P", r(document_id)),
            ("Pg", r(page_id)),
            ("K", Object::Integer(0)),
        ]));
        if p == 0 {
            doc.get_dictionary_mut(heading)
                .unwrap()
                .set("ID", string("U1x1"));
        }
        let mut kids = vec![Object::Integer(1)];
        let mut page = dict(vec![
            ("Type", name("Page")),
            ("Parent", r(pages_id)),
            (
                "MediaBox",
                Object::Array(vec![0.into(), 0.into(), 600.into(), 800.into()]),
            ),
            ("Contents", r(contents)),
            ("StructParents", Object::Integer(p as i64)),
            (
                "Resources",
                Object::Dictionary(dict(vec![(
                    "Font",
                    Object::Dictionary(dict(vec![("F1", r(font))])),
                )])),
            ),
        ]);
        let paragraph = doc.new_object_id();
        let link = (p == 0).then(|| fixture_link(doc, page_id, paragraph));
        if let Some((link, annot)) = link {
            kids.push(r(link));
            page.set("Annots", vec![r(annot)]);
            page.set("Tabs", name("S"));
        }
        doc.objects.insert(
            paragraph,
            Object::Dictionary(dict(vec![
                ("Type", name("StructElem")),
                ("S", name("P")),
                ("P", r(document_id)),
                ("Pg", r(page_id)),
                ("K", Object::Array(kids)),
            ])),
        );
        doc.objects.insert(page_id, Object::Dictionary(page));
        FixturePage {
            id: page_id,
            heading,
            paragraph,
            link: link.map(|(link, _)| link),
        }
    }

    /// A link on `page` to the named destination `sec`, inside `paragraph`:
    /// its structure element and its annotation.
    fn fixture_link(
        doc: &mut Document,
        page: ObjectId,
        paragraph: ObjectId,
    ) -> (ObjectId, ObjectId) {
        let link = doc.new_object_id();
        let annot = doc.add_object(dict(vec![
            ("Type", name("Annot")),
            ("Subtype", name("Link")),
            (
                "Rect",
                Object::Array(vec![0.into(), 0.into(), 10.into(), 10.into()]),
            ),
            ("Dest", string("sec")),
            ("StructParent", Object::Integer(100)),
            ("P", r(page)),
        ]));
        doc.objects.insert(
            link,
            Object::Dictionary(dict(vec![
                ("Type", name("StructElem")),
                ("S", name("Link")),
                ("P", r(paragraph)),
                ("Pg", r(page)),
                (
                    "K",
                    Object::Dictionary(dict(vec![
                        ("Type", name("OBJR")),
                        ("Obj", r(annot)),
                        ("Pg", r(page)),
                    ])),
                ),
            ])),
        );
        (link, annot)
    }

    /// The fixture's catalog, with an outline, an output intent, metadata and
    /// the named destination `sec` on the first page.
    fn fixture_catalog(
        doc: &mut Document,
        root_id: ObjectId,
        pages_id: ObjectId,
        struct_root: ObjectId,
        first_page: ObjectId,
    ) {
        let outline_item = doc.new_object_id();
        let outlines = doc.add_object(dict(vec![
            ("First", r(outline_item)),
            ("Last", r(outline_item)),
            ("Count", 1.into()),
        ]));
        doc.objects.insert(
            outline_item,
            Object::Dictionary(dict(vec![
                ("Title", string("part outline")),
                ("Parent", r(outlines)),
                ("Dest", Object::Array(vec![r(first_page), name("Fit")])),
            ])),
        );
        let icc = doc.add_object(Stream::new(dict(vec![("N", 3.into())]), b"ICC".to_vec()));
        let intent = doc.add_object(dict(vec![
            ("Type", name("OutputIntent")),
            ("S", name("GTS_PDFA1")),
            ("DestOutputProfile", r(icc)),
        ]));
        let metadata = doc.add_object(Stream::new(
            dict(vec![("Type", name("Metadata"))]),
            b"<x/>".to_vec(),
        ));
        let dest = Object::Array(vec![
            r(first_page),
            name("XYZ"),
            0.into(),
            700.into(),
            0.into(),
        ]);
        doc.objects.insert(
            root_id,
            Object::Dictionary(dict(vec![
                ("Type", name("Catalog")),
                ("Pages", r(pages_id)),
                ("StructTreeRoot", r(struct_root)),
                ("Outlines", r(outlines)),
                ("OutputIntents", Object::Array(vec![r(intent)])),
                ("Metadata", r(metadata)),
                ("Lang", string("it-IT")),
                (
                    "Names",
                    Object::Dictionary(dict(vec![(
                        "Dests",
                        Object::Dictionary(dict(vec![(
                            "Names",
                            Object::Array(vec![string("sec"), dest]),
                        )])),
                    )])),
                ),
            ])),
        );
    }

    /// Saves with a classic cross-reference table and no object streams, as Typst writes.
    fn save_classic(doc: &mut Document, out: &mut Vec<u8>) {
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        doc.save_to(out).unwrap();
    }

    fn part(pdf: &[u8], heading_shift: u8) -> Part<'_> {
        Part { pdf, heading_shift }
    }

    /// A footer with the font of `font`, grey 0.3, 50 pt from the sides, baseline at 30 pt.
    fn test_footer<'a>(font: &'a [u8], first_page: usize, text: &str, size: f32) -> Footer<'a> {
        Footer {
            first_page,
            text_left: text.to_string(),
            font_pdf: font,
            size,
            gray: 0.3,
            baseline: 30.0,
            margin_x: 50.0,
        }
    }

    fn meta() -> VolumeMeta {
        VolumeMeta {
            title: "Piano 2030 – volume".to_string(),
            author: "Comune".to_string(),
            lang: "it-IT".to_string(),
            timestamp: 1_900_000_000,
            ident: "piano-2030".to_string(),
        }
    }

    fn build(
        parts: &[Part],
        bookmarks: &[Bookmark],
        footer: Option<&Footer>,
    ) -> Result<(usize, Vec<u8>)> {
        let mut out = Vec::new();
        let pages = assemble(parts, bookmarks, footer, &meta(), &mut out)?;
        Ok((pages, out))
    }

    /// The structure element's type names in depth-first order, with the element's `/ID`.
    fn structure(doc: &Document) -> Vec<String> {
        let root = doc
            .catalog()
            .unwrap()
            .get(b"StructTreeRoot")
            .unwrap()
            .as_reference()
            .unwrap();
        let mut out = Vec::new();
        let mut stack = vec![(
            doc.get_dictionary(root).unwrap().get(b"K").unwrap().clone(),
            0,
        )];
        while let Some((k, depth)) = stack.pop() {
            match k {
                Object::Array(a) => stack.extend(a.into_iter().rev().map(|o| (o, depth))),
                Object::Reference(id) => {
                    let d = doc.get_dictionary(id).unwrap();
                    let mut line = format!(
                        "{}{}",
                        "  ".repeat(depth),
                        String::from_utf8_lossy(d.get(b"S").unwrap().as_name().unwrap())
                    );
                    if let Ok(Object::String(i, _)) = d.get(b"ID") {
                        line.push_str(&format!(" #{}", String::from_utf8_lossy(i)));
                    }
                    out.push(line);
                    if let Ok(k) = d.get(b"K") {
                        stack.push((k.clone(), depth + 1));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn outline(doc: &Document) -> Vec<String> {
        let pages: Vec<ObjectId> = doc.page_iter().collect();
        let mut out = Vec::new();
        let root = doc
            .catalog()
            .unwrap()
            .get(b"Outlines")
            .unwrap()
            .as_reference()
            .unwrap();
        let mut stack = vec![(
            doc.get_dictionary(root)
                .unwrap()
                .get(b"First")
                .unwrap()
                .as_reference()
                .unwrap(),
            0,
        )];
        while let Some((id, depth)) = stack.pop() {
            let item = doc.get_dictionary(id).unwrap();
            let title = lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap();
            let page = item.get(b"Dest").unwrap().as_array().unwrap()[0]
                .as_reference()
                .unwrap();
            let index = pages.iter().position(|p| *p == page).unwrap();
            out.push(format!("{}{title} -> {}", "  ".repeat(depth), index + 1));
            if let Ok(next) = item.get(b"Next") {
                stack.push((next.as_reference().unwrap(), depth));
            }
            if let Ok(first) = item.get(b"First") {
                stack.push((first.as_reference().unwrap(), depth + 1));
            }
        }
        out
    }

    /// A Direzione's bookmark over the two sheets of [`two_parts_volume`].
    fn three_bookmarks() -> [Bookmark; 3] {
        let bookmark = |title: &str, level, page| Bookmark {
            title: title.to_string(),
            level,
            page,
        };
        [
            bookmark("Direzione Ù", 1, 0),
            bookmark("Scheda A", 2, 0),
            bookmark("Scheda B", 2, 2),
        ]
    }

    /// A volume of a part of two pages (headings moved down two levels) and
    /// a part of one, checked by [`verify`].
    fn two_parts_volume() -> Document {
        let (a, b) = (fixture("a", 2, ""), fixture("b", 1, ""));
        let parts = [part(&a, 2), part(&b, 0)];
        let (pages, pdf) = build(&parts, &three_bookmarks(), None).unwrap();
        assert_eq!(pages, 3);
        verify(&pdf, &parts).unwrap();
        assert!(!pdf.windows(12).any(|w| w == b"part outline"));
        load(&pdf).unwrap()
    }

    #[test]
    fn merges_pages_structure_ids_links_and_bookmarks() {
        let doc = two_parts_volume();
        assert_eq!(
            structure(&doc),
            [
                "Document",
                "  Part",
                "    H3 #p1-U1x1",
                "    P",
                "      Link",
                "    H4",
                "    P",
                "  Part",
                "    H1 #p2-U1x1",
                "    P",
                "      Link",
            ]
        );
        assert_eq!(
            outline(&doc),
            ["Direzione Ù -> 1", "  Scheda A -> 1", "  Scheda B -> 3"]
        );
        // The links point at their own part's destination.
        let annots: Vec<Vec<u8>> = doc
            .page_iter()
            .filter_map(|p| doc.get_page_annotations(p).ok())
            .flatten()
            .map(|a| a.get(b"Dest").unwrap().as_str().unwrap().to_vec())
            .collect();
        assert_eq!(annots, [b"p1-sec".to_vec(), b"p2-sec".to_vec()]);
        // The font program is written once (the parts' outlines are gone:
        // `two_parts_volume` checks).
        let fonts = doc
            .objects
            .values()
            .filter(|o| o.as_stream().is_ok_and(|s| s.content == b"FONTDATA"))
            .count();
        assert_eq!(fonts, 1);
        // StructParent numbers: part 1 uses 0, 1 and 100; part 2 starts at 101.
        let keys: Vec<i64> = doc
            .page_iter()
            .map(|p| {
                doc.get_dictionary(p)
                    .unwrap()
                    .get(b"StructParents")
                    .unwrap()
                    .as_i64()
                    .unwrap()
            })
            .collect();
        assert_eq!(keys, [0, 1, 101]);
    }

    #[test]
    fn a_volume_has_its_language_one_output_intent_and_its_metadata() {
        let doc = two_parts_volume();
        let catalog = doc.catalog().unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"it-IT");
        let intents = catalog.get(b"OutputIntents").unwrap().as_array().unwrap();
        assert_eq!(intents.len(), 1);
        let metadata = catalog.get(b"Metadata").unwrap().as_reference().unwrap();
        let stream = doc.get_object(metadata).unwrap().as_stream().unwrap();
        let xmp = String::from_utf8(stream.content.clone()).unwrap();
        for needle in [
            "<rdf:li xml:lang=\"x-default\">Piano 2030 – volume</rdf:li>",
            "<pdfaid:part>2</pdfaid:part>",
            "<pdfaid:conformance>A</pdfaid:conformance>",
            "<pdfuaid:part>1</pdfuaid:part>",
            "<rdf:li>it-IT</rdf:li>",
            "<xmp:CreateDate>2030-03-17T17:46:40Z</xmp:CreateDate>",
        ] {
            assert!(xmp.contains(needle), "{needle} not in {xmp}");
        }
    }

    /// `pdf` with its link going to the URI `uri` instead of its named destination.
    fn with_uri_link(pdf: &[u8], uri: &str) -> Vec<u8> {
        let mut doc = load(pdf).unwrap();
        for obj in doc.objects.values_mut() {
            if let Object::Dictionary(d) = obj
                && d.has(b"Dest")
            {
                d.remove(b"Dest");
                d.set("A", dict(vec![("S", name("URI")), ("URI", string(uri))]));
            }
        }
        let mut out = Vec::new();
        save_classic(&mut doc, &mut out);
        out
    }

    #[test]
    fn links_to_volume_pages_go_to_those_pages() {
        let toc = with_uri_link(&fixture("toc", 1, ""), "volume-page:3 «Scheda A» pag. 3");
        let a = fixture("a", 2, "");
        let parts = [part(&toc, 0), part(&a, 1)];
        let (_, pdf) = build(&parts, &[], None).unwrap();
        verify(&pdf, &parts).unwrap();
        let doc = load(&pdf).unwrap();
        let pages: Vec<ObjectId> = doc.page_iter().collect();
        let annot = &doc.get_page_annotations(pages[0]).unwrap()[0];
        let action = annot.get(b"A").unwrap().as_dict().unwrap();
        assert_eq!(action.get(b"S").unwrap().as_name().unwrap(), b"GoTo");
        assert_eq!(
            action.get(b"D").unwrap().as_str().unwrap(),
            b"volume-page:3"
        );
        let names = doc
            .catalog()
            .unwrap()
            .get(b"Names")
            .unwrap()
            .as_dict()
            .unwrap();
        let tree = names.get(b"Dests").unwrap().as_reference().unwrap();
        let entries = doc
            .get_dictionary(tree)
            .unwrap()
            .get(b"Names")
            .unwrap()
            .as_array()
            .unwrap();
        let keys: Vec<&[u8]> = entries
            .iter()
            .step_by(2)
            .map(|k| k.as_str().unwrap())
            .collect();
        assert_eq!(keys, [&b"p1-sec"[..], b"p2-sec", b"volume-page:3"]);
        assert_eq!(
            entries[5].as_array().unwrap()[0].as_reference().unwrap(),
            pages[2]
        );

        let far = with_uri_link(&fixture("toc", 1, ""), "volume-page:9");
        let parts = [part(&far, 0), part(&a, 1)];
        let err = build(&parts, &[], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "part 1: a link goes to page 9, the volume has 3 pages"
        );
        let bad = with_uri_link(&fixture("toc", 1, ""), "volume-page:x");
        let err = build(&[part(&bad, 0)], &[], None).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "part 1: a link goes to volume-page:x: not a page number from 1"
        );
    }

    #[test]
    fn files_make_the_same_volume_as_bytes() {
        let dir = std::env::temp_dir().join(format!("assemble-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = fixture("a", 2, "");
        let b = fixture("b", 1, "");
        std::fs::write(dir.join("a.pdf"), &a).unwrap();
        std::fs::write(dir.join("b.pdf"), &b).unwrap();
        let parts = [part(&a, 1), part(&b, 2)];
        let files = [
            PartFile {
                path: dir.join("a.pdf"),
                heading_shift: 1,
            },
            PartFile {
                path: dir.join("b.pdf"),
                heading_shift: 2,
            },
            PartFile {
                path: dir.join("missing.pdf"),
                heading_shift: 0,
            },
        ];
        let bookmarks = [Bookmark {
            title: "A".to_string(),
            level: 1,
            page: 0,
        }];
        let (_, from_bytes) = build(&parts, &bookmarks, None).unwrap();
        let mut from_files = Vec::new();
        assemble_files(&files[..2], &bookmarks, None, &meta(), &mut from_files).unwrap();
        let err = assemble_files(&files, &bookmarks, None, &meta(), &mut Vec::new()).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(from_bytes == from_files, "the volumes differ");
        let message = format!("{err:#}");
        assert!(
            message.starts_with("part 3: cannot read ") && message.contains("missing.pdf"),
            "{message}"
        );
    }

    #[test]
    fn quick_parser_reads_what_lopdf_reads() {
        let mut pdfs = vec![fixture("a", 2, "Pino"), fixture("b", 1, "")];
        let mut doc = load(&fixture("c", 1, "")).unwrap();
        let tricky = dict(vec![
            ("Name#20with space", name("a b/c#d")),
            (
                "Strings",
                Object::Array(vec![
                    Object::String(
                        b"par(en)s \\ back\r\n(unbalanced \x80\xff".to_vec(),
                        StringFormat::Literal,
                    ),
                    Object::String(vec![0, 1, 0xfe, 0xff], StringFormat::Hexadecimal),
                    Object::String(Vec::new(), StringFormat::Literal),
                ]),
            ),
            (
                "Numbers",
                Object::Array(vec![
                    (-3).into(),
                    Object::Real(-0.25),
                    Object::Real(12.5),
                    0.into(),
                ]),
            ),
            (
                "Nested",
                Object::Array(vec![
                    Object::Array(vec![]),
                    Object::Dictionary(Dictionary::new()),
                ]),
            ),
            (
                "Flags",
                Object::Array(vec![true.into(), false.into(), Object::Null]),
            ),
            ("Ref", r((1, 0))),
        ]);
        doc.add_object(tricky);
        let mut out = Vec::new();
        save_classic(&mut doc, &mut out);
        pdfs.push(out);
        for pdf in &pdfs {
            let slow = Document::load_mem(pdf).unwrap();
            let quick = quick_parse(pdf).expect("quick parse");
            assert_eq!(slow.objects.len(), quick.objects.len());
            for (id, object) in &slow.objects {
                assert!(
                    same_object(object, &quick.objects[id]),
                    "{id:?}: {object:?} vs {:?}",
                    quick.objects[id]
                );
            }
        }
        // Not a classic file: left to lopdf, and merged all the same.
        assert!(quick_parse(b"%PDF-1.7\nnothing").is_none());
        let mut modern = Vec::new();
        load(&pdfs[1]).unwrap().save_to(&mut modern).unwrap();
        assert!(quick_parse(&modern).is_none());
        let parts = [part(&modern, 0), part(&pdfs[1], 0)];
        let (pages, volume) = build(&parts, &[], None).unwrap();
        assert_eq!(pages, 2);
        verify(&volume, &parts).unwrap();
        let mut truncated = pdfs[0].clone();
        truncated.truncate(truncated.len() - 30);
        assert!(quick_parse(&truncated).is_none());
    }

    #[test]
    fn heading_levels_stop_at_h6() {
        let a = fixture("a", 2, "");
        let parts = [part(&a, 5)];
        let (_, pdf) = build(&parts, &[], None).unwrap();
        let doc = load(&pdf).unwrap();
        let headings: Vec<String> = structure(&doc)
            .into_iter()
            .filter(|l| l.trim_start().starts_with('H'))
            .collect();
        assert_eq!(headings, ["    H6 #p1-U1x1", "    H6"]);
    }

    #[test]
    fn output_is_deterministic() {
        let a = fixture("a", 2, "");
        let b = fixture("b", 3, "");
        let font = fixture("f", 1, "Pino");
        let parts = [part(&a, 1), part(&b, 1)];
        let footer = test_footer(&font, 1, "Pino", 8.5);
        let bookmarks = [Bookmark {
            title: "B".to_string(),
            level: 1,
            page: 2,
        }];
        let first = build(&parts, &bookmarks, Some(&footer)).unwrap().1;
        let second = build(&parts, &bookmarks, Some(&footer)).unwrap().1;
        assert!(first == second, "two runs differ");
    }

    #[test]
    fn footer_numbers_are_artifacts_with_the_font_pdf_glyphs() {
        let a = fixture("a", 2, "");
        let b = fixture("b", 1, "");
        let font = fixture("f", 1, "Pino");
        let parts = [part(&a, 0), part(&b, 0)];
        let footer = test_footer(&font, 1, "Pi no", 10.0);
        let (_, pdf) = build(&parts, &[], Some(&footer)).unwrap();
        verify(&pdf, &parts).unwrap();
        let doc = load(&pdf).unwrap();
        let pages: Vec<ObjectId> = doc.page_iter().collect();
        // The first page has no number: its content is the part's, alone.
        assert_eq!(content_streams(&doc, pages[0]).len(), 1);
        let streams = content_streams(&doc, pages[2]);
        assert_eq!(streams.len(), 3);
        assert_eq!(streams[0], b"q\n");
        let footer_text = String::from_utf8(streams[2].clone()).unwrap();
        // "P" is code 11, "i" 12, "n" 13, "o" 14 in the font pdf; "3" is code 4 (width 403).
        // The number is right-aligned: 600 - 50 - 403 * 10 / 1000.
        assert_eq!(
            footer_text,
            "Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n0.3 g\n\
             BT\n/VolFooter 10 Tf\n1 0 0 1 50 30 Tm\n[<000B000C> -250 <000D000E>] TJ\nET\n\
             BT\n/VolFooter 10 Tf\n1 0 0 1 545.97 30 Tm\n[<0004>] TJ\nET\nEMC\n"
        );
        let resources = doc
            .get_dictionary(pages[2])
            .unwrap()
            .get(b"Resources")
            .unwrap()
            .as_dict()
            .unwrap();
        let fonts = resources.get(b"Font").unwrap().as_dict().unwrap();
        assert!(fonts.has(b"F1") && fonts.has(b"VolFooter"));
    }

    #[test]
    fn footer_font_without_a_character_is_an_error() {
        let a = fixture("a", 1, "");
        let font = fixture("f", 1, "Pino");
        let footer = test_footer(&font, 0, "Piano", 10.0);
        let err = build(&[part(&a, 0)], &[], Some(&footer)).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "footer font: the font pdf has no glyph for \"a\""
        );
    }

    #[test]
    fn bad_bookmarks_are_reported_together() {
        let a = fixture("a", 2, "");
        let bookmarks = [
            Bookmark {
                title: "zero".to_string(),
                level: 0,
                page: 0,
            },
            Bookmark {
                title: "far".to_string(),
                level: 1,
                page: 2,
            },
        ];
        let err = build(&[part(&a, 0)], &bookmarks, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "bookmark 1 (\"zero\"): level 0, levels start at 1; \
             bookmark 2 (\"far\"): page 3 is past the volume's 2 pages"
        );
    }

    #[test]
    fn untagged_and_broken_parts_are_errors() {
        let a = fixture("a", 1, "");
        let mut doc = load(&a).unwrap();
        doc.catalog_mut().unwrap().remove(b"StructTreeRoot");
        let mut untagged = Vec::new();
        save_classic(&mut doc, &mut untagged);
        let parts = [part(&a, 0), part(&untagged, 0)];
        let err = build(&parts, &[], None).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "part 2: the pdf is not tagged: no /StructTreeRoot"
        );
        let err = build(
            &[Part {
                pdf: b"not a pdf",
                heading_shift: 0,
            }],
            &[],
            None,
        )
        .unwrap_err();
        assert!(
            format!("{err:#}").starts_with("part 1: cannot read pdf: "),
            "{err:#}"
        );
        let err = build(&[], &[], None).unwrap_err();
        assert_eq!(err.to_string(), "a volume needs at least one part");
    }

    #[test]
    fn page_count_reads_the_page_tree() {
        assert_eq!(page_count(&fixture("a", 3, "")).unwrap(), 3);
        assert!(page_count(b"%PDF-1.7 nothing").is_err());
    }

    #[test]
    fn dates_are_utc() {
        assert_eq!(
            dates(0),
            (
                "D:19700101000000Z".to_string(),
                "1970-01-01T00:00:00Z".to_string()
            )
        );
        assert_eq!(dates(1_900_000_000).1, "2030-03-17T17:46:40Z");
        assert_eq!(dates(951_782_400).1, "2000-02-29T00:00:00Z");
    }
}
