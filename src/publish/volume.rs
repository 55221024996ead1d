//! The volumes: the whole plan of a year as one PDF (`piano-<year>.pdf`) and
//! one PDF per Direzione (`direzione-<slug>.pdf`), each with a cover, a table
//! of contents and every sheet as its own PDF shows it.
//!
//! A volume is assembled, not typeset again: Typst makes only what is new
//! (the cover and contents, the page opening each Direzione, and a line of
//! the footer's font), and [`crate::assemble`] copies the sheets' pages in
//! from their PDFs, with one structure tree, bookmarks Direzione > Servizio >
//! sheet and the page numbers. The contents know each sheet's page from the
//! sheets' page counts.
//!
//! The annex of the Relazione at a monitoring date (`relazione-<date>.pdf`)
//! is assembled the same way from the results sheets' PDFs, its new parts
//! (cover and contents, the summary, each Direzione's opening page)
//! typeset from `relazione.typ`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;
use tera::Context;

use super::results::{ANNEX_TYP, Summary};
use super::{Counts, Directorate};
use crate::artifact::{TypstJob, Workshop, gather, parallel_map};
use crate::assemble::{self, Bookmark, Footer, PartFile, VolumeMeta};
use crate::diag::Diagnostic;
use crate::load::YearPlan;
use crate::manifest::Key;
use crate::model::Sheet;
use crate::output::Product;
use crate::pdf::{self, PdfMeta};
use crate::render::Templates;
use crate::t;

/// The template of what Typst typesets of a volume.
pub const TEMPLATE: &str = "volume.typ";

/// A volume made, as the year page lists it.
pub struct Volume {
    /// The file name in the year folder.
    pub file: String,
    pub size: u64,
    pub pages: usize,
    /// The Direzione's slug, or `None` for the whole plan.
    pub direzione: Option<String>,
}

/// The file name of the whole plan's volume.
pub fn plan_file(year: &str) -> String {
    format!("piano-{year}.pdf")
}

/// The file name of a Direzione's volume.
pub fn direzione_file(slug: &str) -> String {
    format!("direzione-{slug}.pdf")
}

/// The volumes of a year: each file name with its Direzione's slug (`None`
/// for the whole plan's).
pub fn files(direzioni: &[Directorate<&Sheet>], year: &str) -> Vec<(String, Option<String>)> {
    std::iter::once((plan_file(year), None))
        .chain(
            direzioni
                .iter()
                .map(|d| (direzione_file(&d.slug), Some(d.slug.clone()))),
        )
        .collect()
}

/// One entry of the table of contents.
#[derive(Debug, Serialize)]
struct TocEntry<'a> {
    livello: usize,
    testo: &'a str,
    codice: &'a str,
    /// The entry's page counted from the end of the cover and contents
    /// (the first page after them is 1); Typst adds their count.
    dopo: usize,
    /// What a screen reader says of the entry's link.
    voce: String,
}

/// A Direzione as its opening page lists it: its Servizi and their codes.
type Opening<'a> = Directorate<'a, &'a str>;

/// The sheets' PDFs of a year, by code: where the file is now, its hash and pages.
pub struct SheetPdf {
    pub path: PathBuf,
    pub hash: String,
    pub pages: usize,
}

/// What the volumes of one year are made from.
pub struct YearVolumes<'a> {
    pub year: &'a YearPlan,
    pub direzioni: Vec<Directorate<'a, &'a Sheet>>,
    pub date: i64,
    /// Each sheet's PDF, by code.
    pub sheets: BTreeMap<&'a str, SheetPdf>,
    /// When set, the one volume to make is this annex of the Relazione, and
    /// `sheets` are the results sheets of its date.
    pub annex: Option<Annex<'a>>,
}

/// The annex of the Relazione at one monitoring date.
pub struct Annex<'a> {
    pub date: String,
    pub summary: Summary<'a>,
}

/// The file name of the annex of the Relazione at `date`.
pub fn annex_file(date: &str) -> String {
    format!("relazione-{date}.pdf")
}

