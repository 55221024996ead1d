//! The language of the messages: Italian when the locale says so, English
//! otherwise, `--lang` to choose. The reports of `tests/invalid` are pinned
//! in both languages by `validation`; here, the help and the choice.

use crate::common::{in_language, root};

fn help(lang: &str, args: &[&str]) -> String {
    let output = in_language(lang).args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{args:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn assert_lines(text: &str, lines: &[&str]) {
    for line in lines {
        assert!(text.lines().any(|l| l == *line), "no `{line}` in\n{text}");
    }
}

/// `schede --help` and `schede build --help` with the locale `lang`: the
/// first line, lines of the help, a line of build's, words that must not be there.
fn help_speaks(lang: &str, first: &str, lines: &[&str], build_line: &str, absent: &[&str]) {
    let text = help(lang, &["--help"]);
    assert!(text.starts_with(first), "{text}");
    assert_lines(&text, lines);
    let build = help(lang, &["build", "--help"]);
    assert!(build.contains(build_line), "{build}");
    for word in absent {
        assert!(!build.contains(word), "`{word}` in\n{build}");
    }
}

#[test]
fn help_is_italian_with_an_italian_locale() {
    help_speaks(
        "it_IT.UTF-8",
        "Schede obiettivo del Piano esecutivo di gestione",
        &[
            "Uso: schede [OPZIONI] <COMANDO>",
            "Comandi:",
            "  check    Verifica ogni scheda e i modelli, senza scrivere nulla",
            "Opzioni:",
            "  -h, --help           Mostra questo aiuto",
            "  -V, --version        Mostra la versione",
        ],
        "La cartella in cui scrivere i risultati [predefinito: output]",
        &["Usage", "Options", "default:", "Print help", "The folder"],
    );
}

#[test]
fn help_is_english_otherwise() {
    help_speaks(
        "C",
        "Objective sheets (schede obiettivo)",
        &[
            "Usage: schede [OPTIONS] <COMMAND>",
            "Commands:",
            "  check    Check every sheet and the templates, writing nothing",
            "  -h, --help         Print help",
        ],
        "Where to write the outputs [default: output]",
        &["Uso:", "Opzioni", "predefinito"],
    );
}

#[test]
fn the_option_and_the_locale_variables_choose_the_language() {
    assert!(help("C", &["--lang", "it", "--help"]).contains("Comandi:"));
    assert!(help("it_IT.UTF-8", &["--help", "--lang=en"]).contains("Commands:"));
    // `LC_ALL` wins over `LANG`; `SCHEDE_LANG` wins over the locale.
    for (lang, variable, value, heading) in [
        ("C", "LC_ALL", "it_IT.UTF-8", "Comandi:"),
        ("it_IT.UTF-8", "SCHEDE_LANG", "en", "Commands:"),
    ] {
        let output = in_language(lang)
            .env(variable, value)
            .arg("--help")
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(heading), "{variable}={value}: {text}");
    }
}

/// Where no locale variable is set, the desktop's setting decides. On
/// Linux that is what sys-locale reads there, `LANGUAGE` (GNU's list of
/// preferred languages); Windows and macOS ask the system, which a test
/// cannot set, so only the Linux path runs here.
#[cfg(target_os = "linux")]
#[test]
fn without_locale_variables_the_desktop_setting_decides() {
    let desktop = |language: Option<&str>| {
        let mut command = in_language("C");
        command.env_remove("LANG").env_remove("LANGUAGE");
        if let Some(language) = language {
            command.env("LANGUAGE", language);
        }
        let output = command.arg("--help").output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(desktop(Some("it_IT:en")).contains("Comandi:"));
    assert!(desktop(Some("en_GB:it")).contains("Commands:"));
    assert!(desktop(None).contains("Commands:"));
    // A variable of the locale, even `C`, wins over the desktop.
    let output = in_language("C")
        .env("LANGUAGE", "it_IT")
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("Commands:")
    );
}

#[test]
fn usage_errors_are_in_the_language_too() {
    let output = in_language("it_IT.UTF-8").arg("buidl").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "errore: comando sconosciuto `buidl`\n  suggerimento: forse si intendeva `build`?\n  \
         suggerimento: `schede --help` elenca i comandi, `schede <comando> --help` le loro opzioni\n"
    );
}

#[test]
fn a_build_speaks_italian_from_start_to_end() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&root().join("sheets"), &dir.path().join("sheets"));
    let output = in_language("it_IT.UTF-8")
        .args(["check", "--templates"])
        .arg(root().join("templates"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("piani verificati: "), "{stdout}");
}

#[test]
fn new_explains_the_fields_in_the_language_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&root().join("sheets"), &dir.path().join("sheets"));
    let output = in_language("it_IT.UTF-8")
        .args(["new", "2019_Z777"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "creato sheets/2019/2019_Z777.md\n  suggerimento: compilare i campi e la descrizione, \
         poi eseguire `schede check`\n"
    );
    let text = std::fs::read_to_string(dir.path().join("sheets/2019/2019_Z777.md")).unwrap();
    assert!(
        text.contains("\n# Il titolo dell'obiettivo.\ntitolo: \"\"\n"),
        "{text}"
    );
    // The Italian comments are canonical too.
    let output = in_language("it_IT.UTF-8")
        .args(["fmt", "--check"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "2 schede in forma canonica\n"
    );
}
