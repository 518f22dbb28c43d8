//! Every validation rule of the rotation spec, asserted on the structured
//! diagnostic (kind, field, part, related field, byte range), never on the
//! message's prose.

use std::ops::Range;

use rotation_policy_core::{
    ArnErrorKind, Diagnostic, DiagnosticKind, DslValue as Value, Field, Kms, Part, Partition, RotationSpec,
    RotationSpecBuilder, Severity, Strategy,
};

const ACCOUNT: &str = "111122223333";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// The byte range of the first `part` inside `text`.
fn span(text: &str, part: &str) -> Range<usize> {
    let start = text
        .find(part)
        .unwrap_or_else(|| panic!("`{part}` not in `{text}`"));
    start..start + part.len()
}

/// The byte range of the `n`th occurrence (0-based) of `part` in `text`.
fn nth_span(text: &str, part: &str, n: usize) -> Range<usize> {
    let start = text
        .match_indices(part)
        .nth(n)
        .unwrap_or_else(|| panic!("`{part}` not {n} times in `{text}`"))
        .0;
    start..start + part.len()
}

/// The only error of a build that must fail with exactly one.
fn single_error(builder: RotationSpecBuilder) -> Diagnostic {
    let err = builder.build().expect_err("the spec is invalid");
    assert_eq!(err.diagnostics().len(), 1, "{:#?}", err.diagnostics());
    let diagnostic = err.into_diagnostics().into_iter().next().expect("one diagnostic");
    assert_eq!(diagnostic.severity(), Severity::Error);
    diagnostic
}

/// Asserts an invalid-value diagnostic on `field` with `kind` at `range`.
fn assert_invalid(builder: RotationSpecBuilder, field: Field, kind: ArnErrorKind, range: Range<usize>) {
    let d = single_error(builder);
    assert_eq!(d.kind(), DiagnosticKind::InvalidValue(kind), "{d:#?}");
    assert_eq!(d.field(), Some(field), "{d:#?}");
    assert_eq!(d.part(), Part::Value, "{d:#?}");
    assert_eq!(d.range(), Some(range), "{d:#?}");
    assert_eq!(d.related(), None, "{d:#?}");
}

fn single() -> RotationSpecBuilder {
    RotationSpec::builder(Strategy::SingleUser)
}

fn alternating() -> RotationSpecBuilder {
    RotationSpec::builder(Strategy::AlternatingUsers)
}

#[test]
fn malformed_arn() {
    let text = "secret:app-db-AbCdEf";
    assert_invalid(
        single().secret(text),
        Field::Secret,
        ArnErrorKind::MissingPrefix,
        span(text, "secret"),
    );
    let text = "arn:aws:secretsmanager:us-east-1";
    assert_invalid(
        single().secret(text),
        Field::Secret,
        ArnErrorKind::MissingField,
        0..text.len(),
    );
    let text = "arn:aws:Lambda:us-east-1:111122223333:function:f";
    assert_invalid(
        single().function(text),
        Field::Function,
        ArnErrorKind::ServiceCase,
        span(text, "Lambda"),
    );
    let text = "arn:amazon:lambda:us-east-1:111122223333:function:f";
    assert_invalid(
        single().function(text),
        Field::Function,
        ArnErrorKind::UnknownPartition,
        span(text, "amazon"),
    );
}

#[test]
fn wrong_service() {
    assert_invalid(
        single().secret(FUNCTION),
        Field::Secret,
        ArnErrorKind::WrongService,
        span(FUNCTION, "lambda"),
    );
    assert_invalid(
        single().function(SECRET),
        Field::Function,
        ArnErrorKind::WrongService,
        span(SECRET, "secretsmanager"),
    );
    assert_invalid(
        single().kms(Kms::Key(SECRET.to_owned())),
        Field::Kms,
        ArnErrorKind::WrongService,
        span(SECRET, "secretsmanager"),
    );
    assert_invalid(
        alternating().superuser_kms(FUNCTION),
        Field::SuperuserKms,
        ArnErrorKind::WrongService,
        span(FUNCTION, "lambda"),
    );
}

