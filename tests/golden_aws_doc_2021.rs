//! The `aws_doc_2021` profile reproduces the AWS page of 2021: with the
//! page's placeholder strings replaced by real values, the generated
//! documents equal the page's examples as JSON values (key order aside).
//!
//! The examples are copied verbatim into `tests/golden/aws_doc_2021/` (see
//! the README there); they are the reference and are never regenerated.

use std::path::PathBuf;

use rotation_policy::{Kms, PolicyDocument, Profile, RotationSpec, RotationSpecBuilder, Statement, Strategy};
use serde_json::Value;

const ACCOUNT: &str = "111122223333";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";

/// The page's placeholder strings and the real values that replace them.
const REPLACEMENTS: [(&str, &str); 3] = [
    ("LambdaRotationFunctionARN", FUNCTION),
    ("SecretARN", SECRET),
    ("SeparateSecretARN", SUPERUSER),
];

fn fixture_text(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "golden",
        "aws_doc_2021",
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

/// A page role policy with the page's customer managed key statement
/// appended last.
fn page_with_kms_statement(name: &str) -> Value {
    let mut value = page(name);
    let statement = page("kms_statement.json");
    value["Statement"]
        .as_array_mut()
        .expect("Statement is an array")
        .push(statement);
    value
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("generated JSON parses")
}

fn builder(strategy: Strategy) -> RotationSpecBuilder {
    let builder = RotationSpec::builder(strategy)
        .profile(Profile::AwsDoc2021)
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
fn resource_policy_equals_the_page() {
    for strategy in [Strategy::SingleUser, Strategy::AlternatingUsers] {
        let spec = builder(strategy).build().expect("valid spec");
        assert_eq!(
            json(&spec.resource_policy_json()),
            page("resource_policy.json"),
            "{strategy:?}"
        );
    }
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
        page("alternating_users.json")
    );
}

#[test]
fn customer_managed_key_appends_the_page_statement_last() {
    assert_eq!(
        role_policy(builder(Strategy::SingleUser).kms(Kms::CustomerManaged)),
        page_with_kms_statement("single_user.json")
    );
    assert_eq!(
        role_policy(builder(Strategy::AlternatingUsers).kms(Kms::CustomerManaged)),
        page_with_kms_statement("alternating_users.json")
    );
}

#[test]
fn the_page_examples_round_trip_through_the_policy_model() {
    for name in [
        "resource_policy.json",
        "single_user.json",
        "alternating_users.json",
    ] {
        let text = fixture_text(name);
        let doc = PolicyDocument::from_json(&text).expect("the page's example parses");
        assert_eq!(json(&doc.to_json_pretty()), json(&text), "{name}");
    }
    let text = fixture_text("kms_statement.json");
    let statement: Statement = serde_json::from_str(&text).expect("the page's statement parses");
    let again = serde_json::to_string(&statement).expect("serializes");
    assert_eq!(json(&again), json(&text));
}
