//! A part made ready to copy: its objects serialised once, in the order they are copied, with
//! holes for what depends on where the part goes in the volume (object numbers, the
//! `/StructParent` offset, the prefix of its names, the page numbers of the footer).
//!
//! Copying a [`Prepared`] part is filling its holes, hashing its shareable objects and writing
//! them: about a fifth of the work of reading and preparing it. A sheet's prepared form is kept
//! between builds ([`Prepared::encode`], [`Prepared::decode`]), so that a volume made again
//! because one sheet changed prepares that sheet only.

use anyhow::{Result, anyhow, bail};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};

use super::PAGE_LINK;
use super::footer::footer_resources;
use super::read::deref;
use super::serialize::{
    Hole, Marks, Ref, Template, collect_refs, serialize, text_string, write_object,
};
use super::structure::{PartTree, rewrite_structure};
use super::write::{ID_DOCUMENT, ID_PAGES, SENT_DOCUMENT, SENT_FONT, SENT_PAGES};

/// One object of a prepared part.
pub(super) struct Piece {
    pub(super) body: Template,
    pub(super) stream: bool,
    /// Whether it may be shared with an identical object copied before (see
    /// [`children_first`]).
    pub(super) shareable: bool,
    /// The SHA-256 of its bytes, when they have no hole.
    pub(super) hash: Option<[u8; 32]>,
    /// A page's footer, made when copied: the page's index in the part and its media box.
    pub(super) footer: Option<(u32, [f32; 4])>,
}

/// Objects to copy, children before parents; references between them are by index.
#[derive(Default)]
pub(super) struct Graph {
    pub(super) pieces: Vec<Piece>,
}

/// A part ready to copy into any volume at any place.
pub(super) struct Prepared {
    /// The output intent's graph and the intent's index, when asked for.
    pub(super) intent: Option<(Graph, u32)>,
    pub(super) graph: Graph,
    /// By page: its object's index, the top of its media box, whether it has the footer.
    pub(super) pages: Vec<(u32, f32, bool)>,
    /// The top-level structure elements.
    pub(super) tops: Vec<u32>,
    pub(super) parent_entries: Vec<(i64, Template)>,
    pub(super) id_entries: Vec<(Vec<u8>, u32)>,
    pub(super) dest_entries: Vec<(Vec<u8>, Template)>,
    /// How many `/StructParent(s)` numbers it uses.
    pub(super) span: i64,
    /// Its role map's and class map's entries, values serialised.
    pub(super) role_map: Vec<(Vec<u8>, Vec<u8>)>,
    pub(super) class_map: Vec<(Vec<u8>, Vec<u8>)>,
    /// The volume pages its links go to (see [`super::PAGE_LINK`]).
    pub(super) page_links: Vec<usize>,
}