#[test]
fn wrong_resource_type() {
    let text = "arn:aws:secretsmanager:us-east-1:111122223333:rotation:app-db-AbCdEf";
    assert_invalid(
        alternating().superuser_secret(text),
        Field::SuperuserSecret,
        ArnErrorKind::WrongResourceType,
        span(text, "rotation"),
    );
    let text = "arn:aws:lambda:us-east-1:111122223333:layer:deps";
    assert_invalid(
        single().function(text),
        Field::Function,
        ArnErrorKind::WrongResourceType,
        span(text, "layer"),
    );
    let text = "arn:aws:kms:us-east-1:111122223333:grant/1234abcd-12ab-34cd-56ef-1234567890ab";
    assert_invalid(
        single().kms(Kms::Key(text.to_owned())),
        Field::Kms,
        ArnErrorKind::WrongResourceType,
        span(text, "grant"),
    );
}

#[test]
fn kms_alias_instead_of_key() {
    let text = "arn:aws:kms:us-east-1:111122223333:alias/app-db";
    assert_invalid(
        single().kms(Kms::Key(text.to_owned())),
        Field::Kms,
        ArnErrorKind::KmsAliasNotKey,
        span(text, "alias/app-db"),
    );
    assert_invalid(
        alternating().superuser_kms(text),
        Field::SuperuserKms,
        ArnErrorKind::KmsAliasNotKey,
        span(text, "alias/app-db"),
    );
}

#[test]
fn invalid_key_id() {
    for id in ["1234abcd", "mrk-1234", "1234abcd-12ab-34cd-56ef-1234567890ag"] {
        let text = format!("arn:aws:kms:us-east-1:111122223333:key/{id}");
        assert_invalid(
            single().kms(Kms::Key(text.clone())),
            Field::Kms,
            ArnErrorKind::InvalidKeyId,
            span(&text, id),
        );
    }
}

#[test]
fn account_of_eleven_digits() {
    let text = "11112222333";
    assert_invalid(
        single().account(text),
        Field::Account,
        ArnErrorKind::InvalidAccount,
        0..text.len(),
    );
    let text = "arn:aws:lambda:us-east-1:11112222333:function:f";
    assert_invalid(
        single().function(text),
        Field::Function,
        ArnErrorKind::InvalidAccount,
        span(text, "11112222333"),
    );
    for bad in ["1111222233334", "11112222333a", ""] {
        assert_invalid(
            single().account(bad),
            Field::Account,
            ArnErrorKind::InvalidAccount,
            0..bad.len(),
        );
    }
}

#[test]
fn region_of_another_partition() {
    let text = "arn:aws:secretsmanager:cn-north-1:111122223333:secret:app-db-AbCdEf";
    assert_invalid(
        single().secret(text),
        Field::Secret,
        ArnErrorKind::InvalidRegion,
        span(text, "cn-north-1"),
    );
    let text = "arn:aws-us-gov:lambda:us-east-1:111122223333:function:f";
    assert_invalid(
        single().function(text),
        Field::Function,
        ArnErrorKind::InvalidRegion,
        span(text, "us-east-1"),
    );
}

#[test]
fn every_partition_builds_when_consistent() {
    let regions = [
        (Partition::Aws, "eu-west-3"),
        (Partition::AwsCn, "cn-northwest-1"),
        (Partition::AwsUsGov, "us-gov-east-1"),
        (Partition::AwsIso, "us-iso-west-1"),
        (Partition::AwsIsoB, "us-isob-east-1"),
        (Partition::AwsIsoE, "eu-isoe-west-1"),
        (Partition::AwsIsoF, "us-isof-south-1"),
        (Partition::AwsEusc, "eusc-de-east-1"),
    ];
    for (partition, region) in regions {
        let spec = alternating()
            .account(ACCOUNT)
            .secret(format!(
                "arn:{partition}:secretsmanager:{region}:{ACCOUNT}:secret:app-db-AbCdEf"
            ))
            .function(format!(
                "arn:{partition}:lambda:{region}:{ACCOUNT}:function:rotate"
            ))
            .kms(Kms::Key(format!(
                "arn:{partition}:kms:{region}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
            )))
            .build()
            .unwrap_or_else(|e| panic!("{partition}: {e}"));
        assert_eq!(spec.partition(), Some(partition));
    }
}

