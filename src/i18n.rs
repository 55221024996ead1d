//! The messages a person reads, in Italian or English.
//!
//! Every message lives in a Project Fluent catalogue, `i18n/en.ftl` and
//! `i18n/it.ftl`, compiled into the binary. Code names a message by its id,
//! with [`t!`](crate::t) and its arguments; the text is chosen when it is
//! shown, in the language of the run: `--lang it|en`, else `SCHEDE_LANG`,
//! else the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set
//! (Italian when it starts with `it`), else the desktop's language (Windows
//! and macOS set none of those variables), else English.
//!
//! Text that is not ours (Typst's and Tera's messages about a template, an
//! operating system's) is carried as [`Text::Raw`] and shown as it came.

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The English catalogue.
pub const EN: &str = include_str!("../i18n/en.ftl");
/// The Italian catalogue.
pub const IT: &str = include_str!("../i18n/it.ftl");

/// A language the tool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    It,
}

impl Lang {
    /// `it` or `en` (any case, region ignored: `it_IT.UTF-8` is Italian).
    pub fn parse(text: &str) -> Option<Lang> {
        let text = text.trim().to_ascii_lowercase();
        if text.starts_with("it") {
            Some(Lang::It)
        } else if text.starts_with("en") || text == "c" || text == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of the environment: `SCHEDE_LANG`, then the locale
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set and not empty),
    /// then `system`'s answer (the desktop's language, a BCP 47 tag such as
    /// `it-IT`), asked only when no variable is set.
    pub fn from_env(
        var: impl Fn(&str) -> Option<String>,
        system: impl FnOnce() -> Option<String>,
    ) -> Lang {
        if let Some(lang) = var("SCHEDE_LANG").as_deref().and_then(Lang::parse) {
            return lang;
        }
        let italian = |value: String| {
            if value.starts_with("it") {
                Lang::It
            } else {
                Lang::En
            }
        };
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| var(name))
            .find(|value| !value.is_empty())
            .or_else(system)
            .map_or(Lang::En, italian)
    }

    /// The desktop's language: Windows' and macOS's setting, a Unix
    /// system's locale variables.
    pub fn system() -> Option<String> {
        sys_locale::get_locale()
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::It => 1,
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Sets the language of every message shown from now on (the command line
/// does it once, before anything else).
pub fn set(lang: Lang) {
    CURRENT.store(lang.index() as u8, Ordering::Relaxed);
}

/// The language messages are shown in.
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::It,
        _ => Lang::En,
    }
}

/// A duration in seconds with two decimals, with the decimal separator of
/// the run's language.
pub fn seconds(time: std::time::Duration) -> String {
    decimal(time.as_secs_f64(), 2)
}

/// `value` with `decimals` decimals, with the run's decimal separator.
pub fn decimal(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match current() {
        Lang::It => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The two catalogues, parsed once.
fn bundles() -> &'static [FluentBundle<FluentResource>; 2] {
    static BUNDLES: OnceLock<[FluentBundle<FluentResource>; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| [bundle("en", EN), bundle("it", IT)])
}

fn bundle(tag: &str, source: &str) -> FluentBundle<FluentResource> {
    let locale = tag.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![locale]);
    // No Unicode isolation marks around arguments: messages go to terminals
    // and logs, and their arguments are file names and codes.
    bundle.set_use_isolating(false);
    // A catalogue with an error still gives every message it could read;
    // the tests check that both parse cleanly.
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(res, _)| res);
    bundle.add_resource_overriding(resource);
    bundle
}

/// Whether the catalogue of `lang` has a message `id`.
pub fn has(lang: Lang, id: &str) -> bool {
    bundles()[lang.index()].has_message(id)
}

/// The message `id`, without arguments, in `lang` (for ids made at run
/// time, like the command line's `cli-<command>--<option>`).
pub fn render_id(lang: Lang, id: &str) -> String {
    format(lang, id, None)
}

