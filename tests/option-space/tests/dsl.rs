//! `rotation_policy!` against the runtime builder: one invocation per key,
//! per alias (`separate_secret`, `single`, `alternating`) and per value form
//! (string, raw string, bool, identifier, `env!("VAR")`), each equal byte for
//! byte to the builder's documents for the same options. The `env!`
//! variables are set by this crate's build.rs; the builder side reads the
//! same variables with std's `env!`.
//!
//! The table tests (cli/tests/parity.rs and tests/space.rs here) cover every
//! combination through the builder, the CLI and `RotationSpecBuilder::set`;
//! this file covers what only the macro's parser sees.

use rotation_policy::{
    rotation_policy, Engine, Kms, Profile, RotationPolicies, RotationSpec, RotationSpecBuilder, Strategy,
};
use rotation_policy_option_space::{combinations, Values};

const ACCOUNT: &str = "111122223333";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";

fn single() -> RotationSpecBuilder {
    RotationSpec::builder(Strategy::SingleUser)
}

fn alternating() -> RotationSpecBuilder {
    RotationSpec::builder(Strategy::AlternatingUsers)
}

/// The macro's constants are the builder's documents, byte for byte.
#[track_caller]
fn assert_same(expanded: RotationPolicies, builder: RotationSpecBuilder) {
    let spec = builder.build().expect("the builder accepts the same options");
    assert_eq!(expanded.resource_policy, spec.resource_policy_json());
    assert_eq!(expanded.execution_role_policy, spec.execution_role_policy_json());
}

#[test]
fn strategy_identifiers_and_aliases() {
    assert_same(rotation_policy! { strategy: single_user }, single());
    assert_same(rotation_policy! { strategy: alternating_users }, alternating());
    assert_same(rotation_policy! { strategy: single }, single());
    assert_same(rotation_policy! { strategy: alternating }, alternating());
    // The two strategies differ (alternating users read a superuser secret),
    // so the comparisons above can tell the aliases apart.
    assert_ne!(
        rotation_policy! { strategy: single }.execution_role_policy,
        rotation_policy! { strategy: alternating }.execution_role_policy
    );
}

#[test]
fn account_string_and_env() {
    assert_same(
        rotation_policy! { strategy: single_user, account: "111122223333" },
        single().account(ACCOUNT),
    );
    assert_same(
        rotation_policy! { strategy: single_user, account: env!("ROTATION_POLICY_TEST_ACCOUNT") },
        single().account(env!("ROTATION_POLICY_TEST_ACCOUNT")),
    );
}

#[test]
fn secret_string_raw_string_and_env() {
    assert_same(
        rotation_policy! {
            strategy: single_user,
            secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
        },
        single().secret(SECRET),
    );
    assert_same(
        rotation_policy! {
            strategy: single_user,
            secret: r"arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
        },
        single().secret(SECRET),
    );
    assert_same(
        rotation_policy! { strategy: single_user, secret: env!("ROTATION_POLICY_TEST_SECRET") },
        single().secret(env!("ROTATION_POLICY_TEST_SECRET")),
    );
}

#[test]
fn function_string_with_qualifier_and_env() {
    assert_same(
        rotation_policy! {
            strategy: single_user,
            function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
        },
        single().function(FUNCTION),
    );
    assert_same(
        rotation_policy! {
            strategy: single_user,
            function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db:live",
        },
        single().function(format!("{FUNCTION}:live")),
    );
    assert_same(
        rotation_policy! { strategy: single_user, function: env!("ROTATION_POLICY_TEST_FUNCTION") },
        single().function(env!("ROTATION_POLICY_TEST_FUNCTION")),
    );
}

#[test]
fn superuser_secret_and_its_alias_separate_secret() {
    assert_same(
        rotation_policy! {
            strategy: alternating_users,
            superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
        },
        alternating().superuser_secret(SUPERUSER),
    );
    assert_same(
        rotation_policy! {
            strategy: alternating_users,
            separate_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
        },
        alternating().superuser_secret(SUPERUSER),
    );
    assert_same(
        rotation_policy! {
            strategy: single_user,
            superuser_secret: env!("ROTATION_POLICY_TEST_SUPERUSER_SECRET"),
        },
        single().superuser_secret(env!("ROTATION_POLICY_TEST_SUPERUSER_SECRET")),
    );
    assert_same(
        rotation_policy! {
            strategy: single_user,
            separate_secret: env!("ROTATION_POLICY_TEST_SUPERUSER_SECRET"),
        },
        single().superuser_secret(env!("ROTATION_POLICY_TEST_SUPERUSER_SECRET")),
    );
}

