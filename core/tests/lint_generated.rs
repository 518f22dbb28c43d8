//! The generator's outputs lint clean (nothing at warning or above) in the
//! `recommended` profile for every option combination; the `aws_doc_2021`
//! role policy is caught by SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY.

#![cfg(feature = "analysis")]

use rotation_policy_core::lint::{lint, Finding, LintOptions, PolicyType, Severity};
use rotation_policy_core::{render, Kms, Profile, RotationSpec, Strategy};

const ACCOUNT: &str = "111122223333";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY2: &str = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234567890abcdef1234567890abcdef";

/// Fills the placeholders a spec leaves (`${KmsKeyArn}` for `kms: true`,
/// `${SuperuserSecretArn}` for alternating users without one) with concrete ARNs.
fn concrete(json: &str) -> String {
    let mut values = Vec::new();
    if json.contains("${KmsKeyArn}") {
        values.push(("KmsKeyArn", KEY));
    }
    if json.contains("${SuperuserSecretArn}") {
        values.push(("SuperuserSecretArn", SUPERUSER));
    }
    render(json, &values).expect("placeholders fill")
}

/// One option combination.
struct Combo<'a> {
    strategy: Strategy,
    profile: Profile,
    kms: &'a Kms,
    superuser: bool,
    superuser_kms: bool,
    vpc: bool,
    source_arn: bool,
    function: &'a str,
}

fn spec(c: &Combo<'_>) -> Option<RotationSpec> {
    let mut builder = RotationSpec::builder(c.strategy)
        .account(ACCOUNT)
        .secret(SECRET)
        .function(c.function)
        .kms(c.kms.clone())
        .vpc(c.vpc)
        .source_arn(c.source_arn)
        .profile(c.profile);
    if c.superuser {
        builder = builder.superuser_secret(SUPERUSER);
    }
    if c.superuser_kms {
        builder = builder.superuser_kms(KEY2);
    }
    builder.build().ok()
}

fn serious(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{} {} {}", f.code, f.pointer, f.message))
        .collect()
}

#[test]
fn recommended_outputs_lint_clean_for_every_combination() {
    let kms_options = [Kms::AwsManaged, Kms::CustomerManaged, Kms::Key(KEY.to_owned())];
    let functions = [FUNCTION.to_owned(), format!("{FUNCTION}:live")];
    let mut linted = 0;
    for strategy in [Strategy::SingleUser, Strategy::AlternatingUsers] {
        for kms in &kms_options {
            for superuser in [false, true] {
                for superuser_kms in [false, true] {
                    for vpc in [false, true] {
                        for source_arn in [false, true] {
                            for function in &functions {
                                let Some(spec) = spec(&Combo {
                                    strategy,
                                    profile: Profile::Recommended,
                                    kms,
                                    superuser,
                                    superuser_kms,
                                    vpc,
                                    source_arn,
                                    function,
                                }) else {
                                    // A contradiction the builder rejects (superuser_kms without a
                                    // superuser secret for single_user).
                                    continue;
                                };
                                for (json, policy_type) in [
                                    (spec.resource_policy_json(), PolicyType::Resource),
                                    (spec.execution_role_policy_json(), PolicyType::Identity),
                                ] {
                                    let json = concrete(&json);
                                    for ty in [policy_type, PolicyType::Auto] {
                                        let findings =
                                            lint(json.as_bytes(), &LintOptions { policy_type: ty });
                                        assert_eq!(serious(&findings), Vec::<String>::new(), "{json}");
                                    }
                                    linted += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    // 2 strategies x 3 kms x 2 x 2 (minus rejected) x 2 vpc x 2 source_arn x 2 functions x 2 documents.
    assert!(linted >= 300, "only {linted} documents linted");
}

#[test]
fn placeholders_in_generated_documents_are_reported_as_warnings() {
    let spec = RotationSpec::builder(Strategy::SingleUser)
        .build()
        .expect("defaults build");
    let findings = lint(
        spec.execution_role_policy_json().as_bytes(),
        &LintOptions {
            policy_type: PolicyType::Identity,
        },
    );
    assert!(!findings.is_empty());
    assert!(findings
        .iter()
        .all(|f| f.code == "UNRESOLVED_TEMPLATE_PLACEHOLDER" && f.severity == Severity::Warning));
}

#[test]
fn aws_doc_2021_role_policy_uses_source_account_in_an_identity_policy() {
    let spec = spec(&Combo {
        strategy: Strategy::AlternatingUsers,
        profile: Profile::AwsDoc2021,
        kms: &Kms::Key(KEY.to_owned()),
        superuser: true,
        superuser_kms: false,
        vpc: true,
        source_arn: false,
        function: FUNCTION,
    })
    .expect("valid spec");
    let json = spec.execution_role_policy_json();
    let findings = lint(
        json.as_bytes(),
        &LintOptions {
            policy_type: PolicyType::Auto,
        },
    );
    let hits: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.code == "SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY")
        .collect();
    assert_eq!(hits.len(), 1, "{findings:#?}");
    assert_eq!(
        hits[0].pointer,
        "/Statement/0/Condition/StringEquals/aws:SourceAccount"
    );
    assert_eq!(hits[0].severity, Severity::Error);
    let line = json.lines().nth(hits[0].line - 1).expect("line exists");
    assert!(line.contains("\"aws:SourceAccount\""), "{line}");
    // The resource policy of the same profile is fine: there the key is present.
    let resource = lint(spec.resource_policy_json().as_bytes(), &LintOptions::default());
    assert_eq!(serious(&resource), Vec::<String>::new());
}
