//! The `aws_doc_2025` profile reproduces the current AWS page: with the
//! page's placeholder strings replaced by real values, the generated
//! execution role policies equal the page's examples as JSON values (key
//! order aside).
//!
//! The examples are transcribed into `tests/golden/aws_doc_2025/` (see the
//! README there); they are the reference and are never regenerated.

use std::path::PathBuf;

use rotation_policy::{Kms, Profile, RotationSpec, RotationSpecBuilder, Strategy};
use serde_json::Value;

/// The page's own example values.
const ACCOUNT: &str = "123456789012";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:secretName-AbCdEf";
/// What the page's examples leave as placeholder strings.
const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:rotate-secretName";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-XyZ123";
const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// The page's placeholder strings and the real values that replace them:
/// in the several-secrets statement, the second secret sharing the key is
/// the superuser secret.
const REPLACEMENTS: [(&str, &str); 4] = [
    ("KMSKeyARN", KEY),
    ("SecretARN", SECRET),
    ("arn1", SECRET),
    ("arn2", SUPERUSER),
];

fn fixture_text(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "golden",
        "aws_doc_2025",
        name,
    ]
    .iter()
    .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Replaces every string that is exactly one of the page's placeholders.
fn fill(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let Some((_, real)) = REPLACEMENTS.iter().find(|(page, _)| page == s) {
                *s = (*real).to_owned();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(fill),
        Value::Object(map) => map.values_mut().for_each(fill),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A page example with real values.
fn page(name: &str) -> Value {
    let mut value: Value = serde_json::from_str(&fixture_text(name)).expect("fixture is JSON");
    fill(&mut value);
    value
}

/// The alternating-users example with its slip mended: the superuser
/// statement (the second) names the superuser secret, not the rotated one.
fn page_alternating() -> Value {
    let mut value = page("alternating_users.json");
    let superuser = &mut value["Statement"][1];
    assert_eq!(
        superuser["Action"],
        serde_json::json!(["secretsmanager:GetSecretValue"])
    );
    assert_eq!(superuser["Resource"], SECRET, "the page's slip is still there");
    superuser["Resource"] = Value::from(SUPERUSER);
    value
}

/// A page role policy with a page KMS statement appended last.
fn with_statement(mut policy: Value, statement: &str) -> Value {
    policy["Statement"]
        .as_array_mut()
        .expect("Statement is an array")
        .push(page(statement));
    policy
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("generated JSON parses")
}

fn builder(strategy: Strategy) -> RotationSpecBuilder {
    let builder = RotationSpec::builder(strategy)
        .profile(Profile::AwsDoc2025)
        .account(ACCOUNT)
        .secret(SECRET)
        .function(FUNCTION);
    match strategy {
        Strategy::SingleUser => builder,
        Strategy::AlternatingUsers => builder.superuser_secret(SUPERUSER),
    }
}

fn role_policy(builder: RotationSpecBuilder) -> Value {
    let spec = builder.build().expect("valid spec");
    assert!(spec.warnings().is_empty(), "{:?}", spec.warnings());
    json(&spec.execution_role_policy_json())
}

#[test]
fn single_user_role_policy_equals_the_page() {
    assert_eq!(
        role_policy(builder(Strategy::SingleUser)),
        page("single_user.json")
    );
}

#[test]
fn alternating_users_role_policy_equals_the_page() {
    assert_eq!(
        role_policy(builder(Strategy::AlternatingUsers)),
        page_alternating()
    );
}

#[test]
fn customer_managed_key_appends_the_page_statement_last() {
    assert_eq!(
        role_policy(builder(Strategy::SingleUser).kms(Kms::Key(KEY.to_owned()))),
        with_statement(page("single_user.json"), "kms_statement.json")
    );
    assert_eq!(
        role_policy(builder(Strategy::AlternatingUsers).kms(Kms::Key(KEY.to_owned()))),
        with_statement(page_alternating(), "kms_statement.json")
    );
}

/// The superuser secret encrypted with the same key: the page's statement
/// for several secrets, one condition value per secret.
#[test]
fn a_key_shared_with_the_superuser_secret_lists_both_secrets() {
    let shared = builder(Strategy::AlternatingUsers)
        .kms(Kms::Key(KEY.to_owned()))
        .superuser_kms(KEY);
    assert_eq!(
        role_policy(shared),
        with_statement(page_alternating(), "kms_statement_several_secrets.json")
    );
}

/// The page has no resource policy; the profile keeps the one every
/// profile writes (`aws:SourceAccount`, as the page's rotation tutorials do).
#[test]
fn resource_policy_is_the_recommended_one() {
    for strategy in [Strategy::SingleUser, Strategy::AlternatingUsers] {
        let page = builder(strategy).build().expect("valid spec");
        let recommended = builder(strategy)
            .profile(Profile::Recommended)
            .build()
            .expect("valid spec");
        assert_eq!(page.resource_policy_json(), recommended.resource_policy_json());
    }
}