#[test]
fn partition_mismatch() {
    let function = "arn:aws-cn:lambda:cn-north-1:111122223333:function:rotate";
    let d = single_error(single().secret(SECRET).function(function));
    assert_eq!(d.kind(), DiagnosticKind::PartitionMismatch);
    assert_eq!(d.field(), Some(Field::Function));
    assert_eq!(d.related(), Some(Field::Secret));
    assert_eq!(d.part(), Part::Value);
    assert_eq!(d.range(), Some(span(function, "aws-cn")));

    let key = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let d = single_error(single().function(FUNCTION).kms(Kms::Key(key.to_owned())));
    assert_eq!(d.kind(), DiagnosticKind::PartitionMismatch);
    assert_eq!(d.field(), Some(Field::Kms));
    assert_eq!(d.related(), Some(Field::Function));
    assert_eq!(d.range(), Some(span(key, "aws-us-gov")));
}

#[test]
fn account_mismatch() {
    let function = "arn:aws:lambda:us-east-1:444455556666:function:rotate";
    // Against `account` when it is given.
    let d = single_error(single().account(ACCOUNT).secret(SECRET).function(function));
    assert_eq!(d.kind(), DiagnosticKind::AccountMismatch);
    assert_eq!(d.field(), Some(Field::Function));
    assert_eq!(d.related(), Some(Field::Account));
    assert_eq!(d.range(), Some(span(function, "444455556666")));
    // Against the first account-bound ARN otherwise.
    let d = single_error(single().secret(SECRET).function(function));
    assert_eq!(d.kind(), DiagnosticKind::AccountMismatch);
    assert_eq!(d.field(), Some(Field::Function));
    assert_eq!(d.related(), Some(Field::Secret));
    // The superuser secret is account-bound too.
    let superuser = "arn:aws:secretsmanager:us-east-1:444455556666:secret:admin-XyZ123";
    let d = single_error(alternating().account(ACCOUNT).superuser_secret(superuser));
    assert_eq!(d.kind(), DiagnosticKind::AccountMismatch);
    assert_eq!(d.field(), Some(Field::SuperuserSecret));
    assert_eq!(d.related(), Some(Field::Account));
    assert_eq!(d.range(), Some(nth_span(superuser, "444455556666", 0)));
}

#[test]
fn kms_key_may_live_in_another_account() {
    let key = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let spec = single()
        .account(ACCOUNT)
        .secret(SECRET)
        .kms(Kms::Key(key.to_owned()))
        .superuser_secret(SUPERUSER)
        .superuser_kms(key)
        .build();
    assert!(spec.is_ok(), "{spec:?}");
}

#[test]
fn superuser_secret_same_as_secret() {
    let d = single_error(alternating().secret(SECRET).superuser_secret(SECRET));
    assert_eq!(d.kind(), DiagnosticKind::SuperuserSecretIsSecret);
    assert_eq!(d.field(), Some(Field::SuperuserSecret));
    assert_eq!(d.related(), Some(Field::Secret));
    assert_eq!(d.part(), Part::Value);
}

#[test]
fn superuser_kms_without_superuser_secret_for_single_user() {
    let d = single_error(single().superuser_kms(KEY));
    assert_eq!(d.kind(), DiagnosticKind::SuperuserKmsWithoutSuperuserSecret);
    assert_eq!(d.field(), Some(Field::SuperuserKms));
    assert_eq!(d.related(), Some(Field::SuperuserSecret));
    // Alternating users always have a superuser secret (a placeholder if
    // not given); single user with one given is fine too.
    assert!(alternating().superuser_kms(KEY).build().is_ok());
    assert!(single()
        .superuser_secret(SUPERUSER)
        .superuser_kms(KEY)
        .build()
        .is_ok());
}