impl YearVolumes<'_> {
    /// The volumes to make: each file name with its Direzione's slug.
    fn outputs(&self) -> Vec<(String, Option<String>)> {
        match &self.annex {
            Some(annex) => vec![(annex_file(&annex.date), None)],
            None => files(&self.direzioni, &self.year.year),
        }
    }

    /// The template of the parts Typst typesets.
    fn template(&self) -> &'static str {
        if self.annex.is_some() {
            ANNEX_TYP
        } else {
            TEMPLATE
        }
    }
}

/// The Typst parts shared by the volumes of a year: the footer's font, and
/// each Direzione's opening page; an annex's summary.
#[derive(Default)]
struct SharedParts {
    font: Vec<u8>,
    summary: Option<Product>,
    /// By Direzione: its opening page, if a volume to make needs it.
    openings: Vec<Option<Product>>,
}

/// Where a part typeset for the volumes is kept between builds: in the
/// output folder's cache, recorded in the manifest like every file of the
/// build, so that a volume made again because one sheet changed does not
/// typeset its contents and Direzione pages again when their source is the
/// same (the contents of 500 sheets take 0.2 s), and a part that no volume
/// uses any more is removed.
fn cache_path(name: &str) -> String {
    format!("{}/{name}", crate::output::CACHE)
}

/// The name of the cover and contents of the volume `file` of `year`.
fn front_name(year: &str, file: &str) -> String {
    format!("{year}/{}-indice.pdf", file.trim_end_matches(".pdf"))
}

/// The name of the opening page(s) of the Direzione `slug` of `year`, in
/// the plan's volumes or in the annex at `annex` (a date).
fn opening_name(year: &str, slug: &str, annex: Option<&str>) -> String {
    match annex {
        Some(date) => format!("{year}/relazione-{date}-{slug}-apertura.pdf"),
        None => format!(
            "{year}/{}-apertura.pdf",
            direzione_file(slug).trim_end_matches(".pdf")
        ),
    }
}

/// The name of the prepared part (see [`assemble::prepare_part`]) of the
/// sheet `code`'s PDF, for the plan's volumes or for the annex at `annex` (a
/// date): a volume made again because one sheet changed prepares that sheet
/// only, and copies the others from these (with one changed sheet of 500, the
/// year files took 0.23-0.27 s instead of 0.74-1.0 s).
fn prepared_name(year: &str, code: &str, annex: Option<&str>) -> String {
    match annex {
        Some(date) => format!("{year}/parti/{code}-risultati-{date}.parte"),
        None => format!("{year}/parti/{code}.parte"),
    }
}

/// About how many entries of the contents a page holds (500 sheets, 80
/// Servizi and 20 Direzioni fill 11 pages): the first guess of the count of
/// the cover and contents' pages, before a volume was ever made.
const ENTRIES_PER_PAGE: usize = 55;

/// The heading shift of a sheet in a volume: its `H1` is an `H3` under the
/// Direzione's `H1` and the Servizio's `H2`.
const SHEET_SHIFT: u8 = 2;

/// The name of the summary of the annex at `date`.
fn summary_name(year: &str, date: &str) -> String {
    format!(
        "{year}/{}-sintesi.pdf",
        annex_file(date).trim_end_matches(".pdf")
    )
}

/// A part's file (staged, or in the cache) and its pages.
fn part_file(workshop: &Workshop, part: &Product) -> (PathBuf, usize) {
    (
        part.current_path(workshop.output),
        part.entry.pages.unwrap_or(0),
    )
}