/// Prepares a part: `heading_shift` as [`super::Part::heading_shift`]; the footer goes on
/// its pages from the index `footer_from` on (none when `None`); `with_intent` prepares its
/// output intent too (for the first part of a volume).
pub(super) fn prepare(
    mut doc: Document,
    heading_shift: u8,
    footer_from: Option<usize>,
    with_intent: bool,
) -> Result<Prepared> {
    let catalog = doc.catalog().map_err(|e| anyhow!("{e}"))?.clone();
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    if pages.is_empty() {
        bail!("the pdf has no page");
    }
    let intent = match with_intent {
        true => Some(prepare_intent(&mut doc, &catalog)?),
        false => None,
    };
    let tree = PartTree::read(&doc, &catalog)?;
    let role_map = map_entries(&doc, &tree.root, b"RoleMap", "role map")?;
    let class_map = map_entries(&doc, &tree.root, b"ClassMap", "class map")?;
    let part_lang = (catalog.get(b"Lang").ok())
        .and_then(|l| l.as_str().ok())
        .map(<[u8]>::to_vec);
    let ids = rewrite_structure(&mut doc, &tree.tops, heading_shift, part_lang);
    let mut page_links = Vec::new();
    let mut converted = HashSet::new();
    for (&id, obj) in doc.objects.iter_mut() {
        let dict = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        if let Some(page) = relink(dict)? {
            page_links.push(page);
            converted.insert(id);
        }
    }
    let mut footers = BTreeMap::new();
    let mut page_info = Vec::new();
    for (i, &page) in pages.iter().enumerate() {
        let footer = footer_from.is_some_and(|from| i >= from);
        let (top, footer_stream) = prepare_page(&mut doc, page, footer)?;
        if let Some((stream, media)) = footer_stream {
            footers.insert(stream, (i as u32, media));
        }
        page_info.push((top, footer));
    }
    let mut roots = pages.clone();
    roots.extend(&tree.tops);
    for (_, value) in &tree.parent_entries {
        collect_refs(value, &mut roots);
    }
    roots.extend(tree.id_entries.iter().map(|(_, v)| *v));
    for (_, value) in &tree.dest_entries {
        collect_refs(value, &mut roots);
    }
    let (order, shareable) = children_first(&doc.objects, &roots);
    let local = local_indices(&doc.objects, &order);
    let refs = |id: &ObjectId| match *id {
        SENT_PAGES => Ref::Number(ID_PAGES),
        SENT_DOCUMENT => Ref::Number(ID_DOCUMENT),
        SENT_FONT if footer_from.is_some() => Ref::Font,
        (n, _) => match local.get(n as usize) {
            Some(&index) if index != u32::MAX => Ref::Local(index),
            _ => Ref::Null,
        },
    };
    let mut graph = Graph::default();
    for id in &order {
        let marks = Marks {
            struct_parent: true,
            id: ids.contains(id),
            dest: true,
            action: !converted.contains(id),
        };
        let piece = match footers.get(id) {
            Some(&footer) => Piece {
                body: Template::default(),
                stream: true,
                shareable: shareable[id.0 as usize],
                hash: None,
                footer: Some(footer),
            },
            None => piece(&doc.objects[id], shareable[id.0 as usize], &refs, marks),
        };
        graph.pieces.push(piece);
    }
    let index_of = |id: &ObjectId| -> Result<u32> {
        match local.get(id.0 as usize) {
            Some(&index) if index != u32::MAX => Ok(index),
            _ => bail!("object {} {} R is missing", id.0, id.1),
        }
    };
    let pages = (pages.iter().zip(page_info))
        .map(|(page, (top, footer))| Ok((index_of(page)?, top, footer)))
        .collect::<Result<_>>()?;
    let tops = tree.tops.iter().map(index_of).collect::<Result<_>>()?;
    let value = |value: &Object| {
        let mut template = Template::default();
        write_object(value, &refs, Marks::default(), &mut template);
        template
    };
    Ok(Prepared {
        intent,
        graph,
        pages,
        tops,
        span: tree.struct_parents_span(),
        parent_entries: (tree.parent_entries.iter())
            .map(|(key, v)| (*key, value(v)))
            .collect(),
        id_entries: (tree.id_entries.iter())
            .map(|(key, id)| Ok((key.clone(), index_of(id)?)))
            .collect::<Result<_>>()?,
        dest_entries: (tree.dest_entries.iter())
            .map(|(key, v)| (key.clone(), value(v)))
            .collect(),
        role_map,
        class_map,
        page_links,
    })
}

/// An object serialised with its holes; its hash when it has none and may be shared.
fn piece(obj: &Object, shareable: bool, refs: &dyn Fn(&ObjectId) -> Ref, marks: Marks) -> Piece {
    let mut body = Template::default();
    write_object(obj, refs, marks, &mut body);
    let hash = (shareable && body.holes.is_empty()).then(|| Sha256::digest(&body.bytes).into());
    Piece {
        body,
        stream: matches!(obj, Object::Stream(_)),
        shareable,
        hash,
        footer: None,
    }
}

/// The first output intent's graph, with the intent's index in it.
fn prepare_intent(doc: &mut Document, catalog: &Dictionary) -> Result<(Graph, u32)> {
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
    let (graph, local) = plain_graph(doc, &[id]);
    let index = (local.get(id.0 as usize).copied())
        .filter(|&i| i != u32::MAX)
        .ok_or_else(|| anyhow!("the pdf has no output intent"))?;
    Ok((graph, index))
}