/// The message `id` of `lang` with `args`; its id when the catalogue has none.
fn format(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let bundle = &bundles()[lang.index()];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}

/// The value of an argument of a message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Arg {
    Str(String),
    Number(i64),
    /// Another message, shown in the same language.
    Text(Box<Text>),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Str(value.to_string())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Str(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Str(value.clone())
    }
}

impl From<std::path::Display<'_>> for Arg {
    fn from(value: std::path::Display<'_>) -> Self {
        Arg::Str(value.to_string())
    }
}

impl From<Text> for Arg {
    fn from(value: Text) -> Self {
        Arg::Text(Box::new(value))
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(value: $t) -> Self {
                Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_args!(usize, u64, u32, i32, i64);

/// A message to show: an id of the catalogues with its arguments, or text
/// that is not ours.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Text {
    Message {
        id: &'static str,
        /// Boxed, not a `Vec`: a diagnostic stays small enough to travel in
        /// a `Result` by value.
        args: Box<[(&'static str, Arg)]>,
    },
    Raw(String),
}

impl Text {
    /// The message `id` of the catalogues.
    pub fn new(id: &'static str) -> Text {
        Text::Message {
            id,
            args: Box::new([]),
        }
    }

    /// Text shown as it is, in every language.
    pub fn raw(text: impl Into<String>) -> Text {
        Text::Raw(text.into())
    }

    /// Adds the argument `$name` of the message.
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Text {
        if let Text::Message { args, .. } = &mut self {
            let mut all = std::mem::take(args).into_vec();
            all.push((name, value.into()));
            *args = all.into_boxed_slice();
        }
        self
    }

    /// The message's id, or `None` for raw text.
    pub fn id(&self) -> Option<&'static str> {
        match self {
            Text::Message { id, .. } => Some(id),
            Text::Raw(_) => None,
        }
    }

    /// The message in `lang`. A message missing from the catalogue shows
    /// its id (the tests keep the catalogues complete).
    pub fn render(&self, lang: Lang) -> String {
        let (id, args) = match self {
            Text::Raw(text) => return text.clone(),
            Text::Message { id, args } => (id, args),
        };
        let mut values = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Str(text) => FluentValue::from(text.clone()),
                Arg::Number(n) => FluentValue::from(*n),
                Arg::Text(text) => FluentValue::from(text.render(lang)),
            };
            values.set(*name, value);
        }
        format(lang, id, Some(&values))
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(current()))
    }
}

/// A message of the catalogues: `t!("id")`, `t!("id", name = value, ...)`.
#[macro_export]
macro_rules! t {
    ($id:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::i18n::Text::new($id)$(.arg(stringify!($name), $value))*
    };
}

