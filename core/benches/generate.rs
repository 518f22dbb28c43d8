//! `cargo bench -p rotation-policy-core --bench generate`
//!
//! The cost of generating the rotation policies (validating every option and
//! serializing both documents) on the alternating-users + KMS key case, next
//! to baselines in the same run: serde_json building and pretty-printing a
//! typed document of the same shape and size with plain derived structs, and
//! the same with `serde_json::Value`.
//!
//! The documents come from templates compiled once per thread and shape
//! (`core/src/template.rs`), so the loops measure the steady state;
//! `serialize_typed_documents` is the direct writer the first use of a
//! shape goes through.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use rotation_policy_core::{Kms, RotationSpec, Strategy};
use serde::Serialize;

const ACCOUNT: &str = "111122223333";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

struct Inputs {
    account: &'static str,
    secret: &'static str,
    function: &'static str,
    superuser: &'static str,
    key: &'static str,
}

fn inputs() -> Inputs {
    black_box(Inputs {
        account: ACCOUNT,
        secret: SECRET,
        function: FUNCTION,
        superuser: SUPERUSER,
        key: KEY,
    })
}

fn build(i: &Inputs) -> RotationSpec {
    RotationSpec::builder(Strategy::AlternatingUsers)
        .account(i.account)
        .secret(i.secret)
        .function(i.function)
        .superuser_secret(i.superuser)
        .kms(Kms::Key(i.key.to_owned()))
        .build()
        .expect("the benchmark spec is valid")
}

fn generate(i: &Inputs) -> (String, String) {
    let spec = build(i);
    (spec.resource_policy_json(), spec.execution_role_policy_json())
}

// The baseline: the same two documents as plain derived structs.

#[derive(Serialize)]
struct Document {
    #[serde(rename = "Version")]
    version: String,
    #[serde(rename = "Id", skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(rename = "Statement")]
    statement: Vec<Statement>,
}

