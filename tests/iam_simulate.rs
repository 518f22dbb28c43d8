//! Differential test of the access checker against an independent IAM
//! policy simulator, `@cloud-copilot/iam-simulate` (npm), run out of process
//! as a test oracle (it is AGPL-3.0-or-later: never vendored or linked; its
//! exact version is pinned in `tests/iam-simulate/package-lock.json`).
//!
//! A seeded generator writes rotation setups: a spec, its generated
//! execution-role policy with one to three mutations (action and resource
//! wildcards, `NotAction`/`NotResource`, `Deny` statements, conditions of
//! every operator family with `IfExists` and the set qualifiers, policy
//! variables, secret and key policies), and every request rotation makes.
//! Each request goes through `check` and through the simulator
//! (`tests/iam-simulate/simulate.cjs`); the decisions must be equal, or the
//! difference must fall in a documented class below, each shown by
//! re-evaluating the request the way the simulator deviates from AWS's
//! documentation and getting the simulator's answer.
//!
//! Run it with `scripts/iam-simulate-diff.sh` (installs the oracle with
//! `npm ci`, then `cargo test -p rotation-policy --features analysis --test
//! iam_simulate`). `IAM_SIMULATE_SEED` and `IAM_SIMULATE_CASES` override the
//! seed (14) and the number of cases (400).

#![cfg(feature = "analysis")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use rotation_policy::access::eval::{statement_match, Match};
use rotation_policy::access::{
    check, evaluate, uninterpretable, CheckInput, Decision, NamedPolicy, PolicyInput, PolicyType, Request,
};
use rotation_policy::policy::VERSION_2012_10_17;
use rotation_policy::{Kms, PolicyDocument, Profile, RotationSpec, Strategy};
use serde_json::{json, Value};

const ACCOUNT: &str = "111122223333";
const OTHER: &str = "444455556666";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const ROLE: &str = "arn:aws:iam::111122223333:role/rotation";

/// splitmix64: a small, seedable generator (the same seed gives the same
/// cases on every platform).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, numerator: u64, denominator: u64) -> bool {
        self.next() % denominator < numerator
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ACTIONS: &[&str] = &[
    "secretsmanager:*",
    "secretsmanager:Get*",
    "secretsmanager:*Secret*",
    "SecretsManager:getSecretValue",
    "secretsmanager:GetSecretValu?",
    "secretsmanager:PutSecretValue",
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetRandomPassword",
    "*",
    "kms:*",
    "kms:Decrypt",
    "kms:GenerateDataKey*",
    "ec2:*",
    "ec2:*NetworkInterface*",
    "ec2:Describe*",
    "ec2:CreateNetworkInterface",
    "iam:*",
    "s3:GetObject",
];

