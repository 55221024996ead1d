//! The portal's look and catalogue: the header and footer that `piano.yaml`'s
//! `sito` fills, the web fonts beside each stylesheet, and the DCAT-AP_IT
//! catalogue of the open data (parsed as RDF, JSON-LD and Turtle alike).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use oxrdf::{NamedNode, NamedOrBlankNode, Term, Triple};

use crate::common::{project, root, run_schede};

const FIXTURE: &str = "tests/publish/sheets";

/// The new fields of `piano.yaml`, all given, with the plan's date.
const PORTAL_FIELDS: &str = "data: 2019-03-28
sito:
  istituzionale: https://www.comune.prova.it/
  accessibilita: https://form.agid.gov.it/view/prova
  note_legali: https://www.comune.prova.it/note-legali
  privacy: https://www.comune.prova.it/privacy
  contatti: mailto:urp@comune.prova.it
catalogo:
  codice_ipa: c_z999
  url: https://trasparenza.comune.prova.it/peg
";

const BASE: &str = "https://trasparenza.comune.prova.it/peg/2019/";

/// The publication fixture in a temporary project, `extra` appended to its
/// `piano.yaml`.
fn fixture(extra: &str) -> tempfile::TempDir {
    let dir = project(&root().join(FIXTURE));
    let plan = dir.path().join("sheets/2019/piano.yaml");
    let text = fs::read_to_string(&plan).unwrap();
    fs::write(&plan, format!("{text}{extra}")).unwrap();
    dir
}