#[derive(Serialize)]
struct Statement {
    #[serde(rename = "Effect")]
    effect: String,
    #[serde(rename = "Principal", skip_serializing_if = "Option::is_none")]
    principal: Option<BTreeMap<String, String>>,
    #[serde(rename = "Action")]
    action: Actions,
    #[serde(rename = "Resource")]
    resource: String,
    #[serde(rename = "Condition", skip_serializing_if = "Option::is_none")]
    condition: Option<BTreeMap<String, BTreeMap<String, String>>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Actions {
    One(String),
    Many(Vec<String>),
}

fn statement(actions: &[&str], resource: &str) -> Statement {
    Statement {
        effect: "Allow".to_owned(),
        principal: None,
        action: Actions::Many(actions.iter().map(|a| (*a).to_owned()).collect()),
        resource: resource.to_owned(),
        condition: None,
    }
}

fn condition(operator: &str, key: &str, value: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    BTreeMap::from([(
        operator.to_owned(),
        BTreeMap::from([(key.to_owned(), value.to_owned())]),
    )])
}

fn typed_baseline(i: &Inputs) -> (String, String) {
    let resource = Document {
        version: "2012-10-17".to_owned(),
        id: Some("default".to_owned()),
        statement: vec![Statement {
            principal: Some(BTreeMap::from([(
                "Service".to_owned(),
                "secretsmanager.amazonaws.com".to_owned(),
            )])),
            condition: Some(condition("StringEquals", "aws:SourceAccount", i.account)),
            action: Actions::One("lambda:InvokeFunction".to_owned()),
            ..statement(&[], i.function)
        }],
    };
    let role = Document {
        version: "2012-10-17".to_owned(),
        id: None,
        statement: vec![
            Statement {
                condition: Some(condition(
                    "StringEquals",
                    "secretsmanager:resource/AllowRotationLambdaArn",
                    i.function,
                )),
                ..statement(
                    &[
                        "secretsmanager:DescribeSecret",
                        "secretsmanager:GetSecretValue",
                        "secretsmanager:PutSecretValue",
                        "secretsmanager:UpdateSecretVersionStage",
                    ],
                    i.secret,
                )
            },
            statement(&["secretsmanager:GetSecretValue"], i.superuser),
            statement(&["secretsmanager:GetRandomPassword"], "*"),
            statement(
                &[
                    "ec2:CreateNetworkInterface",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DetachNetworkInterface",
                ],
                "*",
            ),
            Statement {
                condition: Some(condition(
                    "StringEquals",
                    "kms:EncryptionContext:SecretARN",
                    i.secret,
                )),
                ..statement(&["kms:Decrypt", "kms:GenerateDataKey"], i.key)
            },
            statement(&["kms:DescribeKey"], i.key),
        ],
    };
    (
        serde_json::to_string_pretty(&resource).expect("serializes"),
        serde_json::to_string_pretty(&role).expect("serializes"),
    )
}

fn value_baseline(i: &Inputs) -> (String, String) {
    let allow = |actions: &[&str], resource: &str| serde_json::json!({ "Effect": "Allow", "Action": actions, "Resource": resource });
    let resource = serde_json::json!({
        "Version": "2012-10-17",
        "Id": "default",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "secretsmanager.amazonaws.com" },
            "Action": "lambda:InvokeFunction",
            "Resource": i.function,
            "Condition": { "StringEquals": { "aws:SourceAccount": i.account } },
        }],
    });
    let mut first = allow(
        &[
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage",
        ],
        i.secret,
    );
    first["Condition"] = serde_json::json!({
        "StringEquals": { "secretsmanager:resource/AllowRotationLambdaArn": i.function }
    });
    let mut kms = allow(&["kms:Decrypt", "kms:GenerateDataKey"], i.key);
    kms["Condition"] = serde_json::json!({
        "StringEquals": { "kms:EncryptionContext:SecretARN": i.secret }
    });
    let role = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            first,
            allow(&["secretsmanager:GetSecretValue"], i.superuser),
            allow(&["secretsmanager:GetRandomPassword"], "*"),
            allow(
                &[
                    "ec2:CreateNetworkInterface",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DetachNetworkInterface",
                ],
                "*",
            ),
            kms,
            allow(&["kms:DescribeKey"], i.key),
        ],
    });
    (
        serde_json::to_string_pretty(&resource).expect("serializes"),
        serde_json::to_string_pretty(&role).expect("serializes"),
    )
}

fn bench(c: &mut Criterion) {
    let i = inputs();
    // The baselines are documents of the same size as the generated ones.
    let (resource, role) = generate(&i);
    let (typed_resource, typed_role) = typed_baseline(&i);
    assert_eq!(resource.len(), typed_resource.len());
    assert_eq!(role.len(), typed_role.len());

    let mut group = c.benchmark_group("generate");
    group.bench_function("alternating_users_kms_key", |b| {
        b.iter(|| generate(black_box(&i)))
    });
    group.bench_function("build_only", |b| b.iter(|| build(black_box(&i))));
    let spec = build(&i);
    group.bench_function("serialize_only", |b| {
        b.iter(|| {
            let spec = black_box(&spec);
            (spec.resource_policy_json(), spec.execution_role_policy_json())
        })
    });
    // What the first spec of a shape in a thread costs on top of compiling
    // the template: the typed documents, written directly.
    group.bench_function("serialize_typed_documents", |b| {
        b.iter(|| {
            let spec = black_box(&spec);
            (
                spec.resource_policy().to_json_pretty(),
                spec.execution_role_policy().to_json_pretty(),
            )
        })
    });
    group.bench_function("baseline_serde_json_typed", |b| {
        b.iter(|| typed_baseline(black_box(&i)))
    });
    group.bench_function("baseline_serde_json_value", |b| {
        b.iter(|| value_baseline(black_box(&i)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