fn resources() -> Vec<String> {
    [
        "*",
        SECRET,
        SUPERUSER,
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:*",
        "arn:aws:secretsmanager:*:*:secret:app-db-??????",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db",
        "arn:aws:secretsmanager:us-east-1:111122223333:*",
        "arn:aws:secretsmanager:us-east-1:444455556666:secret:*",
        KEY,
        "arn:aws:kms:*:111122223333:key/*",
        "arn:aws:kms:us-east-1:111122223333:alias/app",
        "arn:aws:ec2:us-east-1:111122223333:*/*",
        "arn:aws:ec2:*:*:subnet/*",
        "arn:aws:ec2:*:*:network-interface/*",
        "arn:aws:ec2:us-east-1:111122223333:security-group/*",
        "arn:aws:*:us-east-1:111122223333:*",
        // Policy variables: before the resource part (AWS documents none
        // there), in it, with a default, and the `${*}` escape.
        "arn:aws:secretsmanager:us-east-1:${aws:PrincipalAccount}:secret:*",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:${aws:PrincipalTag/app}-*",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:${aws:PrincipalTag/app, 'app-db'}-*",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-${*}",
        "arn:aws:kms:${aws:RequestedRegion}:111122223333:key/*",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// A condition of a random operator family, key and values, with
/// `IfExists` and the set qualifiers now and then: (operator, key, values).
fn condition(rng: &mut Rng) -> (String, String, Vec<String>) {
    // (family, key, candidate values)
    let keys: &[(&str, &str, &[&str])] = &[
        ("String", "aws:PrincipalAccount", &[ACCOUNT, OTHER, "1111*"]),
        (
            "String",
            "aws:RequestedRegion",
            &["us-east-1", "eu-west-1", "us-*"],
        ),
        (
            "String",
            "aws:PrincipalType",
            &["AssumedRole", "assumedrole", "User"],
        ),
        (
            "String",
            "secretsmanager:resource/AllowRotationLambdaArn",
            &[FUNCTION, "arn:aws:lambda:*"],
        ),
        (
            "String",
            "kms:ViaService",
            &[
                "secretsmanager.us-east-1.amazonaws.com",
                "secretsmanager.*.amazonaws.com",
                "s3.us-east-1.amazonaws.com",
            ],
        ),
        ("String", "kms:CallerAccount", &[ACCOUNT, OTHER]),
        (
            "String",
            "kms:EncryptionContext:SecretARN",
            &[SECRET, SUPERUSER, "arn:aws:secretsmanager:*"],
        ),
        ("String", "aws:SourceAccount", &[ACCOUNT]),
        ("String", "aws:PrincipalTag/team", &["db"]),
        (
            "String",
            "aws:CalledVia",
            &["secretsmanager.amazonaws.com", "s3.amazonaws.com"],
        ),
        (
            "String",
            "kms:EncryptionContextKeys",
            &["SecretARN", "SecretVersionId", "Other"],
        ),
        (
            "String",
            "aws:PrincipalArn",
            &[
                "arn:aws:iam::${aws:PrincipalAccount}:role/rotation",
                "arn:aws:iam::${aws:PrincipalAccount}:role/*",
            ],
        ),
        (
            "Arn",
            "aws:PrincipalArn",
            &[
                ROLE,
                "arn:aws:iam::*:role/rot*",
                "arn:aws:iam::444455556666:role/*",
                "arn:aws:iam::${aws:PrincipalAccount}:role/rotation",
            ],
        ),
        ("Arn", "aws:SourceArn", &[SECRET]),
        ("Bool", "aws:SecureTransport", &["true", "false"]),
        ("Bool", "aws:ViaAWSService", &["false"]),
        ("Numeric", "aws:MultiFactorAuthAge", &["3600"]),
        ("Date", "aws:CurrentTime", &["2020-01-01T00:00:00Z"]),
        ("Date", "aws:TokenIssueTime", &["2020-01-01"]),
        ("IpAddress", "aws:SourceIp", &["203.0.113.0/24"]),
        ("Binary", "aws:PrincipalTag/blob", &["QmluYXJ5"]),
        ("Null", "aws:SourceAccount", &["true", "false"]),
        ("Null", "aws:PrincipalArn", &["true", "false"]),
        ("Null", "kms:EncryptionContext:SecretARN", &["true", "false"]),
    ];
    let &(family, key, candidates) = rng.pick(keys);
    let operators: &[&str] = match family {
        "String" => &[
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
        ],
        "Arn" => &["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
        "Bool" => &["Bool"],
        "Numeric" => &["NumericLessThan", "NumericGreaterThanEquals", "NumericNotEquals"],
        "Date" => &["DateGreaterThan", "DateLessThan", "DateNotEquals"],
        "IpAddress" => &["IpAddress", "NotIpAddress"],
        "Binary" => &["BinaryEquals"],
        _ => &["Null"],
    };
    let mut operator = (*rng.pick(operators)).to_owned();
    if operator != "Null" && rng.chance(1, 4) {
        operator.push_str("IfExists");
    }
    if rng.chance(1, 4) {
        let qualifier = if rng.chance(1, 2) {
            "ForAnyValue:"
        } else {
            "ForAllValues:"
        };
        operator.insert_str(0, qualifier);
    }
    let count = 1 + rng.below(2);
    let values = (0..count).map(|_| (*rng.pick(candidates)).to_owned()).collect();
    (operator, key.to_owned(), values)
}

fn add_condition(statement: &mut Value, rng: &mut Rng) {
    let (operator, key, values) = condition(rng);
    let block = statement
        .as_object_mut()
        .expect("statement object")
        .entry("Condition")
        .or_insert_with(|| json!({}));
    let keys = block
        .as_object_mut()
        .expect("condition object")
        .entry(operator)
        .or_insert_with(|| json!({}));
    keys[key] = if values.len() == 1 {
        json!(values[0])
    } else {
        json!(values)
    };
}

fn random_statement(rng: &mut Rng, effect: &str) -> Value {
    let resources = resources();
    let mut statement = json!({ "Effect": effect });
    let action = *rng.pick(ACTIONS);
    if rng.chance(1, 5) {
        statement["NotAction"] = json!(action);
    } else {
        statement["Action"] = json!(action);
    }
    let resource = rng.pick(&resources).clone();
    if rng.chance(1, 5) {
        statement["NotResource"] = json!(resource);
    } else {
        statement["Resource"] = json!(resource);
    }
    if rng.chance(1, 2) {
        add_condition(&mut statement, rng);
    }
    statement
}

fn principal(rng: &mut Rng) -> Value {
    rng.pick(&[
        json!({ "AWS": ROLE }),
        json!({ "AWS": format!("arn:aws:iam::{ACCOUNT}:root") }),
        json!({ "AWS": ACCOUNT }),
        json!("*"),
        json!({ "AWS": format!("arn:aws:iam::{OTHER}:role/intruder") }),
        json!({ "Service": "secretsmanager.amazonaws.com" }),
    ])
    .clone()
}

/// The key's default key policy (KMS Developer Guide, "Default key
/// policy"): it allows the account and so delegates to IAM policies.
fn default_key_policy() -> Value {
    json!({
        "Version": VERSION_2012_10_17,
        "Statement": [{
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": { "AWS": format!("arn:aws:iam::{ACCOUNT}:root") },
            "Action": "kms:*",
            "Resource": "*"
        }]
    })
}

struct Case {
    id: usize,
    spec: RotationSpec,
    role: Value,
    secret_policy: Option<Value>,
    key_policy: Option<Value>,
    mutations: Vec<&'static str>,
}

fn generate(rng: &mut Rng, id: usize) -> Case {
    let alternating = rng.chance(1, 2);
    let strategy = if alternating {
        Strategy::AlternatingUsers
    } else {
        Strategy::SingleUser
    };
    let mut builder = RotationSpec::builder(strategy)
        .account(ACCOUNT)
        .secret(SECRET)
        .function(FUNCTION)
        .vpc(rng.chance(1, 2));
    if alternating {
        builder = builder.superuser_secret(SUPERUSER);
    }
    let kms = rng.chance(2, 3);
    if kms {
        builder = builder.kms(Kms::Key(KEY.to_owned()));
    }
    if rng.chance(1, 6) {
        builder = builder.profile(Profile::AwsDoc2021);
    }
    let spec = builder.build().expect("generated spec is valid");
    let mut role = serde_json::to_value(spec.execution_role_policy()).expect("role policy as JSON");
    let mut secret_policy = None;
    let mut key_policy = kms.then(default_key_policy);
    let mut mutations = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let statements = role["Statement"].as_array_mut().expect("statement array");
        let at = rng.below(statements.len());
        let kind = rng.below(11);
        let resources = resources();
        match kind {
            0 => {
                mutations.push("action wildcard");
                let statement = statements[at].as_object_mut().expect("statement");
                statement.remove("NotAction");
                statement.insert("Action".into(), json!(*rng.pick(ACTIONS)));
            }
            1 => {
                mutations.push("resource wildcard or variable");
                let resource = json!(rng.pick(&resources).clone());
                let mut list = match statements[at].get("Resource") {
                    Some(Value::Array(items)) => items.clone(),
                    Some(one) => vec![one.clone()],
                    None => Vec::new(),
                };
                list.push(resource);
                if statements[at].get("NotResource").is_none() {
                    statements[at]["Resource"] = json!(list);
                }
            }
            2 => {
                mutations.push("NotAction");
                let statement = statements[at].as_object_mut().expect("statement");
                statement.remove("Action");
                statement.insert("NotAction".into(), json!(*rng.pick(ACTIONS)));
            }
            3 => {
                mutations.push("NotResource");
                let statement = statements[at].as_object_mut().expect("statement");
                statement.remove("Resource");
                statement.insert("NotResource".into(), json!(rng.pick(&resources).clone()));
            }
            4 | 5 => {
                mutations.push("Deny statement");
                let deny = random_statement(rng, "Deny");
                statements.push(deny);
            }
            6 | 7 => {
                mutations.push("condition");
                add_condition(&mut statements[at], rng);
            }
            8 => {
                mutations.push("statement removed, another added");
                statements.remove(at);
                let allow = random_statement(rng, "Allow");
                statements.push(allow);
            }
            9 => {
                mutations.push("secret policy");
                let mut statements = Vec::new();
                for _ in 0..1 + rng.below(2) {
                    let effect = if rng.chance(1, 3) { "Deny" } else { "Allow" };
                    let mut statement = json!({
                        "Effect": effect,
                        "Principal": principal(rng),
                        "Action": *rng.pick(&["secretsmanager:*", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "*"]),
                        "Resource": *rng.pick(&["*", SECRET]),
                    });
                    if rng.chance(1, 2) {
                        add_condition(&mut statement, rng);
                    }
                    statements.push(statement);
                }
                secret_policy = Some(json!({ "Version": VERSION_2012_10_17, "Statement": statements }));
            }
            _ if kms => {
                mutations.push("key policy");
                let mut policy = if rng.chance(1, 2) {
                    default_key_policy()
                } else {
                    json!({ "Version": VERSION_2012_10_17, "Statement": [] })
                };
                let statement = json!({
                    "Effect": if rng.chance(1, 3) { "Deny" } else { "Allow" },
                    "Principal": principal(rng),
                    "Action": *rng.pick(&["kms:*", "kms:Decrypt", "kms:GenerateDataKey", "kms:Decrypt*"]),
                    "Resource": "*",
                });
                policy["Statement"].as_array_mut().expect("array").push(statement);
                if rng.chance(1, 2) {
                    let last = policy["Statement"].as_array().map_or(0, Vec::len) - 1;
                    add_condition(&mut policy["Statement"][last], rng);
                }
                key_policy = Some(policy);
            }
            _ => {
                mutations.push("no Version (variables are literal)");
                role.as_object_mut().expect("policy").remove("Version");
            }
        }
    }
    Case {
        id,
        spec,
        role,
        secret_policy,
        key_policy,
        mutations,
    }
}

fn document(value: &Value) -> PolicyDocument {
    let document: PolicyDocument = serde_json::from_value(value.clone()).expect("generated policy parses");
    assert!(
        uninterpretable(&document).is_empty(),
        "the generator writes only conditions the evaluator can read: {value}"
    );
    document
}

/// The policies `check` applies to a request (see access::report::check).
fn applicable<'a>(
    request: &Request,
    role: &'a PolicyDocument,
    secret: Option<&'a PolicyDocument>,
    key: Option<&'a PolicyDocument>,
) -> Vec<NamedPolicy<'a>> {
    let mut out = vec![NamedPolicy {
        name: "role",
        kind: PolicyType::Identity,
        document: role,
    }];
    if request.is_service("secretsmanager") && request.resource != "*" {
        out.extend(secret.map(|document| NamedPolicy {
            name: "secret",
            kind: PolicyType::Resource,
            document,
        }));
    }
    if request.is_service("kms") && request.resource == KEY {
        out.extend(key.map(|document| NamedPolicy {
            name: "key",
            kind: PolicyType::Key,
            document,
        }));
    }
    out
}

