//! The command line's help and usage errors in the run's language.
//!
//! clap writes the help from the doc comments of [`super::Cli`]; here every
//! command's description and every option's help is replaced by the
//! catalogue's message `cli-<command>` and `cli-<command>--<option>` (the
//! tests check that none is missing), and clap's own words (`Usage:`,
//! `Options:`, `[default: ...]`, its errors) by the catalogue's `clap-*`
//! messages.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches};

use super::Cli;
use crate::i18n::{self, Lang, Text};
use crate::t;

/// Parses the arguments; help, version and usage errors are printed here,
/// and give the exit status (0 for help and version, 2 for wrong usage).
pub fn parse(args: Vec<OsString>) -> Result<Cli, ExitCode> {
    let matches = command(i18n::current())
        .try_get_matches_from(args)
        .map_err(report)?;
    Cli::from_arg_matches(&matches).map_err(report)
}

/// The whole command line, in `lang`.
pub fn command(lang: Lang) -> clap::Command {
    let mut command = localize(lang, Cli::command(), "schede");
    command.build();
    command.mut_subcommand("help", |help| help.about(message(lang, "cli-help")))
}

/// The message `id` in `lang`, or `None` if the catalogue has none.
fn lookup(lang: Lang, id: &str) -> Option<String> {
    i18n::has(lang, id).then(|| i18n::render_id(lang, id))
}

fn message(lang: Lang, id: &str) -> String {
    lookup(lang, id).unwrap_or_default()
}

/// Replaces the descriptions of `command` (named `name` in the catalogue)
/// and of its options and subcommands by the catalogue's.
fn localize(lang: Lang, mut command: clap::Command, name: &str) -> clap::Command {
    if let Some(about) = lookup(lang, &format!("cli-{name}")) {
        command = command.about(about);
    }
    if let Some(long) = lookup(lang, &format!("cli-{name}-long")) {
        command = command.long_about(long);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        command = command.mut_arg(&id, |arg| localize_arg(lang, arg, name));
    }
    command = command
        .disable_help_flag(true)
        .arg(flag(lang, "help", 'h', ArgAction::Help, "cli-help-flag"))
        .subcommand_help_heading(message(lang, "clap-commands"))
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            message(lang, "clap-usage")
        ));
    if name == "schede" {
        command = command.disable_version_flag(true).arg(flag(
            lang,
            "version",
            'V',
            ArgAction::Version,
            "cli-version-flag",
        ));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for sub in names {
        command = command.mut_subcommand(&sub, |c| localize(lang, c, &sub));
    }
    command
}

/// clap's `--help` or `--version` flag, described by the catalogue's `id`.
fn flag(lang: Lang, name: &'static str, short: char, action: ArgAction, id: &str) -> Arg {
    Arg::new(name)
        .short(short)
        .long(name)
        .action(action)
        .help(message(lang, id))
        .help_heading(message(lang, "clap-options"))
}

/// One option's help, its default and its possible values, in the run's language.
fn localize_arg(lang: Lang, mut arg: Arg, command: &str) -> Arg {
    let id = arg.get_id().to_string();
    let key = if id == "lang" {
        "cli--lang".to_string()
    } else {
        format!("cli-{command}--{id}")
    };
    let mut help = lookup(lang, &key)
        .or_else(|| arg.get_help().map(ToString::to_string))
        .unwrap_or_default();
    if arg.get_action().takes_values() {
        if let Some(name) = lookup(lang, &format!("cli-value-{id}")) {
            arg = arg.value_name(name);
        }
        let defaults: Vec<String> = (arg.get_default_values().iter())
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let values: Vec<String> = (arg.get_possible_values().iter())
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if !defaults.is_empty() {
            help.push_str(&format!(
                " [{}]",
                t!("clap-default", value = defaults.join(", ")).render(lang)
            ));
        }
        if !values.is_empty() {
            let values = values.join(", ");
            help.push_str(&format!(
                " [{}]",
                t!("clap-possible-values", values = values).render(lang)
            ));
        }
        arg = arg.hide_default_value(true).hide_possible_values(true);
    }
    // Positionals keep clap's heading (a heading of our own would list
    // them by name, not in their order); `localize_words` translates it.
    if arg.is_positional() {
        arg.help(help)
    } else {
        arg.help(help).help_heading(message(lang, "clap-options"))
    }
}

