//! What the build publishes of the results, for each monitoring date that
//! has some: per objective the results sheet (`<codice>-risultati-<date>`,
//! PDF and HTML), the annex of the Relazione sulla performance
//! (`relazione-<date>.pdf`: a summary with charts, then every results sheet
//! by Direzione and Servizio), the portal's page of the date
//! (`risultati-<date>.html`, the same charts in SVG) and `risultati.csv`.
//!
//! None of the plan's own files sees the results: they are made from other
//! templates (`risultati.typ`, `relazione.typ`, `risultati.html`,
//! `monitoraggio.html`, with the partials `_risultati.typ` and
//! `_esiti.html`), so that adding results changes no byte of the plan's
//! sheets, volumes and open data.

use std::collections::BTreeSet;

use serde::Serialize;
use tera::Context;

use super::data::DataFile;
use super::{Directorate, Service};
use crate::artifact::{Artifact, Job, Project, Recipe, TypstJob};
use crate::diag::Diagnostic;
use crate::load::YearPlan;
use crate::manifest::Key;
use crate::markdown;
use crate::model::{ObjectiveResult, Sheet};
use crate::pdf::{self, PdfMeta};
use crate::render::Templates;
use crate::results::{Outcome, Scale, format_percent};

/// The templates of the results.
pub const SHEET_TYP: &str = "risultati.typ";
pub const SHEET_HTML: &str = "risultati.html";
pub const ANNEX_TYP: &str = "relazione.typ";
pub const PAGE_HTML: &str = "monitoraggio.html";

/// The columns of `risultati.csv`.
pub const COLUMNS: [&str; 7] = [
    "codice",
    "indicatore",
    "data",
    "valore_atteso",
    "valore_raggiunto",
    "raggiungimento",
    "esito",
];

/// The file names of a sheet's results at `date`, without extension.
pub fn sheet_stem(codice: &str, date: &str) -> String {
    format!("{codice}-risultati-{date}")
}

/// `2019-12-31` as an Italian reader reads it: `31/12/2019`.
pub fn italian_date(date: &str) -> String {
    match (date.get(..4), date.get(5..7), date.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => date.to_string(),
    }
}

/// The monitoring dates of a plan year with any result, in order.
pub fn dates(year: &YearPlan) -> Vec<String> {
    let all: BTreeSet<&str> = year
        .sheets
        .iter()
        .flat_map(|s| s.fields.monitoring_dates())
        .collect();
    all.into_iter().map(str::to_string).collect()
}

/// What a results template gets of one sheet at one date.
#[derive(Debug, Serialize)]
pub struct SheetResult<'a> {
    pub sheet: &'a Sheet,
    pub risultato: ObjectiveResult,
    /// `31/12/2019`.
    pub data_it: String,
    /// The year of the date, whose targets are compared.
    pub anno: String,
    /// The file names, without extension.
    pub stem: String,
    /// The narrative, converted for the template (Typst or HTML markup).
    pub attivita: String,
    pub scostamento: String,
}

impl<'a> SheetResult<'a> {
    /// The result of `sheet` at `date`, its narrative converted by
    /// `convert` (to Typst or to HTML).
    pub fn new(sheet: &'a Sheet, date: &str, scale: &Scale, convert: fn(&str) -> String) -> Self {
        let risultato = sheet.fields.result_at(date, scale);
        let text = |t: &Option<String>| t.as_deref().map(convert).unwrap_or_default();
        SheetResult {
            sheet,
            attivita: text(&risultato.narrative.attivita),
            scostamento: text(&risultato.narrative.scostamento),
            risultato,
            data_it: italian_date(date),
            anno: date.get(..4).unwrap_or_default().to_string(),
            stem: sheet_stem(sheet.codice(), date),
        }
    }

    fn context(&self, plan: &crate::model::Plan) -> Context {
        let mut context = Context::new();
        context.insert("plan", plan);
        context.insert("r", self);
        context.insert("livello", &1);
        context
    }
}

impl Templates {
    /// The Typst source of a results sheet.
    pub fn result_typst(
        &self,
        plan: &crate::model::Plan,
        r: &SheetResult,
    ) -> Result<String, Diagnostic> {
        self.render_typst(SHEET_TYP, &r.context(plan))
    }

    /// The HTML page of a results sheet.
    pub fn result_html(
        &self,
        plan: &crate::model::Plan,
        r: &SheetResult,
    ) -> Result<String, Diagnostic> {
        self.render_html(SHEET_HTML, &r.context(plan))
    }
}

