//! The checks the tests run on a volume ([`verify`]): what [`assemble`](super::assemble)
//! promises, with every problem at once.

use anyhow::{Result, anyhow, bail};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::HashMap;

use super::Part;
use super::read::{deref, load};
use super::serialize::collect_refs;
use super::structure::walk_tree;

/// Checks what [`assemble`] promises about `volume`, made from `parts`: every page of every
/// part is there in order with its content streams unchanged, one structure tree whose
/// `Document` holds the parts' top elements, every `StructParent(s)` number found once in the
/// parent tree, unique `/ID`s that the ID tree resolves, named destinations that resolve, no
/// reference to a missing object, one output intent, XMP metadata. For the tests; returns
/// all the problems at once.
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
pub(super) fn content_streams(doc: &Document, page: ObjectId) -> Vec<Vec<u8>> {
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

/// Whether two parsed objects are the same (streams by dictionary and content).
#[cfg(test)]
pub(super) fn same_object(a: &Object, b: &Object) -> bool {
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
