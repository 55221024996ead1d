//! A part copied into the volume: its pages (inherited attributes made their own, the footer
//! drawn over them), its links, its objects renumbered.

use anyhow::{Result, anyhow, bail};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use std::io::Write;

use super::footer::{FooterFont, footer_content, footer_resources};
use super::read::deref;
use super::serialize::{collect_refs, remap, serialize, text_string};
use super::structure::PartTree;
use super::write::{ID_DOCUMENT, ID_PAGES, SENT_DOCUMENT, SENT_FONT, SENT_PAGES, Volume};
use super::{Footer, PAGE_LINK};

impl<'w, W: Write> Volume<'w, W> {
    /// Adds a sheet's PDF as the part `index` of the volume: its pages, its
    /// structure tree renumbered and renamed apart from the other parts', its
    /// trees' entries and named destinations, and the footer on its pages.
    pub(super) fn add_part(
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
