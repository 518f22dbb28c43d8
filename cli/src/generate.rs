//! `rotation-policy generate`: the rotation function's two policies.
//!
//! The command only maps flags to the core builder's options, renders the
//! builder's diagnostics as one stderr line, and prints the documents; every
//! rule lives in `rotation_policy_core`.

use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use rotation_policy_core::{Diagnostic, Field, Kms, OrderedMap, Profile, RotationSpec, Strategy};

const STRATEGY: &str = "strategy";
const ACCOUNT: &str = "account";
const SECRET: &str = "secret";
const FUNCTION: &str = "function";
const SUPERUSER_SECRET: &str = "superuser-secret";
const KMS: &str = "kms";
const KMS_KEY: &str = "kms-key";
const SUPERUSER_KMS_KEY: &str = "superuser-kms-key";
const NO_VPC: &str = "no-vpc";
const SOURCE_ARN: &str = "source-arn";
const PROFILE: &str = "profile";
const ONLY: &str = "only";
const FORMAT: &str = "format";

/// The `generate` subcommand's arguments (DESIGN.md, "CLI").
pub fn command() -> Command {
    let value = |id: &'static str, name: &'static str, help: &'static str| {
        Arg::new(id).long(id).value_name(name).help(help)
    };
    Command::new("generate")
        .about("Print the rotation function's resource policy and execution role policy")
        .long_about(
            "Print the rotation function's resource policy and execution role policy as JSON. \
             Values not given stay as CloudFormation `Fn::Sub` placeholders such as `${SecretArn}`.",
        )
        .arg(
            Arg::new(STRATEGY)
                .long(STRATEGY)
                .value_name("STRATEGY")
                .required(true)
                .value_parser(PossibleValuesParser::new(["single-user", "alternating-users"]))
                .help("How the function rotates the credentials"),
        )
        .arg(value(
            ACCOUNT,
            "ID",
            "12-digit id of the secret's account [default: ${AWS::AccountId}]",
        ))
        .arg(value(
            SECRET,
            "ARN",
            "ARN of the rotated secret [default: ${SecretArn}]",
        ))
        .arg(value(
            FUNCTION,
            "ARN",
            "ARN of the rotation Lambda function [default: ${RotationLambdaArn}]",
        ))
        .arg(value(
            SUPERUSER_SECRET,
            "ARN",
            "ARN of the secret whose credentials update the rotated user \
             [default for alternating-users: ${SuperuserSecretArn}]",
        ))
        .arg(
            Arg::new(KMS)
                .long(KMS)
                .action(ArgAction::SetTrue)
                .conflicts_with(KMS_KEY)
                .help("The secret is encrypted with a customer managed key whose ARN is not known (${KmsKeyArn})"),
        )
        .arg(value(
            KMS_KEY,
            "ARN",
            "ARN of the customer managed KMS key that encrypts the secret",
        ))
        .arg(value(
            SUPERUSER_KMS_KEY,
            "ARN",
            "ARN of the KMS key that encrypts the superuser secret",
        ))
        .arg(
            Arg::new(NO_VPC)
                .long(NO_VPC)
                .action(ArgAction::SetTrue)
                .help("The function does not run in a VPC: no network interface permissions"),
        )
        .arg(
            Arg::new(SOURCE_ARN)
                .long(SOURCE_ARN)
                .action(ArgAction::SetTrue)
                .help("Also bind the resource policy to the secret with `aws:SourceArn`"),
        )
        .arg(
            Arg::new(PROFILE)
                .long(PROFILE)
                .value_name("PROFILE")
                .value_parser(PossibleValuesParser::new(["recommended", "aws-doc-2021"]))
                .default_value("recommended")
                .help("`aws-doc-2021` reproduces the AWS page of 2021, which fails at run time"),
        )
        .arg(
            Arg::new(ONLY)
                .long(ONLY)
                .value_name("DOCUMENT")
                .value_parser(PossibleValuesParser::new(["resource-policy", "execution-role-policy"]))
                .help("Print only this document"),
        )
        .arg(
            Arg::new(FORMAT)
                .long(FORMAT)
                .value_name("FORMAT")
                .value_parser(PossibleValuesParser::new(["json", "cloudformation"]))
                .default_value("json")
                .help("Output format"),
        )
}

/// The flag that sets `field`, for messages.
fn flag(field: Field, matches: &ArgMatches) -> &'static str {
    match field {
        Field::Strategy => "--strategy",
        Field::Account => "--account",
        Field::Secret => "--secret",
        Field::Function => "--function",
        Field::SuperuserSecret => "--superuser-secret",
        Field::Kms if matches.get_flag(KMS) => "--kms",
        Field::Kms => "--kms-key",
        Field::SuperuserKms => "--superuser-kms-key",
        Field::Vpc => "--no-vpc",
        Field::SourceArn => "--source-arn",
        Field::Profile => "--profile",
    }
}

/// `` `--flag`: message ``, or the bare message for a diagnostic without a field.
fn describe(diagnostic: &Diagnostic, matches: &ArgMatches) -> String {
    match diagnostic.field {
        Some(field) => format!("`{}`: {}", flag(field, matches), diagnostic.message),
        None => diagnostic.message.clone(),
    }
}

/// Maps the flags to the core builder's options.
fn spec(matches: &ArgMatches) -> Result<RotationSpec, Vec<Diagnostic>> {
    let text = |id: &str| matches.get_one::<String>(id).cloned();
    // clap's possible values guarantee the names parse; the fallbacks are
    // never taken.
    let strategy = text(STRATEGY)
        .and_then(|s| Strategy::from_name(&s))
        .unwrap_or(Strategy::SingleUser);
    let profile = text(PROFILE)
        .and_then(|p| Profile::from_name(&p))
        .unwrap_or_default();
    let mut builder = RotationSpec::builder(strategy)
        .profile(profile)
        .vpc(!matches.get_flag(NO_VPC))
        .source_arn(matches.get_flag(SOURCE_ARN));
    if let Some(account) = text(ACCOUNT) {
        builder = builder.account(account);
    }
    if let Some(secret) = text(SECRET) {
        builder = builder.secret(secret);
    }
    if let Some(function) = text(FUNCTION) {
        builder = builder.function(function);
    }
    if let Some(superuser) = text(SUPERUSER_SECRET) {
        builder = builder.superuser_secret(superuser);
    }
    if matches.get_flag(KMS) {
        builder = builder.kms(Kms::CustomerManaged);
    } else if let Some(key) = text(KMS_KEY) {
        builder = builder.kms(Kms::Key(key));
    }
    if let Some(key) = text(SUPERUSER_KMS_KEY) {
        builder = builder.superuser_kms(key);
    }
    builder.build().map_err(|e| e.diagnostics)
}

/// Runs `generate`: exit 0 with the documents on stdout, or 2 with one
/// error line on stderr and nothing on stdout.
pub fn run(matches: &ArgMatches) -> ExitCode {
    if matches.get_one::<String>(FORMAT).map(String::as_str) == Some("cloudformation") {
        return crate::exit::usage("`--format cloudformation` is not yet supported, use `--format json`");
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