/// Makes (or reuses) every volume of a year.
pub fn make(
    volumes: &YearVolumes,
    workshop: &Workshop,
    threads: usize,
) -> Result<Vec<Product>, Vec<Diagnostic>> {
    let (mut products, stale) = reuse(volumes, workshop);
    if stale.is_empty() {
        return Ok(products);
    }
    let shared = shared_parts(volumes, workshop, &stale, threads)?;
    let prepared_parts = prepared_sheets(volumes, workshop, &stale, threads)?;
    let prepared: BTreeMap<&str, PathBuf> = (prepared_parts.iter())
        .map(|(code, part)| (*code, part.current_path(workshop.output)))
        .collect();
    let made = parallel_map(&stale, threads, |stale| {
        let volume = Assembly {
            volumes,
            workshop,
            shared: &shared,
            prepared: &prepared,
            chosen: &stale.chosen,
            file: &stale.file,
            whole: stale.whole,
        };
        volume.make(&stale.path, stale.key.clone())
    })
    .map_err(|d| d.into_iter().collect::<Vec<_>>())?;
    let made = gather(made.into_iter().flat_map(|made| match made {
        Ok(products) => products.into_iter().map(Ok).collect(),
        Err(problems) => vec![Err(problems)],
    }))?;
    products.extend(prepared_parts.into_values());
    products.extend(shared.summary);
    products.extend(shared.openings.into_iter().flatten());
    products.extend(made);
    Ok(latest_by_path(products))
}

/// The products with one per path, the last: a part kept for a volume up to
/// date may be made again for another.
fn latest_by_path(mut products: Vec<Product>) -> Vec<Product> {
    let mut seen = std::collections::BTreeSet::new();
    products.reverse();
    products.retain(|p| seen.insert(p.path.clone()));
    products.reverse();
    products
}

/// A volume to make anew.
struct Stale {
    path: String,
    key: String,
    /// The Direzioni it holds, by index.
    chosen: Vec<usize>,
    file: String,
    /// Whether it is the whole plan's volume.
    whole: bool,
}

/// The volumes whose inputs did not change, reused, and those to make.
fn reuse(volumes: &YearVolumes, workshop: &Workshop) -> (Vec<Product>, Vec<Stale>) {
    let year = volumes.year;
    let fonts = pdf::fonts_fingerprint();
    let templates_key = Key::folder(workshop.templates.dir(), ".typ");
    let plan = serde_json::to_vec(&year.plan).unwrap_or_default();
    let summary = (volumes.annex.as_ref())
        .map(|a| serde_json::to_vec(&a.summary).unwrap_or_default())
        .unwrap_or_default();
    let mut products = Vec::new();
    let mut stale = Vec::new();
    // The cached parts of the volumes up to date, each once: the whole plan's
    // volume and a Direzione's share their Direzione pages and sheets.
    let mut kept = BTreeSet::new();
    for (file, slug) in volumes.outputs() {
        let chosen: Vec<usize> = (0..volumes.direzioni.len())
            .filter(|&i| {
                slug.as_ref()
                    .is_none_or(|s| *s == volumes.direzioni[i].slug)
            })
            .collect();
        let mut key = Key::new()
            .part(fonts.as_bytes())
            .part(templates_key.as_bytes())
            .part(&volumes.date.to_le_bytes())
            .part(&plan)
            .part(&summary)
            .part(file.as_bytes());
        for sheet in chosen.iter().flat_map(|&i| volumes.direzioni[i].schede()) {
            key = key.part(sheet_pdf(volumes, sheet).hash.as_bytes());
        }
        let path = format!("{}/{file}", year.year);
        match workshop.reuse(&path, &key.clone().finish()) {
            Some(product) => {
                products.push(product);
                // Its parts stay in the cache while it is up to date.
                let annex = volumes.annex.as_ref().map(|a| a.date.as_str());
                let parts = std::iter::once(front_name(&year.year, &file))
                    .chain(annex.map(|date| summary_name(&year.year, date)))
                    .chain(
                        chosen
                            .iter()
                            .map(|&i| opening_name(&year.year, &volumes.direzioni[i].slug, annex)),
                    )
                    .chain(
                        (chosen.iter())
                            .flat_map(|&i| volumes.direzioni[i].schede())
                            .map(|sheet| prepared_name(&year.year, sheet.codice(), annex)),
                    );
                kept.extend(parts);
            }
            None => stale.push(Stale {
                path,
                key: key.finish(),
                chosen,
                file,
                whole: slug.is_none(),
            }),
        }
    }
    products.extend(
        kept.iter()
            .filter_map(|name| workshop.keep(&cache_path(name))),
    );
    (products, stale)
}

