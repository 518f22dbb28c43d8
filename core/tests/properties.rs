//! Property tests: the policy model round-trips, the generator's output
//! always lints clean, a `Deny` never widens access, and rendering never
//! produces invalid JSON.

#![cfg(feature = "analysis")]

use proptest::prelude::*;
use proptest::sample::select;
use rotation_policy_core::access::{evaluate, Decision, NamedPolicy, PolicyType, Request, RequestPrincipal};
use rotation_policy_core::lint::{lint, LintOptions, Severity};
use rotation_policy_core::{
    render, ConditionValue, Effect, OneOrMany, OrderedMap, PolicyDocument, Principal, Profile, RotationSpec,
    Statement,
};
use rotation_policy_option_space::{combinations, Combination, Values};

// --- strategies -------------------------------------------------------------

fn one_or_many<T: std::fmt::Debug + Clone + 'static>(item: BoxedStrategy<T>) -> BoxedStrategy<OneOrMany<T>> {
    prop_oneof![
        item.clone().prop_map(OneOrMany::One),
        prop::collection::vec(item, 0..4).prop_map(OneOrMany::Many),
    ]
    .boxed()
}

/// Any JSON string content, including quotes, backslashes, control
/// characters and non-ASCII text.
fn any_text() -> BoxedStrategy<String> {
    prop_oneof![
        ".{0,12}",
        "[a-z:*?/${}\"\\\\]{0,12}",
        "[\\x00-\\x1f\\x7f\u{e9}\u{2028}]{0,6}"
    ]
    .boxed()
}

fn condition_value() -> BoxedStrategy<ConditionValue> {
    prop_oneof![
        any_text().prop_map(ConditionValue::String),
        any::<bool>().prop_map(ConditionValue::Bool),
        any::<i64>().prop_map(|n| ConditionValue::Number(n.into())),
        any::<f64>()
            .prop_filter_map("finite", serde_json::Number::from_f64)
            .prop_map(ConditionValue::Number),
    ]
    .boxed()
}

/// A map with unique keys, as the model requires.
fn ordered_map<V: std::fmt::Debug + Clone + 'static>(
    value: BoxedStrategy<V>,
) -> BoxedStrategy<OrderedMap<V>> {
    prop::collection::btree_map(any_text(), value, 0..3)
        .prop_map(|m| OrderedMap(m.into_iter().collect()))
        .boxed()
}

fn principal() -> BoxedStrategy<Principal> {
    prop_oneof![
        Just(Principal::Any),
        ordered_map(one_or_many(any_text())).prop_map(Principal::Map)
    ]
    .boxed()
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        prop::option::of(any_text()),
        prop_oneof![Just(Effect::Allow), Just(Effect::Deny)],
        prop::option::of(principal()),
        prop::option::of(one_or_many(any_text())),
        prop::option::of(one_or_many(any_text())),
        prop::option::of(one_or_many(any_text())),
        prop::option::of(ordered_map(ordered_map(one_or_many(condition_value())).boxed())),
    )
        .prop_map(
            |(sid, effect, principal, action, not_action, resource, condition)| Statement {
                sid,
                effect,
                principal,
                not_principal: None,
                action,
                not_action,
                resource,
                not_resource: None,
                condition,
            },
        )
}

fn document() -> impl Strategy<Value = PolicyDocument> {
    (
        prop::option::of(select(vec!["2012-10-17".to_owned(), "2008-10-17".to_owned()])),
        prop::option::of(any_text()),
        prop_oneof![
            statement().prop_map(OneOrMany::One),
            prop::collection::vec(statement(), 0..4).prop_map(OneOrMany::Many),
        ],
    )
        .prop_map(|(version, id, statement)| PolicyDocument {
            version,
            id,
            statement,
        })
}

const PARTITIONS: [(&str, &str); 8] = [
    ("aws", "us-east-1"),
    ("aws-cn", "cn-north-1"),
    ("aws-us-gov", "us-gov-west-1"),
    ("aws-iso", "us-iso-east-1"),
    ("aws-iso-b", "us-isob-east-1"),
    ("aws-iso-e", "eu-isoe-west-1"),
    ("aws-iso-f", "us-isof-south-1"),
    ("aws-eusc", "eusc-de-east-1"),
];

/// Valid concrete values for every option, in one partition and account.
#[derive(Debug, Clone)]
struct Place {
    partition: &'static str,
    region: &'static str,
    values: Values,
}

