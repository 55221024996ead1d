//! The volumes: the whole plan of a year as one PDF (`piano-<year>.pdf`) and
//! one PDF per Direzione (`direzione-<slug>.pdf`), each with a cover, a table
//! of contents and every sheet as the single-sheet PDF shows it.

use serde::{Deserialize, Serialize};
use tera::Context;

use std::collections::BTreeMap;
use std::path::Path;

use super::{Conteggi, Direzione};
use crate::cache::{self, Key};
use crate::diag::Diagnostic;
use crate::markdown;
use crate::model::Sheet;
use crate::pdf::{self, PdfMeta, Typesetter};
use crate::pipeline::{self, YearPlan};
use crate::render::{IndicatorRow, SheetPage, Templates};

/// The template of a volume's Typst source.
pub const TEMPLATE: &str = "volume.typ";

/// The record of the volumes made, in the year folder: for each, a key over
/// its generated Typst source, the hash of its PDF and its pages. A volume
/// whose source and PDF did not change is not compiled again.
pub const RECORD: &str = ".schede-volumes.json";

/// One volume's line in the [`RECORD`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Made {
    key: String,
    hash: String,
    pages: usize,
}

/// A compiled volume.
pub struct Volume {
    /// The file name in the year folder.
    pub file: String,
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// The Direzione's slug, or `None` for the whole plan.
    pub direzione: Option<String>,
}

/// What `_sheet.typ` needs of one sheet.
#[derive(Serialize)]
struct Voce<'a> {
    sheet: &'a Sheet,
    indicatori: Vec<IndicatorRow<'a>>,
    descrizione: String,
}

/// The file name of the whole plan's volume.
pub fn plan_file(year: &str) -> String {
    format!("piano-{year}.pdf")
}

/// The largest plan that gets a volume of its own, besides the volumes of
/// its Direzioni. Typst holds a whole document in memory, about 2.5 MB a
/// page: 1,000 sheets (some 2,600 pages) take 7 GB, and a plan of 5,000
/// would not fit on a machine like ours. A larger plan is published as the
/// volumes of its Direzioni.
pub const WHOLE_PLAN_MAX_SHEETS: usize = 1000;

/// The file name of a Direzione's volume.
pub fn direzione_file(slug: &str) -> String {
    format!("direzione-{slug}.pdf")
}

/// A volume to compile: its file name, its Direzione's slug (`None` for the
/// whole plan's) and its Typst source.
type Source = (String, Option<String>, String);

/// The Typst source of each volume of a year: rendered, not compiled.
pub fn sources(
    year: &YearPlan,
    direzioni: &[Direzione<&Sheet>],
    templates: &Templates,
) -> Result<Vec<Source>, Vec<Diagnostic>> {
    let voci: Vec<Direzione<Voce>> = direzioni
        .iter()
        .map(|d| {
            d.map(&|sheet: &&Sheet| Voce {
                sheet,
                indicatori: SheetPage::new(&year.plan, sheet).indicatori,
                descrizione: markdown::to_typst(&sheet.descrizione),
            })
        })
        .collect();
    let mut sources = Vec::new();
    if year.sheets.len() <= WHOLE_PLAN_MAX_SHEETS {
        sources.push((
            plan_file(&year.year),
            None,
            render(year, &voci, None, templates).map_err(|d| vec![d])?,
        ));
    }
    for direzione in &voci {
        let only = std::slice::from_ref(direzione);
        sources.push((
            direzione_file(&direzione.slug),
            Some(direzione.slug.clone()),
            render(year, only, Some(direzione), templates).map_err(|d| vec![d])?,
        ));
    }
    Ok(sources)
}