#[test]
fn kms_bools_string_and_env() {
    assert_same(
        rotation_policy! { strategy: single_user, kms: false },
        single().kms(Kms::AwsManaged),
    );
    assert_same(rotation_policy! { strategy: single_user, kms: false }, single());
    assert_same(
        rotation_policy! { strategy: single_user, kms: true },
        single().kms(Kms::CustomerManaged),
    );
    assert_same(
        rotation_policy! {
            strategy: single_user,
            kms: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
        single().kms(Kms::Key(KEY.to_owned())),
    );
    assert_same(
        rotation_policy! { strategy: single_user, kms: env!("ROTATION_POLICY_TEST_KMS_KEY") },
        single().kms(Kms::Key(env!("ROTATION_POLICY_TEST_KMS_KEY").to_owned())),
    );
}

#[test]
fn superuser_kms_string_and_env() {
    assert_same(
        rotation_policy! {
            strategy: alternating_users,
            superuser_kms: "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        },
        alternating().superuser_kms(OTHER_KEY),
    );
    assert_same(
        rotation_policy! {
            strategy: alternating_users,
            kms: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            superuser_kms: env!("ROTATION_POLICY_TEST_KMS_KEY"),
        },
        alternating()
            .kms(Kms::Key(KEY.to_owned()))
            .superuser_kms(env!("ROTATION_POLICY_TEST_KMS_KEY")),
    );
    assert_same(
        rotation_policy! {
            strategy: single_user,
            superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
            superuser_kms: env!("ROTATION_POLICY_TEST_OTHER_KMS_KEY"),
        },
        single()
            .superuser_secret(SUPERUSER)
            .superuser_kms(env!("ROTATION_POLICY_TEST_OTHER_KMS_KEY")),
    );
}

#[test]
fn vpc_bools() {
    assert_same(
        rotation_policy! { strategy: single_user, vpc: true },
        single().vpc(true),
    );
    assert_same(rotation_policy! { strategy: single_user, vpc: true }, single());
    assert_same(
        rotation_policy! { strategy: single_user, vpc: false },
        single().vpc(false),
    );
}

#[test]
fn source_arn_bools() {
    assert_same(
        rotation_policy! { strategy: single_user, source_arn: false },
        single().source_arn(false),
    );
    assert_same(
        rotation_policy! { strategy: single_user, source_arn: false },
        single(),
    );
    assert_same(
        rotation_policy! { strategy: single_user, source_arn: true },
        single().source_arn(true),
    );
}

#[test]
fn profile_identifiers() {
    assert_same(
        rotation_policy! { strategy: single_user, profile: recommended },
        single().profile(Profile::Recommended),
    );
    assert_same(
        rotation_policy! { strategy: single_user, profile: recommended },
        single(),
    );
    assert_same(
        rotation_policy! { strategy: single_user, profile: aws_doc_2021 },
        single().profile(Profile::AwsDoc2021),
    );
    assert_same(
        rotation_policy! { strategy: single_user, kms: true, profile: aws_doc_2025 },
        single().kms(Kms::CustomerManaged).profile(Profile::AwsDoc2025),
    );
    assert_ne!(
        rotation_policy! { strategy: single_user, profile: aws_doc_2025 }.execution_role_policy,
        rotation_policy! { strategy: single_user, profile: aws_doc_2021 }.execution_role_policy
    );
}

#[test]
fn random_password_bools() {
    assert_same(
        rotation_policy! { strategy: single_user, random_password: true },
        single(),
    );
    assert_same(
        rotation_policy! { strategy: single_user, random_password: false },
        single().random_password(false),
    );
    assert_ne!(
        rotation_policy! { strategy: single_user, random_password: false }.execution_role_policy,
        rotation_policy! { strategy: single_user }.execution_role_policy
    );
}

/// Every engine identifier, with alternating users (where the RDS and
/// Redshift functions make their extra calls).
#[test]
fn engine_identifiers() {
    let policies: [(RotationPolicies, Engine); 12] = [
        (
            rotation_policy! { strategy: alternating, engine: generic },
            Engine::Generic,
        ),
        (
            rotation_policy! { strategy: alternating, engine: mysql },
            Engine::MySql,
        ),
        (
            rotation_policy! { strategy: alternating, engine: postgres },
            Engine::Postgres,
        ),
        (
            rotation_policy! { strategy: alternating, engine: mariadb },
            Engine::MariaDb,
        ),
        (
            rotation_policy! { strategy: alternating, engine: oracle },
            Engine::Oracle,
        ),
        (
            rotation_policy! { strategy: alternating, engine: sqlserver },
            Engine::SqlServer,
        ),
        (
            rotation_policy! { strategy: alternating, engine: db2 },
            Engine::Db2,
        ),
        (
            rotation_policy! { strategy: alternating, engine: redshift },
            Engine::Redshift,
        ),
        (
            rotation_policy! { strategy: alternating, engine: documentdb },
            Engine::DocumentDb,
        ),
        (
            rotation_policy! { strategy: alternating, engine: elasticache },
            Engine::ElastiCache,
        ),
        (
            rotation_policy! { strategy: alternating, engine: active_directory },
            Engine::ActiveDirectory,
        ),
        (
            rotation_policy! { strategy: alternating, engine: influxdb },
            Engine::InfluxDb,
        ),
    ];
    for (expanded, engine) in policies {
        assert_same(expanded, alternating().engine(engine));
    }
    assert_eq!(
        policies.map(|(_, e)| e).to_vec(),
        Engine::ALL.to_vec(),
        "every engine, in order"
    );
}

/// A superuser secret that RDS manages (`rds!` in the literal).
#[test]
fn rds_managed_superuser_secret() {
    assert_same(
        rotation_policy! {
            strategy: alternating_users,
            superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr",
        },
        alternating().superuser_secret(Values::example().rds_superuser_secret),
    );
}

/// Every key at once, in another order than the README's options table and without
/// a trailing comma, equals the option space's combination with the same
/// choices: the literals here and `Values::example()` agree.
#[test]
fn every_key_at_once_equals_the_option_space() {
    const ALL: RotationPolicies = rotation_policy! {
        profile: aws_doc_2021,
        source_arn: true,
        vpc: false,
        superuser_kms: "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        kms: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        separate_secret: env!("ROTATION_POLICY_TEST_SUPERUSER_SECRET"),
        function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
        secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
        account: env!("ROTATION_POLICY_TEST_ACCOUNT"),
        strategy: alternating
    };
    let label = "alternating_users.concrete.kms_key.superuser_other_key.no_vpc.source_arn.aws_doc_2021";
    let combination = combinations()
        .into_iter()
        .find(|c| c.label() == label)
        .expect("the option space has this combination");
    assert_same(ALL, combination.builder(&Values::example()));
}
