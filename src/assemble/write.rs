//! The object writer: the volume's object numbers, the parts' objects copied once (identical
//! ones shared), object streams, the page tree, the catalog and the cross-reference stream.

use anyhow::{Context, Result, bail};
use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use super::footer::{FooterFont, footer_content};
use super::prepare::Graph;
use super::serialize::{Fill, deflate, push_number, serialize};
use super::{Bookmark, Footer, VolumeMeta};

/// Sentinel object ids standing, inside a part, for objects of the volume.
pub(super) const SENT_PAGES: ObjectId = (u32::MAX, u16::MAX);

pub(super) const SENT_DOCUMENT: ObjectId = (u32::MAX - 1, u16::MAX);

pub(super) const SENT_FONT: ObjectId = (u32::MAX - 2, u16::MAX);

/// Fixed object numbers of the volume.
const ID_CATALOG: u32 = 1;

pub(super) const ID_PAGES: u32 = 2;

pub(super) const ID_STRUCT_ROOT: u32 = 3;

pub(super) const ID_DOCUMENT: u32 = 4;

const FIRST_FREE: u32 = 5;

/// Objects per object stream.
const OBJSTM_SIZE: usize = 200;

/// Entries per leaf of the parent tree and the ID tree.
const TREE_LEAF: usize = 256;

/// Where an object of the volume is: at a byte offset, or inside an object stream.
#[derive(Clone, Copy)]
enum Slot {
    Free,
    Offset(u64),
    InStream(u32, u32),
}

pub(super) struct Volume<'w, W: Write> {
    out: &'w mut W,
    pos: u64,
    slots: Vec<Slot>,
    /// Small objects waiting to go into the next object stream: their numbers and offsets in
    /// `pending_data`, which holds their serialised bytes, each followed by a newline.
    pending: Vec<(u32, usize)>,
    pending_data: Vec<u8>,
    /// Objects written once, by the hash of their bytes.
    dedup: HashMap<[u8; 32], u32>,
    pub(super) pages: Vec<u32>,
    /// The volume pages (1-based) that links go to (see [`PAGE_LINK`]), with the part that
    /// links there.
    pub(super) page_links: BTreeMap<usize, usize>,
    /// Per page: its media box top, for the bookmarks' destinations.
    pub(super) page_tops: Vec<f32>,
    /// The parent tree's entries, their values serialised (compact: 5,000 sheets have ~10^6
    /// references there).
    pub(super) parent_tree: Vec<(i64, Box<[u8]>)>,
    pub(super) next_struct_parent: i64,
    pub(super) id_tree: Vec<(Vec<u8>, u32)>,
    /// The named destinations, their values serialised.
    pub(super) dests: Vec<(Vec<u8>, Box<[u8]>)>,
    pub(super) top_elements: Vec<u32>,
    /// The role map's and class map's entries, values serialised, in the order first seen.
    pub(super) role_map: Vec<(Vec<u8>, Vec<u8>)>,
    pub(super) class_map: Vec<(Vec<u8>, Vec<u8>)>,
    pub(super) output_intent: Option<u32>,
}