fn values() -> impl Strategy<Value = Place> {
    (
        select(PARTITIONS.to_vec()),
        "[0-9]{12}",
        "[A-Za-z0-9/_+=.@-]{1,20}",
        "[A-Za-z0-9_-]{1,20}",
        "[0-9a-f]{8}",
    )
        .prop_map(|((partition, region), account, name, function, key)| {
            let arn = |service: &str, resource: String| {
                format!("arn:{partition}:{service}:{region}:{account}:{resource}")
            };
            Place {
                partition,
                region,
                values: Values {
                    secret: arn("secretsmanager", format!("secret:{name}-AbCdEf")),
                    superuser_secret: arn("secretsmanager", format!("secret:{name}-super-XyZ123")),
                    function: arn("lambda", format!("function:{function}")),
                    kms_key: arn("kms", format!("key/{key}-12ab-34cd-56ef-1234567890ab")),
                    other_kms_key: arn("kms", "key/mrk-1234abcd12ab34cd56ef1234567890ab".to_owned()),
                    rds_superuser_secret: arn("secretsmanager", format!("secret:rds!db-{key}-AbCdEf")),
                    region: region.to_owned(),
                    partition: partition.to_owned(),
                    account,
                },
            }
        })
}

/// Any combination of the option space (tests/option-space) for which
/// `keep` holds.
fn options(keep: fn(&Combination) -> bool) -> impl Strategy<Value = Combination> {
    select(combinations().into_iter().filter(keep).collect::<Vec<_>>())
}

fn any_combination(_: &Combination) -> bool {
    true
}

fn recommended(c: &Combination) -> bool {
    c.spec(&Values::example())
        .is_ok_and(|spec| spec.profile() == Profile::Recommended)
}

fn placeholders(c: &Combination) -> bool {
    c.choice("values") == Some("placeholders")
}

fn spec(p: &Place, c: &Combination) -> RotationSpec {
    c.spec(&p.values).unwrap_or_else(|e| panic!("{}: {e}", c.label()))
}

// --- properties -------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// parse(serialize(doc)) == doc, pretty or compact.
    #[test]
    fn policy_documents_round_trip(doc in document()) {
        let compact = serde_json::to_string(&doc).expect("serializes");
        prop_assert_eq!(&PolicyDocument::from_json(&compact).expect("parses back"), &doc);
        prop_assert_eq!(PolicyDocument::from_json(&doc.to_json_pretty()).expect("parses back"), doc);
    }

    /// The direct pretty-printer writes exactly serde_json's bytes.
    #[test]
    fn pretty_printer_matches_serde_json(doc in document()) {
        prop_assert_eq!(doc.to_json_pretty(), serde_json::to_string_pretty(&doc).expect("serializes"));
    }

    /// The generator's JSON (from compiled templates) is the typed documents
    /// written directly, for any values and options, every profile.
    #[test]
    fn generated_json_is_the_typed_documents_json(v in values(), c in options(any_combination)) {
        let spec = spec(&v, &c);
        prop_assert_eq!(spec.resource_policy_json(), spec.resource_policy().to_json_pretty());
        prop_assert_eq!(spec.execution_role_policy_json(), spec.execution_role_policy().to_json_pretty());
    }

    /// The generator's documents, with concrete values in any partition,
    /// get no finding of warning or above from the linter.
    #[test]
    fn generated_documents_lint_clean(v in values(), c in options(recommended)) {
        let spec = spec(&v, &c);
        let resource = spec.resource_policy_json();
        let role = spec.execution_role_policy_json();
        for (json, policy_type) in [(&resource, Some(PolicyType::Resource)), (&role, Some(PolicyType::Identity))] {
            // Options left out are placeholders (and `kms: true` leaves
            // `${KmsKeyArn}`): render them like a deployment would.
            let rendered = render(json, &v.values.fills()).expect("renders");
            let findings: Vec<_> = lint(rendered.as_bytes(), &LintOptions { policy_type })
                .into_iter()
                .filter(|f| f.severity() >= Severity::Warning)
                .collect();
            prop_assert!(findings.is_empty(), "{} {} {}: {:?}\n{}", c.label(), v.partition, v.region, findings, rendered);
        }
    }

    /// Rendering either fails or yields valid JSON, whatever the values; with
    /// valid values for every slot it succeeds.
    #[test]
    fn render_never_produces_invalid_json(v in values(), junk in any_text(), slot in 0usize..8, c in options(placeholders)) {
        let template = spec(&v, &c);
        let mut values = v.values.fills();
        if let Some(entry) = values.get_mut(slot) {
            entry.1 = junk.as_str();
        }
        for json in [template.resource_policy_json(), template.execution_role_policy_json()] {
            match render(&json, &values) {
                Ok(out) => prop_assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok(), "{}", out),
                Err(e) => prop_assert!(slot < values.len(), "valid values were rejected: {}", e),
            }
        }
    }

    /// Adding a `Deny` statement never turns a denied request into an
    /// allowed one (and never changes an explicit deny).
    #[test]
    fn adding_a_deny_never_widens_access(
        statements in prop::collection::vec(small_statement(), 0..5),
        deny in small_statement(),
        request in small_request(),
    ) {
        let before_doc = PolicyDocument { version: None, id: None, statement: OneOrMany::Many(statements.clone()) };
        let mut with_deny = statements;
        with_deny.push(Statement { effect: Effect::Deny, ..deny });
        let after_doc = PolicyDocument { version: None, id: None, statement: OneOrMany::Many(with_deny) };
        let decide = |doc: &PolicyDocument| {
            evaluate(&request, &[NamedPolicy { name: "p", kind: PolicyType::Identity, document: doc }]).decision
        };
        let (before, after) = (decide(&before_doc), decide(&after_doc));
        if before != Decision::Allowed {
            prop_assert_ne!(after.clone(), Decision::Allowed);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }
}