/// The Direzioni the volumes to make hold, by index, each once.
fn held(stale: &[Stale]) -> Vec<usize> {
    let mut held: Vec<usize> = (stale.iter())
        .flat_map(|v| v.chosen.iter().copied())
        .collect();
    held.sort_unstable();
    held.dedup();
    held
}

/// What the volumes to make share, typeset once and side by side: each
/// Direzione's opening page, and the footer's font.
fn shared_parts(
    volumes: &YearVolumes,
    workshop: &Workshop,
    stale: &[Stale],
    threads: usize,
) -> Result<SharedParts, Vec<Diagnostic>> {
    let needed = held(stale);
    let whole: Vec<usize> = (0..volumes.direzioni.len()).collect();
    let base = Assembly {
        volumes,
        workshop,
        shared: &SharedParts::default(),
        prepared: &BTreeMap::new(),
        chosen: &whole,
        file: "",
        whole: true,
    };
    let typeset = parallel_map(&needed, threads, |&i| base.opening(i))
        .map_err(|d| d.into_iter().collect::<Vec<_>>())?;
    let summary = match volumes.annex {
        Some(_) => Some(
            base.summary()
                .map_err(|d| d.into_iter().collect::<Vec<_>>())?,
        ),
        None => None,
    };
    let mut shared = SharedParts {
        font: base.font_pdf()?,
        summary,
        openings: volumes.direzioni.iter().map(|_| None).collect(),
    };
    for (&i, part) in needed.iter().zip(typeset) {
        shared.openings[i] = Some(part?);
    }
    Ok(shared)
}

/// The prepared part of each sheet of the volumes to make, by code: kept
/// from an earlier build when it was prepared from the same PDF, else
/// prepared now, side by side.
fn prepared_sheets<'a>(
    volumes: &'a YearVolumes,
    workshop: &Workshop,
    stale: &[Stale],
    threads: usize,
) -> Result<BTreeMap<&'a str, Product>, Vec<Diagnostic>> {
    let needed = held(stale);
    let sheets: Vec<&Sheet> = (needed.iter())
        .flat_map(|&i| volumes.direzioni[i].schede().copied())
        .collect();
    let annex = volumes.annex.as_ref().map(|a| a.date.as_str());
    let made = parallel_map(&sheets, threads, |sheet| {
        let pdf = sheet_pdf(volumes, sheet);
        let path = cache_path(&prepared_name(&volumes.year.year, sheet.codice(), annex));
        let key = Key::new()
            .part(b"prepared part")
            .part(pdf.hash.as_bytes())
            .part(&[SHEET_SHIFT])
            .finish();
        // A PDF not made by this build has no hash to key its part with.
        if !pdf.hash.is_empty()
            && let Some(product) = workshop.reuse(&path, &key)
        {
            return Ok(product);
        }
        let fail = |err: anyhow::Error| {
            vec![Diagnostic::error(
                &pdf.path,
                t!("artifact-failed", reason = format!("{err:#}")),
            )]
        };
        let bytes = std::fs::read(&pdf.path).map_err(|err| {
            vec![Diagnostic::error(
                &pdf.path,
                crate::diag::io_message(&err.into()),
            )]
        })?;
        let part = assemble::prepare_part(&bytes, SHEET_SHIFT).map_err(fail)?;
        workshop.stage(&path, key, &part, None)
    })
    .map_err(|d| d.into_iter().collect::<Vec<_>>())?;
    let parts = gather(made)?;
    Ok(sheets.iter().map(|s| s.codice()).zip(parts).collect())
}

fn sheet_pdf<'a>(volumes: &'a YearVolumes, sheet: &Sheet) -> &'a SheetPdf {
    &volumes.sheets[sheet.codice()]
}

