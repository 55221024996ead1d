//! The volumes: the whole plan of a year as one PDF (`piano-<year>.pdf`) and
//! one PDF per Direzione (`direzione-<slug>.pdf`), each with a cover, a table
//! of contents and every sheet as the single-sheet PDF shows it.

use serde::Serialize;
use tera::Context;

use super::{Counts, Directorate};
use crate::artifact::{Artifact, Recipe, TypstJob};
use crate::diag::Diagnostic;
use crate::load::YearPlan;
use crate::manifest::Key;
use crate::markdown;
use crate::model::Sheet;
use crate::pdf::{self, PdfMeta};
use crate::render::{IndicatorRow, SheetPage, Templates};

/// The template of a volume's Typst source.
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

/// What `_sheet.typ` needs of one sheet.
#[derive(Serialize)]
struct VolumeEntry<'a> {
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

/// The volumes of a year: each file name with its Direzione's slug (`None`
/// for the whole plan's, made up to [`WHOLE_PLAN_MAX_SHEETS`]).
pub fn files(year: &YearPlan, direzioni: &[Directorate<&Sheet>]) -> Vec<(String, Option<String>)> {
    let whole = (year.sheets.len() <= WHOLE_PLAN_MAX_SHEETS).then(|| (plan_file(&year.year), None));
    whole
        .into_iter()
        .chain(
            direzioni
                .iter()
                .map(|d| (direzione_file(&d.slug), Some(d.slug.clone()))),
        )
        .collect()
}

/// The volumes of a year as artifacts: each rendered now (its key is its
/// source), typeset when made.
pub fn artifacts<'a>(
    year: &'a YearPlan,
    direzioni: &[Directorate<&Sheet>],
    templates: &Templates,
    date: i64,
) -> Result<Vec<Artifact<'a>>, Vec<Diagnostic>> {
    let voci: Vec<Directorate<VolumeEntry>> = direzioni
        .iter()
        .map(|d| {
            d.map(&|sheet: &&Sheet| VolumeEntry {
                sheet,
                indicatori: SheetPage::new(&year.plan, sheet).indicatori,
                descrizione: markdown::to_typst(&sheet.descrizione),
            })
        })
        .collect();
    let fonts = pdf::fonts_fingerprint();
    let template = templates.path(TEMPLATE);
    let mut artifacts = Vec::new();
    for (file, slug) in files(year, direzioni) {
        let source = match &slug {
            None => render(year, &voci, None, templates),
            Some(slug) => {
                let direzione = voci.iter().find(|d| &d.slug == slug);
                let only: Vec<&Directorate<VolumeEntry>> = direzione.into_iter().collect();
                render(year, &only, direzione, templates)
            }
        }
        .map_err(|d| vec![d])?;
        let key = Key::new()
            .part(fonts.as_bytes())
            .part(&date.to_le_bytes())
            .part(source.as_bytes())
            .finish();
        let stem = format!("{}/{}", year.year, file.trim_end_matches(".pdf"));
        let made_from = template.clone();
        artifacts.push(Artifact {
            path: format!("{}/{file}", year.year),
            recipe: Recipe::Typst {
                key,
                job: Box::new(move || {
                    Ok(TypstJob {
                        source: source.clone(),
                        meta: PdfMeta {
                            ident: stem.clone(),
                            timestamp: date,
                        },
                        made_from: made_from.clone(),
                    })
                }),
            },
        });
    }
    Ok(artifacts)
}

/// The Typst source of a volume: the whole plan, or one Direzione.
fn render<'a, 'b: 'a, D: std::borrow::Borrow<Directorate<'a, VolumeEntry<'b>>> + Serialize>(
    year: &YearPlan,
    direzioni: &[D],
    direzione: Option<&Directorate<VolumeEntry>>,
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
        .flat_map(|d| d.borrow().schede())
        .next()
        .map(|v| SheetPage::new(plan, v.sheet).colonne)
        .unwrap_or_default();
    context.insert("colonne", &colonne);
    context.insert("direzione", &direzione);
    context.insert("direzioni", direzioni);
    context.insert("conteggi", &Counts::of(direzioni));
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
