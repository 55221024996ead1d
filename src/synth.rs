//! A synthetic plan for benchmarks and tests: N realistic sheets, the same
//! for the same N and seed.
//!
//! About 20 Direzioni and 80 Servizi; descriptions from one paragraph to
//! several pages with bullet and numbered lists; 1 to 15 indicators; about
//! one sheet in eight long enough to run to three pages or more. With
//! results, every indicator has a value reached at 30 June and 31 December
//! of the plan year and every sheet a narrative at both dates, drawn from
//! a generator of their own: the plan's part of each sheet stays the same
//! text as without results.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::t;
use anyhow::{Context, Result};

const WORDS: &[&str] = &[
    "attività",
    "servizi",
    "cittadini",
    "procedimenti",
    "gestione",
    "controllo",
    "qualità",
    "comunicazione",
    "digitalizzazione",
    "territorio",
    "manutenzione",
    "programmazione",
    "monitoraggio",
    "trasparenza",
    "efficienza",
    "sostenibilità",
    "bilancio",
    "risorse",
    "personale",
    "formazione",
    "sportello",
    "istruttorie",
    "pratiche",
    "interventi",
    "progetti",
    "regolamento",
    "convenzioni",
    "affidamenti",
    "contratti",
    "verifiche",
    "scuole",
    "mobilità",
    "ambiente",
    "cultura",
    "sociale",
    "urbanistica",
    "edilizia",
    "tributi",
    "anagrafe",
    "sport",
    "della",
    "delle",
    "per",
    "con",
    "nel",
    "sul",
    "e",
    "il",
    "la",
    "di",
    "a",
    "in",
];
const DIREZIONI: &[&str] = &[
    "AMBIENTE",
    "CULTURA E SPORT",
    "ISTRUZIONE",
    "SERVIZI SOCIALI",
    "URBANISTICA",
    "NUOVE INFRASTRUTTURE E MOBILITA'",
    "SERVIZI TECNICI",
    "RISORSE FINANZIARIE",
    "RISORSE UMANE",
    "SISTEMI INFORMATIVI",
    "POLIZIA MUNICIPALE",
    "SERVIZI DEMOGRAFICI",
    "PATRIMONIO IMMOBILIARE",
    "ATTIVITA' ECONOMICHE E TURISMO",
    "UFFICIO DEL SINDACO",
    "SEGRETERIA GENERALE E AFFARI ISTITUZIONALI",
    "AVVOCATURA",
    "GARE APPALTI E PARTECIPATE",
    "CORPO DI POLIZIA",
    "PROTEZIONE CIVILE",
];
const NOMI: &[&str] = &[
    "ROSSI MARIO",
    "BIANCHI ANNA",
    "VERDI LUCA",
    "NERI PAOLA",
    "ESPOSITO GIULIA",
    "ROMANO MARCO",
    "COLOMBO SARA",
    "RICCI ANDREA",
    "MARINO ELENA",
    "GRECO DAVIDE",
];

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut text = String::new();
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(self.pick(WORDS));
        }
        let mut chars = text.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        format!("{}{}.", first.unwrap_or_default(), chars.as_str())
    }
}

/// Writes a plan of `count` sheets for `year` (three years) into `sheets`,
/// with results at two dates when `results` is set.
pub fn write_plan(sheets: &Path, year: i32, count: usize, seed: u64, results: bool) -> Result<()> {
    let dir = sheets.join(year.to_string());
    fs::create_dir_all(&dir).with_context(|| t!("cannot-create-path", path = dir.display()))?;
    fs::write(
        dir.join("piano.yaml"),
        format!(
            "ente: Comune di Esempio\ntitolo: Piano Esecutivo di Gestione {year}-{}\nanni: [{year}, {}, {}]\n",
            year + 2,
            year + 1,
            year + 2
        ),
    )?;
    let mut rng = Rng(seed);
    for n in 0..count {
        let code = format!("{year}_S{n:05}");
        let results = results.then(|| Rng(!seed ^ (n as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)));
        let text = sheet(&mut rng, results, &code, year, n);
        fs::write(dir.join(format!("{code}.md")), text)
            .with_context(|| format!("cannot write `{code}.md`"))?;
    }
    Ok(())
}

