//! The access checker against the generator's own output, and crafted cases
//! each with its expected decision and deciding statement.

#![cfg(feature = "analysis")]

use rotation_policy_core::access::{
    check, evaluate, CheckInput, Decision, NamedPolicy, PolicyInput, PolicyType, Request, RequestPrincipal,
};
use rotation_policy_core::catalog::AccessLevel;
use rotation_policy_core::{Kms, PolicyDocument, Profile, RotationSpec, Strategy};
use rotation_policy_option_space::{combinations, engine_combinations, Values};

const ACCOUNT: &str = "111122223333";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE: &str = "arn:aws:iam::111122223333:role/rotation";

fn doc(json: &str) -> PolicyDocument {
    PolicyDocument::from_json(json).expect("test policy parses")
}

fn full_spec(profile: Profile) -> RotationSpec {
    RotationSpec::builder(Strategy::AlternatingUsers)
        .account(ACCOUNT)
        .secret(SECRET)
        .function(FUNCTION)
        .superuser_secret(SUPERUSER)
        .kms(Kms::Key(KEY.into()))
        .profile(profile)
        .build()
        .expect("valid spec")
}

fn run_check(
    spec: &RotationSpec,
    role: &PolicyDocument,
    resource: Option<&PolicyDocument>,
) -> rotation_policy_core::access::CheckReport {
    let role_policies = [PolicyInput {
        name: "role.json",
        document: role,
    }];
    check(&CheckInput {
        spec,
        role_arn: Some(ROLE),
        role_policies: &role_policies,
        resource_policy: resource.map(|d| PolicyInput {
            name: "function.json",
            document: d,
        }),
        secret_policy: None,
        key_policy: None,
    })
}

/// Every combination of the option space (tests/option-space) in the
/// recommended profile.
fn recommended_specs() -> Vec<RotationSpec> {
    let values = Values::example();
    combinations()
        .iter()
        .chain(&engine_combinations())
        .map(|c| c.spec(&values).unwrap_or_else(|e| panic!("{}: {e}", c.label())))
        .filter(|spec| spec.profile() == Profile::Recommended)
        .collect()
}

#[test]
fn recommended_output_is_allowed_with_zero_excess_for_every_combination() {
    let specs = recommended_specs();
    assert!(
        !specs.is_empty(),
        "no recommended combination in the option space"
    );
    for spec in specs {
        let role = spec.execution_role_policy();
        let resource = spec.resource_policy();
        let report = run_check(&spec, &role, Some(&resource));
        let denied: Vec<_> = report
            .requirements
            .iter()
            .filter(|r| r.evaluation.decision != Decision::Allowed)
            .collect();
        assert!(report.allowed, "{spec:?}: denied {denied:#?}");
        assert!(report.excess.is_empty(), "{spec:?}: excess {:#?}", report.excess);
        let verdict = report.resource_policy.expect("resource policy verdict");
        assert!(verdict.restricted(), "{spec:?}: open to {:?}", verdict.open_to);
    }
}

#[test]
fn aws_doc_2021_role_policy_denies_the_secret_calls_naming_source_account() {
    let spec = full_spec(Profile::AwsDoc2021);
    let report = run_check(&spec, &spec.execution_role_policy(), None);
    assert!(!report.allowed);
    let denied: Vec<_> = report
        .requirements
        .iter()
        .filter(|r| r.evaluation.decision != Decision::Allowed)
        .collect();
    let actions: Vec<&str> = denied.iter().map(|r| r.request.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "secretsmanager:DescribeSecret",
            "secretsmanager:GetSecretValue",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecretVersionStage"
        ]
    );
    for r in denied {
        assert_eq!(r.evaluation.decision, Decision::ImplicitDeny);
        assert_eq!(
            r.evaluation
                .statement
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("role.json#/Statement/0")
        );
        let reason = r.evaluation.reason.as_deref().unwrap_or("");
        assert!(reason.contains("`aws:SourceAccount`"), "{reason}");
    }
}