/// The graph of the objects reachable from `roots`, nothing marked, with the index of each
/// object number in it (`u32::MAX` for those not in it).
pub(super) fn plain_graph(doc: &Document, roots: &[ObjectId]) -> (Graph, Vec<u32>) {
    let (order, shareable) = children_first(&doc.objects, roots);
    let local = local_indices(&doc.objects, &order);
    let refs = |id: &ObjectId| match local.get(id.0 as usize) {
        Some(&index) if index != u32::MAX => Ref::Local(index),
        _ => Ref::Null,
    };
    let pieces = (order.iter())
        .map(|id| {
            piece(
                &doc.objects[id],
                shareable[id.0 as usize],
                &refs,
                Marks::default(),
            )
        })
        .collect();
    (Graph { pieces }, local)
}

/// By object number, the object's index in `order` (`u32::MAX` when not in it).
fn local_indices(objects: &BTreeMap<ObjectId, Object>, order: &[ObjectId]) -> Vec<u32> {
    let size = objects.keys().next_back().map_or(0, |id| id.0 as usize + 1);
    let mut local = vec![u32::MAX; size];
    for (index, id) in order.iter().enumerate() {
        local[id.0 as usize] = index as u32;
    }
    local
}

/// The entries of a structure tree root's role map or class map, which must be direct.
fn map_entries(
    doc: &Document,
    root: &Dictionary,
    key: &[u8],
    what: &str,
) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let Ok(obj) = root.get(key) else {
        return Ok(Vec::new());
    };
    let dict = deref(doc, obj)
        .as_dict()
        .map_err(|_| anyhow!("the {what} is not a dictionary"))?;
    let mut entries = Vec::new();
    for (k, v) in dict.iter() {
        let v = deref(doc, v);
        if !all_direct(v) {
            bail!(
                "the {what} entry /{} refers to other objects",
                String::from_utf8_lossy(k)
            );
        }
        let mut bytes = Vec::new();
        serialize(v, &mut bytes);
        entries.push((k.clone(), bytes));
    }
    Ok(entries)
}