#[test]
fn missing_strategy() {
    let d = single_error(RotationSpecBuilder::new().secret(SECRET));
    assert_eq!(d.kind(), DiagnosticKind::MissingKey);
    assert_eq!(d.field(), Some(Field::Strategy));
    assert_eq!(d.part(), Part::Key);
    assert_eq!(d.range(), None);
}

#[test]
fn set_unknown_key() {
    let mut builder = RotationSpecBuilder::new();
    let d = builder.set("kms_key", Value::Str(KEY)).expect_err("unknown key");
    assert_eq!(d.kind(), DiagnosticKind::UnknownKey);
    assert_eq!(d.field(), None);
    assert_eq!(d.part(), Part::Key);
}

#[test]
fn set_duplicate_key() {
    let mut builder = RotationSpecBuilder::new();
    assert_eq!(builder.set("secret", Value::Str(SECRET)), Ok(Field::Secret));
    let d = builder
        .set("secret", Value::Str(SUPERUSER))
        .expect_err("duplicate key");
    assert_eq!(d.kind(), DiagnosticKind::DuplicateKey);
    assert_eq!(d.field(), Some(Field::Secret));
    assert_eq!(d.part(), Part::Key);
    // An alias counts as its key.
    assert_eq!(
        builder.set("superuser_secret", Value::Str(SUPERUSER)),
        Ok(Field::SuperuserSecret)
    );
    let d = builder
        .set("separate_secret", Value::Str(SUPERUSER))
        .expect_err("duplicate through the alias");
    assert_eq!(d.kind(), DiagnosticKind::DuplicateKey);
    assert_eq!(d.field(), Some(Field::SuperuserSecret));
}

#[test]
fn set_wrong_value_type() {
    let cases = [
        ("strategy", Value::Str("single_user"), Field::Strategy),
        ("account", Value::Ident("me"), Field::Account),
        ("secret", Value::Bool(true), Field::Secret),
        ("superuser_kms", Value::Bool(true), Field::SuperuserKms),
        ("kms", Value::Ident("aws_managed"), Field::Kms),
        ("vpc", Value::Str("yes"), Field::Vpc),
        ("source_arn", Value::Ident("on"), Field::SourceArn),
        ("profile", Value::Str("recommended"), Field::Profile),
    ];
    for (key, value, field) in cases {
        let d = RotationSpecBuilder::new()
            .set(key, value)
            .expect_err("wrong value type");
        assert_eq!(d.kind(), DiagnosticKind::WrongValueType, "{key}");
        assert_eq!(d.field(), Some(field), "{key}");
        assert_eq!(d.part(), Part::Value, "{key}");
    }
}

#[test]
fn set_unknown_strategy_or_profile() {
    let d = RotationSpecBuilder::new()
        .set("strategy", Value::Ident("triple_user"))
        .expect_err("unknown strategy");
    assert_eq!(d.kind(), DiagnosticKind::UnknownValue);
    assert_eq!(d.field(), Some(Field::Strategy));
    assert_eq!(d.part(), Part::Value);
    let d = RotationSpecBuilder::new()
        .set("profile", Value::Ident("aws_doc_2022"))
        .expect_err("unknown profile");
    assert_eq!(d.kind(), DiagnosticKind::UnknownValue);
    assert_eq!(d.field(), Some(Field::Profile));
}