/// Why some statement's match is unknown to our evaluator (AWS documents
/// no outcome; see access::eval), if one is.
fn unknown(request: &Request, policies: &[NamedPolicy<'_>]) -> Option<String> {
    policies.iter().find_map(|p| {
        let variables = p.document.version.as_deref() == Some(VERSION_2012_10_17);
        p.document
            .statements()
            .iter()
            .find_map(|s| match statement_match(s, p.kind, request, variables) {
                Match::Unknown(why) => Some(why),
                _ => None,
            })
    })
}

fn simulator_name(decision: &Decision) -> &'static str {
    match decision {
        Decision::Allowed => "Allowed",
        Decision::ImplicitDeny => "ImplicitlyDenied",
        Decision::ExplicitDeny => "ExplicitlyDenied",
    }
}

/// Whether the part of an ARN pattern after the fifth colon has a wildcard
/// before its first `/` or `:` (the resource type, as in `*/*`).
fn wildcard_in_resource_type(pattern: &str) -> bool {
    let Some((_, resource)) = pattern.splitn(6, ':').enumerate().last().filter(|(i, _)| *i == 5) else {
        return false;
    };
    let resource_type = resource.split(['/', ':']).next().unwrap_or("");
    resource_type.contains(['*', '?']) && resource != "*"
}

