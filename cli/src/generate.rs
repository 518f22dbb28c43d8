//! `rotation-policy generate` (implemented in the core library issue).

use std::process::ExitCode;

use clap::{ArgMatches, Command};

pub fn command() -> Command {
    Command::new("generate").about("Print the rotation function's resource policy and execution role policy")
}

pub fn run(_matches: &ArgMatches) -> ExitCode {
    crate::exit::usage("generate is not implemented yet")
}
