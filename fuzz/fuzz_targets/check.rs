//! The access checker on an arbitrary role policy: never panics, and every
//! requirement gets a decision whose deciding statement exists.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rotation_policy_core::access::{check, CheckInput, Decision, PolicyInput};
use rotation_policy_core::{Kms, PolicyDocument, RotationSpec, Strategy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(role) = PolicyDocument::from_json(text) else {
        return;
    };
    let Ok(spec) = RotationSpec::builder(Strategy::AlternatingUsers)
        .account("111122223333")
        .secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf")
        .function("arn:aws:lambda:us-east-1:111122223333:function:rotate")
        .kms(Kms::Key(
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        ))
        .build()
    else {
        return;
    };
    let role_policies = [PolicyInput {
        name: "role.json",
        document: &role,
    }];
    let report = check(&CheckInput {
        spec: &spec,
        role_arn: None,
        role_policies: &role_policies,
        resource_policy: Some(PolicyInput {
            name: "role.json",
            document: &role,
        }),
        secret_policy: None,
        key_policy: None,
    });
    for r in &report.requirements {
        if let Some(s) = &r.evaluation.statement {
            assert!(s.index < role.statements().len());
        }
        if r.evaluation.decision != Decision::Allowed {
            assert!(r.evaluation.reason.is_some());
        }
    }
});