/// The policy with every `Resource`/`NotResource` pattern that has a
/// wildcard in the resource type made to match nothing, as the simulator
/// reads it.
fn without_resource_type_wildcards(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(statements) = value["Statement"].as_array_mut() {
        for statement in statements {
            for element in ["Resource", "NotResource"] {
                let Some(patterns) = statement.get(element).cloned() else {
                    continue;
                };
                let list: Vec<Value> = match patterns {
                    Value::Array(items) => items,
                    one => vec![one],
                };
                let kept: Vec<Value> = list
                    .into_iter()
                    .map(|p| match p.as_str() {
                        Some(text) if wildcard_in_resource_type(text) => {
                            json!("arn:aws:none:::matches-nothing")
                        }
                        _ => p,
                    })
                    .collect();
                statement[element] = json!(kept);
            }
        }
    }
    value
}

/// The policy with `ForAllValues:Null`/`ForAnyValue:Null` read as `Null`,
/// as the simulator reads them.
fn null_without_qualifiers(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(statements) = value["Statement"].as_array_mut() {
        for statement in statements {
            let Some(block) = statement.get_mut("Condition").and_then(Value::as_object_mut) else {
                continue;
            };
            for qualified in ["ForAllValues:Null", "ForAnyValue:Null"] {
                let Some(Value::Object(keys)) = block.remove(qualified) else {
                    continue;
                };
                let null = block.entry("Null").or_insert_with(|| json!({}));
                for (key, values) in keys {
                    // Two blocks on one key are AND-ed: keep both by
                    // merging only when the key is new (else the case is
                    // left to the other classes).
                    null.as_object_mut()
                        .expect("Null block")
                        .entry(key)
                        .or_insert(values);
                }
            }
        }
    }
    value
}