/// The results sheets of every plan year and date: a PDF and a page each.
pub fn sheet_artifacts(project: &Project) -> Vec<Artifact<'_>> {
    let typst_templates = Key::folder(project.templates.dir(), ".typ");
    let html_templates = Key::folder(project.templates.dir(), ".html");
    let fonts = pdf::fonts_fingerprint();
    let templates = &project.templates;
    let mut artifacts = Vec::new();
    for (year, &timestamp) in project.plans.iter().zip(&project.dates) {
        let scale = year.plan.scale();
        for date in dates(year) {
            for sheet in &year.sheets {
                if !sheet.fields.monitoring_dates().contains(date.as_str()) {
                    continue;
                }
                let result = SheetResult::new(sheet, &date, &scale, markdown::to_html);
                let data = serde_json::to_vec(&(&year.plan, &result)).unwrap_or_default();
                let stem = format!("{}/{}", year.year, result.stem);
                let plan = &year.plan;
                // Made only when the PDF is: a build that reuses it does not
                // convert the narrative to Typst.
                let at = date.clone();
                let source: Job<String> = Box::new(move || {
                    let for_pdf = SheetResult::new(sheet, &at, &plan.scale(), markdown::to_typst);
                    templates.result_typst(plan, &for_pdf).map_err(|d| vec![d])
                });
                let inputs = (fonts, typst_templates.as_str(), timestamp);
                artifacts.push(pdf_artifact(
                    format!("{stem}.pdf"),
                    inputs,
                    &data,
                    sheet.path.clone(),
                    source,
                ));
                let path = format!("{}/{}.html", year.year, result.stem);
                let html: Job<Vec<u8>> = Box::new(move || {
                    let html = templates.result_html(plan, &result).map_err(|d| vec![d])?;
                    Ok(html.into_bytes())
                });
                artifacts.push(Artifact {
                    path,
                    recipe: Recipe::Bytes {
                        key: Some(
                            Key::new()
                                .part(html_templates.as_bytes())
                                .part(&data)
                                .finish(),
                        ),
                        job: html,
                    },
                });
            }
        }
    }
    artifacts
}

/// A PDF typeset from `source`, reused while its inputs stay the same:
/// the fonts' and the Typst templates' fingerprints, the documents' date
/// (`inputs`) and `data`, everything the template is given.
fn pdf_artifact<'a>(
    path: String,
    (fonts, templates, timestamp): (&str, &str, i64),
    data: &[u8],
    made_from: std::path::PathBuf,
    source: Job<'a, String>,
) -> Artifact<'a> {
    let key = Key::new()
        .part(fonts.as_bytes())
        .part(templates.as_bytes())
        .part(&timestamp.to_le_bytes())
        .part(data)
        .finish();
    let ident = path.trim_end_matches(".pdf").to_string();
    let job: Job<TypstJob> = Box::new(move || {
        Ok(TypstJob {
            source: source()?,
            meta: PdfMeta {
                ident: ident.clone(),
                timestamp,
            },
            made_from: made_from.clone(),
        })
    });
    Artifact {
        path,
        recipe: Recipe::Typst { key, job },
    }
}

/// One outcome class in a summary.
#[derive(Debug, Serialize)]
struct OutcomeCount {
    esito: &'static str,
    obiettivi: usize,
    /// Share of the objectives measured, for the chart's bar, 0-100.
    quota: f64,
}

/// One Direzione in a summary.
#[derive(Debug, Serialize)]
struct DirectorateScore<'a> {
    nome: &'a str,
    obiettivi: usize,
    /// The mean achievement of its objectives, as displayed.
    raggiungimento: String,
    /// The same, for the chart's bar, capped at 100.
    barra: f64,
}

/// The summary of one date: objectives per outcome class, achievement per
/// Direzione, and every results sheet by Direzione and Servizio.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    #[serde(flatten)]
    pub(crate) figures: Figures<'a>,
    direzioni: Vec<Directorate<'a, SheetResult<'a>>>,
}

/// The summary's figures and charts, without its sheets: what the annex's
/// own pages show (serializing every sheet's results for each of its
/// parts was most of the time of remaking an annex).
#[derive(Debug, Serialize)]
pub struct Figures<'a> {
    data: String,
    pub(crate) data_it: String,
    misurati: usize,
    esiti: Vec<OutcomeCount>,
    punteggi: Vec<DirectorateScore<'a>>,
    /// The charts' alternative texts: what each chart shows, in words.
    alt_esiti: String,
    alt_direzioni: String,
}

