//! Publication: the annual volumes, the portal's index pages and the open
//! data files of each plan year.
//!
//! Each year folder gets the whole plan as one PDF and one PDF per Direzione
//! ([`volume`]), `obiettivi.csv`, `indicatori.csv` and `piano.json`
//! ([`data`]) and an `index.html` listing its sheets ([`pages`]); the output
//! folder gets an `index.html` listing the years. Everywhere the sheets come
//! in publication order: by Direzione, then Servizio, then code.

mod catalogue;
mod data;
mod fonts;
mod pages;
pub mod results;
mod volume;

pub use data::piano_json;

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::artifact::{Artifact, Project, Recipe, Workshop};
use crate::diag::Diagnostic;
use crate::load::YearPlan;
use crate::manifest::Key;
use crate::model::Sheet;
use crate::output::Product;
use crate::render::{STYLESHEET, Templates};
use crate::t;

/// The templates publication needs besides the sheet's.
const TEMPLATES: [&str; 3] = [volume::TEMPLATE, pages::INDEX, pages::YEAR];

/// Makes (or reuses) the volumes of every plan year from the sheets' PDFs
/// (`sheets`: the products of the sheets' artifacts, PDFs and pages).
pub fn volumes(
    project: &Project,
    workshop: &Workshop,
    sheets: &[Product],
    threads: usize,
) -> Result<Vec<Product>, Vec<Diagnostic>> {
    required_templates(&project.templates)?;
    let mut products = Vec::new();
    let mut problems = Vec::new();
    let by_path: BTreeMap<&str, &Product> = sheets.iter().map(|p| (p.path.as_str(), p)).collect();
    for (year, &date) in project.plans.iter().zip(&project.dates) {
        let pdfs = sheet_pdfs(workshop, &by_path, year, |codice| {
            format!("{}/{codice}.pdf", year.year)
        });
        let volumes = volume::YearVolumes {
            year,
            direzioni: group(&year.sheets),
            date,
            sheets: pdfs,
            annex: None,
        };
        match volume::make(&volumes, workshop, threads) {
            Ok(found) => products.extend(found),
            Err(found) => problems.extend(found),
        }
    }
    if problems.is_empty() {
        Ok(products)
    } else {
        Err(problems)
    }
}

/// Makes (or reuses) the annex of the Relazione at each monitoring date of
/// every plan year, assembled from the results sheets' PDFs (`sheets`: the
/// products of the sheets' artifacts); one at a time, the largest documents
/// of a build with results, Typst's cache emptied after each.
pub fn annexes(
    project: &Project,
    workshop: &Workshop,
    sheets: &[Product],
    threads: usize,
) -> Result<Vec<Product>, Vec<Diagnostic>> {
    let mut products = Vec::new();
    let by_path: BTreeMap<&str, &Product> = sheets.iter().map(|p| (p.path.as_str(), p)).collect();
    for (year, &timestamp) in project.plans.iter().zip(&project.dates) {
        let direzioni = group(&year.sheets);
        for date in results::dates(year) {
            let summary = results::Summary::new(year, &direzioni, &date, crate::markdown::to_typst);
            let pdfs = sheet_pdfs(workshop, &by_path, year, |codice| {
                format!("{}/{}.pdf", year.year, results::sheet_stem(codice, &date))
            });
            let annex = volume::YearVolumes {
                year,
                direzioni: summary.sheets(),
                date: timestamp,
                sheets: pdfs,
                annex: Some(volume::Annex { date, summary }),
            };
            let made = volume::make(&annex, workshop, threads);
            workshop.evict(0);
            products.extend(made?);
        }
    }
    Ok(products)
}

/// Each sheet's PDF of a plan year, by code, found at `path(codice)` among
/// the products made (or in the output folder).
fn sheet_pdfs<'a>(
    workshop: &Workshop,
    by_path: &BTreeMap<&str, &Product>,
    year: &'a YearPlan,
    path: impl Fn(&str) -> String,
) -> BTreeMap<&'a str, volume::SheetPdf> {
    (year.sheets.iter())
        .map(|sheet| {
            let path = path(sheet.codice());
            let product = by_path.get(path.as_str()).copied();
            let pdf = volume::SheetPdf {
                path: product.map_or_else(
                    || workshop.output.join(&path),
                    |p| p.current_path(workshop.output),
                ),
                hash: product.map(|p| p.entry.hash.clone()).unwrap_or_default(),
                pages: product.and_then(|p| p.entry.pages).unwrap_or(0),
            };
            (sheet.codice(), pdf)
        })
        .collect()
}