/// Statements over a small vocabulary, so that they often match.
fn small_statement() -> impl Strategy<Value = Statement> {
    let action = select(vec![
        "secretsmanager:GetSecretValue",
        "secretsmanager:*",
        "kms:Decrypt",
        "*",
        "s3:Get*",
    ]);
    let resource = select(vec![
        "*",
        "arn:aws:secretsmanager:*:*:secret:a-??????",
        "arn:aws:kms:*",
    ]);
    let key = select(vec![
        "aws:SourceAccount",
        "aws:PrincipalAccount",
        "aws:SecureTransport",
    ]);
    let op = select(vec![
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIfExists",
        "Bool",
        "Null",
        "StringLike",
    ]);
    let value = select(vec!["111122223333", "true", "false", "1111*"]);
    (
        prop_oneof![Just(Effect::Allow), Just(Effect::Deny)],
        any::<bool>(),
        prop::collection::vec(action, 1..3),
        any::<bool>(),
        prop::collection::vec(resource, 1..3),
        prop::option::of((op, key, value)),
    )
        .prop_map(
            |(effect, not_action, actions, not_resource, resources, condition)| {
                let actions = OneOrMany::Many(actions.into_iter().map(str::to_owned).collect());
                let resources = OneOrMany::Many(resources.into_iter().map(str::to_owned).collect());
                Statement {
                    sid: None,
                    effect,
                    principal: None,
                    not_principal: None,
                    action: (!not_action).then(|| actions.clone()),
                    not_action: not_action.then_some(actions),
                    resource: (!not_resource).then(|| resources.clone()),
                    not_resource: not_resource.then_some(resources),
                    condition: condition.map(|(op, key, value)| {
                        OrderedMap(vec![(
                            op.to_owned(),
                            OrderedMap(vec![(
                                key.to_owned(),
                                OneOrMany::One(ConditionValue::from(value)),
                            )]),
                        )])
                    }),
                }
            },
        )
}

fn small_request() -> impl Strategy<Value = Request> {
    (
        select(vec![
            "secretsmanager:GetSecretValue",
            "kms:Decrypt",
            "s3:GetObject",
        ]),
        select(vec![
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:a-AbCdEf",
            "arn:aws:kms:us-east-1:111122223333:key/k",
            "*",
        ]),
        any::<bool>(),
    )
        .prop_map(|(action, resource, with_context)| {
            let principal = RequestPrincipal::Role {
                arn: None,
                account: "111122223333".into(),
            };
            let request = Request::new(principal, action, resource, "property");
            if with_context {
                request
                    .with("aws:PrincipalAccount", "111122223333")
                    .with("aws:SecureTransport", "true")
            } else {
                request
            }
        })
}
