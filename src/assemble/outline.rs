//! The volume's outline (bookmarks), from [`Bookmark`]s.

use anyhow::{Result, bail};
use lopdf::{Dictionary, Object};
use std::io::Write;

use super::Bookmark;
use super::serialize::text_string;
use super::write::Volume;

impl<'w, W: Write> Volume<'w, W> {
    /// Writes the outline; returns its root's number, if there are bookmarks.
    pub(super) fn write_outline(
        &mut self,
        bookmarks: &[Bookmark],
        page_count: usize,
    ) -> Result<Option<u32>> {
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
