//! `rotation-policy generate`: the rotation function's two policies.
//!
//! The command only maps flags to the core builder's options, renders the
//! builder's diagnostics as one stderr line, and prints the documents; every
//! rule lives in `rotation_policy_core`.

use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgMatches, Command};
use rotation_policy_core::OrderedMap;

use crate::spec_args::{describe, spec};

const ONLY: &str = "only";
const FORMAT: &str = "format";

/// The `generate` subcommand's arguments (the README's usage).
pub fn command() -> Command {
    crate::spec_args::add(
        Command::new("generate")
            .about("Print the rotation function's resource policy and execution role policy")
            .long_about(
                "Print the rotation function's resource policy and execution role policy as JSON. \
             Values not given stay as CloudFormation `Fn::Sub` placeholders such as `${SecretArn}`.",
            ),
    )
    .arg(
        Arg::new(ONLY)
            .long(ONLY)
            .value_name("DOCUMENT")
            .value_parser(PossibleValuesParser::new([
                "resource-policy",
                "execution-role-policy",
            ]))
            .help("Print only this document"),
    )
    .arg(
        Arg::new(FORMAT)
            .long(FORMAT)
            .value_name("FORMAT")
            .value_parser(PossibleValuesParser::new(["json", "cloudformation", "terraform"]))
            .default_value("json")
            .help(
                "`json`: the policy documents; `cloudformation`: a template fragment with the execution \
                 role and the invoke permission, values not given as parameters; `terraform`: the same \
                 as a Terraform configuration in JSON syntax (a `.tf.json` file), values not given as \
                 variables",
            ),
    )
}

/// Runs `generate`: exit 0 with the documents on stdout, or 2 with one
/// error line on stderr and nothing on stdout.
pub fn run(matches: &ArgMatches) -> ExitCode {
    let format = matches.get_one::<String>(FORMAT).map_or("json", String::as_str);
    // A template or a configuration holds both documents and the resources
    // around them: there is no single document for `--only` to select.
    if format != "json" && matches.contains_id(ONLY) {
        return crate::exit::usage(format!(
            "`--only` selects a policy document, `--format {format}` prints a whole {}: use one or the other",
            if format == "terraform" {
                "configuration"
            } else {
                "template"
            }
        ));
    }
    let spec = match spec(matches) {
        Ok(spec) => spec,
        Err(diagnostics) => {
            let line: Vec<String> = diagnostics.iter().map(|d| describe(d, matches)).collect();
            return crate::exit::usage(line.join("; "));
        }
    };
    for warning in spec.warnings() {
        crate::exit::warning(describe(warning, matches));
    }
    let mut output = match matches.get_one::<String>(ONLY).map(String::as_str) {
        _ if format == "cloudformation" => spec.cloudformation_json(),
        _ if format == "terraform" => spec.terraform_json(),
        Some("resource-policy") => spec.resource_policy_json(),
        Some("execution-role-policy") => spec.execution_role_policy_json(),
        _ => {
            let mut both = OrderedMap::new();
            both.push("resource_policy", spec.resource_policy());
            both.push("execution_role_policy", spec.execution_role_policy());
            match serde_json::to_string_pretty(&both) {
                Ok(json) => json,
                Err(e) => return crate::exit::usage(format!("cannot serialize the policies: {e}")),
            }
        }
    };
    output.push('\n');
    crate::exit::print_stdout(&output)
}