/// One volume being made.
struct Assembly<'a> {
    volumes: &'a YearVolumes<'a>,
    workshop: &'a Workshop<'a>,
    shared: &'a SharedParts,
    /// Each sheet's prepared part, by code.
    prepared: &'a BTreeMap<&'a str, PathBuf>,
    /// The Direzioni it holds, by index.
    chosen: &'a [usize],
    file: &'a str,
    whole: bool,
}

impl Assembly<'_> {
    /// Makes the volume: its product, and its cover and contents'.
    fn make(&self, path: &str, key: String) -> Result<Vec<Product>, Vec<Diagnostic>> {
        let year = self.volumes.year;
        let openings: Vec<(PathBuf, usize)> = self
            .chosen
            .iter()
            .filter_map(|&i| self.shared.openings[i].as_ref())
            .map(|part| part_file(self.workshop, part))
            .collect();
        let layout = self.layout(&openings);
        let front_part = self.front(&layout)?;
        let (front, front_pages) = part_file(self.workshop, &front_part);
        let mut parts = vec![PartFile::Pdf {
            path: front,
            heading_shift: 0,
        }];
        if let Some(summary) = &self.shared.summary {
            parts.push(PartFile::Pdf {
                path: part_file(self.workshop, summary).0,
                heading_shift: 0,
            });
        }
        for ((opening, _), &i) in openings.iter().zip(self.chosen) {
            parts.push(PartFile::Pdf {
                path: opening.clone(),
                heading_shift: 0,
            });
            for sheet in self.volumes.direzioni[i].schede() {
                let part = (self.prepared.get(sheet.codice())).ok_or_else(|| {
                    let reason = format!("{} was not prepared", sheet.codice());
                    let path = self.workshop.output.join(path);
                    vec![Diagnostic::error(
                        path,
                        t!("artifact-failed", reason = reason),
                    )]
                })?;
                parts.push(PartFile::Prepared {
                    path: part.clone(),
                    pdf: sheet_pdf(self.volumes, sheet).path.clone(),
                    heading_shift: SHEET_SHIFT,
                });
            }
        }
        let mut bookmarks = vec![Bookmark {
            title: "Indice".into(),
            level: 1,
            page: 1,
        }];
        bookmarks.extend(layout.iter().map(|entry| Bookmark {
            title: match entry.livello {
                3 => format!("{} - {}", entry.codice, entry.testo),
                _ => entry.testo.to_string(),
            },
            level: entry.livello,
            page: front_pages + entry.dopo - 1,
        }));
        let footer = Footer::volume_style(1, year.plan.titolo.clone(), &self.shared.font);
        let meta = VolumeMeta {
            title: self.title(),
            author: year.plan.ente.clone(),
            lang: "it-IT".into(),
            timestamp: self.volumes.date,
            ident: format!("{}/{}", year.year, self.file.trim_end_matches(".pdf")),
        };
        let volume = self.workshop.stage_with(path, key, |out| {
            assemble::assemble_files(&parts, &bookmarks, Some(&footer), &meta, &mut &mut *out)
        })?;
        Ok(vec![volume, front_part])
    }

    fn title(&self) -> String {
        let plan = &self.volumes.year.plan;
        if let Some(annex) = &self.volumes.annex {
            return format!(
                "Relazione sulla performance - risultati al {} - {}",
                annex.summary.figures.data_it, plan.titolo
            );
        }
        match self.chosen {
            [only] if !self.whole => {
                format!(
                    "{} - Direzione {}",
                    plan.titolo, self.volumes.direzioni[*only].nome
                )
            }
            _ => plan.titolo.clone(),
        }
    }

    /// Typesets the opening page(s) of Direzione `index`.
    fn opening(&self, index: usize) -> Result<Product, Vec<Diagnostic>> {
        let d = &self.volumes.direzioni[index];
        let opening: Opening = d.map(&|sheet: &&Sheet| sheet.fields.codice.as_str());
        let mut context = self.context();
        context.insert("parte", "direzione");
        context.insert("d", &opening);
        let annex = self.volumes.annex.as_ref().map(|a| a.date.as_str());
        let name = opening_name(&self.volumes.year.year, &d.slug, annex);
        self.typeset(&name, &context)
    }

    /// Typesets an annex's summary.
    fn summary(&self) -> Result<Product, Vec<Diagnostic>> {
        let mut context = self.context();
        context.insert("parte", "sintesi");
        let date = self.volumes.annex.as_ref().map_or("", |a| &a.date);
        self.typeset(&summary_name(&self.volumes.year.year, date), &context)
    }

    /// The cover and contents.
    /// The cover and contents. The contents' page numbers add the count of
    /// these pages (`prima`), known once they are typeset: they are
    /// typeset with a guess (the count of the last build's, else the cover
    /// and a page per [`ENTRIES_PER_PAGE`] entries), then again with the
    /// count found, until the two agree. (Asked of Typst, through
    /// `counter(page).final()`, the count made it lay out the contents
    /// twice: 0.23 s instead of 0.12 s for 500 sheets.)
    fn front(&self, layout: &[TocEntry]) -> Result<Product, Vec<Diagnostic>> {
        let name = front_name(&self.volumes.year.year, self.file);
        let mut context = self.context();
        context.insert("parte", "copertina");
        context.insert("voci", layout);
        let last = (self.workshop.previous.files.get(&cache_path(&name))).and_then(|e| e.pages);
        let mut prima = last.unwrap_or(1 + layout.len().div_ceil(ENTRIES_PER_PAGE));
        let mut tried = Vec::new();
        loop {
            context.insert("prima", &prima);
            let product = self.typeset(&name, &context)?;
            let pages = product.entry.pages.unwrap_or(0);
            if pages == prima {
                return Ok(product);
            }
            tried.push(prima);
            if tried.contains(&pages) || tried.len() >= 4 {
                let reason = format!("the contents' page count does not settle: {tried:?}");
                let path = self.workshop.output.join(cache_path(&name));
                return Err(vec![Diagnostic::error(
                    path,
                    t!("artifact-failed", reason = reason),
                )]);
            }
            prima = pages;
        }
    }

    /// Each Direzione, Servizio and sheet with its page after the contents
    /// (an annex's summary first).
    fn layout(&self, openings: &[(PathBuf, usize)]) -> Vec<TocEntry<'_>> {
        let mut entries = Vec::new();
        let mut page = 1;
        if let Some(summary) = &self.shared.summary {
            let pages = summary.entry.pages.unwrap_or(0);
            entries.push(entry(1, "Sintesi dei risultati", "", page));
            page += pages;
        }
        for (&i, &(_, opening_pages)) in self.chosen.iter().zip(openings) {
            let d = &self.volumes.direzioni[i];
            entries.push(entry(1, d.nome, "", page));
            page += opening_pages;
            for s in &d.servizi {
                entries.push(entry(2, s.nome, "", page));
                for sheet in &s.schede {
                    entries.push(entry(3, &sheet.fields.titolo, sheet.codice(), page));
                    page += sheet_pdf(self.volumes, sheet).pages;
                }
            }
        }
        entries
    }

    fn context(&self) -> Context {
        let year = self.volumes.year;
        let chosen: Vec<&Directorate<&Sheet>> = self
            .chosen
            .iter()
            .map(|&i| &self.volumes.direzioni[i])
            .collect();
        let mut context = Context::new();
        context.insert("plan", &year.plan);
        context.insert("titolo", &self.title());
        context.insert("anni", &years(&year.plan.anni));
        context.insert(
            "direzione",
            &(!self.whole).then(|| chosen.first()).flatten(),
        );
        context.insert("conteggi", &Counts::of(&chosen));
        if let Some(annex) = &self.volumes.annex {
            context.insert("anno", &year.year);
            context.insert("s", &annex.summary.figures);
        }
        context
    }

    /// Renders and typesets a part, or finds it in the cache (see
    /// [`cache_path`]): the cache's product.
    fn typeset(&self, name: &str, context: &Context) -> Result<Product, Vec<Diagnostic>> {
        let source = self
            .workshop
            .templates
            .render_typst(self.volumes.template(), context)
            .map_err(|d| vec![d])?;
        let ident = name.trim_end_matches(".pdf").to_string();
        let key = Key::new()
            .part(pdf::fonts_fingerprint().as_bytes())
            .part(&self.volumes.date.to_le_bytes())
            .part(ident.as_bytes())
            .part(source.as_bytes())
            .finish();
        let cached = cache_path(name);
        if let Some(product) = self.workshop.reuse(&cached, &key) {
            return Ok(product);
        }
        let job = TypstJob {
            source,
            meta: PdfMeta {
                ident,
                timestamp: self.volumes.date,
            },
            made_from: self.workshop.templates.path(self.volumes.template()),
        };
        let (pdf, pages) = self.workshop.typeset_part(name, job)?;
        self.workshop.stage(&cached, key, &pdf, Some(pages))
    }

    /// A line in the footer's font with the digits and the plan's title:
    /// the assembler takes the font of the page numbers from it.
    fn font_pdf(&self) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let title = crate::markdown::escape_typst(&self.volumes.year.plan.titolo);
        let source = format!(
            "#set document(title: [{title}])\n#set text(font: \"Titillium Web\", size: 8.5pt, lang: \"it\", ligatures: false)\n0123456789 {title}\n"
        );
        let job = TypstJob {
            source,
            meta: PdfMeta {
                ident: format!("{}/font", self.volumes.year.year),
                timestamp: self.volumes.date,
            },
            made_from: self.workshop.templates.path(self.volumes.template()),
        };
        let name = format!("{}/piede.pdf", self.volumes.year.year);
        self.workshop.typeset_part(&name, job).map(|(pdf, _)| pdf)
    }
}