/// A documented class of disagreement: the AWS passage that shows the
/// simulator (or, for `ours-unknown`, AWS's silence) is the cause.
struct Class {
    name: &'static str,
    passage: &'static str,
}

const ENCRYPTION_CONTEXT: Class = Class {
    name: "simulator drops kms:EncryptionContext:* from the request",
    passage: "Secrets Manager User Guide, \"Lambda rotation function execution role permissions\": \"You can use the \
              SecretARN encryption context to limit the use of the decrypt function, so the rotation function role only \
              has access to decrypt the secret it is responsible for rotating\" with `StringEquals` \
              `kms:EncryptionContext:SecretARN`: AWS evaluates the key in Secrets Manager's Decrypt and GenerateDataKey \
              calls; the simulator lists it in ignoredContextKeys and evaluates without it.",
};

const RESOURCE_TYPE_WILDCARD: Class = Class {
    name: "simulator refuses wildcards inside an ARN's resource type",
    passage: "Lambda Developer Guide, \"Giving Lambda functions access to resources in an Amazon VPC\": for \
              ec2:DeleteNetworkInterface \"Either specify a unique resource ID, or include all resource IDs, for \
              example, \\\"Resource\\\": \\\"arn:aws:ec2:us-west-2:123456789012:*/*\\\"\"; IAM User Guide, \"IAM JSON \
              policy elements: Resource\": wildcards may be used within any segment of the ARN. The simulator never \
              matches such a pattern.",
};