fn all_direct(obj: &Object) -> bool {
    match obj {
        Object::Reference(_) | Object::Stream(_) => false,
        Object::Array(a) => a.iter().all(all_direct),
        Object::Dictionary(d) => d.iter().all(|(_, v)| all_direct(v)),
        _ => true,
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

/// In one object of a part: turns a link to a page of the volume (`PAGE_LINK` and a number)
/// into a `GoTo`, and gives that page. (Its `/StructParent(s)` and the destinations it names
/// are holes of its template, see [`super::serialize::Marks`].)
fn relink(dict: &mut Dictionary) -> Result<Option<usize>> {
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
/// own, its parent the volume's page tree, the footer drawn over it when
/// `footer`; gives the top of its media box, and the footer's stream (a
/// placeholder: its content, the page number, is made when the part is
/// copied) with the media box.
fn prepare_page(
    doc: &mut Document,
    page: ObjectId,
    footer: bool,
) -> Result<(f32, Option<FooterPlaceholder>)> {
    let inherited = inherited_attributes(doc, page);
    let inherited_value = |key: &[u8]| {
        inherited
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let footer = match footer {
        true => {
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
            let stream = doc.add_object(lopdf::Stream::new(Dictionary::new(), Vec::new()));
            let q = doc.add_object(lopdf::Stream::new(Dictionary::new(), b"q\n".to_vec()));
            let resources = footer_resources(doc, page, inherited_value(b"Resources"))?;
            Some((stream, q, resources, media))
        }
        false => None,
    };
    let dict = doc.get_dictionary_mut(page).map_err(|e| anyhow!("{e}"))?;
    for (k, v) in inherited {
        if !dict.has(&k) {
            dict.set(k, v);
        }
    }
    dict.set("Parent", Object::Reference(SENT_PAGES));
    let placeholder = footer
        .as_ref()
        .map(|(stream, _, _, media)| (*stream, *media));
    if let Some((stream, q, resources, _)) = footer {
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
    let top = (top.and_then(|m| rect(doc, &m)))
        .map(|r| r[3])
        .unwrap_or(841.89);
    Ok((top, placeholder))
}

/// The placeholder object of a page's footer stream, and the page's media box.
type FooterPlaceholder = (ObjectId, [f32; 4]);

/// The attributes a page inherits from its ancestors and does not set itself.
pub(super) fn inherited_attributes(doc: &Document, page: ObjectId) -> Vec<(Vec<u8>, Object)> {
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

/// The first bytes of an encoded part, with the format's version.
const MAGIC: &[u8] = b"schede prepared part 1\n";

impl Prepared {
    /// The part as bytes, to keep in the cache (without its output intent).
    pub(super) fn encode(&self) -> Vec<u8> {
        let mut e = Encoder(MAGIC.to_vec());
        e.u32(self.graph.pieces.len() as u32);
        for piece in &self.graph.pieces {
            e.template(&piece.body);
            let flags = piece.stream as u8
                | (piece.shareable as u8) << 1
                | (piece.hash.is_some() as u8) << 2
                | (piece.footer.is_some() as u8) << 3;
            e.0.push(flags);
            if let Some(hash) = &piece.hash {
                e.0.extend_from_slice(hash);
            }
            if let Some((page, media)) = &piece.footer {
                e.u32(*page);
                media.iter().for_each(|x| e.u32(x.to_bits()));
            }
        }
        e.u32(self.pages.len() as u32);
        for &(index, top, footer) in &self.pages {
            e.u32(index);
            e.u32(top.to_bits());
            e.0.push(footer as u8);
        }
        e.u32(self.tops.len() as u32);
        self.tops.iter().for_each(|&t| e.u32(t));
        e.u32(self.parent_entries.len() as u32);
        for (key, value) in &self.parent_entries {
            e.u64(*key as u64);
            e.template(value);
        }
        e.u32(self.id_entries.len() as u32);
        for (key, index) in &self.id_entries {
            e.bytes(key);
            e.u32(*index);
        }
        e.u32(self.dest_entries.len() as u32);
        for (key, value) in &self.dest_entries {
            e.bytes(key);
            e.template(value);
        }
        e.u64(self.span as u64);
        for map in [&self.role_map, &self.class_map] {
            e.u32(map.len() as u32);
            for (key, value) in map {
                e.bytes(key);
                e.bytes(value);
            }
        }
        e.u32(self.page_links.len() as u32);
        self.page_links.iter().for_each(|&p| e.u64(p as u64));
        e.0
    }

    /// A part from [`Prepared::encode`]'s bytes; an error for anything else.
    pub(super) fn decode(bytes: &[u8]) -> Result<Prepared> {
        let rest = (bytes.strip_prefix(MAGIC)).ok_or_else(|| anyhow!("not a prepared part"))?;
        let mut d = Decoder(rest);
        let decoded = d
            .prepared()
            .ok_or_else(|| anyhow!("a prepared part is damaged"))?;
        if !d.0.is_empty() {
            bail!("a prepared part is damaged");
        }
        Ok(decoded)
    }
}

struct Encoder(Vec<u8>);

impl Encoder {
    fn u32(&mut self, n: u32) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.u32(bytes.len() as u32);
        self.0.extend_from_slice(bytes);
    }

    fn template(&mut self, template: &Template) {
        self.bytes(&template.bytes);
        self.u32(template.holes.len() as u32);
        for &(pos, hole) in &template.holes {
            self.u32(pos);
            match hole {
                Hole::Ref(index) => {
                    self.0.push(0);
                    self.u32(index);
                }
                Hole::Font => self.0.push(1),
                Hole::StructParent(n) => {
                    self.0.push(2);
                    self.u64(n as u64);
                }
                Hole::Prefix { hex } => self.0.push(3 + hex as u8),
            }
        }
    }
}

/// Reads what [`Encoder`] wrote; `None` when the bytes end early or hold what it never writes.
struct Decoder<'a>(&'a [u8]);

impl<'a> Decoder<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A count of items, each at least `min` bytes long: never more than the bytes left hold.
    fn count(&mut self, min: usize) -> Option<usize> {
        let n = self.u32()? as usize;
        (n.saturating_mul(min) <= self.0.len()).then_some(n)
    }

    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.u32()? as usize;
        Some(self.take(n)?.to_vec())
    }

    fn template(&mut self) -> Option<Template> {
        let bytes = self.bytes()?;
        let n = self.count(5)?;
        let mut holes = Vec::with_capacity(n);
        let mut last = 0;
        for _ in 0..n {
            let pos = self.u32()?;
            if pos < last || pos as usize > bytes.len() {
                return None;
            }
            last = pos;
            let hole = match self.u8()? {
                0 => Hole::Ref(self.u32()?),
                1 => Hole::Font,
                2 => Hole::StructParent(self.u64()? as i64),
                3 => Hole::Prefix { hex: false },
                4 => Hole::Prefix { hex: true },
                _ => return None,
            };
            holes.push((pos, hole));
        }
        Some(Template { bytes, holes })
    }

    fn prepared(&mut self) -> Option<Prepared> {
        let mut pieces = Vec::new();
        for _ in 0..self.count(9)? {
            let body = self.template()?;
            let flags = self.u8()?;
            let hash = match flags & 4 {
                0 => None,
                _ => Some(self.take(32)?.try_into().ok()?),
            };
            let footer = match flags & 8 {
                0 => None,
                _ => {
                    let page = self.u32()?;
                    let mut media = [0.0; 4];
                    for x in &mut media {
                        *x = f32::from_bits(self.u32()?);
                    }
                    Some((page, media))
                }
            };
            pieces.push(Piece {
                body,
                stream: flags & 1 != 0,
                shareable: flags & 2 != 0,
                hash,
                footer,
            });
        }
        let mut pages = Vec::new();
        for _ in 0..self.count(9)? {
            let index = self.u32()?;
            let top = f32::from_bits(self.u32()?);
            pages.push((index, top, self.u8()? != 0));
        }
        let tops: Vec<u32> = (0..self.count(4)?)
            .map(|_| self.u32())
            .collect::<Option<_>>()?;
        let mut parent_entries = Vec::new();
        for _ in 0..self.count(16)? {
            parent_entries.push((self.u64()? as i64, self.template()?));
        }
        let mut id_entries = Vec::new();
        for _ in 0..self.count(8)? {
            id_entries.push((self.bytes()?, self.u32()?));
        }
        let mut dest_entries = Vec::new();
        for _ in 0..self.count(12)? {
            dest_entries.push((self.bytes()?, self.template()?));
        }
        let span = self.u64()? as i64;
        let mut maps = [Vec::new(), Vec::new()];
        for map in &mut maps {
            for _ in 0..self.count(8)? {
                map.push((self.bytes()?, self.bytes()?));
            }
        }
        let [role_map, class_map] = maps;
        let page_links = (0..self.count(8)?)
            .map(|_| Some(self.u64()? as usize))
            .collect::<Option<_>>()?;
        let count = pieces.len() as u32;
        let valid = |index: &u32| *index < count;
        if !(pages.iter().all(|(i, _, _)| valid(i))
            && tops.iter().all(valid)
            && id_entries.iter().all(|(_, i)| valid(i)))
        {
            return None;
        }
        Some(Prepared {
            intent: None,
            graph: Graph { pieces },
            pages,
            tops,
            parent_entries,
            id_entries,
            dest_entries,
            span,
            role_map,
            class_map,
            page_links,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> Object {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    }

    #[test]
    fn a_template_fills_each_kind_of_hole() {
        let mut t = Template::default();
        let obj = Object::Dictionary(Dictionary::from_iter(vec![
            ("StructParent", Object::Integer(3)),
            ("ID", literal("a(b")),
            ("K", Object::Reference((7, 0))),
            ("F", Object::Reference((9, 0))),
        ]));
        let refs = |id: &ObjectId| match id.0 {
            7 => Ref::Local(0),
            _ => Ref::Font,
        };
        let marks = Marks {
            struct_parent: true,
            id: true,
            ..Marks::default()
        };
        write_object(&obj, &refs, marks, &mut t);
        let fill = super::super::serialize::Fill {
            numbers: &[42],
            font: Some(5),
            struct_parent: 100,
            prefix: b"p2-",
        };
        let mut out = Vec::new();
        t.fill(&fill, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<</StructParent 103/ID (p2-a\\(b)/K 42 0 R/F 5 0 R>>"
        );
    }

    #[test]
    fn damaged_or_foreign_bytes_are_an_error_never_a_panic() {
        assert!(Prepared::decode(b"%PDF-1.7").is_err());
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(Prepared::decode(&bytes).is_err());
        for cut in 0..40 {
            let mut bytes = MAGIC.to_vec();
            bytes.extend_from_slice(&[0xff; 40][..cut]);
            assert!(Prepared::decode(&bytes).is_err());
        }
    }
}