/// Shorthand for `t!(...).to_string()`: the message in the run's language.
#[macro_export]
macro_rules! tr {
    ($($tokens:tt)*) => {
        $crate::t!($($tokens)*).to_string()
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Each message id of a catalogue, with the variables it uses.
    fn catalogue(source: &str) -> BTreeMap<String, Vec<String>> {
        let resource = match FluentResource::try_new(source.to_string()) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("catalogue does not parse: {errors:?}"),
        };
        let mut ids = BTreeMap::new();
        let mut current = String::new();
        for line in source.lines() {
            if let Some((id, _)) = line.split_once(" =")
                && !line.starts_with([' ', '#', '.'])
            {
                current = id.to_string();
                ids.insert(current.clone(), Vec::new());
            }
            let mut rest = line;
            while let Some(at) = rest.find("{ $") {
                let name: String = rest[at + 3..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if let Some(vars) = ids.get_mut(&current)
                    && !vars.contains(&name)
                {
                    vars.push(name);
                }
                rest = &rest[at + 3..];
            }
        }
        drop(resource);
        for vars in ids.values_mut() {
            vars.sort();
        }
        ids
    }

    #[test]
    fn both_catalogues_have_the_same_messages_and_variables() {
        let (en, it) = (catalogue(EN), catalogue(IT));
        let only_en: Vec<_> = en.keys().filter(|k| !it.contains_key(*k)).collect();
        let only_it: Vec<_> = it.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty(), "missing in it.ftl: {only_en:?}");
        assert!(only_it.is_empty(), "missing in en.ftl: {only_it:?}");
        for (id, vars) in &en {
            assert_eq!(vars, &it[id], "variables of `{id}` differ");
        }
    }

    /// Every `t!("id"` and `Text::new("id"` of the sources is in both catalogues.
    #[test]
    fn every_message_used_in_the_code_exists() {
        let en = catalogue(EN);
        let mut missing = Vec::new();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for marker in ["t!(\"", "tr!(\"", "Text::new(\""] {
                for (at, _) in text.match_indices(marker) {
                    let before = text[..at].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' {
                        continue;
                    }
                    let id: String = text[at + marker.len()..]
                        .chars()
                        .take_while(|c| *c != '"')
                        .collect();
                    if id != "id" && !en.contains_key(&id) {
                        missing.push(format!("{}: {id}", entry.path().display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "not in the catalogues: {missing:#?}");
    }

    #[test]
    fn messages_take_arguments_and_plurals() {
        let text = t!("summary", errors = 1usize, warnings = 2usize);
        assert_eq!(text.render(Lang::En), "1 error, 2 warnings");
        assert_eq!(text.render(Lang::It), "1 errore, 2 avvisi");
        let text = t!("summary", errors = 0usize, warnings = 1usize);
        assert_eq!(text.render(Lang::It), "0 errori, 1 avviso");
    }

    /// The environment variables `pairs`.
    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    /// A desktop set to the language `tag`.
    fn desktop(tag: &'static str) -> impl FnOnce() -> Option<String> {
        move || Some(tag.to_string())
    }

    #[test]
    fn the_locale_chooses_the_language() {
        let none = || None;
        assert_eq!(
            Lang::from_env(env(&[("LANG", "it_IT.UTF-8")]), none),
            Lang::It
        );
        assert_eq!(
            Lang::from_env(env(&[("LANG", "C")]), desktop("it-IT")),
            Lang::En
        );
        assert_eq!(Lang::from_env(env(&[]), none), Lang::En);
        let both = env(&[("LC_ALL", "en_GB.UTF-8"), ("LANG", "it_IT.UTF-8")]);
        assert_eq!(Lang::from_env(both, none), Lang::En);
        let messages = env(&[("LC_ALL", ""), ("LC_MESSAGES", "it_CH"), ("LANG", "C")]);
        assert_eq!(Lang::from_env(messages, none), Lang::It);
        let chosen = env(&[("SCHEDE_LANG", "en"), ("LANG", "it_IT.UTF-8")]);
        assert_eq!(Lang::from_env(chosen, desktop("it-IT")), Lang::En);
    }

    #[test]
    fn without_a_locale_variable_the_desktop_chooses() {
        // An Italian Windows or macOS: no variable, the setting says `it-IT`.
        assert_eq!(Lang::from_env(env(&[]), desktop("it-IT")), Lang::It);
        assert_eq!(
            Lang::from_env(env(&[("LANG", "")]), desktop("it")),
            Lang::It
        );
        assert_eq!(Lang::from_env(env(&[]), desktop("en-US")), Lang::En);
        assert_eq!(Lang::from_env(env(&[]), || None), Lang::En);
        let chosen = env(&[("SCHEDE_LANG", "it")]);
        assert_eq!(Lang::from_env(chosen, desktop("en-US")), Lang::It);
        let asked = std::cell::Cell::new(false);
        let set = env(&[("LANG", "C")]);
        Lang::from_env(set, || {
            asked.set(true);
            None
        });
        assert!(!asked.get(), "a set variable is enough");
    }
}
