//! The object writer: the volume's object numbers, the parts' objects copied once (identical
//! ones shared), object streams, the page tree, the catalog and the cross-reference stream.

use anyhow::{Context, Result};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use super::serialize::{Renumber, collect_refs, deflate, serialize};
use super::{Bookmark, VolumeMeta};

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
    /// Small objects waiting to go into the next object stream: (number, serialised bytes).
    pending: Vec<(u32, Vec<u8>)>,
    pending_bytes: usize,
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
    pub(super) dests: Vec<(Vec<u8>, Object)>,
    pub(super) top_elements: Vec<u32>,
    pub(super) role_map: Dictionary,
    pub(super) class_map: Dictionary,
    pub(super) output_intent: Option<u32>,
}

impl<'w, W: Write> Volume<'w, W> {
    pub(super) fn new(out: &'w mut W) -> Result<Self> {
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

    pub(super) fn alloc(&mut self) -> u32 {
        self.slots.push(Slot::Free);
        (self.slots.len() - 1) as u32
    }

    /// Writes object `id` whose serialised body is `body`: streams go straight to the file,
    /// other objects into the pending object stream.
    pub(super) fn put(&mut self, id: u32, body: Vec<u8>, is_stream: bool) -> Result<()> {
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

    /// Writes every object reachable from `roots` in `doc`, renumbered; `fixed` maps ids that
    /// stand for the volume's own objects. Returns the new number of each object written or
    /// found identical to one already written.
    /// Copies the objects reachable from `roots` (the `fixed` ones mapped to
    /// the given numbers), children first; objects that are not on a cycle
    /// and not pages, structure elements or annotations are shared with
    /// identical ones copied before.
    pub(super) fn copy_graph(
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
        serialize(
            &Object::Dictionary(dict.clone()),
            &Renumber::identity(),
            &mut buf,
        );
        self.put(id, buf, false)
    }

    /// Writes a number tree (`Nums`) or name tree (`Names`) of sorted entries, in leaves of
    /// `TREE_LEAF` entries under one root; returns the root's number.
    pub(super) fn write_tree(
        &mut self,
        entries: Vec<(Object, Box<[u8]>)>,
        kind: &str,
    ) -> Result<u32> {
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