/// The data files and index pages of every plan year, the index of all
/// plans and the stylesheets, given the volumes made (their sizes and pages
/// are shown).
pub fn pages<'a>(
    project: &'a Project,
    volumes: &[Product],
    key: &str,
) -> Result<Vec<Artifact<'a>>, Vec<Diagnostic>> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut years = Vec::new();
    let stylesheet = project.templates.stylesheet.as_bytes();
    for (year, &date) in project.plans.iter().zip(&project.dates) {
        let direzioni = group(&year.sheets);
        let made: Vec<volume::Volume> = volume::files(&direzioni, &year.year)
            .into_iter()
            .filter_map(|(file, direzione)| {
                let product = volumes
                    .iter()
                    .find(|p| p.path == format!("{}/{file}", year.year))?;
                Some(volume::Volume {
                    file,
                    size: product.size,
                    pages: product.entry.pages.unwrap_or(0),
                    direzione,
                })
            })
            .collect();
        // The results' pages (a summary per date) beside the open data.
        let (result_pages, data) = rayon::join(
            || results::pages(year, &direzioni, &project.templates),
            || open_data(year, &direzioni),
        );
        let mut data = data?;
        data.extend(catalogue::files(year, date, &data));
        let monitoraggi = results::links(year, &direzioni);
        let (page, summary) = pages::year(
            year,
            (&direzioni, &monitoraggi),
            &made,
            &data,
            &project.templates,
        )
        .map_err(|d| vec![d])?;
        let at = |file: &str| format!("{}/{file}", year.year);
        let result_pages = result_pages.map_err(|d| vec![d])?;
        files.extend(
            result_pages
                .into_iter()
                .map(|(f, p)| (at(&f), p.into_bytes())),
        );
        files.extend(data.into_iter().map(|d| (at(d.file), d.bytes)));
        files.push((at(pages::INDEX), page.into_bytes()));
        files.push((at(STYLESHEET), stylesheet.to_vec()));
        files.extend(web_fonts(&format!("{}/", year.year)));
        years.push(summary);
    }
    let index = pages::index(&years, &project.templates).map_err(|d| vec![d])?;
    files.push((pages::INDEX.to_string(), index.into_bytes()));
    files.push((STYLESHEET.to_string(), stylesheet.to_vec()));
    files.extend(web_fonts(""));
    Ok(files
        .into_iter()
        .map(|(path, bytes)| Artifact {
            path,
            recipe: Recipe::Bytes {
                key: Some(key.to_string()),
                job: Box::new(move || Ok(bytes.clone())),
            },
        })
        .collect())
}

/// The key of the files [`pages`] makes: every year's sources (as read)
/// and documents' date, the templates, and the volumes and annexes as made
/// (their hash, size and pages, which the pages show).
pub fn pages_key(project: &Project, volumes: &[Product]) -> String {
    let mut key = Key::new().part(Key::folder(project.templates.dir(), "").as_bytes());
    for (year, date) in project.plans.iter().zip(&project.dates) {
        key = key
            .part(year.year.as_bytes())
            .part(year.sources.as_bytes())
            .part(&date.to_le_bytes());
    }
    let mut volumes: Vec<&Product> = (volumes.iter())
        .filter(|volume| !crate::output::is_cache(&volume.path))
        .collect();
    volumes.sort_by(|a, b| a.path.cmp(&b.path));
    for volume in volumes {
        key = key
            .part(volume.path.as_bytes())
            .part(volume.entry.hash.as_bytes())
            .part(&volume.size.to_le_bytes())
            .part(&volume.entry.pages.unwrap_or(0).to_le_bytes());
    }
    key.finish()
}

/// The open data of a year: the plan's files and the results'.
fn open_data(
    year: &YearPlan,
    direzioni: &[Directorate<&Sheet>],
) -> Result<Vec<data::DataFile>, Vec<Diagnostic>> {
    let failed = |err: anyhow::Error| {
        vec![Diagnostic::error(
            &year.year,
            t!("open-data-failed", reason = err.to_string()),
        )]
    };
    let mut data = data::stage(year, direzioni).map_err(failed)?;
    data.extend(results::data(year, direzioni).map_err(failed)?);
    Ok(data)
}

/// The web fonts and their licence, for the stylesheet in the folder `at`
/// (empty, or ending with `/`).
fn web_fonts(at: &str) -> impl Iterator<Item = (String, Vec<u8>)> {
    fonts::FILES
        .iter()
        .map(move |(name, bytes)| (format!("{at}{}/{name}", fonts::FOLDER), bytes.to_vec()))
}

/// Renders every year-level template without compiling or writing, for
/// `schede check`: the problems found.
pub fn check(plans: &[YearPlan], templates: &Templates) -> Vec<Diagnostic> {
    if let Err(missing) = required_templates(templates) {
        return missing;
    }
    let mut problems = Vec::new();
    let mut years = Vec::new();
    for year in plans {
        let direzioni = group(&year.sheets);
        problems.extend(volume::check(year, &direzioni, templates));
        let data = data::stage(year, &direzioni).unwrap_or_default();
        let monitoraggi = results::links(year, &direzioni);
        problems.extend(results::check(year, &direzioni, templates));
        match pages::year(year, (&direzioni, &monitoraggi), &[], &data, templates) {
            Ok((_, summary)) => years.push(summary),
            Err(problem) => problems.push(problem),
        }
    }
    if let Err(problem) = pages::index(&years, templates) {
        problems.push(problem);
    }
    problems
}

