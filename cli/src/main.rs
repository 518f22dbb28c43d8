//! `rotation-policy`: generate, lint and check the IAM policies of a
//! Secrets Manager rotation Lambda function.
//!
//! Exit codes (every subcommand): 0 success, 1 findings at or above the
//! threshold / rotation denied, 2 usage error or unreadable input. Errors go
//! to stderr as one line; stdout carries only the result.

use std::process::ExitCode;

use clap::Command;

mod check;
mod exit;
mod generate;
mod input;
mod lint;
mod spec_args;

fn cli() -> Command {
    Command::new("rotation-policy")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Write, lint and check the IAM policies of a Secrets Manager rotation Lambda function")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(generate::command())
        .subcommand(check::command())
        .subcommand(lint::command())
}

fn main() -> ExitCode {
    let matches = match cli().try_get_matches() {
        Ok(matches) => matches,
        Err(err) => return exit::clap_error(err),
    };
    match matches.subcommand() {
        Some(("generate", sub)) => generate::run(sub),
        Some(("check", sub)) => check::run(sub),
        Some(("lint", sub)) => lint::run(sub),
        _ => exit::usage("unknown subcommand; run `rotation-policy --help`"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_definition_is_consistent() {
        super::cli().debug_assert();
    }
}
