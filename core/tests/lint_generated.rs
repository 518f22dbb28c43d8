//! The generator's outputs lint clean (nothing at warning or above) in the
//! `recommended` profile for every combination of the option space
//! (tests/option-space), placeholders filled; the `aws_doc_2021`
//! role policy is caught by SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY.

#![cfg(feature = "analysis")]

use rotation_policy_core::lint::{lint, Finding, LintOptions, PolicyType, Severity};
use rotation_policy_core::{render, Profile, RotationSpec, Strategy};
use rotation_policy_option_space::{combinations, engine_combinations, Values};

/// The documents with every placeholder filled as CloudFormation's `Fn::Sub`
/// would fill it from `values` (`${KmsKeyArn}` stays in a spec with
/// `kms: true` even with concrete values).
fn filled(json: &str, values: &Values) -> String {
    render(json, &values.fills()).expect("placeholders fill")
}

fn serious(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity() >= Severity::Warning)
        .map(|f| format!("{} {} {}", f.code(), f.pointer(), f.message()))
        .collect()
}

#[test]
fn recommended_outputs_lint_clean_for_every_combination() {
    let example = Values::example();
    // A qualified function ARN (an alias or version) changes the resource
    // policy's `Resource` and the role's `AllowRotationLambdaArn` condition.
    let qualified = Values {
        function: format!("{}:live", example.function),
        ..example.clone()
    };
    let mut linted = 0;
    for combination in combinations().into_iter().chain(engine_combinations()) {
        for values in [&example, &qualified] {
            let spec = combination
                .spec(values)
                .unwrap_or_else(|e| panic!("{}: {e}", combination.label()));
            if spec.profile() != Profile::Recommended {
                continue;
            }
            for (json, policy_type) in [
                (spec.resource_policy_json(), Some(PolicyType::Resource)),
                (spec.execution_role_policy_json(), Some(PolicyType::Identity)),
            ] {
                let json = filled(&json, values);
                for ty in [policy_type, None] {
                    let findings = lint(json.as_bytes(), &LintOptions { policy_type: ty });
                    assert_eq!(
                        serious(&findings),
                        Vec::<String>::new(),
                        "{}\n{json}",
                        combination.label()
                    );
                }
                linted += 1;
            }
        }
    }
    assert!(linted > 0, "no recommended combination in the option space");
}

#[test]
fn placeholders_in_generated_documents_are_reported_as_warnings() {
    let spec = RotationSpec::builder(Strategy::SingleUser)
        .build()
        .expect("defaults build");
    let findings = lint(
        spec.execution_role_policy_json().as_bytes(),
        &LintOptions {
            policy_type: Some(PolicyType::Identity),
        },
    );
    assert!(!findings.is_empty());
    assert!(findings
        .iter()
        .all(|f| f.code() == "UNRESOLVED_TEMPLATE_PLACEHOLDER" && f.severity() == Severity::Warning));
}

#[test]
fn aws_doc_2021_role_policy_uses_source_account_in_an_identity_policy() {
    let label = "alternating_users.concrete.kms_key.superuser_secret.aws_doc_2021";
    let spec = combinations()
        .into_iter()
        .find(|c| c.label() == label)
        .expect("the option space has this combination")
        .spec(&Values::example())
        .expect("valid spec");
    let json = spec.execution_role_policy_json();
    let findings = lint(json.as_bytes(), &LintOptions { policy_type: None });
    let hits: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.code() == "SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY")
        .collect();
    assert_eq!(hits.len(), 1, "{findings:#?}");
    assert_eq!(
        hits[0].pointer(),
        "/Statement/0/Condition/StringEquals/aws:SourceAccount"
    );
    assert_eq!(hits[0].severity(), Severity::Error);
    let line = json.lines().nth(hits[0].line() - 1).expect("line exists");
    assert!(line.contains("\"aws:SourceAccount\""), "{line}");
    // The resource policy of the same profile is fine: there the key is present.
    let resource = lint(spec.resource_policy_json().as_bytes(), &LintOptions::default());
    assert_eq!(serious(&resource), Vec::<String>::new());
}
