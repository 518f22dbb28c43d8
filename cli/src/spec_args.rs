//! The rotation spec options shared by `generate` and `check`: their flags,
//! the mapping to the core builder, and how diagnostics name the flags.

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use rotation_policy_core::{
    Diagnostic, Engine, Field, Kms, Profile, RotationSpec, RotationSpecBuilder, Strategy,
};

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
const NO_RANDOM_PASSWORD: &str = "no-random-password";
const ENGINE: &str = "engine";
const PROFILE: &str = "profile";

/// `--engine` values: core's `Engine` names with `-` for `_` (a test holds
/// the two lists equal).
const ENGINES: [&str; 12] = [
    "generic",
    "mysql",
    "postgres",
    "mariadb",
    "oracle",
    "sqlserver",
    "db2",
    "redshift",
    "documentdb",
    "elasticache",
    "active-directory",
    "influxdb",
];
/// `--profile` values, likewise.
const PROFILES: [&str; 3] = ["recommended", "aws-doc-2021", "aws-doc-2025"];

/// Adds the rotation spec options (the README's options table) to `command`: the
/// options `generate` and `check` share.
pub fn add(command: Command) -> Command {
    let value = |id: &'static str, name: &'static str, help: &'static str| {
        Arg::new(id).long(id).value_name(name).help(help)
    };
    command
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
            Arg::new(NO_RANDOM_PASSWORD)
                .long(NO_RANDOM_PASSWORD)
                .action(ArgAction::SetTrue)
                .help("The function makes its own credentials (API tokens, keys): no `secretsmanager:GetRandomPassword`"),
        )
        .arg(
            Arg::new(ENGINE)
                .long(ENGINE)
                .value_name("NAME")
                .value_parser(PossibleValuesParser::new(ENGINES))
                .default_value("generic")
                .help("The AWS-provided rotation function in use: grants the calls it makes beyond Secrets Manager"),
        )
        .arg(
            Arg::new(PROFILE)
                .long(PROFILE)
                .value_name("PROFILE")
                .value_parser(PossibleValuesParser::new(PROFILES))
                .default_value("recommended")
                .help("`aws-doc-2021` reproduces the AWS page of 2021, whose execution role policy makes rotation fail with AccessDenied; `aws-doc-2025` the current page, whose `kms:DescribeKey` grant never matches"),
        )
}

/// The flag that sets `field`, for messages.
fn flag(field: Field, matches: &ArgMatches) -> String {
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
        Field::RandomPassword => "--no-random-password",
        Field::Engine => "--engine",
        Field::Profile => "--profile",
        // A key the CLI does not spell otherwise: its name as a flag.
        _ => return format!("--{}", field.key().replace('_', "-")),
    }
    .to_owned()
}

/// `` `--flag`: message ``, or the bare message for a diagnostic without a field.
pub fn describe(diagnostic: &Diagnostic, matches: &ArgMatches) -> String {
    match diagnostic.field() {
        Some(field) => format!("`{}`: {}", flag(field, matches), diagnostic.message()),
        None => diagnostic.message().to_owned(),
    }
}

/// Maps the flags to the core builder's options.
pub fn spec(matches: &ArgMatches) -> Result<RotationSpec, Vec<Diagnostic>> {
    builder(matches).build().map_err(|e| e.into_diagnostics())
}

/// The core builder with the flags' options set (`check --template` adds
/// what it takes from the template before building).
pub fn builder(matches: &ArgMatches) -> RotationSpecBuilder {
    let text = |id: &str| matches.get_one::<String>(id).cloned();
    // The CLI spells the names with `-` where the DSL has `_`; clap's
    // possible values guarantee they parse, so the fallbacks are never taken.
    let core_name = |s: String| s.replace('-', "_");
    let strategy = text(STRATEGY)
        .and_then(|s| Strategy::from_name(&core_name(s)))
        .unwrap_or(Strategy::SingleUser);
    let profile = text(PROFILE)
        .and_then(|p| Profile::from_name(&core_name(p)))
        .unwrap_or_default();
    let engine = text(ENGINE)
        .and_then(|e| Engine::from_name(&core_name(e)))
        .unwrap_or_default();
    let mut builder = RotationSpec::builder(strategy)
        .profile(profile)
        .vpc(!matches.get_flag(NO_VPC))
        .source_arn(matches.get_flag(SOURCE_ARN))
        .random_password(!matches.get_flag(NO_RANDOM_PASSWORD))
        .engine(engine);
    if let Some(account) = text(ACCOUNT) {
        builder = builder.account(account);
    }
    if let Some(secret) = text(SECRET) {
        builder = builder.secret(secret);
    }
    // With `check --template`, `--function` is a logical id and
    // `--superuser-secret` may be one: `check` sets what they stand for.
    let template = matches!(matches.try_contains_id("template"), Ok(true));
    if let Some(function) = text(FUNCTION).filter(|_| !template) {
        builder = builder.function(function);
    }
    if let Some(superuser) = text(SUPERUSER_SECRET).filter(|_| !template) {
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
    builder
}

#[cfg(test)]
mod tests {
    use rotation_policy_core::{Engine, Profile};

    #[test]
    fn flag_values_are_core_names_with_dashes() {
        let dashed = |name: &str| name.replace('_', "-");
        assert_eq!(super::ENGINES.to_vec(), Engine::ALL.map(|e| dashed(e.name())));
        assert_eq!(super::PROFILES.to_vec(), Profile::ALL.map(|p| dashed(p.name())));
    }
}