fn entry<'a>(livello: usize, testo: &'a str, codice: &'a str, dopo: usize) -> TocEntry<'a> {
    let voce = if codice.is_empty() {
        testo.to_string()
    } else {
        format!("{codice} {testo}")
    };
    TocEntry {
        livello,
        testo,
        codice,
        dopo,
        voce,
    }
}

/// Renders the parts of each volume of the year without typesetting, for
/// `schede check`.
pub fn check(
    year: &YearPlan,
    direzioni: &[Directorate<&Sheet>],
    templates: &Templates,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut context = Context::new();
    context.insert("plan", &year.plan);
    context.insert("titolo", &year.plan.titolo);
    context.insert("anni", &years(&year.plan.anni));
    context.insert("direzione", &None::<()>);
    context.insert("conteggi", &Counts::of(direzioni));
    let layout: Vec<TocEntry> = direzioni
        .iter()
        .flat_map(|d| {
            d.schede()
                .map(|s| entry(3, &s.fields.titolo, s.codice(), 1))
        })
        .collect();
    context.insert("parte", "copertina");
    context.insert("voci", &layout);
    context.insert("prima", &1);
    problems.extend(templates.render_typst(TEMPLATE, &context).err());
    // One Direzione's opening page is enough: the others render the same.
    if let (Some(d), true) = (direzioni.first(), problems.is_empty()) {
        let opening: Opening = d.map(&|sheet: &&Sheet| sheet.fields.codice.as_str());
        context.insert("parte", "direzione");
        context.insert("d", &opening);
        problems.extend(templates.render_typst(TEMPLATE, &context).err());
    }
    problems
}

/// `2019-2021`, or `2019` for a one-year plan.
pub fn years(anni: &[i32]) -> String {
    match (anni.first(), anni.last()) {
        (Some(first), Some(last)) if first != last => format!("{first}-{last}"),
        (Some(first), _) => first.to_string(),
        _ => String::new(),
    }
}