fn required_templates(templates: &Templates) -> Result<(), Vec<Diagnostic>> {
    let missing: Vec<Diagnostic> = TEMPLATES
        .iter()
        .filter(|name| !templates.has(name))
        .map(|name| {
            Diagnostic::error(templates.path(name), t!("template-not-found"))
                .hint(t!("publish-templates-hint"))
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing)
    }
}

/// One Direzione of a plan year, with its Servizi; `T` is what each sheet
/// becomes for a template.
#[derive(Debug, Serialize)]
pub(crate) struct Directorate<'a, T> {
    pub nome: &'a str,
    pub direttore: &'a str,
    /// The name in lowercase ASCII letters, digits and `-`, unique within the
    /// year: it names the Direzione's volume.
    pub slug: String,
    pub servizi: Vec<Service<'a, T>>,
}

/// One Servizio of a Direzione, with its sheets in code order.
#[derive(Debug, Serialize)]
pub(crate) struct Service<'a, T> {
    pub nome: &'a str,
    pub dirigente: &'a str,
    pub schede: Vec<T>,
}

impl<'a, T> Directorate<'a, T> {
    /// The same Direzione with each sheet turned into `f(sheet)`.
    pub fn map<U>(&self, f: &impl Fn(&T) -> U) -> Directorate<'a, U> {
        Directorate {
            nome: self.nome,
            direttore: self.direttore,
            slug: self.slug.clone(),
            servizi: self
                .servizi
                .iter()
                .map(|s| Service {
                    nome: s.nome,
                    dirigente: s.dirigente,
                    schede: s.schede.iter().map(f).collect(),
                })
                .collect(),
        }
    }

    /// The sheets, in publication order.
    pub fn schede(&self) -> impl Iterator<Item = &T> {
        self.servizi.iter().flat_map(|s| s.schede.iter())
    }
}

/// How many Direzioni, Servizi and objectives a list of Direzioni holds.
#[derive(Debug, Serialize)]
pub(crate) struct Counts {
    pub direzioni: usize,
    pub servizi: usize,
    pub obiettivi: usize,
}

impl Counts {
    pub fn of<'b, T: 'b, D: Borrow<Directorate<'b, T>>>(direzioni: &[D]) -> Self {
        let all = || direzioni.iter().map(Borrow::borrow);
        Counts {
            direzioni: direzioni.len(),
            servizi: all().map(|d| d.servizi.len()).sum(),
            obiettivi: all().map(|d| d.schede().count()).sum(),
        }
    }
}

/// Groups the sheets by Direzione, then Servizio, each sorted by name, the
/// sheets by code. The head of a Direzione or Servizio is taken from its
/// first sheet (the build warns when sheets disagree).
pub(crate) fn group(sheets: &[Sheet]) -> Vec<Directorate<'_, &Sheet>> {
    let mut ordered: Vec<&Sheet> = sheets.iter().collect();
    ordered.sort_by_key(|s| (&s.fields.direzione, &s.fields.servizio, s.codice()));
    let mut used = BTreeSet::new();
    let mut direzioni: Vec<Directorate<&Sheet>> = Vec::new();
    for sheet in ordered {
        let f = &sheet.fields;
        if direzioni.last().is_none_or(|d| d.nome != f.direzione) {
            direzioni.push(Directorate {
                nome: &f.direzione,
                direttore: &f.direttore,
                slug: unique(slug(&f.direzione), &mut used),
                servizi: Vec::new(),
            });
        }
        let direzione = direzioni.last_mut().expect("pushed above");
        if direzione
            .servizi
            .last()
            .is_none_or(|s| s.nome != f.servizio)
        {
            direzione.servizi.push(Service {
                nome: &f.servizio,
                dirigente: &f.dirigente,
                schede: Vec::new(),
            });
        }
        let servizio = direzione.servizi.last_mut().expect("pushed above");
        servizio.schede.push(sheet);
    }
    direzioni
}

/// A name in lowercase ASCII letters, digits and single `-`: accented Latin
/// letters lose their accent, anything else separates words.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "senza-nome".to_string()
    } else {
        out.to_string()
    }
}

/// `slug`, or `slug-2`, `slug-3`... if taken.
fn unique(slug: String, used: &mut BTreeSet<String>) -> String {
    let mut candidate = slug.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{slug}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_unique() {
        assert_eq!(
            slug("ATTIVITÀ ECONOMICHE E TURISMO"),
            "attivita-economiche-e-turismo"
        );
        assert_eq!(
            slug("  Polizia  Municipale / P.M. "),
            "polizia-municipale-p-m"
        );
        assert_eq!(slug("???"), "senza-nome");
        let mut used = BTreeSet::new();
        assert_eq!(unique("a".into(), &mut used), "a");
        assert_eq!(unique("a".into(), &mut used), "a-2");
        assert_eq!(unique("a".into(), &mut used), "a-3");
    }
}