/// Prints clap's help, version or usage error and gives the exit status.
fn report(err: clap::Error) -> ExitCode {
    let text = match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            localize_words(&err.render().to_string())
        }
        _ => usage_error(&err),
    };
    if err.use_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    ExitCode::from(err.exit_code().clamp(0, 255) as u8)
}

/// clap's fixed words in a rendered help, in the run's language.
fn localize_words(text: &str) -> String {
    let lang = i18n::current();
    let mut text = text.replace(
        "\nArguments:\n",
        &format!("\n{}:\n", message(lang, "clap-arguments")),
    );
    for (english, id) in [
        ("[OPTIONS]", "clap-options-placeholder"),
        ("<COMMAND>", "clap-command-placeholder"),
        ("[COMMAND]", "clap-command-optional-placeholder"),
    ] {
        text = text.replace(english, &message(lang, id));
    }
    text
}

/// A usage error in the run's language: what is wrong, then where to look.
fn usage_error(err: &clap::Error) -> String {
    let value = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(text)) => text.clone(),
        Some(ContextValue::Strings(texts)) => texts.join(", "),
        _ => String::new(),
    };
    let message = match err.kind() {
        ErrorKind::UnknownArgument => t!(
            "clap-unknown-argument",
            arg = value(ContextKind::InvalidArg)
        ),
        ErrorKind::InvalidSubcommand => t!(
            "clap-unknown-command",
            command = value(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => t!(
            "clap-invalid-value",
            value = value(ContextKind::InvalidValue),
            arg = value(ContextKind::InvalidArg)
        ),
        ErrorKind::MissingRequiredArgument => {
            t!(
                "clap-missing-argument",
                arg = value(ContextKind::InvalidArg)
            )
        }
        ErrorKind::MissingSubcommand => t!("clap-missing-command"),
        ErrorKind::ArgumentConflict => t!(
            "clap-conflict",
            arg = value(ContextKind::InvalidArg),
            other = value(ContextKind::PriorArg)
        ),
        _ => Text::raw(clap_words(err)),
    };
    let mut text = format!("{}: {message}\n", t!("label-error"));
    let suggested = value(ContextKind::SuggestedArg);
    let suggested = if suggested.is_empty() {
        value(ContextKind::SuggestedSubcommand)
    } else {
        suggested
    };
    if !suggested.is_empty() {
        text.push_str(&format!(
            "  {}: {}\n",
            t!("label-hint"),
            t!("did-you-mean", key = suggested)
        ));
    }
    text.push_str(&format!("  {}: {}\n", t!("label-hint"), t!("clap-more")));
    text
}

/// clap's own message for the rarer errors, without its `error: ` and usage.
fn clap_words(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    first.strip_prefix("error: ").unwrap_or(first).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_localized_command_line_is_well_formed() {
        for lang in [Lang::En, Lang::It] {
            command(lang).debug_assert();
        }
    }

    /// Every command and visible option has its description in both catalogues.
    #[test]
    fn every_command_and_option_has_its_help_in_both_languages() {
        fn visit(command: &clap::Command, name: &str, missing: &mut Vec<String>) {
            if command.is_hide_set() {
                return;
            }
            let mut ids = vec![format!("cli-{name}")];
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if arg.is_hide_set() || ["help", "version", "lang"].contains(&id) {
                    continue;
                }
                ids.push(format!("cli-{name}--{id}"));
            }
            for id in ids {
                for lang in [Lang::En, Lang::It] {
                    if !i18n::has(lang, &id) {
                        missing.push(format!("{lang:?} {id}"));
                    }
                }
            }
            for sub in command.get_subcommands() {
                visit(sub, sub.get_name(), missing);
            }
        }
        let mut missing = Vec::new();
        visit(&Cli::command(), "schede", &mut missing);
        assert!(
            missing.is_empty(),
            "no help in the catalogues: {missing:#?}"
        );
    }
}