#[test]
fn set_builds_the_same_spec_as_the_setters() {
    let mut builder = RotationSpecBuilder::new();
    let pairs = [
        ("strategy", Value::Ident("alternating")),
        ("account", Value::Str(ACCOUNT)),
        ("secret", Value::Str(SECRET)),
        ("function", Value::Str(FUNCTION)),
        ("separate_secret", Value::Str(SUPERUSER)),
        ("kms", Value::Str(KEY)),
        ("vpc", Value::Bool(false)),
        ("source_arn", Value::Bool(true)),
        ("profile", Value::Ident("aws_doc_2021")),
    ];
    for (key, value) in pairs {
        builder.set(key, value).unwrap_or_else(|d| panic!("{key}: {d}"));
    }
    let by_key = builder.build().expect("valid");
    let by_setter = alternating()
        .account(ACCOUNT)
        .secret(SECRET)
        .function(FUNCTION)
        .superuser_secret(SUPERUSER)
        .kms(Kms::Key(KEY.to_owned()))
        .vpc(false)
        .source_arn(true)
        .profile(rotation_policy_core::Profile::AwsDoc2021)
        .build()
        .expect("valid");
    assert_eq!(by_key, by_setter);

    let mut builder = RotationSpecBuilder::new();
    builder.set("strategy", Value::Ident("single")).expect("alias");
    builder.set("kms", Value::Bool(true)).expect("kms: true");
    let spec = builder.build().expect("valid");
    assert_eq!(spec, single().kms(Kms::CustomerManaged).build().expect("valid"));
}

#[test]
fn all_problems_at_once() {
    let secret = "arn:aws:lambda:us-east-1:111122223333:function:x";
    let function = "arn:aws-cn:lambda:cn-north-1:111122223333:function:rotate";
    let alias = "arn:aws:kms:us-east-1:111122223333:alias/app";
    let err = RotationSpecBuilder::new()
        .account("1234")
        .secret(secret)
        .function(function)
        .superuser_secret(SUPERUSER)
        .kms(Kms::Key(alias.to_owned()))
        .build()
        .expect_err("many problems");
    let found: Vec<(DiagnosticKind, Option<Field>, Option<Field>)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.kind(), d.field(), d.related()))
        .collect();
    assert_eq!(
        found,
        vec![
            (DiagnosticKind::MissingKey, Some(Field::Strategy), None),
            (
                DiagnosticKind::InvalidValue(ArnErrorKind::InvalidAccount),
                Some(Field::Account),
                None
            ),
            (
                DiagnosticKind::InvalidValue(ArnErrorKind::WrongService),
                Some(Field::Secret),
                None
            ),
            (
                DiagnosticKind::PartitionMismatch,
                Some(Field::SuperuserSecret),
                Some(Field::Function)
            ),
            (
                DiagnosticKind::InvalidValue(ArnErrorKind::KmsAliasNotKey),
                Some(Field::Kms),
                None
            ),
        ]
    );
    assert!(err.diagnostics().iter().all(|d| d.severity() == Severity::Error));
    assert_eq!(err.diagnostics()[3].range(), Some(span(SUPERUSER, "aws")));
}

#[test]
fn secret_without_suffix_is_a_warning() {
    let partial = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db";
    let spec = alternating()
        .secret(partial)
        .superuser_secret(SUPERUSER)
        .build()
        .expect("a warning is not an error");
    let warnings = spec.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0].kind(), DiagnosticKind::SecretSuffixMissing);
    assert_eq!(warnings[0].severity(), Severity::Warning);
    assert_eq!(warnings[0].field(), Some(Field::Secret));
    assert_eq!(warnings[0].range(), Some(span(partial, "secret:app-db")));
    // The documented wildcard form and the full ARN warn about nothing.
    let wildcard = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-??????";
    let spec = single().secret(wildcard).build().expect("valid");
    assert!(spec.warnings().is_empty());
    assert!(single()
        .secret(SECRET)
        .build()
        .expect("valid")
        .warnings()
        .is_empty());
}

/// `placeholders()` lists exactly the `${...}` tokens the two documents
/// hold, for every combination of the option space (tests/option-space).
#[test]
fn placeholders_are_exactly_those_in_the_documents() {
    use rotation_policy_core::Placeholder;
    use rotation_policy_option_space::{combinations, Values};
    let values = Values::example();
    for combination in combinations() {
        let spec = combination.spec(&values).expect("valid");
        let text = format!(
            "{}{}",
            spec.resource_policy_json(),
            spec.execution_role_policy_json()
        );
        let used: Vec<Placeholder> = Placeholder::ALL
            .into_iter()
            .filter(|p| text.contains(&p.token()))
            .collect();
        let mut listed = spec.placeholders();
        listed.sort();
        assert_eq!(listed, used, "{}", combination.label());
    }
}