const VARIABLES_WITHOUT_VERSION: Class = Class {
    name: "simulator substitutes policy variables in a policy without \"Version\": \"2012-10-17\"",
    passage: "IAM User Guide, \"IAM policy elements: Variables and tags\": \"If you don't include the Version element \
              and set it to an appropriate version date, variables like ${aws:username} are treated as literal strings \
              in the policy.\" The simulator substitutes them whatever the version.",
};

const NULL_UNDER_QUALIFIER: Class = Class {
    name: "simulator evaluates Null under ForAllValues:/ForAnyValue: as plain Null",
    passage: "IAM User Guide, \"IAM policy validation check reference\", NULL_WITH_QUALIFIER: \"When you use the Null \
              condition operator with ForAllValues, the statement always returns true. When you use the Null condition \
              operator with ForAnyValue, the statement always returns false.\"",
};

// Our evaluator's unknown outcomes: AWS documents no outcome, and
// access::eval takes the one that never allows (an Allow does not apply, a
// Deny does), where the simulator picks one.
const UNKNOWN_MULTIVALUED: Class = Class {
    name: "ours unknown: a single-valued operator on a multivalued key",
    passage: "IAM User Guide, \"Single-valued vs. multivalued context keys\": \"Multivalued context keys require a \
              condition set operator\" (Access Analyzer reports MISSING_QUALIFIER as an error); no outcome is \
              documented without one.",
};

const UNKNOWN_VARIABLE_PLACE: Class = Class {
    name: "ours unknown: a policy variable before an ARN's resource part",
    passage: "IAM User Guide, \"IAM policy elements: Variables and tags\": \"You can't use a variable to replace parts \
              of the ARN before the fifth colon, such as the service or account.\"",
};

const UNKNOWN_NO_VALUE: Class = Class {
    name: "ours unknown: a policy variable without a value under NotResource or a negated operator",
    passage: "IAM User Guide, \"IAM policy elements: Variables and tags\": \"If AWS cannot resolve a variable this \
              might cause the entire statement to be invalid.\"",
};

/// The documented class of one of our unknown outcomes, from its reason.
fn unknown_class(why: &str) -> Option<&'static Class> {
    if why.contains("has multiple values") {
        Some(&UNKNOWN_MULTIVALUED)
    } else if why.contains("before the ARN's resource part")
        || why.contains("outside the resource part of an ARN")
    {
        Some(&UNKNOWN_VARIABLE_PLACE)
    } else if why.contains("no value for") {
        Some(&UNKNOWN_NO_VALUE)
    } else {
        None
    }
}