impl<'w, W: Write> Volume<'w, W> {
    pub(super) fn new(out: &'w mut W) -> Result<Self> {
        let mut vol = Volume {
            out,
            pos: 0,
            slots: vec![Slot::Free; FIRST_FREE as usize],
            pending: Vec::new(),
            pending_data: Vec::new(),
            dedup: HashMap::new(),
            pages: Vec::new(),
            page_links: BTreeMap::new(),
            page_tops: Vec::new(),
            parent_tree: Vec::new(),
            next_struct_parent: 0,
            id_tree: Vec::new(),
            dests: Vec::new(),
            top_elements: Vec::new(),
            role_map: Vec::new(),
            class_map: Vec::new(),
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

    pub(super) fn alloc(&mut self) -> u32 {
        self.slots.push(Slot::Free);
        (self.slots.len() - 1) as u32
    }

    /// Writes object `id` whose serialised body is `body`: streams go straight to the file,
    /// other objects into the pending object stream.
    pub(super) fn put(&mut self, id: u32, body: &[u8], is_stream: bool) -> Result<()> {
        if is_stream {
            self.slots[id as usize] = Slot::Offset(self.pos);
            let mut head = Vec::with_capacity(16);
            push_number(&mut head, id as u64);
            head.extend_from_slice(b" 0 obj\n");
            self.emit(&head)?;
            self.emit(body)?;
            self.emit(b"\nendobj\n")?;
        } else {
            self.pending.push((id, self.pending_data.len()));
            self.pending_data.extend_from_slice(body);
            self.pending_data.push(b'\n');
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
        let mut data = Vec::with_capacity(pending.len() * 12 + self.pending_data.len());
        for &(id, offset) in &pending {
            push_number(&mut data, id as u64);
            data.push(b' ');
            push_number(&mut data, offset as u64);
            data.push(b' ');
        }
        let first = data.len();
        data.extend_from_slice(&self.pending_data);
        self.pending_data.clear();
        for (index, &(id, _)) in pending.iter().enumerate() {
            self.slots[id as usize] = Slot::InStream(stream_id, index as u32);
        }
        let packed = deflate(&data)?;
        let dict = format!(
            "<</Type/ObjStm/N {}/First {first}/Filter/FlateDecode/Length {}>>\nstream\n",
            pending.len(),
            packed.len()
        );
        let mut body = dict.into_bytes();
        body.extend_from_slice(&packed);
        body.extend_from_slice(b"\nendstream");
        self.put(stream_id, &body, true)
    }

    /// Copies a prepared graph: each object numbered (in order, those that may not be shared
    /// first), its holes filled by `fill` (whose `numbers` this sets), written, or shared with
    /// an identical object copied before; a footer's stream made for its page, the part's
    /// first page being the volume's `first_page`. Returns the number of each object.
    pub(super) fn copy_graph(
        &mut self,
        graph: &Graph,
        fill: Fill,
        footer: Option<((&Footer, &FooterFont), usize)>,
    ) -> Result<Vec<u32>> {
        let mut numbers = vec![u32::MAX; graph.pieces.len()];
        for (number, piece) in numbers.iter_mut().zip(&graph.pieces) {
            if !piece.shareable {
                *number = self.alloc();
            }
        }
        let mut buf = Vec::new();
        for (index, piece) in graph.pieces.iter().enumerate() {
            buf.clear();
            match (piece.footer, footer) {
                (Some((page, media)), Some(((f, font), first_page))) => {
                    let content = footer_content(f, font, media, first_page + page as usize + 1);
                    let stream = lopdf::Stream::new(Dictionary::new(), content);
                    serialize(&Object::Stream(stream), &mut buf);
                }
                (Some(_), None) => bail!("the part was prepared for a footer"),
                (None, _) => {
                    let fill = Fill {
                        numbers: &numbers,
                        ..fill
                    };
                    piece.body.fill(&fill, &mut buf)?;
                }
            }
            if piece.shareable {
                let hash: [u8; 32] = match piece.hash {
                    Some(hash) => hash,
                    None => Sha256::digest(&buf).into(),
                };
                if let Some(&existing) = self.dedup.get(&hash) {
                    numbers[index] = existing;
                    continue;
                }
                let new = self.alloc();
                self.dedup.insert(hash, new);
                numbers[index] = new;
                self.put(new, &buf, piece.stream)?;
            } else {
                self.put(numbers[index], &buf, piece.stream)?;
            }
        }
        Ok(numbers)
    }

    /// Writes what the parts do not bring: the page tree, the structure
    /// tree root and its trees, the named destinations, the outline, the
    /// metadata, the catalog and the cross-reference stream.
    pub(super) fn finish(mut self, bookmarks: &[Bookmark], meta: &VolumeMeta) -> Result<usize> {
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

    pub(super) fn put_dict(&mut self, id: u32, dict: &Dictionary) -> Result<()> {
        let mut buf = Vec::new();
        serialize(&Object::Dictionary(dict.clone()), &mut buf);
        self.put(id, &buf, false)
    }

    /// Writes a number tree (`Nums`) or name tree (`Names`) of sorted entries, in leaves of
    /// `TREE_LEAF` entries under one root; returns the root's number.
    pub(super) fn write_tree(
        &mut self,
        entries: Vec<(Object, Box<[u8]>)>,
        kind: &str,
    ) -> Result<u32> {
        let leaf = |chunk: &[(Object, Box<[u8]>)], limits: bool| -> Vec<u8> {
            let mut out = format!("<</{kind}[").into_bytes();
            for (i, (key, value)) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                serialize(key, &mut out);
                out.push(b' ');
                out.extend_from_slice(value);
            }
            out.push(b']');
            if limits {
                out.extend_from_slice(b"/Limits[");
                serialize(&chunk[0].0, &mut out);
                out.push(b' ');
                serialize(&chunk[chunk.len() - 1].0, &mut out);
                out.push(b']');
            }
            out.extend_from_slice(b">>");
            out
        };
        let root_id = self.alloc();
        if entries.len() <= TREE_LEAF {
            self.put(root_id, &leaf(&entries, false), false)?;
        } else {
            let mut root = b"<</Kids[".to_vec();
            for chunk in entries.chunks(TREE_LEAF) {
                let id = self.alloc();
                self.put(id, &leaf(chunk, true), false)?;
                root.extend_from_slice(format!("{id} 0 R ").as_bytes());
            }
            root.extend_from_slice(b"]>>");
            self.put(root_id, &root, false)?;
        }
        Ok(root_id)
    }
}
