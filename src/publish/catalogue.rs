//! The DCAT-AP_IT catalogue of a plan year's open data: the catalogue, its
//! three datasets (objectives, indicators, the whole plan) and their
//! distributions, as JSON-LD (`catalogo.jsonld`) and Turtle
//! (`catalogo.ttl`), both written from one list of triples so that they
//! describe the same graph.
//!
//! Every node has an IRI under the published address (no blank nodes); the
//! themes, frequencies, file types, languages and licence are the EU
//! Publications Office's authority tables that DCAT-AP_IT prescribes.
//!
//! The dates come from the sources, never from the clock, so that the same
//! sources give the same bytes: `issued` is the plan's date (`data`, or 1
//! January of the plan year), `modified` the latest change of the sources
//! the build knows of: `SOURCE_DATE_EPOCH` when it is later than `data`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::data::DataFile;
use crate::load::YearPlan;
// A Typst string literal escapes exactly what a Turtle one must (quote,
// backslash, line ends; tabs too): the same function serves both.
use crate::markdown::typst_string;
use crate::model::CatalogueSettings;
use Object::{Class, Iri, Plain, Text, Typed};

/// The catalogue in JSON-LD.
pub const JSONLD: &str = "catalogo.jsonld";
/// The catalogue in Turtle.
pub const TURTLE: &str = "catalogo.ttl";

/// The licence of the open data: CC BY 4.0, as the EU authority table names it.
pub const LICENCE: &str = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0";
const AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";

/// The datatype of `dcat:byteSize`. DCAT-AP_IT's ontology and DCAT-AP 2.1.1
/// give `xsd:decimal`, DCAT-AP 3.0.1 `xsd:nonNegativeInteger` (SEMICeu/DCAT-AP
/// issue 399): no literal satisfies both. The Italian profile, the one
/// dati.gov.it harvests and `check-dcat` gates on, decides.
const BYTE_SIZE_TYPE: &str = "xsd:decimal";

