//! The portal's index pages: `<year>/index.html` lists a plan's sheets by
//! Direzione and Servizio with its volumes and data files, and `index.html`
//! lists the plans by year, most recent first. Links are relative.

use serde::Serialize;
use tera::Context;

use super::data::DataFile;
use super::volume::{self, Volume};
use super::{Counts, Directorate};
use crate::diag::Diagnostic;
use crate::load::YearPlan;
use crate::model::{Plan, Sheet};
use crate::render::Templates;

/// The template and the file name of both index pages.
pub const INDEX: &str = "index.html";
/// The template of a year's index page.
pub const YEAR: &str = "year.html";

/// A link to a downloadable file, with what the portal must say about it.
#[derive(Debug, Clone, Serialize)]
pub struct FileLink {
    /// The relative link.
    pub href: String,
    /// The file's name.
    pub nome: String,
    /// `PDF`, `CSV` or `JSON`.
    pub formato: &'static str,
    /// The size as people read it: `12 kB`, `1,4 MB`.
    pub dimensione: String,
    /// The number of pages of a PDF.
    pub pagine: Option<usize>,
}

impl FileLink {
    fn new(href: String, bytes: usize, pagine: Option<usize>) -> Self {
        let formato = match href.rsplit('.').next() {
            Some("pdf") => "PDF",
            Some("csv") => "CSV",
            Some("jsonld") => "JSON-LD",
            Some("ttl") => "Turtle",
            _ => "JSON",
        };
        FileLink {
            nome: href.clone(),
            href,
            formato,
            dimensione: size(bytes),
            pagine,
        }
    }

    /// The same file seen from the output folder.
    fn under(&self, year: &str) -> Self {
        FileLink {
            href: format!("{year}/{}", self.href),
            ..self.clone()
        }
    }
}

/// A Direzione on the year page: its sheets and its volume.
#[derive(Serialize)]
struct DirectoratePage<'a, 'b> {
    #[serde(flatten)]
    direzione: &'b Directorate<'a, &'a Sheet>,
    volume: Option<FileLink>,
}

/// One plan on the index of all plans.
#[derive(Serialize)]
pub struct YearSummary {
    anno: String,
    plan: Plan,
    anni: String,
    conteggi: Counts,
    volume: Option<FileLink>,
    dati: Vec<FileLink>,
}

/// The index page of one year (with the summary of the results at each
/// monitoring date, `monitoraggi`), and what the index of all plans says of it.
pub fn year(
    year: &YearPlan,
    (direzioni, monitoraggi): (&[Directorate<&Sheet>], &[super::results::DateLink]),
    volumes: &[Volume],
    data: &[DataFile],
    templates: &Templates,
) -> Result<(String, YearSummary), Diagnostic> {
    let link = |v: &Volume| FileLink::new(v.file.clone(), v.size as usize, Some(v.pages));
    let volume = volumes.iter().find(|v| v.direzione.is_none()).map(link);
    let pagine: Vec<DirectoratePage> = direzioni
        .iter()
        .map(|d| DirectoratePage {
            direzione: d,
            volume: volumes
                .iter()
                .find(|v| v.direzione.as_deref() == Some(&d.slug))
                .map(link),
        })
        .collect();
    let dati: Vec<FileLink> = data
        .iter()
        .map(|d| FileLink::new(d.file.to_string(), d.bytes.len(), None))
        .collect();
    let conteggi = Counts::of(direzioni);
    let anni = volume::years(&year.plan.anni);
    let mut context = Context::new();
    context.insert("plan", &year.plan);
    context.insert("anno", &year.year);
    context.insert("anni", &anni);
    context.insert("conteggi", &conteggi);
    context.insert("volume", &volume);
    context.insert("direzioni", &pagine);
    context.insert("dati", &dati);
    context.insert("monitoraggi", monitoraggi);
    let page = templates.render_html(YEAR, &context)?;
    let summary = YearSummary {
        anno: year.year.clone(),
        plan: year.plan.clone(),
        anni,
        conteggi,
        volume: volume.map(|v| v.under(&year.year)),
        dati: dati.iter().map(|d| d.under(&year.year)).collect(),
    };
    Ok((page, summary))
}

/// The index page of all plans, most recent first.
pub fn index(years: &[YearSummary], templates: &Templates) -> Result<String, Diagnostic> {
    let piani: Vec<&YearSummary> = years.iter().rev().collect();
    // One body publishes its own plans; name it when all plans agree.
    let ente = piani
        .first()
        .map(|p| p.plan.ente.as_str())
        .filter(|ente| piani.iter().all(|p| p.plan.ente == *ente));
    let mut context = Context::new();
    context.insert("piani", &piani);
    context.insert("ente", &ente);
    // The footer's links: those of the most recent plan.
    context.insert("sito", &piani.first().and_then(|p| p.plan.sito.as_ref()));
    templates.render_html(INDEX, &context)
}

/// A file size in Italian notation: `800 byte`, `12 kB`, `1,4 MB`.
fn size(bytes: usize) -> String {
    if bytes < 1000 {
        format!("{bytes} byte")
    } else if bytes < 1_000_000 {
        format!("{} kB", bytes.div_ceil(1000))
    } else {
        let tenths = bytes.div_ceil(100_000);
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_the_italian_way() {
        assert_eq!(size(999), "999 byte");
        assert_eq!(size(1000), "1 kB");
        assert_eq!(size(12_345), "13 kB");
        assert_eq!(size(1_400_000), "1,4 MB");
        assert_eq!(size(1_400_001), "1,5 MB");
    }
}
