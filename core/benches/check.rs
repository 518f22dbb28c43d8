//! `cargo bench -p rotation-policy-core --bench check`
//!
//! The cost of checking a 10-statement execution role policy (the
//! recommended alternating-users + KMS statements plus five unrelated ones,
//! one of them a Deny) and the function's resource policy against the
//! alternating-users + KMS spec: every requirement evaluated, the excess
//! expanded through the catalog (static tables compiled into the binary),
//! the resource policy probed. Baseline in the same run: serde_json parsing the
//! role policy into a `Value`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use rotation_policy_core::access::{check, CheckInput, PolicyInput};
use rotation_policy_core::{Kms, OneOrMany, PolicyDocument, RotationSpec, Strategy};

const ACCOUNT: &str = "111122223333";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// Five statements a real execution role often carries besides rotation's.
const EXTRA: &str = r#"{"Statement":[
  {"Effect":"Allow","Action":["logs:CreateLogGroup"],"Resource":"arn:aws:logs:us-east-1:111122223333:*"},
  {"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/rotate-app-db:*"},
  {"Effect":"Allow","Action":["xray:PutTraceSegments","xray:PutTelemetryRecords"],"Resource":"*"},
  {"Effect":"Allow","Action":"cloudwatch:PutMetricData","Resource":"*","Condition":{"StringEquals":{"cloudwatch:namespace":"Rotation"}}},
  {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}
]}"#;

fn bench(c: &mut Criterion) {
    let spec = RotationSpec::builder(Strategy::AlternatingUsers)
        .account(ACCOUNT)
        .secret(SECRET)
        .function(FUNCTION)
        .superuser_secret(SUPERUSER)
        .kms(Kms::Key(KEY.to_owned()))
        .build()
        .expect("the benchmark spec is valid");
    let mut role = spec.execution_role_policy();
    let extra = PolicyDocument::from_json(EXTRA).expect("extra statements parse");
    let mut statements = role.statements().to_vec();
    statements.extend(extra.statements().iter().cloned());
    assert_eq!(statements.len(), 10);
    role.statement = OneOrMany::Many(statements);
    let role_json = role.to_json_pretty();
    let resource = spec.resource_policy();

    let mut group = c.benchmark_group("check");
    group.bench_function("serde_json_value_parse_role_policy (baseline)", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&role_json)))
    });
    group.bench_function("check_10_statement_role", |b| {
        b.iter(|| {
            let role_policies = [PolicyInput {
                name: "role.json",
                document: black_box(&role),
            }];
            let report = check(&CheckInput {
                spec: black_box(&spec),
                role_arn: Some("arn:aws:iam::111122223333:role/rotation"),
                role_policies: &role_policies,
                resource_policy: Some(PolicyInput {
                    name: "function.json",
                    document: &resource,
                }),
                secret_policy: None,
                key_policy: None,
            });
            assert!(report.allowed);
            report
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
