//! The structure trees merged: one `Document` over the parts' top elements, headings shifted,
//! the parent tree, the ID tree, named destinations, role maps and class maps.

use anyhow::{Result, anyhow, bail};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use std::collections::HashSet;
use std::io::Write;

use super::PAGE_LINK;
use super::read::deref;
use super::serialize::{serialize, write_name};
use super::write::{ID_DOCUMENT, ID_STRUCT_ROOT, SENT_DOCUMENT, Volume};

/// What a part's structure tree brings: its root, its top elements, and
/// the entries of its parent tree, ID tree and named destinations.
pub(super) struct PartTree {
    pub(super) root: Dictionary,
    pub(super) tops: Vec<ObjectId>,
    pub(super) parent_entries: Vec<(i64, Object)>,
    pub(super) id_entries: Vec<(Vec<u8>, ObjectId)>,
    pub(super) dest_entries: Vec<(Vec<u8>, Object)>,
    /// The root's `/ParentTreeNextKey`.
    next_key: i64,
}

impl PartTree {
    pub(super) fn read(doc: &Document, catalog: &Dictionary) -> Result<PartTree> {
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
    pub(super) fn struct_parents_span(&self) -> i64 {
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

/// Walks a number tree or name tree, calling `f` on each (key, value).
pub(super) fn walk_tree(
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

/// Renames a part's structure: heading levels shifted by `shift`, the top elements' parent
/// the volume's `Document` (their `/Lang` the part's, when they have none); gives the
/// elements whose `/ID` takes the part's prefix.
pub(super) fn rewrite_structure(
    doc: &mut Document,
    tops: &[ObjectId],
    shift: u8,
    part_lang: Option<Vec<u8>>,
) -> HashSet<ObjectId> {
    let mut stack: Vec<ObjectId> = tops.iter().rev().copied().collect();
    let mut seen = HashSet::new();
    let mut ids = HashSet::new();
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
        if let Ok(Object::String(..)) = dict.get(b"ID") {
            ids.insert(id);
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
    ids
}

impl<'w, W: Write> Volume<'w, W> {
    /// Adds the entries of a part's role map and class map to the volume's: they must agree
    /// with earlier parts'.
    pub(super) fn merge_maps(
        &mut self,
        role_map: &[(Vec<u8>, Vec<u8>)],
        class_map: &[(Vec<u8>, Vec<u8>)],
    ) -> Result<()> {
        for (entries, map, what) in [
            (role_map, &mut self.role_map, "role map"),
            (class_map, &mut self.class_map, "class map"),
        ] {
            for (k, v) in entries {
                match map.iter().find(|(key, _)| key == k) {
                    Some((_, old)) if old != v => bail!(
                        "the {what} entry /{} differs from an earlier part's",
                        String::from_utf8_lossy(k)
                    ),
                    Some(_) => {}
                    None => map.push((k.clone(), v.clone())),
                }
            }
        }
        Ok(())
    }

    /// The structure tree: the `Document` element over the parts' top
    /// elements, the root with the parent tree, ID tree, role and class maps.
    pub(super) fn write_structure(&mut self) -> Result<()> {
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
        let mut bytes = Vec::new();
        serialize(&Object::Dictionary(root), &mut bytes);
        bytes.truncate(bytes.len() - 2);
        for (key, map) in [
            (&b"RoleMap"[..], &self.role_map),
            (b"ClassMap", &self.class_map),
        ] {
            if map.is_empty() {
                continue;
            }
            write_name(key, &mut bytes);
            bytes.extend_from_slice(b" <<");
            for (k, v) in map {
                write_name(k, &mut bytes);
                bytes.push(b' ');
                bytes.extend_from_slice(v);
            }
            bytes.extend_from_slice(b">>");
        }
        bytes.extend_from_slice(b">>");
        self.put(ID_STRUCT_ROOT, &bytes, false)
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
    pub(super) fn write_dests(&mut self) -> Result<Option<u32>> {
        let page_count = self.pages.len();
        let mut dests = std::mem::take(&mut self.dests);
        let mut errors = Vec::new();
        for (&page, &part) in &self.page_links {
            match self.pages.get(page - 1) {
                Some(&id) => {
                    let mut bytes = Vec::new();
                    let dest = Object::Array(vec![
                        Object::Reference((id, 0)),
                        Object::Name(b"XYZ".to_vec()),
                        Object::Integer(0),
                        Object::Real(self.page_tops[page - 1]),
                        Object::Integer(0),
                    ]);
                    serialize(&dest, &mut bytes);
                    let name = format!("{PAGE_LINK}{page}").into_bytes();
                    dests.push((name, bytes.into_boxed_slice()));
                }
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
        let entries = (dests.into_iter())
            .map(|(k, v)| (Object::String(k, StringFormat::Literal), v))
            .collect();
        Ok(Some(self.write_tree(entries, "Names")?))
    }
}