impl<'a> Summary<'a> {
    /// The Direzioni and Servizi with their sheets that have results.
    pub(crate) fn sheets(&self) -> Vec<Directorate<'a, &'a Sheet>> {
        (self.direzioni.iter())
            .map(|d| d.map(&|r: &SheetResult<'a>| r.sheet))
            .collect()
    }

    pub(crate) fn new(
        year: &'a YearPlan,
        direzioni: &[Directorate<'a, &'a Sheet>],
        date: &str,
        convert: fn(&str) -> String,
    ) -> Self {
        let direzioni = measured(year, direzioni, date, convert);
        let outcomes: Vec<Outcome> = direzioni
            .iter()
            .flat_map(|d| d.schede())
            .filter_map(|r| r.risultato.outcome)
            .collect();
        let misurati = outcomes.len();
        let esiti: Vec<OutcomeCount> = Outcome::ALL
            .iter()
            .map(|o| {
                let obiettivi = outcomes.iter().filter(|x| *x == o).count();
                OutcomeCount {
                    esito: o.label(),
                    obiettivi,
                    quota: if misurati == 0 {
                        0.0
                    } else {
                        obiettivi as f64 * 100.0 / misurati as f64
                    },
                }
            })
            .collect();
        let punteggi: Vec<DirectorateScore> = direzioni.iter().map(score).collect();
        let data_it = italian_date(date);
        let alt_esiti = format!(
            "Grafico a barre degli obiettivi per esito al {data_it}: {}.",
            (esiti.iter())
                .map(|e: &OutcomeCount| format!("{} {}", e.esito, e.obiettivi))
                .collect::<Vec<_>>()
                .join("; ")
        );
        let alt_direzioni = format!(
            "Grafico a barre del raggiungimento medio degli obiettivi per Direzione al {data_it}: {}.",
            (punteggi.iter())
                .map(|p| format!("{} {}", p.nome, p.raggiungimento))
                .collect::<Vec<_>>()
                .join("; ")
        );
        Summary {
            figures: Figures {
                data: date.to_string(),
                data_it,
                misurati,
                esiti,
                punteggi,
                alt_esiti,
                alt_direzioni,
            },
            direzioni,
        }
    }
}

/// The Direzioni and Servizi with their sheets that have results at `date`,
/// each sheet's result made for a template (`convert`: see [`SheetResult::new`]).
fn measured<'a>(
    year: &YearPlan,
    direzioni: &[Directorate<'a, &'a Sheet>],
    date: &str,
    convert: fn(&str) -> String,
) -> Vec<Directorate<'a, SheetResult<'a>>> {
    let scale = year.plan.scale();
    let has_results = |s: &&&Sheet| s.fields.monitoring_dates().contains(date);
    direzioni
        .iter()
        .filter_map(|d| {
            let servizi: Vec<Service<SheetResult>> = (d.servizi.iter())
                .filter_map(|s| {
                    let schede: Vec<SheetResult> = (s.schede.iter().filter(has_results))
                        .map(|sheet| SheetResult::new(sheet, date, &scale, convert))
                        .collect();
                    (!schede.is_empty()).then_some(Service {
                        nome: s.nome,
                        dirigente: s.dirigente,
                        schede,
                    })
                })
                .collect();
            (!servizi.is_empty()).then_some(Directorate {
                nome: d.nome,
                direttore: d.direttore,
                slug: d.slug.clone(),
                servizi,
            })
        })
        .collect()
}

fn score<'a>(d: &Directorate<'a, SheetResult<'a>>) -> DirectorateScore<'a> {
    let values: Vec<f64> = d.schede().filter_map(|r| r.risultato.percent).collect();
    let mean = (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
    DirectorateScore {
        nome: d.nome,
        obiettivi: d.schede().count(),
        raggiungimento: mean.map(format_percent).unwrap_or_default(),
        barra: mean.unwrap_or(0.0).min(100.0),
    }
}

/// The summary's context for the templates.
fn summary_context(year: &YearPlan, summary: &Summary) -> Context {
    let mut context = Context::new();
    context.insert("plan", &year.plan);
    context.insert("anno", &year.year);
    context.insert("s", summary);
    context
}

/// The portal's page of each date of a plan year: file and text.
pub(crate) fn pages(
    year: &YearPlan,
    direzioni: &[Directorate<&Sheet>],
    templates: &Templates,
) -> Result<Vec<(String, String)>, Diagnostic> {
    use rayon::prelude::*;
    dates(year)
        .into_par_iter()
        .map(|date| {
            let summary = Summary::new(year, direzioni, &date, markdown::to_html);
            let context = summary_context(year, &summary);
            let page = templates.render_html(PAGE_HTML, &context)?;
            Ok((format!("risultati-{date}.html"), page))
        })
        .collect()
}

/// Renders every results template of a plan year without typesetting,
/// for `schede check`: the problems found (each template's first).
pub(crate) fn check(
    year: &YearPlan,
    direzioni: &[Directorate<&Sheet>],
    templates: &Templates,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let scale = year.plan.scale();
    for date in dates(year) {
        problems.extend(check_annex(year, direzioni, &date, templates));
        for sheet in direzioni.iter().flat_map(Directorate::schede) {
            if !sheet.fields.monitoring_dates().contains(date.as_str()) {
                continue;
            }
            let typst = SheetResult::new(sheet, &date, &scale, markdown::to_typst);
            problems.extend(templates.result_typst(&year.plan, &typst).err());
            let html = SheetResult::new(sheet, &date, &scale, markdown::to_html);
            problems.extend(templates.result_html(&year.plan, &html).err());
        }
    }
    if let Err(problem) = pages(year, direzioni, templates) {
        problems.push(problem);
    }
    problems.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    problems.dedup();
    problems
}

/// Renders each part of the annex at `date` without typesetting: the
/// first problem found.
fn check_annex(
    year: &YearPlan,
    direzioni: &[Directorate<&Sheet>],
    date: &str,
    templates: &Templates,
) -> Option<Diagnostic> {
    let summary = Summary::new(year, direzioni, date, markdown::to_typst);
    let mut context = summary_context(year, &summary);
    context.insert("titolo", &year.plan.titolo);
    context.insert("parte", "sintesi");
    let sintesi = templates.render_typst(ANNEX_TYP, &context).err();
    context.insert("parte", "copertina");
    context.insert("voci", &Vec::<()>::new());
    context.insert("prima", &1);
    let cover = templates.render_typst(ANNEX_TYP, &context).err();
    let opening = summary.sheets().first().and_then(|d| {
        context.insert("parte", "direzione");
        context.insert("d", &d.map(&|s: &&Sheet| s.codice()));
        templates.render_typst(ANNEX_TYP, &context).err()
    });
    sintesi.or(cover).or(opening)
}

/// What the plan's page says of each date: the page, the annex and the
/// summary's numbers.
#[derive(Debug, Serialize)]
pub struct DateLink<'a> {
    pub data: String,
    pub data_it: String,
    pub pagina: String,
    pub relazione: String,
    pub sintesi: Summary<'a>,
}

/// The dates of a plan year, for its page.
pub(crate) fn links<'a>(
    year: &'a YearPlan,
    direzioni: &[Directorate<'a, &'a Sheet>],
) -> Vec<DateLink<'a>> {
    dates(year)
        .into_iter()
        .map(|date| DateLink {
            data_it: italian_date(&date),
            pagina: format!("risultati-{date}.html"),
            relazione: format!("relazione-{date}.pdf"),
            sintesi: Summary::new(year, direzioni, &date, markdown::to_html),
            data: date,
        })
        .collect()
}