#[test]
fn decisions_agree_with_iam_simulate_or_differ_in_a_documented_class() {
    let seed: u64 = std::env::var("IAM_SIMULATE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(14);
    let count: usize = std::env::var("IAM_SIMULATE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(400);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let oracle_dir = root.join("tests/iam-simulate");
    assert!(
        oracle_dir.join("node_modules/@cloud-copilot/iam-simulate").is_dir(),
        "the oracle is not installed: run scripts/iam-simulate-diff.sh (it runs `npm ci` in tests/iam-simulate)"
    );

    let mut rng = Rng(seed);
    let cases: Vec<Case> = (0..count).map(|id| generate(&mut rng, id)).collect();

    // Our decisions, and the simulator's input for each request.
    struct Row {
        case: usize,
        request: Request,
        ours: Decision,
    }
    let mut rows = Vec::new();
    let mut requests_json = Vec::new();
    for case in &cases {
        let role = document(&case.role);
        let secret = case.secret_policy.as_ref().map(document);
        let key = case.key_policy.as_ref().map(document);
        let role_policies = [PolicyInput {
            name: "role",
            document: &role,
        }];
        let report = check(&CheckInput {
            spec: &case.spec,
            role_arn: Some(ROLE),
            role_policies: &role_policies,
            resource_policy: None,
            secret_policy: secret.as_ref().map(|document| PolicyInput {
                name: "secret",
                document,
            }),
            key_policy: key.as_ref().map(|document| PolicyInput {
                name: "key",
                document,
            }),
        });
        for r in report.requirements {
            let policies = applicable(&r.request, &role, secret.as_ref(), key.as_ref());
            // The simulator gets the same policies `check` applied.
            assert_eq!(
                evaluate(&r.request, &policies).decision,
                r.evaluation.decision,
                "case {}: the harness's policy selection differs from check's",
                case.id
            );
            let context: serde_json::Map<String, Value> = r
                .request
                .context
                .iter()
                .map(|c| {
                    let value = if c.multivalued {
                        json!(c.values)
                    } else {
                        json!(c.values[0])
                    };
                    (c.key.clone(), value)
                })
                .collect();
            let account = r
                .request
                .resource
                .split(':')
                .nth(4)
                .filter(|a| !a.is_empty())
                .unwrap_or(ACCOUNT);
            let resource_policy = policies
                .iter()
                .find(|p| p.kind != PolicyType::Identity)
                .map(|p| serde_json::to_value(p.document).expect("policy as JSON"));
            requests_json.push(json!({
                "id": rows.len(),
                "principal": ROLE,
                "action": r.request.action,
                "resource": r.request.resource,
                "accountId": account,
                "context": context,
                "identityPolicies": [{ "name": "role", "policy": case.role }],
                "resourcePolicy": resource_policy,
            }));
            rows.push(Row {
                case: case.id,
                request: r.request,
                ours: r.evaluation.decision,
            });
        }
    }

    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("iam-simulate");
    std::fs::create_dir_all(&work).expect("work dir");
    let cases_path = work.join("requests.json");
    let results_path = work.join("results.json");
    std::fs::write(&cases_path, serde_json::to_vec(&requests_json).expect("JSON")).expect("write requests");
    let status = Command::new("node")
        .arg(oracle_dir.join("simulate.cjs"))
        .arg(&cases_path)
        .arg(&results_path)
        .current_dir(&oracle_dir)
        .status()
        .expect("run node (the oracle needs Node.js)");
    assert!(status.success(), "the oracle failed: {status}");
    let results: Vec<Value> =
        serde_json::from_slice(&std::fs::read(&results_path).expect("read results")).expect("results JSON");
    assert_eq!(results.len(), rows.len());

    // Compare, and classify every difference.
    let mut agree = 0;
    let mut by_class: BTreeMap<String, (usize, String, Vec<usize>)> = BTreeMap::new();
    let mut undocumented = Vec::new();
    let mut disagreeing_cases = std::collections::BTreeSet::new();
    for (row, result) in rows.iter().zip(&results) {
        let theirs = result["decision"].as_str();
        if theirs == Some(simulator_name(&row.ours)) {
            agree += 1;
            continue;
        }
        disagreeing_cases.insert(row.case);
        let case = &cases[row.case];
        let role = document(&case.role);
        let secret = case.secret_policy.as_ref().map(document);
        let key = case.key_policy.as_ref().map(document);
        let policies = applicable(&row.request, &role, secret.as_ref(), key.as_ref());
        let ignored: Vec<&str> = result["ignoredContextKeys"]
            .as_array()
            .map(|keys| keys.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // Re-evaluate the way the simulator deviates from AWS's
        // documentation (each documented below), alone and combined, and
        // see whether that gives its answer.
        let deviations = [
            &ENCRYPTION_CONTEXT,
            &RESOURCE_TYPE_WILDCARD,
            &VARIABLES_WITHOUT_VERSION,
            &NULL_UNDER_QUALIFIER,
        ];
        let as_simulator_reads = |mask: usize| {
            let mut request = row.request.clone();
            if mask & 1 != 0 {
                let dropped = |key: &str| {
                    key.to_ascii_lowercase().starts_with("kms:encryptioncontext:")
                        && ignored.iter().any(|k| k.eq_ignore_ascii_case(key))
                };
                request.context.retain(|c| !dropped(&c.key));
            }
            let read = |policy: &Value| {
                let mut policy = policy.clone();
                if mask & 2 != 0 {
                    policy = without_resource_type_wildcards(&policy);
                }
                if mask & 4 != 0 {
                    policy["Version"] = json!(VERSION_2012_10_17);
                }
                if mask & 8 != 0 {
                    policy = null_without_qualifiers(&policy);
                }
                document(&policy)
            };
            let role = read(&case.role);
            let secret = case.secret_policy.as_ref().map(read);
            let key = case.key_policy.as_ref().map(read);
            let policies = applicable(&request, &role, secret.as_ref(), key.as_ref());
            simulator_name(&evaluate(&request, &policies).decision)
        };
        // An unknown outcome explains a difference only in the direction it
        // takes: it never makes us allow.
        let explained =
            if let Some(why) = unknown(&row.request, &policies).filter(|_| row.ours != Decision::Allowed) {
                if std::env::var_os("IAM_SIMULATE_VERBOSE").is_some() {
                    println!(
                        "case {} {} on {}: unknown: {why}",
                        row.case, row.request.action, row.request.resource
                    );
                }
                unknown_class(&why).map(|class| vec![class])
            } else {
                // Smallest combinations first.
                let mut masks: Vec<usize> = (1..1 << deviations.len()).collect();
                masks.sort_by_key(|m| m.count_ones());
                masks
                    .into_iter()
                    .find(|&mask| theirs == Some(as_simulator_reads(mask)))
                    .map(|mask| {
                        (0..deviations.len())
                            .filter(|i| mask & (1 << i) != 0)
                            .map(|i| deviations[i])
                            .collect::<Vec<_>>()
                    })
            };
        let class = explained.map(|classes| {
            let name = classes.iter().map(|c| c.name).collect::<Vec<_>>().join(" + ");
            let passage = classes
                .iter()
                .map(|c| c.passage)
                .collect::<Vec<_>>()
                .join("\n         ");
            (name, passage)
        });
        match class {
            Some((name, passage)) => {
                let entry = by_class.entry(name).or_insert((0, passage, Vec::new()));
                entry.0 += 1;
                if entry.2.len() < 3 && !entry.2.contains(&row.case) {
                    entry.2.push(row.case);
                }
            }
            None => undocumented.push((row, result)),
        }
    }

    let total = rows.len();
    let cases_agreeing = cases.len() - disagreeing_cases.len();
    println!(
        "iam-simulate differential test: seed {seed}, {} cases, {total} requests",
        cases.len()
    );
    println!(
        "requests agreeing: {agree}/{total} ({:.1}%)",
        100.0 * agree as f64 / total as f64
    );
    println!(
        "cases agreeing on every request: {cases_agreeing}/{} ({:.1}%)",
        cases.len(),
        100.0 * cases_agreeing as f64 / cases.len() as f64
    );
    println!("documented disagreement classes:");
    for (name, (n, passage, examples)) in &by_class {
        println!("  {n:>5} requests: {name} (e.g. cases {examples:?})\n         {passage}");
    }
    println!("undocumented disagreements: {}", undocumented.len());
    let mut shown = std::collections::BTreeSet::new();
    for (row, result) in &undocumented {
        if shown.len() == 10 || !shown.insert(row.case) {
            continue;
        }
        let case = &cases[row.case];
        println!(
            "  case {} ({:?}): {} on {}: ours {}, simulator {}\n    role: {}\n    secret policy: {}\n    key policy: {}\n    context: {:?}",
            case.id,
            case.mutations,
            row.request.action,
            row.request.resource,
            row.ours.as_str(),
            result,
            case.role,
            case.secret_policy.as_ref().map_or("none".to_owned(), Value::to_string),
            case.key_policy.as_ref().map_or("none".to_owned(), Value::to_string),
            row.request.context,
        );
    }
    assert!(
        undocumented.is_empty(),
        "{} requests disagree with the simulator outside the documented classes (listed above)",
        undocumented.len()
    );
    // The comparison must exercise something: most requests agree.
    assert!(agree * 10 >= total * 8, "agreement below 80%: {agree}/{total}");
}
