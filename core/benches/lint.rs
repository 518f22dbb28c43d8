//! `cargo bench -p rotation-policy-core --bench lint`
//!
//! Linting the alternating-users + KMS key execution role policy (about
//! 1.2 KB, every ARN concrete), next to the baseline in the same run:
//! serde_json parsing the same text into `serde_json::Value`. Target: lint at
//! most 4x the baseline. The catalog is static data compiled into the
//! binary (`core/build.rs`): there is no load to measure.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use rotation_policy_core::lint::{lint, LintOptions, PolicyType};
use rotation_policy_core::{Kms, RotationSpec, Strategy};

fn role_policy() -> String {
    RotationSpec::builder(Strategy::AlternatingUsers)
        .account("111122223333")
        .secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf")
        .function("arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db")
        .superuser_secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123")
        .kms(Kms::Key(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".to_owned(),
        ))
        .build()
        .expect("the benchmark spec is valid")
        .execution_role_policy_json()
}

fn benches(c: &mut Criterion) {
    let policy = role_policy();
    let options = LintOptions {
        policy_type: Some(PolicyType::Identity),
    };
    // Make sure the input is clean.
    assert!(lint(policy.as_bytes(), &options).is_empty());
    let mut group = c.benchmark_group(format!("lint_role_policy_{}_bytes", policy.len()));
    group.bench_function("serde_json_value_baseline", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&policy)).expect("valid JSON"))
    });
    group.bench_function("lint", |b| {
        b.iter(|| lint(black_box(policy.as_bytes()), &options))
    });
    group.finish();
}

criterion_group!(lint_benches, benches);
criterion_main!(lint_benches);