fn built(extra: &str) -> tempfile::TempDir {
    let dir = fixture(extra);
    let output = run_schede(dir.path(), &["build", "--deny-warnings"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    dir
}

fn read(dir: &Path, path: &str) -> String {
    fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const EU: &str = "http://publications.europa.eu/resource/authority/";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// An RDF graph as a set of triples, with questions about it.
struct Graph(BTreeSet<String>, Vec<Triple>);

impl Graph {
    fn new(triples: Vec<Triple>) -> Self {
        Graph(triples.iter().map(ToString::to_string).collect(), triples)
    }

    fn objects(&self, subject: &str, predicate: &str) -> Vec<Term> {
        self.1
            .iter()
            .filter(|t| {
                matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n.as_str() == subject)
                    && t.predicate.as_str() == predicate
            })
            .map(|t| t.object.clone())
            .collect()
    }

    /// The one object of a property that must be there once.
    fn one(&self, subject: &str, predicate: &str) -> Term {
        let objects = self.objects(subject, predicate);
        assert_eq!(
            objects.len(),
            1,
            "{subject} must have one {predicate}, has {objects:?}"
        );
        objects.into_iter().next().unwrap()
    }

    fn iri(&self, subject: &str, predicate: &str) -> String {
        match self.one(subject, predicate) {
            Term::NamedNode(node) => node.into_string(),
            other => panic!("{subject} {predicate}: {other} is not an IRI"),
        }
    }

    fn text(&self, subject: &str, predicate: &str) -> String {
        self.literal(subject, predicate).0
    }

    /// A literal's value and datatype.
    fn literal(&self, subject: &str, predicate: &str) -> (String, String) {
        match self.one(subject, predicate) {
            Term::Literal(literal) => (
                literal.value().to_string(),
                literal.datatype().as_str().to_string(),
            ),
            other => panic!("{subject} {predicate}: {other} is not a literal"),
        }
    }

    /// A literal of type `xsd:date`.
    fn date(&self, subject: &str, predicate: &str) -> String {
        let (value, datatype) = self.literal(subject, predicate);
        assert_eq!(datatype, format!("{XSD}date"), "{subject} {predicate}");
        value
    }

    fn has_type(&self, subject: &str, class: &str) -> bool {
        self.objects(subject, RDF_TYPE)
            .contains(&Term::NamedNode(NamedNode::new(class).unwrap()))
    }

    fn subjects_of_type(&self, class: &str) -> Vec<String> {
        let mut found: Vec<String> = self
            .1
            .iter()
            .filter(|t| {
                t.predicate.as_str() == RDF_TYPE && t.object.to_string() == format!("<{class}>")
            })
            .map(|t| match &t.subject {
                NamedOrBlankNode::NamedNode(n) => n.as_str().to_string(),
                other => panic!("blank subject {other}"),
            })
            .collect();
        found.sort();
        found
    }
}

fn jsonld(bytes: &[u8]) -> Graph {
    Graph::new(
        oxjsonld::JsonLdParser::new()
            .for_slice(bytes)
            .map(|quad| Triple::from(quad.expect("valid JSON-LD")))
            .collect(),
    )
}

fn turtle(bytes: &[u8]) -> Graph {
    Graph::new(
        oxttl::TurtleParser::new()
            .for_slice(bytes)
            .map(|triple| triple.expect("valid Turtle"))
            .collect(),
    )
}

#[test]
fn the_catalogue_carries_every_mandatory_dcat_ap_it_property() {
    let dir = built(PORTAL_FIELDS);
    let out = dir.path().join("output");
    let graph = jsonld(&fs::read(out.join("2019/catalogo.jsonld")).unwrap());
    let same = turtle(&fs::read(out.join("2019/catalogo.ttl")).unwrap());
    assert_eq!(
        graph.0, same.0,
        "JSON-LD and Turtle describe the same graph"
    );
    assert!(graph.0.len() > 100, "{} triples", graph.0.len());

    // The catalogue.
    let catalogs = graph.subjects_of_type(&format!("{DCAT}Catalog"));
    assert_eq!(catalogs.len(), 1);
    let catalog = &catalogs[0];
    assert!(graph.has_type(catalog, "http://dati.gov.it/onto/dcatapit#Catalog"));
    assert_eq!(
        graph.text(catalog, &format!("{DCT}title")),
        "Dati aperti: Piano Esecutivo di Gestione 2019-2021 - Comune di Prova"
    );
    assert!(!graph.text(catalog, &format!("{DCT}description")).is_empty());
    assert_eq!(graph.date(catalog, &format!("{DCT}modified")), "2019-03-28");
    assert_eq!(graph.date(catalog, &format!("{DCT}issued")), "2019-03-28");
    assert_eq!(
        graph.iri(catalog, &format!("{FOAF}homepage")),
        format!("{BASE}index.html")
    );
    let publisher = graph.iri(catalog, &format!("{DCT}publisher"));
    assert_eq!(
        graph.text(&publisher, &format!("{DCT}identifier")),
        "c_z999"
    );
    assert_eq!(
        graph.text(&publisher, &format!("{FOAF}name")),
        "Comune di Prova"
    );
    assert!(graph.has_type(&publisher, &format!("{FOAF}Agent")));

    // Its datasets.
    let mut datasets: Vec<String> = graph
        .objects(catalog, &format!("{DCAT}dataset"))
        .iter()
        .map(|t| match t {
            Term::NamedNode(n) => n.as_str().to_string(),
            other => panic!("{other}"),
        })
        .collect();
    datasets.sort();
    assert_eq!(datasets, graph.subjects_of_type(&format!("{DCAT}Dataset")));
    let mut files = Vec::new();
    for dataset in &datasets {
        assert!(graph.has_type(dataset, "http://dati.gov.it/onto/dcatapit#Dataset"));
        let identifier = graph.text(dataset, &format!("{DCT}identifier"));
        assert!(
            identifier.starts_with("c_z999:schede-2019-"),
            "{identifier}"
        );
        assert!(
            graph
                .text(dataset, &format!("{DCT}title"))
                .ends_with(" - Piano Esecutivo di Gestione 2019-2021 - Comune di Prova")
        );
        assert!(!graph.text(dataset, &format!("{DCT}description")).is_empty());
        assert_eq!(graph.date(dataset, &format!("{DCT}modified")), "2019-03-28");
        // The years of the plan, as DCAT-AP_IT, DCAT and schema.org name them.
        let period = graph.iri(dataset, &format!("{DCT}temporal"));
        for prefix in [
            "http://dati.gov.it/onto/dcatapit#",
            DCAT,
            "http://schema.org/",
        ] {
            assert_eq!(
                graph.date(&period, &format!("{prefix}startDate")),
                "2019-01-01"
            );
            assert_eq!(
                graph.date(&period, &format!("{prefix}endDate")),
                "2021-12-31"
            );
        }
        assert_eq!(
            graph.iri(dataset, &format!("{DCAT}theme")),
            format!("{EU}data-theme/GOVE")
        );
        assert_eq!(
            graph.iri(dataset, &format!("{DCT}accrualPeriodicity")),
            format!("{EU}frequency/ANNUAL")
        );
        let holder = graph.iri(dataset, &format!("{DCT}rightsHolder"));
        assert_eq!(graph.text(&holder, &format!("{DCT}identifier")), "c_z999");
        assert_eq!(
            graph.text(&holder, &format!("{FOAF}name")),
            "Comune di Prova"
        );
        assert_eq!(graph.iri(dataset, &format!("{DCT}publisher")), publisher);
        let contact = graph.iri(dataset, &format!("{DCAT}contactPoint"));
        assert!(graph.has_type(&contact, "http://dati.gov.it/onto/dcatapit#Organization"));
        assert_eq!(
            graph.text(&contact, "http://www.w3.org/2006/vcard/ns#fn"),
            "Comune di Prova"
        );
        assert_eq!(
            graph.iri(&contact, "http://www.w3.org/2006/vcard/ns#hasEmail"),
            "mailto:urp@comune.prova.it"
        );

        // Each dataset's distribution.
        let distribution = graph.iri(dataset, &format!("{DCAT}distribution"));
        assert!(graph.has_type(&distribution, &format!("{DCAT}Distribution")));
        let url = graph.iri(&distribution, &format!("{DCAT}accessURL"));
        let file = url
            .strip_prefix(BASE)
            .expect("an absolute address under the base");
        assert!(out.join("2019").join(file).is_file(), "{file} is published");
        let format = if file.ends_with(".csv") {
            "CSV"
        } else {
            "JSON"
        };
        assert_eq!(
            graph.iri(&distribution, &format!("{DCT}format")),
            format!("{EU}file-type/{format}")
        );
        assert_eq!(
            graph.literal(&distribution, &format!("{DCAT}byteSize")),
            (
                fs::metadata(out.join("2019").join(file))
                    .unwrap()
                    .len()
                    .to_string(),
                format!("{XSD}decimal")
            ),
            "DCAT-AP_IT's type"
        );
        let licence = graph.iri(&distribution, &format!("{DCT}license"));
        assert_eq!(licence, format!("{EU}licence/CC_BY_4_0"));
        assert!(graph.has_type(&licence, &format!("{DCT}LicenseDocument")));
        files.push(file.to_string());
    }
    files.sort();
    assert_eq!(files, ["indicatori.csv", "obiettivi.csv", "piano.json"]);
}

#[test]
fn the_pages_show_the_ente_the_links_of_the_plan_and_the_licence() {
    let dir = built(PORTAL_FIELDS);
    let out = dir.path().join("output");
    for page in ["index.html", "2019/index.html", "2019/2019_Z101.html"] {
        let html = read(&out, page);
        assert!(
            html.contains("<span class=\"marchio-nome\">Comune di Prova</span>"),
            "{page}: the ente in the header"
        );
        for (href, text) in [
            (
                "https://form.agid.gov.it/view/prova",
                "Dichiarazione di accessibilità",
            ),
            ("https://www.comune.prova.it/note-legali", "Note legali"),
            ("https://www.comune.prova.it/privacy", "Informativa privacy"),
            (
                "mailto:urp@comune.prova.it",
                "Contatti e Ufficio Relazioni con il Pubblico",
            ),
            ("https://www.comune.prova.it/", "Sito istituzionale"),
        ] {
            assert!(
                html.contains(&format!("<a href=\"{href}\">{text}</a>")),
                "{page}: link to {href}"
            );
        }
        assert!(
            html.contains(
                "<a href=\"https://creativecommons.org/licenses/by/4.0/deed.it\" rel=\"license\">"
            ),
            "{page}: the licence"
        );
    }
    let year = read(&out, "2019/index.html");
    assert!(year.contains(
        "<a href=\"catalogo.jsonld\">catalogo.jsonld</a> <span class=\"formato\">(JSON-LD,"
    ));
    assert!(
        year.contains("<a href=\"catalogo.ttl\">catalogo.ttl</a> <span class=\"formato\">(Turtle,")
    );
    assert!(year.contains("<p class=\"licenza\">I dati aperti sono pubblicati con licenza"));
}

#[test]
fn the_fonts_are_served_beside_every_stylesheet() {
    let dir = built("");
    let out = dir.path().join("output");
    let css = read(&out, "schede.css");
    let urls: Vec<&str> = css
        .split("url(\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(urls.len(), 4, "{urls:?}");
    for folder in ["", "2019/"] {
        assert_eq!(read(&out, &format!("{folder}schede.css")), css);
        for url in &urls {
            let name = url
                .strip_prefix("fonts/")
                .expect("relative, beside the stylesheet");
            assert_eq!(
                fs::read(out.join(format!("{folder}{url}"))).unwrap(),
                fs::read(root().join("fonts/web").join(name)).unwrap(),
                "{folder}{url}"
            );
        }
        assert_eq!(
            read(&out, &format!("{folder}fonts/OFL.txt")),
            read(&root(), "fonts/OFL.txt")
        );
    }
}

#[test]
fn without_the_new_fields_there_is_no_catalogue_and_no_footer_links() {
    let dir = built("");
    let out = dir.path().join("output");
    assert!(!out.join("2019/catalogo.jsonld").exists());
    assert!(!out.join("2019/catalogo.ttl").exists());
    let html = read(&out, "2019/2019_Z101.html");
    assert!(html.contains("<span class=\"marchio-nome\">Comune di Prova</span>"));
    assert!(!html.contains("Dichiarazione di accessibilità"));
    assert!(!html.contains("Sito istituzionale"));
    assert!(!html.contains("class=\"piede-note\""));
    assert!(
        html.contains("rel=\"license\""),
        "the licence is always declared"
    );
}

#[test]
fn an_incomplete_catalogue_warns_naming_what_is_missing() {
    let dir = fixture("catalogo:\n  codice_ipa: c_z999\n");
    let checked = run_schede(dir.path(), &["check"]);
    assert!(checked.status.success());
    assert_eq!(
        String::from_utf8_lossy(&checked.stderr),
        "sheets/2019/piano.yaml:4:1: warning: field `catalogo`: no DCAT-AP_IT catalogue is made without `url`\n  hint: add them under `catalogo`, or remove `catalogo` to publish without a catalogue\n0 errors, 1 warning\n"
    );
    assert!(
        !run_schede(dir.path(), &["build", "--deny-warnings"])
            .status
            .success()
    );
    assert!(run_schede(dir.path(), &["build"]).status.success());
    assert!(!dir.path().join("output/2019/catalogo.jsonld").exists());
}

#[test]
fn a_link_that_is_not_a_web_address_is_an_error() {
    let dir = fixture("sito:\n  note_legali: www.comune.prova.it/note\n");
    let checked = run_schede(dir.path(), &["check"]);
    assert_eq!(checked.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&checked.stderr),
        "sheets/2019/piano.yaml:5:3: error: field `sito.note_legali`: `www.comune.prova.it/note` is not a web address\n  hint: write an address starting with `https://`\n1 error, 0 warnings\n"
    );
}

#[test]
fn quotes_backslashes_and_line_breaks_in_names_survive_both_formats() {
    let dir = project(&root().join(FIXTURE));
    let plan = dir.path().join("sheets/2019/piano.yaml");
    let text = fs::read_to_string(&plan).unwrap().replace(
        "ente: Comune di Prova",
        "ente: \"Comune \\\"di\\\" \\\\ Prova\\n<b>\"",
    );
    fs::write(&plan, format!("{text}{PORTAL_FIELDS}")).unwrap();
    let output = run_schede(dir.path(), &["build"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = dir.path().join("output/2019");
    let graph = jsonld(&fs::read(out.join("catalogo.jsonld")).unwrap());
    let same = turtle(&fs::read(out.join("catalogo.ttl")).unwrap());
    assert_eq!(graph.0, same.0);
    let holder = format!("{BASE}catalogo.jsonld#ente");
    assert_eq!(
        graph.text(&holder, &format!("{FOAF}name")),
        "Comune \"di\" \\ Prova\n<b>"
    );
}

#[test]
fn the_catalogue_is_modified_when_the_sources_last_changed() {
    let dir = fixture(PORTAL_FIELDS);
    // 1 October 2019, 10:00 UTC: the last change of the sources.
    let output = crate::common::schede_command()
        .args(["build", "--deny-warnings"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1569924000")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let graph = turtle(&fs::read(dir.path().join("output/2019/catalogo.ttl")).unwrap());
    let catalog = format!("{BASE}catalogo.jsonld#catalogo");
    assert_eq!(
        graph.date(&catalog, &format!("{DCT}modified")),
        "2019-10-01"
    );
    assert_eq!(graph.date(&catalog, &format!("{DCT}issued")), "2019-03-28");
    let dataset = format!("{BASE}catalogo.jsonld#obiettivi");
    assert_eq!(
        graph.date(&dataset, &format!("{DCT}modified")),
        "2019-10-01"
    );
    assert_eq!(graph.date(&dataset, &format!("{DCT}issued")), "2019-03-28");
}

#[test]
fn a_catalogue_without_an_email_contact_or_a_date_warns() {
    let fields = PORTAL_FIELDS.replace("data: 2019-03-28\n", "").replace(
        "mailto:urp@comune.prova.it",
        "https://www.comune.prova.it/urp",
    );
    let dir = fixture(&fields);
    let checked = run_schede(dir.path(), &["check"]);
    assert!(checked.status.success());
    assert_eq!(
        String::from_utf8_lossy(&checked.stderr),
        "sheets/2019/piano.yaml:9:3: warning: field `sito.contatti`: the catalogue's datasets have no contact point\n  hint: give the office's e-mail address as `contatti: mailto:...` under `sito`\n\
         sheets/2019/piano.yaml:10:1: warning: field `catalogo`: without `data` the catalogue dates the data 1 January 2019\n  hint: write the plan's date of adoption as `data: YYYY-MM-DD`\n\
         0 errors, 2 warnings\n"
    );
    assert!(run_schede(dir.path(), &["build"]).status.success());
    let graph = turtle(&fs::read(dir.path().join("output/2019/catalogo.ttl")).unwrap());
    let dataset = format!("{BASE}catalogo.jsonld#obiettivi");
    assert!(
        graph
            .objects(&dataset, &format!("{DCAT}contactPoint"))
            .is_empty()
    );
    assert_eq!(
        graph.date(&dataset, &format!("{DCT}modified")),
        "2019-01-01"
    );
}
