//! A prepared part copied into the volume: its objects numbered and written, its pages, its
//! structure tree's entries and names renumbered and renamed apart from the other parts'.

use anyhow::{Result, anyhow, bail};
use std::io::Write;

use super::Footer;
use super::footer::FooterFont;
use super::prepare::Prepared;
use super::serialize::Fill;
use super::write::Volume;

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