/// The prefixes of the compact names used for predicates and classes.
const PREFIXES: [(&str, &str); 8] = [
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dcatapit", "http://dati.gov.it/onto/dcatapit#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("schema", "http://schema.org/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The object of a triple.
enum Object {
    /// A full IRI.
    Iri(String),
    /// A class, as a compact name (`dcat:Dataset`).
    Class(&'static str),
    /// Text in Italian.
    Text(String),
    /// A literal without language or datatype (identifiers, names).
    Plain(String),
    /// A literal of an XSD datatype, named compactly (`xsd:date`).
    Typed(String, &'static str),
}

/// The graph, subject by subject in the order they were described.
#[derive(Default)]
struct Graph {
    subjects: Vec<(String, Vec<(&'static str, Object)>)>,
}

impl Graph {
    /// Describes `subject` (an IRI) with `(predicate, object)` pairs,
    /// predicates as compact names; `rdf:type` for classes.
    fn describe(&mut self, subject: String, properties: Vec<(&'static str, Object)>) {
        self.subjects.push((subject, properties));
    }

    fn jsonld(&self) -> Vec<u8> {
        let context: Map<String, Value> = PREFIXES
            .iter()
            .map(|(prefix, iri)| (prefix.to_string(), json!(iri)))
            .collect();
        let nodes: Vec<Value> = self
            .subjects
            .iter()
            .map(|(subject, properties)| {
                let mut node: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
                for (predicate, object) in properties {
                    let (key, value) = match object {
                        Object::Class(class) => ("@type", json!(class)),
                        Object::Iri(iri) => (*predicate, json!({ "@id": iri })),
                        Object::Text(text) => {
                            (*predicate, json!({ "@value": text, "@language": "it" }))
                        }
                        Object::Plain(text) => (*predicate, json!({ "@value": text })),
                        Object::Typed(text, datatype) => {
                            (*predicate, json!({ "@value": text, "@type": datatype }))
                        }
                    };
                    node.entry(key).or_default().push(value);
                }
                let mut map = Map::new();
                map.insert("@id".into(), json!(subject));
                for (key, mut values) in node {
                    let value = if values.len() == 1 {
                        values.remove(0)
                    } else {
                        Value::Array(values)
                    };
                    map.insert(key.into(), value);
                }
                Value::Object(map)
            })
            .collect();
        let document = json!({ "@context": context, "@graph": nodes });
        let mut bytes = serde_json::to_vec_pretty(&document).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    fn turtle(&self) -> Vec<u8> {
        let mut out = String::new();
        for (prefix, iri) in PREFIXES {
            out.push_str(&format!("@prefix {prefix}: <{iri}> .\n"));
        }
        for (subject, properties) in &self.subjects {
            out.push_str(&format!("\n<{subject}>"));
            let mut previous = None;
            for (predicate, object) in properties {
                let (predicate, object) = match object {
                    Object::Class(class) => ("a", class.to_string()),
                    Object::Iri(iri) => (*predicate, format!("<{iri}>")),
                    Object::Text(text) => (*predicate, format!("{}@it", typst_string(text))),
                    Object::Plain(text) => (*predicate, typst_string(text)),
                    Object::Typed(text, datatype) => {
                        (*predicate, format!("{}^^{datatype}", typst_string(text)))
                    }
                };
                // One predicate's objects go on one line, separated by commas.
                match previous {
                    Some(last) if last == predicate => out.push_str(&format!(", {object}")),
                    Some(_) => out.push_str(&format!(" ;\n    {predicate} {object}")),
                    None => out.push_str(&format!("\n    {predicate} {object}")),
                }
                previous = Some(predicate);
            }
            out.push_str(" .\n");
        }
        out.into_bytes()
    }
}

/// What one dataset is, besides its file.
struct DatasetText {
    id: &'static str,
    file: &'static str,
    title: &'static str,
    description: &'static str,
}

const DATASETS: [DatasetText; 4] = [
    DatasetText {
        id: "obiettivi",
        file: "obiettivi.csv",
        title: "Obiettivi",
        description: "Un obiettivo per riga: codice, titolo, Direzione e direttore, Servizio e dirigente, classificazione, tipologia e numero di indicatori.",
    },
    DatasetText {
        id: "indicatori",
        file: "indicatori.csv",
        title: "Indicatori",
        description: "Un indicatore per riga e per anno del piano: codice dell'obiettivo, posizione, descrizione, tipo, anno, valore atteso e note.",
    },
    DatasetText {
        id: "piano",
        file: "piano.json",
        title: "Piano completo",
        description: "Il piano completo: ente, titolo, anni e, per ogni obiettivo, i dati della scheda, la descrizione dettagliata e gli indicatori con i valori attesi.",
    },
    // Published once results are in the sources: without them the
    // catalogue is the plan's alone, byte for byte.
    DatasetText {
        id: "risultati",
        file: "risultati.csv",
        title: "Risultati",
        description: "Un indicatore per riga e per data di monitoraggio: codice dell'obiettivo, posizione, data, valore atteso, valore raggiunto, percentuale di raggiungimento ed esito.",
    },
];

/// The datasets whose file is among `data`.
fn present(data: &[DataFile]) -> impl Iterator<Item = &'static DatasetText> {
    DATASETS
        .iter()
        .filter(move |dataset| data.iter().any(|f| f.file == dataset.file))
}

/// The catalogue files of a plan year, when its `piano.yaml` gives what the
/// catalogue needs; `data` are the year's data files (their sizes are said),
/// `date` the build's date of the sources (seconds since 1970).
pub fn files(year: &YearPlan, date: i64, data: &[DataFile]) -> Vec<DataFile> {
    let Some(settings) = year.plan.catalogue() else {
        return Vec::new();
    };
    let graph = graph(year, &settings, date, data);
    vec![
        DataFile {
            file: JSONLD,
            bytes: graph.jsonld(),
        },
        DataFile {
            file: TURTLE,
            bytes: graph.turtle(),
        },
    ]
}

fn graph(year: &YearPlan, settings: &CatalogueSettings, date: i64, data: &[DataFile]) -> Graph {
    let catalogue = Catalogue::new(year, settings, date);
    let mut graph = Graph::default();
    catalogue.catalog(&mut graph, data);
    catalogue.agents(&mut graph);
    catalogue.contact(&mut graph);
    catalogue.period(&mut graph);
    for dataset in present(data) {
        catalogue.dataset(&mut graph, dataset);
        catalogue.distribution(&mut graph, dataset, data);
    }
    licence(&mut graph);
    graph
}

/// What the nodes of one year's catalogue share: where they live, who
/// holds and publishes the data, its dates.
struct Catalogue<'a> {
    year: &'a YearPlan,
    settings: &'a CatalogueSettings,
    /// The year's folder on the site, ending in `/`.
    folder: String,
    holder: String,
    publisher: String,
    /// The contact point's e-mail address (`sito.contatti`), if any.
    contact: Option<String>,
    /// When the data was issued (the plan's date) and last modified.
    issued: String,
    modified: String,
}

impl<'a> Catalogue<'a> {
    fn new(year: &'a YearPlan, settings: &'a CatalogueSettings, date: i64) -> Catalogue<'a> {
        let folder = format!("{}{}/", settings.base, year.year);
        let node = |name: &str| format!("{folder}{JSONLD}#{name}");
        let holder = node("ente");
        let publisher = if settings.publisher == settings.holder {
            holder.clone()
        } else {
            node("editore")
        };
        let contact = year.plan.contact_email().map(str::to_string);
        let issued = year.plan.date();
        let modified = issued.max(crate::pdf::utc(date).date());
        Catalogue {
            year,
            settings,
            folder,
            holder,
            publisher,
            contact,
            issued: issued.to_string(),
            modified: modified.to_string(),
        }
    }

    /// The IRI of the node `name` of the catalogue file.
    fn node(&self, name: &str) -> String {
        format!("{}{JSONLD}#{name}", self.folder)
    }

    /// When the data was issued, as `xsd:date`.
    fn issued(&self) -> Object {
        Object::Typed(self.issued.clone(), "xsd:date")
    }

    /// When the data was last modified, as `xsd:date`.
    fn modified(&self) -> Object {
        Object::Typed(self.modified.clone(), "xsd:date")
    }

    fn catalog(&self, graph: &mut Graph, data: &[DataFile]) {
        let plan = &self.year.plan;
        let years = match (plan.anni.first(), plan.anni.last()) {
            (Some(first), Some(last)) if first != last => format!("{first}-{last}"),
            (Some(first), _) => first.to_string(),
            _ => self.year.year.clone(),
        };
        let properties = [
            ("rdf:type", Class("dcat:Catalog")),
            ("rdf:type", Class("dcatapit:Catalog")),
            (
                "dct:title",
                Text(format!("Dati aperti: {} - {}", plan.titolo, plan.ente)),
            ),
            (
                "dct:description",
                Text(format!(
                    "Gli obiettivi e gli indicatori del piano \"{}\" ({}, anni {years}), dalle schede obiettivo.",
                    plan.titolo, plan.ente
                )),
            ),
            ("dct:publisher", Iri(self.publisher.clone())),
            ("dct:modified", self.modified()),
            ("dct:issued", self.issued()),
            ("dct:language", authority("language", "ITA")),
            ("foaf:homepage", Iri(format!("{}index.html", self.folder))),
            ("dcat:themeTaxonomy", Iri(format!("{AUTHORITY}data-theme"))),
        ];
        let datasets = present(data).map(|dataset| ("dcat:dataset", Iri(self.node(dataset.id))));
        graph.describe(
            self.node("catalogo"),
            properties.into_iter().chain(datasets).collect(),
        );
    }

    /// The rights holder, and the publisher when another agent.
    fn agents(&self, graph: &mut Graph) {
        let mut agents = vec![(self.holder.clone(), &self.settings.holder)];
        if self.publisher != self.holder {
            agents.push((self.publisher.clone(), &self.settings.publisher));
        }
        for (iri, agent) in agents {
            graph.describe(
                iri,
                vec![
                    ("rdf:type", Class("foaf:Agent")),
                    ("rdf:type", Class("dcatapit:Agent")),
                    ("dct:identifier", Plain(agent.ipa.clone())),
                    ("foaf:name", Plain(agent.name.clone())),
                ],
            );
        }
    }

    /// The contact point, when the plan gives an e-mail address (without
    /// one `check` warns: DCAT-AP_IT's contact point must have one).
    fn contact(&self, graph: &mut Graph) {
        let Some(address) = &self.contact else {
            return;
        };
        graph.describe(
            self.node("contatti"),
            vec![
                // DCAT-AP asks a `vcard:Kind`; without inference a
                // validator does not know an Organization is one.
                ("rdf:type", Class("vcard:Kind")),
                ("rdf:type", Class("vcard:Organization")),
                ("rdf:type", Class("dcatapit:Organization")),
                ("vcard:fn", Plain(self.year.plan.ente.clone())),
                ("vcard:hasEmail", Iri(address.clone())),
            ],
        );
    }

    /// The years the plan covers, under the names each reader looks for:
    /// DCAT-AP_IT's own (mandatory there), DCAT's (DCAT-AP) and schema.org's
    /// (what dati.gov.it's harvester reads).
    fn period(&self, graph: &mut Graph) {
        let anni = &self.year.plan.anni;
        let start = format!("{}-01-01", anni[0]);
        let end = format!("{}-12-31", anni[anni.len() - 1]);
        let mut properties = vec![("rdf:type", Class("dct:PeriodOfTime"))];
        for (start_name, end_name) in [
            ("dcatapit:startDate", "dcatapit:endDate"),
            ("dcat:startDate", "dcat:endDate"),
            ("schema:startDate", "schema:endDate"),
        ] {
            properties.push((start_name, Typed(start.clone(), "xsd:date")));
            properties.push((end_name, Typed(end.clone(), "xsd:date")));
        }
        graph.describe(self.node("periodo"), properties);
    }

    fn dataset(&self, graph: &mut Graph, dataset: &DatasetText) {
        let plan = &self.year.plan;
        let distribution = self.node(&format!("{}-distribuzione", dataset.id));
        let identifier = format!(
            "{}:schede-{}-{}",
            self.settings.holder.ipa, self.year.year, dataset.id
        );
        let title = format!("{} - {} - {}", dataset.title, plan.titolo, plan.ente);
        let mut properties = vec![
            ("rdf:type", Class("dcat:Dataset")),
            ("rdf:type", Class("dcatapit:Dataset")),
            ("dct:identifier", Plain(identifier)),
            ("dct:title", Text(title)),
            ("dct:description", Text(dataset.description.to_string())),
            ("dct:modified", self.modified()),
            ("dct:issued", self.issued()),
            ("dcat:theme", authority("data-theme", "GOVE")),
            ("dct:rightsHolder", Iri(self.holder.clone())),
            ("dct:publisher", Iri(self.publisher.clone())),
            ("dct:accrualPeriodicity", authority("frequency", "ANNUAL")),
            ("dct:language", authority("language", "ITA")),
            ("dct:temporal", Iri(self.node("periodo"))),
            (
                "dcat:landingPage",
                Iri(format!("{}index.html", self.folder)),
            ),
            ("dcat:keyword", Text("obiettivi".into())),
            ("dcat:keyword", Text("indicatori".into())),
            ("dcat:keyword", Text("performance".into())),
            ("dcat:distribution", Iri(distribution)),
        ];
        if self.contact.is_some() {
            properties.push(("dcat:contactPoint", Iri(self.node("contatti"))));
        }
        graph.describe(self.node(dataset.id), properties);
    }

    fn distribution(&self, graph: &mut Graph, dataset: &DatasetText, data: &[DataFile]) {
        let (format, media) = if dataset.file.ends_with(".csv") {
            ("CSV", "text/csv")
        } else {
            ("JSON", "application/json")
        };
        let url = format!("{}{}", self.folder, dataset.file);
        let mut properties = vec![
            ("rdf:type", Class("dcat:Distribution")),
            ("rdf:type", Class("dcatapit:Distribution")),
            ("dct:title", Text(format!("{} ({format})", dataset.file))),
            ("dct:description", Text(dataset.description.to_string())),
            ("dct:format", authority("file-type", format)),
            (
                "dcat:mediaType",
                Iri(format!(
                    "http://www.iana.org/assignments/media-types/{media}"
                )),
            ),
            ("dcat:accessURL", Iri(url.clone())),
            ("dcat:downloadURL", Iri(url)),
            ("dct:license", Iri(LICENCE.to_string())),
            ("dct:modified", self.modified()),
        ];
        if let Some(file) = data.iter().find(|f| f.file == dataset.file) {
            properties.push((
                "dcat:byteSize",
                Typed(file.bytes.len().to_string(), BYTE_SIZE_TYPE),
            ));
        }
        let distribution = self.node(&format!("{}-distribuzione", dataset.id));
        graph.describe(distribution, properties);
    }
}

/// An IRI of the EU's authority tables (`data-theme/GOVE`).
fn authority(table: &str, code: &str) -> Object {
    Object::Iri(format!("{AUTHORITY}{table}/{code}"))
}

/// The CC BY 4.0 licence.
fn licence(graph: &mut Graph) {
    graph.describe(
        LICENCE.to_string(),
        vec![
            ("rdf:type", Class("dct:LicenseDocument")),
            ("rdf:type", Class("dcatapit:LicenseDocument")),
            (
                "dct:type",
                Iri("http://purl.org/adms/licencetype/Attribution".into()),
            ),
            (
                "foaf:name",
                Text("Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)".into()),
            ),
        ],
    );
}