/// `risultati.csv`, when the year has results: one row per indicator and
/// date with a value or an achievement.
pub(crate) fn data(
    year: &YearPlan,
    direzioni: &[Directorate<&Sheet>],
) -> anyhow::Result<Option<DataFile>> {
    let dates = dates(year);
    if dates.is_empty() {
        return Ok(None);
    }
    let scale = year.plan.scale();
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(COLUMNS)?;
    for sheet in direzioni.iter().flat_map(Directorate::schede) {
        for date in &dates {
            let result = sheet.fields.result_at(date, &scale);
            for i in &result.indicatori {
                if i.valore_raggiunto.is_empty() && i.raggiungimento.is_empty() {
                    continue;
                }
                let row = [
                    sheet.codice(),
                    &i.numero.to_string(),
                    date,
                    &i.valore_atteso,
                    &i.valore_raggiunto,
                    &i.raggiungimento,
                    &i.esito,
                ];
                out.write_record(row.map(super::data::cell).iter().map(|c| c.as_bytes()))?;
            }
        }
    }
    Ok(Some(DataFile {
        file: "risultati.csv",
        bytes: out.into_inner().map_err(|err| err.into_error())?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_values_kept() {
        let neutralised = |text| super::super::data::cell(text).into_owned();
        assert_eq!(neutralised("=1+1"), "'=1+1");
        assert_eq!(neutralised("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralised("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(neutralised("\t=1"), "'\t=1");
        assert_eq!(neutralised("-"), "-");
        assert_eq!(neutralised("-5%"), "-5%");
        assert_eq!(neutralised("+3"), "+3");
        assert_eq!(neutralised("98%"), "98%");
    }

    #[test]
    fn dates_read_the_italian_way() {
        assert_eq!(italian_date("2019-12-31"), "31/12/2019");
    }
}