/// Renders and compiles the volumes of one year: the whole plan first (up
/// to [`WHOLE_PLAN_MAX_SHEETS`]), then each Direzione in order.
pub fn stage(
    year: &YearPlan,
    direzioni: &[Direzione<&Sheet>],
    templates: &Templates,
    typesetter: &Typesetter,
    dir: &Path,
    force: bool,
) -> Result<(Vec<Volume>, Vec<u8>), Vec<Diagnostic>> {
    let timestamp = pipeline::timestamp(&year.plan).map_err(|d| vec![d])?;
    let sources = sources(year, direzioni, templates)?;
    let previous: BTreeMap<String, Made> = if force {
        BTreeMap::new()
    } else {
        std::fs::read(dir.join(RECORD))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    };
    let fonts = pdf::fonts_fingerprint();
    let compile = |(file, direzione, source): &Source| {
        let key = Key::new()
            .part(fonts.as_bytes())
            .part(&timestamp.to_le_bytes())
            .part(source.as_bytes())
            .finish();
        if let Some(made) = previous.get(file).filter(|m| m.key == key)
            && let Ok(pdf) = std::fs::read(dir.join(file))
            && cache::hash(&pdf) == made.hash
        {
            let volume = Volume {
                file: file.clone(),
                pdf,
                pages: made.pages,
                direzione: direzione.clone(),
            };
            return Ok((volume, made.clone()));
        }
        let stem = file.trim_end_matches(".pdf");
        let typ_path = dir.join(format!("{stem}.typ"));
        let meta = PdfMeta {
            ident: format!("{}/{stem}", year.year),
            timestamp,
        };
        let name = format!("/{}/{stem}.typ", year.year);
        match typesetter.compile(&name, source.clone(), &meta, &typ_path) {
            Ok(c) => {
                let made = Made {
                    key,
                    hash: cache::hash(&c.pdf),
                    pages: c.pages,
                };
                let volume = Volume {
                    file: file.clone(),
                    pdf: c.pdf,
                    pages: c.pages,
                    direzione: direzione.clone(),
                };
                Ok((volume, made))
            }
            Err(problems) => Err(pipeline::explain_failure(
                problems,
                templates,
                &typ_path,
                source,
                &templates.path(TEMPLATE),
            )),
        }
    };
    // One volume at a time, Typst's cache emptied after each: Typst keeps
    // all it laid out until evicted, and a volume is the largest document of
    // the build (side by side, the Direzioni's volumes of 5,000 sheets took
    // 17 GB). A thread of our own gives the deep stack a long one needs.
    let compiled = crate::pipeline::parallel_map(&sources, 1, |volume| {
        let result = compile(volume);
        typesetter.evict(0);
        result
    })
    .map_err(|err| vec![Diagnostic::error(dir, err)])?;
    let mut volumes = Vec::new();
    let mut record = BTreeMap::new();
    let mut problems = Vec::new();
    for result in compiled {
        match result {
            Ok((volume, made)) => {
                record.insert(volume.file.clone(), made);
                volumes.push(volume);
            }
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        let mut record = serde_json::to_vec_pretty(&record).unwrap_or_default();
        record.push(b'\n');
        Ok((volumes, record))
    } else {
        Err(problems)
    }
}

/// The Typst source of a volume: the whole plan, or one Direzione.
fn render(
    year: &YearPlan,
    direzioni: &[Direzione<Voce>],
    direzione: Option<&Direzione<Voce>>,
    templates: &Templates,
) -> Result<String, Diagnostic> {
    let plan = &year.plan;
    let titolo = match direzione {
        Some(d) => format!("{} - Direzione {}", plan.titolo, d.nome),
        None => plan.titolo.clone(),
    };
    let mut context = Context::new();
    context.insert("plan", plan);
    context.insert("titolo", &titolo);
    context.insert("anni", &years(&plan.anni));
    let colonne = direzioni
        .iter()
        .flat_map(Direzione::schede)
        .next()
        .map(|v| SheetPage::new(plan, v.sheet).colonne)
        .unwrap_or_default();
    context.insert("colonne", &colonne);
    context.insert("direzione", &direzione);
    context.insert("direzioni", direzioni);
    context.insert("conteggi", &Conteggi::of(direzioni));
    templates.render_typst(TEMPLATE, &context)
}

/// `2019-2021`, or `2019` for a one-year plan.
pub fn years(anni: &[i32]) -> String {
    match (anni.first(), anni.last()) {
        (Some(first), Some(last)) if first != last => format!("{first}-{last}"),
        (Some(first), _) => first.to_string(),
        _ => String::new(),
    }
}
