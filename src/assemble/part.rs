//! A part copied into the volume: its pages (inherited attributes made their own, the footer
//! drawn over them), its links, its objects renumbered.

use anyhow::{Result, anyhow, bail};
use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};
use std::io::Write;

use super::footer::{FooterFont, footer_resources};
use super::prepare::Prepared;
use super::read::deref;
use super::serialize::{Fill, text_string};
use super::write::{SENT_PAGES, Volume};
use super::{Footer, PAGE_LINK};

impl<'w, W: Write> Volume<'w, W> {
    /// Copies a prepared part in as the part `index` of the volume: its objects numbered, its
    /// structure tree's entries renumbered and renamed apart from the other parts', the
    /// footer on its pages.
    pub(super) fn add_part(
        &mut self,
        index: usize,
        part: &Prepared,
        footer: Option<(&Footer, &FooterFont)>,
    ) -> Result<()> {
        if self.output_intent.is_none() {
            let (graph, intent) =
                (part.intent.as_ref()).ok_or_else(|| anyhow!("the pdf has no output intent"))?;
            let numbers = self.copy_graph(graph, Fill::PLAIN, None)?;
            self.output_intent = numbers.get(*intent as usize).copied();
        }
        self.merge_maps(&part.role_map, &part.class_map)?;
        let sp_offset = self.next_struct_parent;
        self.next_struct_parent = self.next_struct_parent.saturating_add(part.span);
        let prefix = format!("p{}-", index + 1).into_bytes();
        for &page in &part.page_links {
            self.page_links.entry(page).or_insert(index);
        }
        let first_page = self.pages.len();
        for (i, &(_, _, has_footer)) in part.pages.iter().enumerate() {
            let wanted = footer.is_some_and(|(f, _)| first_page + i >= f.first_page);
            if has_footer != wanted {
                bail!("the part was prepared for a footer on other pages");
            }
        }
        let fill = Fill {
            numbers: &[],
            font: footer.map(|(_, font)| font.id),
            struct_parent: sp_offset,
            prefix: &prefix,
        };
        let numbers = self.copy_graph(&part.graph, fill, footer.map(|f| (f, first_page)))?;
        let fill = Fill {
            numbers: &numbers,
            ..fill
        };
        let number = |index: u32| -> Result<u32> {
            (numbers.get(index as usize).copied())
                .filter(|&n| n != u32::MAX)
                .ok_or_else(|| anyhow!("a part's object is missing"))
        };
        for &(page, top, _) in &part.pages {
            self.pages.push(number(page)?);
            self.page_tops.push(top);
        }
        for &top in &part.tops {
            self.top_elements.push(number(top)?);
        }
        for (key, value) in &part.parent_entries {
            let mut bytes = Vec::new();
            value.fill(&fill, &mut bytes)?;
            self.parent_tree
                .push((key.saturating_add(sp_offset), bytes.into_boxed_slice()));
        }
        let renamed = |key: &[u8]| [&prefix[..], key].concat();
        for (key, value) in &part.dest_entries {
            let mut bytes = Vec::new();
            value.fill(&fill, &mut bytes)?;
            self.dests.push((renamed(key), bytes.into_boxed_slice()));
        }
        for (key, value) in &part.id_entries {
            self.id_tree.push((renamed(key), number(*value)?));
        }
        Ok(())
    }
}

/// In one object of a part: turns a link to a page of the volume (`PAGE_LINK` and a number)
/// into a `GoTo`, and gives that page. (Its `/StructParent(s)` and the destinations it names
/// are holes of its template, see [`super::serialize::Marks`].)
pub(super) fn relink(dict: &mut Dictionary) -> Result<Option<usize>> {
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
pub(super) fn prepare_page(
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
pub(super) type FooterPlaceholder = (ObjectId, [f32; 4]);

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