fn sheet(rng: &mut Rng, mut results: Option<Rng>, code: &str, year: i32, n: usize) -> String {
    // Each Servizio belongs to one Direzione and has one head, for consistency.
    let servizio = n % 80;
    let direzione = servizio % DIREZIONI.len();
    let mut text = String::new();
    let _ = writeln!(text, "---\ncodice: {code}");
    let words = rng.between(4, 12);
    let _ = writeln!(
        text,
        "titolo: \"{}\"",
        rng.sentence(words).trim_end_matches('.')
    );
    let _ = writeln!(text, "direzione: \"{}\"", DIREZIONI[direzione]);
    let _ = writeln!(text, "direttore: {}", NOMI[direzione % NOMI.len()]);
    let _ = writeln!(
        text,
        "servizio: \"SERVIZIO {} {}\"",
        DIREZIONI[direzione],
        servizio / DIREZIONI.len() + 1
    );
    let _ = writeln!(text, "dirigente: {}", NOMI[(servizio * 7) % NOMI.len()]);
    let _ = writeln!(
        text,
        "classificazione: {}",
        rng.pick(&["DIREZIONALE", "STRATEGICO", "GESTIONALE"])
    );
    let _ = writeln!(
        text,
        "tipologia: {}",
        rng.pick(&["SINTESI", "MIGLIORAMENTO", "SVILUPPO"])
    );
    let _ = writeln!(text, "indicatori:");
    for _ in 0..rng.between(1, 15) {
        let words = rng.between(8, 40);
        let _ = writeln!(text, "  - descrizione: \"{}\"", rng.sentence(words));
        let _ = writeln!(
            text,
            "    tipo: {}",
            rng.pick(&["RISULTATO", "EFFICIENZA", "QUALITA'"])
        );
        let targets: Vec<String> = (0..3)
            .map(|i| format!("{}: {}%", year + i, rng.between(50, 100)))
            .collect();
        let _ = writeln!(text, "    valore_atteso: {{{}}}", targets.join(", "));
        if let Some(r) = results.as_mut() {
            let (june, december) = (r.between(20, 80), r.between(40, 110));
            let _ = writeln!(
                text,
                "    valore_raggiunto: {{{year}-06-30: {june}%, {year}-12-31: {december}%}}"
            );
        }
    }
    if let Some(r) = results.as_mut() {
        text.push_str(&narrative(r, year));
    }
    text.push_str("---\n\n");
    // One sheet in eight runs long; the others have one to four blocks.
    let blocks = if rng.below(8) == 0 {
        rng.between(25, 40)
    } else {
        rng.between(1, 4)
    };
    for b in 0..blocks {
        if b % 3 == 2 {
            for item in 0..rng.between(2, 6) {
                let marker = if b % 2 == 0 {
                    "-".to_string()
                } else {
                    format!("{}.", item + 1)
                };
                let words = rng.between(8, 30);
                let _ = writeln!(text, "{marker} {}", rng.sentence(words));
            }
        } else {
            let words = rng.between(30, 90);
            let _ = writeln!(text, "{}", rng.sentence(words));
        }
        text.push('\n');
    }
    text.truncate(text.trim_end().len());
    text.push('\n');
    text
}

/// The `risultati` of a sheet: what was done by each date, and why it fell
/// short (so that no objective below target goes unexplained).
fn narrative(rng: &mut Rng, year: i32) -> String {
    let mut text = String::from("risultati:\n");
    for date in ["06-30", "12-31"] {
        let (done, short) = (rng.between(20, 60), rng.between(10, 30));
        let _ = writeln!(
            text,
            "  {year}-{date}:\n    attivita: \"{}\"\n    scostamento: \"{}\"",
            rng.sentence(done),
            rng.sentence(short)
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_plan() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        write_plan(a.path(), 2030, 5, 7, false).unwrap();
        write_plan(b.path(), 2030, 5, 7, false).unwrap();
        for n in 0..5 {
            let name = format!("2030/2030_S{n:05}.md");
            assert_eq!(
                fs::read(a.path().join(&name)).unwrap(),
                fs::read(b.path().join(&name)).unwrap()
            );
        }
    }

    #[test]
    fn results_are_added_to_the_same_plan() {
        let plain = tempfile::tempdir().unwrap();
        let with = tempfile::tempdir().unwrap();
        write_plan(plain.path(), 2030, 5, 7, false).unwrap();
        write_plan(with.path(), 2030, 5, 7, true).unwrap();
        let read = |dir: &Path| fs::read_to_string(dir.join("2030/2030_S00003.md")).unwrap();
        let (plain, with) = (read(plain.path()), read(with.path()));
        let without_results: Vec<&str> = (with.lines())
            .filter(|l| !l.starts_with("    valore_raggiunto:"))
            .collect();
        let plan_part = without_results.join("\n");
        let cut = plan_part.find("risultati:").unwrap();
        let rest = &plan_part[plan_part.find("---\n\n").unwrap()..];
        assert_eq!(format!("{}{rest}\n", &plan_part[..cut]), plain);
        assert!(with.contains("    valore_raggiunto: {2030-06-30: "));
        assert!(with.contains("  2030-12-31:\n    attivita: \""));
    }
}