#[test]
fn secretsmanager_star_is_allowed_with_excess_listing_dangerous_actions() {
    let spec = full_spec(Profile::Recommended);
    let mut role = spec.execution_role_policy();
    // Replace the scoped statements with a blanket grant.
    role.statement = rotation_policy_core::OneOrMany::Many(
        doc(&format!(
            r#"{{"Statement":[
            {{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}},
            {{"Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface","ec2:DescribeNetworkInterfaces"],"Resource":"*"}},
            {{"Effect":"Allow","Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"{KEY}"}}]}}"#
        ))
        .statements()
        .to_vec(),
    );
    let report = run_check(&spec, &role, None);
    assert!(report.allowed);
    let find = |name: &str| report.excess.iter().find(|e| e.action == name);
    let delete = find("secretsmanager:DeleteSecret").expect("DeleteSecret is excess");
    assert!(delete.flagged && delete.access_level == Some(AccessLevel::Write));
    let put_policy = find("secretsmanager:PutResourcePolicy").expect("PutResourcePolicy is excess");
    assert_eq!(put_policy.access_level, Some(AccessLevel::PermissionsManagement));
    assert!(put_policy.flagged);
    let read = find("secretsmanager:GetSecretValue").expect("GetSecretValue on * is wider than needed");
    assert_eq!(read.needed_on.as_deref(), Some(SECRET));
    assert!(
        find("secretsmanager:GetRandomPassword").is_none(),
        "needed on * exactly"
    );
}

// ---------------------------------------------------------------------------
// Crafted cases: one request against one set of policies, with the expected
// decision and deciding statement.

fn role_request(action: &str, resource: &str) -> Request {
    Request::new(
        RequestPrincipal::Role {
            arn: Some(ROLE.into()),
            account: ACCOUNT.into(),
        },
        action,
        resource,
        "test",
    )
    .with("aws:PrincipalAccount", ACCOUNT)
    .with("aws:PrincipalArn", ROLE)
}

fn kms_request(action: &str) -> Request {
    role_request(action, KEY)
        .with("kms:ViaService", "secretsmanager.us-east-1.amazonaws.com")
        .with("kms:EncryptionContext:SecretARN", SECRET)
        .with_values("aws:CalledVia", vec!["secretsmanager.amazonaws.com".into()])
}

fn invoke_request(source_account: &str) -> Request {
    Request::new(
        RequestPrincipal::Service("secretsmanager.amazonaws.com".into()),
        "lambda:InvokeFunction",
        FUNCTION,
        "test",
    )
    .with("aws:SourceAccount", source_account)
    .with("aws:SourceArn", SECRET)
}

struct Case {
    name: &'static str,
    policies: Vec<(&'static str, PolicyType, String)>,
    request: Request,
    decision: Decision,
    statement: Option<&'static str>,
}

fn identity(json: &str) -> Vec<(&'static str, PolicyType, String)> {
    vec![("role.json", PolicyType::Identity, json.to_owned())]
}

fn cases() -> Vec<Case> {
    let allow = |action: &str, resource: &str| {
        format!(r#"{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}"#)
    };
    let policy = |statements: &[String]| {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            statements.join(",")
        )
    };
    let get = role_request("secretsmanager:GetSecretValue", SECRET);
    vec![
        Case { name: "exact action and resource", policies: identity(&policy(&[allow("secretsmanager:GetSecretValue", SECRET)])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "action wildcard star", policies: identity(&policy(&[allow("secretsmanager:Get*", SECRET)])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "action wildcard question mark", policies: identity(&policy(&[allow("secretsmanager:GetSecretValu?", SECRET)])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "action case-insensitive", policies: identity(&policy(&[allow("SecretsManager:getsecretvalue", SECRET)])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "other action only", policies: identity(&policy(&[allow("secretsmanager:DescribeSecret", SECRET)])), request: get.clone(), decision: Decision::ImplicitDeny, statement: None },
        Case { name: "resource case-sensitive", policies: identity(&policy(&[allow("secretsmanager:GetSecretValue", &SECRET.replace("app-db", "APP-DB"))])), request: get.clone(), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case { name: "StringLike-style suffix wildcard in resource", policies: identity(&policy(&[allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-??????")])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "partial secret ARN matches nothing", policies: identity(&policy(&[allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db")])), request: get.clone(), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case { name: "deny overrides allow", policies: identity(&policy(&[allow("secretsmanager:*", "*"), r#"{"Effect":"Deny","Action":"secretsmanager:GetSecretValue","Resource":"*"}"#.into()])), request: get.clone(), decision: Decision::ExplicitDeny, statement: Some("role.json#/Statement/1") },
        Case { name: "deny with failing condition does not apply", policies: identity(&policy(&[allow("secretsmanager:*", "*"), r#"{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#.into()])), request: get.clone().with("aws:SecureTransport", "true"), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "NotAction allow covers other actions", policies: identity(&policy(&[r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#.into()])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "single statement object points at /Statement", policies: identity(r#"{"Statement":{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}}"#), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement") },
        Case { name: "NotAction excludes the action", policies: identity(&policy(&[r#"{"Effect":"Allow","NotAction":"secretsmanager:Get*","Resource":"*"}"#.into()])), request: get.clone(), decision: Decision::ImplicitDeny, statement: None },
        Case { name: "NotResource excludes the secret", policies: identity(&policy(&[format!(r#"{{"Effect":"Allow","Action":"secretsmanager:*","NotResource":"{SECRET}"}}"#)])), request: get.clone(), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case { name: "NotResource deny on other secrets", policies: identity(&policy(&[allow("secretsmanager:*", "*"), format!(r#"{{"Effect":"Deny","Action":"*","NotResource":"{SUPERUSER}"}}"#)])), request: get.clone(), decision: Decision::ExplicitDeny, statement: Some("role.json#/Statement/1") },
        Case { name: "condition key from the service matches", policies: identity(&policy(&[format!(r#"{{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{{"StringEquals":{{"secretsmanager:resource/AllowRotationLambdaArn":"{FUNCTION}"}}}}}}"#)])), request: get.clone().with("secretsmanager:resource/AllowRotationLambdaArn", FUNCTION), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "mixed-case condition key name", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"AWS:PrincipalAccount":"111122223333"}}}"#.into()])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "source account absent from own calls", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}"#.into()])), request: get.clone(), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case { name: "IfExists tolerates the missing key", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"111122223333"}}}"#.into()])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "negated operator with missing key is true", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceAccount":"444455556666"}}}"#.into()])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "Null true requires absence", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"Null":{"aws:SourceArn":"true"}}}"#.into()])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "values of one key are OR-ed", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":["444455556666","111122223333"]}}}"#.into()])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "keys of one operator are AND-ed", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:PrincipalTag/team":"db"}}}"#.into()])), request: get.clone(), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case { name: "StringLike on the principal ARN", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/rot*"}}}"#.into()])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        // IAM User Guide, "Variables and tags": variables only "in the
        // resource portion of the ARN ... after the fifth colon"; in the
        // account field AWS documents no outcome, which never allows.
        Case { name: "policy variable in the account field of a resource", policies: identity(&policy(&[allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:${aws:PrincipalAccount}:secret:app-db-*")])), request: get.clone(), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case { name: "policy variable in the resource part", policies: identity(&policy(&[allow("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-${aws:PrincipalTag/team}-*")])), request: get.clone().with("aws:PrincipalTag/team", "db"), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "ForAnyValue matches one of the values", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:CalledVia":["secretsmanager.amazonaws.com"]}}}"#.into()])), request: kms_request("kms:Decrypt"), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "ForAllValues with a missing key is true", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}"#.into()])), request: get.clone(), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "kms ViaService scoping matches", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.us-east-1.amazonaws.com"}}}"#.into()])), request: kms_request("kms:Decrypt"), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "kms ViaService of another region", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"secretsmanager.eu-west-1.amazonaws.com"}}}"#.into()])), request: kms_request("kms:Decrypt"), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case { name: "encryption context condition", policies: identity(&policy(&[format!(r#"{{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{KEY}","Condition":{{"StringEquals":{{"kms:EncryptionContext:SecretARN":"{SECRET}"}}}}}}"#)])), request: kms_request("kms:Decrypt"), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "alias ARN grants nothing for a key request", policies: identity(&policy(&[allow("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:alias/app")])), request: kms_request("kms:Decrypt"), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case {
            name: "key policy without IAM delegation denies despite identity allow",
            policies: vec![
                ("role.json", PolicyType::Identity, policy(&[allow("kms:Decrypt", KEY)])),
                ("key.json", PolicyType::Key, r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Action":"kms:*","Resource":"*"}]}"#.into()),
            ],
            request: kms_request("kms:Decrypt"),
            decision: Decision::ImplicitDeny,
            statement: None,
        },
        Case {
            name: "key policy delegating to IAM plus identity allow",
            policies: vec![
                ("role.json", PolicyType::Identity, policy(&[allow("kms:Decrypt", KEY)])),
                ("key.json", PolicyType::Key, r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}"#.into()),
            ],
            request: kms_request("kms:Decrypt"),
            decision: Decision::Allowed,
            statement: Some("role.json#/Statement/0"),
        },
        Case {
            name: "key policy delegating to IAM without identity allow",
            policies: vec![
                ("role.json", PolicyType::Identity, policy(&[allow("kms:Encrypt", KEY)])),
                ("key.json", PolicyType::Key, r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}]}"#.into()),
            ],
            request: kms_request("kms:Decrypt"),
            decision: Decision::ImplicitDeny,
            statement: None,
        },
        Case {
            name: "key policy allowing the role directly",
            policies: vec![
                ("role.json", PolicyType::Identity, policy(&[allow("s3:GetObject", "*")])),
                ("key.json", PolicyType::Key, format!(r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{ROLE}"}},"Action":["kms:Decrypt","kms:GenerateDataKey"],"Resource":"*"}}]}}"#)),
            ],
            request: kms_request("kms:Decrypt"),
            decision: Decision::Allowed,
            statement: Some("key.json#/Statement/0"),
        },
        Case {
            name: "secret policy deny overrides the role's allow",
            policies: vec![
                ("role.json", PolicyType::Identity, policy(&[allow("secretsmanager:GetSecretValue", SECRET)])),
                ("secret.json", PolicyType::Resource, r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/app"}}}]}"#.into()),
            ],
            request: get.clone(),
            decision: Decision::ExplicitDeny,
            statement: Some("secret.json#/Statement/0"),
        },
        Case {
            name: "secret policy allow suffices within the account",
            policies: vec![
                ("role.json", PolicyType::Identity, policy(&[allow("s3:GetObject", "*")])),
                ("secret.json", PolicyType::Resource, format!(r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"AWS":"{ROLE}"}},"Action":"secretsmanager:GetSecretValue","Resource":"*"}}]}}"#)),
            ],
            request: get.clone(),
            decision: Decision::Allowed,
            statement: Some("secret.json#/Statement/0"),
        },
        Case {
            name: "resource policy with source account allows Secrets Manager",
            policies: vec![("function.json", PolicyType::Resource, r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"secretsmanager.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"AWS:SourceAccount":"111122223333"}}}]}"#.into())],
            request: invoke_request(ACCOUNT),
            decision: Decision::Allowed,
            statement: Some("function.json#/Statement/0"),
        },
        Case {
            name: "resource policy with source account rejects another account",
            policies: vec![("function.json", PolicyType::Resource, r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"secretsmanager.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*","Condition":{"StringEquals":{"AWS:SourceAccount":"111122223333"}}}]}"#.into())],
            request: invoke_request("999999999999"),
            decision: Decision::ImplicitDeny,
            statement: Some("function.json#/Statement/0"),
        },
        Case {
            name: "resource policy for another service principal",
            policies: vec![("function.json", PolicyType::Resource, r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*"}]}"#.into())],
            request: invoke_request(ACCOUNT),
            decision: Decision::ImplicitDeny,
            statement: Some("function.json#/Statement/0"),
        },
        Case {
            name: "identity policy does not apply to a service principal",
            policies: identity(&policy(&[allow("lambda:InvokeFunction", "*")])),
            request: invoke_request(ACCOUNT),
            decision: Decision::ImplicitDeny,
            statement: None,
        },
        Case { name: "numeric condition", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":3600}}}"#.into()])), request: get.clone().with("aws:MultiFactorAuthAge", "60"), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "date condition in the past", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}}"#.into()])), request: get.clone().with("aws:CurrentTime", "2026-11-28T00:00:00Z"), decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
        Case { name: "ip address condition", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#.into()])), request: get.clone().with("aws:SourceIp", "203.0.113.9"), decision: Decision::Allowed, statement: Some("role.json#/Statement/0") },
        Case { name: "ArnLike on source arn with wildcard account", policies: vec![("function.json", PolicyType::Resource, r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"secretsmanager.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:secretsmanager:*:111122223333:secret:*"}}}]}"#.into())], request: invoke_request(ACCOUNT), decision: Decision::Allowed, statement: Some("function.json#/Statement/0") },
        Case { name: "unknown operator never matches", policies: identity(&policy(&[r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringContains":{"aws:PrincipalAccount":"1111"}}}"#.into()])), request: get, decision: Decision::ImplicitDeny, statement: Some("role.json#/Statement/0") },
    ]
}

#[test]
fn crafted_cases_decide_as_expected() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    for case in cases {
        let docs: Vec<(&str, PolicyType, PolicyDocument)> = case
            .policies
            .iter()
            .map(|(name, kind, json)| (*name, *kind, doc(json)))
            .collect();
        let named: Vec<NamedPolicy<'_>> = docs
            .iter()
            .map(|(name, kind, document)| NamedPolicy {
                name,
                kind: *kind,
                document,
            })
            .collect();
        let evaluation = evaluate(&case.request, &named);
        assert_eq!(
            evaluation.decision, case.decision,
            "{}: {:?}",
            case.name, evaluation.reason
        );
        assert_eq!(
            evaluation.statement.as_ref().map(ToString::to_string).as_deref(),
            case.statement,
            "{}: {:?}",
            case.name,
            evaluation.reason
        );
        if case.decision != Decision::Allowed {
            assert!(
                evaluation.reason.is_some(),
                "{}: a denial explains itself",
                case.name
            );
        }
    }
}

#[test]
fn open_resource_policy_is_reported() {
    let spec = full_spec(Profile::Recommended);
    let role = spec.execution_role_policy();
    let open = doc(&format!(
        r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Service":"secretsmanager.amazonaws.com"}},"Action":"lambda:InvokeFunction","Resource":"{FUNCTION}"}}]}}"#
    ));
    let report = run_check(&spec, &role, Some(&open));
    let verdict = report.resource_policy.expect("verdict");
    assert!(!verdict.restricted());
    assert_eq!(verdict.open_to.len(), 1, "{:?}", verdict.open_to);
    assert!(verdict.open_to[0].0.contains("another account"));
    let star =
        doc(r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"lambda:*","Resource":"*"}]}"#);
    let verdict = run_check(&spec, &role, Some(&star))
        .resource_policy
        .expect("verdict");
    assert_eq!(verdict.open_to.len(), 3);
}

// ---------------------------------------------------------------------------
// The VPC requests as AWS makes them, and what is not excess.

fn vpc_spec() -> RotationSpec {
    RotationSpec::builder(Strategy::SingleUser)
        .account(ACCOUNT)
        .secret(SECRET)
        .function(FUNCTION)
        .build()
        .expect("valid spec")
}

/// The recommended role with its EC2 statement replaced by `ec2`.
fn role_with_ec2(spec: &RotationSpec, ec2: &str) -> PolicyDocument {
    let mut role = spec.execution_role_policy();
    let mut statements: Vec<_> = role
        .statements()
        .iter()
        .filter(|s| {
            !s.action
                .as_ref()
                .is_some_and(|a| a.as_slice().iter().any(|x| x.starts_with("ec2:")))
        })
        .cloned()
        .collect();
    statements.extend(
        doc(&format!(r#"{{"Statement":[{ec2}]}}"#))
            .statements()
            .iter()
            .cloned(),
    );
    role.statement = rotation_policy_core::OneOrMany::Many(statements);
    role
}

// Lambda Developer Guide, "Giving Lambda functions access to resources in an
// Amazon VPC": for DeleteNetworkInterface "Either specify a unique resource
// ID, or include all resource IDs, for example, "Resource":
// "arn:aws:ec2:us-west-2:123456789012:*/*""; DescribeNetworkInterfaces "only
// works if it's allowed on all resources".
#[test]
fn network_interface_calls_scoped_to_the_account_and_region_as_the_lambda_guide_shows_are_allowed() {
    let spec = vpc_spec();
    let role = role_with_ec2(
        &spec,
        r#"{"Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface"],"Resource":"arn:aws:ec2:us-east-1:111122223333:*/*"},
           {"Effect":"Allow","Action":"ec2:DescribeNetworkInterfaces","Resource":"*"}"#,
    );
    let report = run_check(&spec, &role, None);
    let ec2: Vec<_> = report
        .requirements
        .iter()
        .filter(|r| r.request.action.starts_with("ec2:"))
        .collect();
    let resources: Vec<&str> = ec2.iter().map(|r| r.request.resource.as_str()).collect();
    assert_eq!(
        resources,
        [
            "arn:aws:ec2:us-east-1:111122223333:network-interface/eni-0123456789abcdef0",
            "arn:aws:ec2:us-east-1:111122223333:subnet/subnet-0123456789abcdef0",
            "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0123456789abcdef0",
            "*",
            "arn:aws:ec2:us-east-1:111122223333:network-interface/eni-0123456789abcdef0",
        ]
    );
    assert!(report.allowed, "{:#?}", report.requirements);
    assert!(report.excess.is_empty(), "{:#?}", report.excess);
    // The same grant in another account's ARN space grants nothing.
    let elsewhere = role_with_ec2(
        &spec,
        r#"{"Effect":"Allow","Action":["ec2:CreateNetworkInterface","ec2:DeleteNetworkInterface"],"Resource":"arn:aws:ec2:us-east-1:444455556666:*/*"},
           {"Effect":"Allow","Action":"ec2:DescribeNetworkInterfaces","Resource":"*"}"#,
    );
    assert!(!run_check(&spec, &elsewhere, None).allowed);
}

// IAM authorizes a request on several resources only if each is allowed
// (Service Authorization Reference: CreateNetworkInterface acts on
// network-interface*, subnet* and security-group).
#[test]
fn a_deny_on_subnets_breaks_rotation() {
    let spec = vpc_spec();
    let mut role = spec.execution_role_policy();
    let mut statements = role.statements().to_vec();
    statements.extend(
        doc(r#"{"Statement":[{"Effect":"Deny","Action":"ec2:*","Resource":"arn:aws:ec2:*:*:subnet/*"}]}"#)
            .statements()
            .iter()
            .cloned(),
    );
    let deny_index = statements.len() - 1;
    role.statement = rotation_policy_core::OneOrMany::Many(statements);
    let report = run_check(&spec, &role, None);
    assert!(!report.allowed);
    let denied: Vec<_> = report
        .requirements
        .iter()
        .filter(|r| r.evaluation.decision != Decision::Allowed)
        .collect();
    assert_eq!(denied.len(), 1, "{denied:#?}");
    assert_eq!(denied[0].request.action, "ec2:CreateNetworkInterface");
    assert!(denied[0].request.resource.contains(":subnet/"));
    assert_eq!(denied[0].evaluation.decision, Decision::ExplicitDeny);
    assert_eq!(
        denied[0].evaluation.statement.as_ref().map(|s| s.index),
        Some(deny_index)
    );
}

// The AWSLambdaVPCAccessExecutionRole managed policy (AWS Managed Policy
// Reference), which AWS's Lambda guide recommends for a function in a VPC.
const LAMBDA_VPC_ACCESS: &str = r#"{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents","ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DescribeSubnets","ec2:DeleteNetworkInterface","ec2:AssignPrivateIpAddresses","ec2:UnassignPrivateIpAddresses"],"Resource":"*"}"#;

#[test]
fn lambdas_own_documented_needs_are_not_excess() {
    let spec = vpc_spec();
    let role = role_with_ec2(&spec, LAMBDA_VPC_ACCESS);
    let report = run_check(&spec, &role, None);
    assert!(report.allowed, "{:#?}", report.requirements);
    assert!(report.excess.is_empty(), "{:#?}", report.excess);
    // Without a VPC the EC2 part is excess; the logs part is not.
    let no_vpc = RotationSpec::builder(Strategy::SingleUser)
        .account(ACCOUNT)
        .secret(SECRET)
        .function(FUNCTION)
        .vpc(false)
        .build()
        .expect("valid spec");
    let report = run_check(&no_vpc, &role, None);
    let names: Vec<&str> = report.excess.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("ec2:")), "{names:?}");
}

#[test]
fn excess_leaves_out_actions_that_can_never_be_granted_on_the_resource_named() {
    let spec = vpc_spec();
    let mut role = spec.execution_role_policy();
    let mut statements = role.statements().to_vec();
    statements.extend(
        doc(&format!(
            r#"{{"Statement":[{{"Effect":"Allow","Action":"*","Resource":"{SUPERUSER}"}}]}}"#
        ))
        .statements()
        .iter()
        .cloned(),
    );
    role.statement = rotation_policy_core::OneOrMany::Many(statements);
    let report = run_check(&spec, &role, None);
    assert!(!report.excess.is_empty());
    // Only actions with a resource type whose ARN format is a Secrets
    // Manager secret's: no EC2 action, no ListSecrets (no resource type).
    for e in &report.excess {
        assert!(e.action.starts_with("secretsmanager:"), "{e:?}");
    }
    assert!(report
        .excess
        .iter()
        .all(|e| e.action != "secretsmanager:ListSecrets"));
    assert!(report
        .excess
        .iter()
        .any(|e| e.action == "secretsmanager:DeleteSecret"));
    let grants = report.excess_grants();
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].services.len(), 1);
    assert_eq!(grants[0].count(), report.excess.len());
    // Every action that can be granted on a secret is: counted, not named.
    assert!(grants[0].services[0].whole && grants[0].services[0].actions.is_empty());
}

#[test]
fn action_star_is_grouped_by_service_and_access_level() {
    let spec = full_spec(Profile::Recommended);
    let role =
        doc(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#);
    let report = run_check(&spec, &role, None);
    assert!(report.allowed);
    let grants = report.excess_grants();
    assert_eq!(grants.len(), 1);
    let grant = &grants[0];
    assert!(grant.flagged);
    assert!(grant.services.len() > 400, "{}", grant.services.len());
    assert_eq!(grant.count(), report.excess.len());
    let ec2 = grant.services.iter().find(|s| s.service == "ec2").expect("ec2");
    assert!(ec2.whole && ec2.actions.is_empty());
    // Rotation's own needs are not counted, except where `*` is wider.
    assert!(report
        .excess
        .iter()
        .all(|e| e.action != "ec2:CreateNetworkInterface"));
    assert!(report.excess.iter().all(|e| e.action != "logs:PutLogEvents"));
    assert!(grant
        .wider
        .iter()
        .any(|(a, on)| a == "secretsmanager:GetSecretValue" && on == SECRET));
}

/// The current AWS page puts `kms:DescribeKey` under its
/// `kms:EncryptionContext:SecretARN` condition, where it never applies: the
/// report says so, about that statement; the recommended statements draw no
/// such note.
#[test]
fn describe_key_under_an_encryption_context_condition_is_noted() {
    let page = full_spec(Profile::AwsDoc2025);
    let report = run_check(&page, &page.execution_role_policy(), None);
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    let (statement, message) = &report.notes[0];
    let kms_statement = page
        .execution_role_policy()
        .statements()
        .iter()
        .position(|s| {
            s.action
                .as_ref()
                .is_some_and(|a| a.as_slice().iter().any(|x| x == "kms:DescribeKey"))
        })
        .expect("the page's KMS statement");
    assert_eq!(statement.index, kms_statement);
    assert!(message.contains("kms:EncryptionContext:SecretARN"), "{message}");
    let recommended = full_spec(Profile::Recommended);
    let report = run_check(&recommended, &recommended.execution_role_policy(), None);
    assert_eq!(report.notes, []);
}
