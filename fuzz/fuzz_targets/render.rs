//! The renderer with arbitrary values: it fails, or produces valid JSON that
//! still has one statement list of the same length.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rotation_policy_core::{render, Kms, RotationSpec, Strategy};

const NAMES: [&str; 6] = [
    "AWS::AccountId",
    "SecretArn",
    "RotationLambdaArn",
    "SuperuserSecretArn",
    "KmsKeyArn",
    "Other",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let strategy = if selector & 1 == 0 {
        Strategy::SingleUser
    } else {
        Strategy::AlternatingUsers
    };
    let Ok(spec) = RotationSpec::builder(strategy)
        .kms(Kms::CustomerManaged)
        .source_arn(selector & 2 != 0)
        .build()
    else {
        return;
    };
    // Values separated by NUL, assigned to names in order (cycling).
    let values: Vec<(&str, &str)> = text
        .split('\0')
        .enumerate()
        .map(|(i, v)| (NAMES[i % NAMES.len()], v))
        .collect();
    for template in [spec.resource_policy_json(), spec.execution_role_policy_json()] {
        if let Ok(out) = render(&template, &values) {
            let parsed: serde_json::Value = serde_json::from_str(&out).expect("rendered output is JSON");
            let original: serde_json::Value = serde_json::from_str(&template).expect("template is JSON");
            assert_eq!(
                parsed["Statement"].as_array().map(Vec::len),
                original["Statement"].as_array().map(Vec::len)
            );
        }
    }
});
