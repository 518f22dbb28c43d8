//! Statement and policy evaluation (IAM User Guide, "Policy evaluation
//! logic"): an explicit `Deny` in any applicable policy wins; otherwise an
//! `Allow` allows; otherwise the request is implicitly denied.
//!
//! A statement applies to a request when its action, resource, principal
//! (resource policies only) and every condition match. Actions compare
//! case-insensitively with `*`/`?` wildcards; resources case-sensitively,
//! with wildcards and policy variables.
//!
//! Where AWS documents no outcome (a single-valued operator on a multivalued
//! key, a variable before an ARN's resource part, a service principal in the
//! wrong case), a part of a statement is *unknown*, and the evaluator takes
//! the answer that never says "allowed" where AWS might deny: an `Allow`
//! whose match is unknown does not apply, a `Deny` whose match is unknown
//! does.

use crate::policy::condition::Truth;
use crate::policy::variable::{resolve, Place, Unresolved};
use crate::policy::wildcard;
use crate::policy::{Effect, PolicyDocument, PolicyType, Principal, Statement, VERSION_2012_10_17};

use super::condition::{self, ConditionOutcome};
use super::request::{Request, RequestPrincipal};

/// A named policy document.
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy<'a> {
    /// The name reports use (a file name), as in `FILE#/Statement/N`.
    pub name: &'a str,
    /// Its kind.
    pub kind: PolicyType,
    /// The document.
    pub document: &'a PolicyDocument,
}

/// A statement by policy name and index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatementRef {
    /// The policy's name.
    pub policy: String,
    /// The 0-based statement index.
    pub index: usize,
    /// The document's `Statement` is a single object, not an array: the
    /// JSON pointer is then `/Statement`.
    pub single: bool,
}

impl StatementRef {
    /// The reference to statement `index` of `document`, named `policy`.
    pub fn new(policy: &str, document: &PolicyDocument, index: usize) -> StatementRef {
        let single = matches!(document.statement, crate::policy::OneOrMany::One(_));
        StatementRef {
            policy: policy.to_owned(),
            index,
            single,
        }
    }
}

impl std::fmt::Display for StatementRef {
    /// `FILE#/Statement/N`, an RFC 6901 pointer in the file (`FILE#/Statement`
    /// for a single statement object).
    /// A name that already holds a pointer (`TEMPLATE#/Resources/...`, a
    /// policy inside a template) is continued: `TEMPLATE#/Resources/.../Statement/N`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = if self.policy.contains("#/") { "/" } else { "#/" };
        if self.single {
            write!(f, "{}{join}Statement", self.policy)
        } else {
            write!(f, "{}{join}Statement/{}", self.policy, self.index)
        }
    }
}

/// How a statement relates to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The statement applies.
    Applies,
    /// Neither `Action` nor `NotAction` covers the action.
    Action,
    /// The resource does not match.
    Resource,
    /// The principal does not match (resource policies).
    Principal,
    /// A condition failed.
    Condition(ConditionOutcome),
    /// Nothing failed, but whether the statement applies is not documented:
    /// the reason says which part.
    Unknown(String),
}

/// Whether `statement` applies to `request`, and if not, the first reason.
/// `variables`: the policy has `"Version": "2012-10-17"`.
pub fn statement_match(statement: &Statement, kind: PolicyType, request: &Request, variables: bool) -> Match {
    let action_hit = |patterns: &[String]| {
        patterns
            .iter()
            .any(|p| wildcard::matches_ignore_case(p, &request.action))
    };
    let action_ok = match (&statement.action, &statement.not_action) {
        (Some(a), _) => action_hit(a.as_slice()),
        (None, Some(na)) => !action_hit(na.as_slice()),
        (None, None) => false,
    };
    if !action_ok {
        return Match::Action;
    }
    let mut unknown: Option<String> = None;
    let resource_hit = |patterns: &[String], negated: bool| {
        let truths = patterns
            .iter()
            .map(|p| resource_matches(p, request, variables, negated));
        Truth::any(truths)
    };
    let resource = match (&statement.resource, &statement.not_resource) {
        (Some(r), _) => resource_hit(r.as_slice(), false),
        (None, Some(nr)) => !resource_hit(nr.as_slice(), true),
        // Key policies name no resource: the key is the policy's resource.
        (None, None) => Truth::from_bool(kind == PolicyType::Key),
    };
    match resource {
        Truth::False => return Match::Resource,
        Truth::Unknown => {
            let patterns = statement
                .resource
                .as_ref()
                .or(statement.not_resource.as_ref())
                .map(|p| p.as_slice())
                .unwrap_or_default();
            let lookup = |k: &str| request.context_values(k);
            let misplaced = patterns
                .iter()
                .any(|p| resolve(p, Place::Arn, variables, &lookup) == Err(Unresolved::Undefined));
            unknown.get_or_insert_with(|| {
                if misplaced {
                    "its `Resource` has a policy variable before the ARN's resource part (after the fifth colon), where AWS documents none".to_owned()
                } else {
                    "its `NotResource` has a policy variable the request has no value for, which AWS says \"might cause the entire statement to be invalid\"".to_owned()
                }
            });
        }
        Truth::True => {}
    }
    if kind != PolicyType::Identity {
        let principal = match (&statement.principal, &statement.not_principal) {
            (Some(p), _) => principal_matches(p, request),
            (None, Some(np)) => !principal_matches(np, request),
            (None, None) => Truth::False,
        };
        match principal {
            Truth::False => return Match::Principal,
            Truth::Unknown => {
                unknown.get_or_insert_with(|| {
                    "its `Principal` names the service in other letter case than AWS's lowercase service principal; AWS does not document whether that matches".to_owned()
                });
            }
            Truth::True => {}
        }
    }
    if let Some(block) = &statement.condition {
        for (operator, keys) in block.iter() {
            for (key, values) in keys.iter() {
                let outcome = condition::evaluate(operator, key, values.as_slice(), request, variables);
                match outcome.truth {
                    Truth::True => {}
                    Truth::False => return Match::Condition(outcome),
                    Truth::Unknown => {
                        unknown.get_or_insert_with(|| {
                            format!(
                                "its condition `{}` on `{}` has no documented outcome: {}",
                                outcome.operator, outcome.key, outcome.reason
                            )
                        });
                    }
                }
            }
        }
    }
    match unknown {
        Some(reason) => Match::Unknown(reason),
        None => Match::Applies,
    }
}

/// A `Resource` pattern against the request's resource: policy variables
/// substituted in the ARN's resource part, `*` and `?` wildcards,
/// case-sensitive. A variable the request has no value for (and no
/// default) matches nothing in `Resource`; in `NotResource` (`negated`) the
/// outcome is unknown: "If AWS cannot resolve a variable this might cause
/// the entire statement to be invalid" (IAM User Guide, "IAM policy
/// elements: Variables and tags"), so its not matching must not make an
/// `Allow` apply.
fn resource_matches(pattern: &str, request: &Request, variables: bool, negated: bool) -> Truth {
    if pattern == "*" {
        return Truth::True;
    }
    let lookup = |k: &str| request.context_values(k);
    match resolve(pattern, Place::Arn, variables, &lookup) {
        Ok(pattern) => Truth::from_bool(pattern.matches(&request.resource)),
        Err(Unresolved::NoValue) if negated => Truth::Unknown,
        Err(Unresolved::NoValue) => Truth::False,
        Err(Unresolved::Undefined) => Truth::Unknown,
    }
}

/// A `Principal` element against the request's caller. `"*"` and
/// `{"AWS": "*"}` match everyone; an account id or `arn:...:iam::ACCOUNT:root`
/// matches every principal of that account (which only delegates: see
/// [`evaluate`]); a role ARN matches the role; a service principal matches
/// that service. Service principals are lowercase in AWS's documentation
/// (Access Analyzer's `INVALID_SERVICE_PRINCIPAL_FORMAT`: "in all lowercase
/// letters"); whether another case matches is not documented: unknown.
pub fn principal_matches(principal: &Principal, request: &Request) -> Truth {
    let map = match principal {
        Principal::Any => return Truth::True,
        Principal::Map(map) => map,
    };
    let mut out = Truth::False;
    for (kind, values) in map.iter() {
        for value in values.as_slice() {
            let truth = match (kind, &request.principal) {
                ("AWS", _) if value == "*" => Truth::True,
                ("AWS", RequestPrincipal::Role { arn, account }) => Truth::from_bool(
                    value == account
                        || account_root(value).is_some_and(|a| a == account)
                        || arn.as_deref().is_some_and(|arn| arn == value),
                ),
                ("Service", RequestPrincipal::Service(name)) if value == name => Truth::True,
                ("Service", RequestPrincipal::Service(name)) if value.eq_ignore_ascii_case(name) => {
                    Truth::Unknown
                }
                _ => Truth::False,
            };
            match truth {
                Truth::True => return Truth::True,
                Truth::Unknown => out = Truth::Unknown,
                Truth::False => {}
            }
        }
    }
    out
}

/// The account of `arn:PARTITION:iam::ACCOUNT:root`, read with the ARN parser.
fn account_root(value: &str) -> Option<&str> {
    // A template's `arn:${AWS::Partition}:iam::${AWS::AccountId}:root` (the
    // CDK's and the KMS default key policy's principal) is the same root of
    // the deploying account, whatever the partition.
    if let Some(rest) = value.strip_prefix("arn:${AWS::Partition}:iam::") {
        return rest.strip_suffix(":root").filter(|a| {
            *a == "${AWS::AccountId}" || (a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
        });
    }
    let arn = crate::arn::Arn::parse(value).ok()?;
    (arn.service() == "iam" && arn.region().is_empty() && arn.resource() == "root")
        .then(|| value.get(arn.account_range()))
        .flatten()
}

/// The outcome of evaluating one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// An `Allow` applies and no `Deny` does.
    Allowed,
    /// No statement allows the request.
    ImplicitDeny,
    /// A `Deny` statement applies.
    ExplicitDeny,
}

impl Decision {
    /// `allowed`, `implicit_deny` or `explicit_deny`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ImplicitDeny => "implicit_deny",
            Decision::ExplicitDeny => "explicit_deny",
        }
    }
}

/// A decision with the statement that decided it and, for a denial, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// The deciding statement: the `Deny` that applied, the `Allow` that
    /// applied, or for an implicit deny the closest statement that almost
    /// applied (same action), if any.
    pub statement: Option<StatementRef>,
    /// For a denial, the reason in plain words.
    pub reason: Option<String>,
}

/// The account a request's resource belongs to: the account field of its
/// ARN; `None` for `*` and for ARNs without an account (S3 buckets), which
/// count as the caller's.
fn resource_account(request: &Request) -> Option<&str> {
    let fields: Vec<&str> = request.resource.splitn(6, ':').collect();
    fields
        .get(4)
        .copied()
        .filter(|a| fields.len() == 6 && !a.is_empty())
}

/// Evaluates `request` against `policies` (IAM User Guide, "Policy
/// evaluation logic", "Cross-account policy evaluation logic"; KMS
/// Developer Guide, "Key policies in AWS KMS").
///
/// - A `Deny` that applies in any applicable policy denies.
/// - Identity policies apply to role requests only; resource and key
///   policies to the principals they name.
/// - Same account: an identity `Allow`, or a resource-policy `Allow` naming
///   the role (or `*`), allows. A resource-policy `Allow` that names only the
///   account (`arn:aws:iam::ACCOUNT:root` or the bare id) "delegates
///   authority to the account": it grants nothing by itself, the role still
///   needs an identity `Allow`.
/// - Another account: both an identity `Allow` and a resource-policy
///   `Allow` (to the role or its account) are needed.
/// - KMS, when the key policy is given: it must allow the role, or allow the
///   account and so delegate to IAM; "Without this permission, IAM policies
///   that allow access to the key are ineffective". Across accounts "Neither
///   the key policy nor the IAM policy alone is sufficient". Without the key
///   policy, the key's default policy (which delegates to the account) is
///   assumed: an identity `Allow` suffices.
pub fn evaluate(request: &Request, policies: &[NamedPolicy<'_>]) -> Evaluation {
    let is_role = matches!(request.principal, RequestPrincipal::Role { .. });
    let applicable = |p: &&NamedPolicy<'_>| p.kind != PolicyType::Identity || is_role;
    let mut near_miss: Option<(StatementRef, Match)> = None;
    let mut identity_allow: Option<StatementRef> = None;
    // Resource (and key) policy grants: to the caller directly, or to its
    // account only.
    let mut direct_allow: Option<StatementRef> = None;
    let mut delegating_allow: Option<StatementRef> = None;
    let mut key_policy_seen = false;

    for policy in policies.iter().filter(applicable) {
        if policy.kind == PolicyType::Key {
            key_policy_seen = true;
        }
        let variables = policy.document.version.as_deref() == Some(VERSION_2012_10_17);
        for (index, statement) in policy.document.statements().iter().enumerate() {
            let reference = || StatementRef::new(policy.name, policy.document, index);
            let outcome = statement_match(statement, policy.kind, request, variables);
            match (statement.effect, &outcome) {
                (Effect::Deny, Match::Applies) => {
                    return Evaluation {
                        decision: Decision::ExplicitDeny,
                        statement: Some(reference()),
                        reason: Some(format!("denied explicitly by {}", reference())),
                    }
                }
                (Effect::Deny, Match::Unknown(why)) => {
                    return Evaluation {
                        decision: Decision::ExplicitDeny,
                        statement: Some(reference()),
                        reason: Some(format!("{} may deny it, and is taken to: {why}", reference())),
                    }
                }
                (Effect::Allow, Match::Applies) => {
                    let slot = match policy.kind {
                        PolicyType::Identity => &mut identity_allow,
                        _ if delegates_to_account(statement, request) => &mut delegating_allow,
                        _ => &mut direct_allow,
                    };
                    slot.get_or_insert_with(reference);
                }
                (Effect::Allow, _) => {
                    // Remember the first statement that covered the action but
                    // failed later, to explain an implicit deny.
                    if outcome != Match::Action && near_miss.is_none() {
                        near_miss = Some((reference(), outcome));
                    }
                }
                (Effect::Deny, _) => {}
            }
        }
    }

    if !is_role {
        // A service principal: only resource policies speak for it.
        return match direct_allow.or(delegating_allow) {
            Some(reference) => allowed(Some(reference)),
            None => denied(near_miss, "no statement allows it"),
        };
    }
    // A template placeholder (`${AWS::AccountId}`) stands for the
    // deploying account: only two concrete, different ids are two accounts.
    let concrete = |a: &&str| !a.contains("${");
    let same_account = match (
        request.cross_account,
        request.principal_account().filter(concrete),
        resource_account(request).filter(concrete),
    ) {
        (Some(cross), _, _) => !cross,
        (None, Some(caller), Some(owner)) => caller == owner,
        _ => true,
    };
    let resource_allow = direct_allow.clone().or_else(|| delegating_allow.clone());
    if request.is_service("kms") && key_policy_seen {
        return match (same_account, &direct_allow, &delegating_allow, identity_allow) {
            (true, Some(reference), _, _) => allowed(Some(reference.clone())),
            (_, _, _, Some(identity)) if resource_allow.is_some() => allowed(Some(identity)),
            (false, Some(_), _, None) | (_, None, Some(_), None) => denied(
                near_miss,
                if same_account {
                    "the key policy delegates to IAM, but no identity policy statement allows it"
                } else {
                    "the key is in another account: its key policy allows the role's account, but no identity policy statement allows it (both are needed)"
                },
            ),
            _ => Evaluation {
                decision: Decision::ImplicitDeny,
                statement: None,
                reason: Some(
                    "the key policy neither allows the role nor delegates to IAM by allowing the account (`arn:aws:iam::ACCOUNT:root`)"
                        .to_owned(),
                ),
            },
        };
    }
    if same_account {
        match (identity_allow, direct_allow) {
            (Some(reference), _) | (None, Some(reference)) => allowed(Some(reference)),
            (None, None) if delegating_allow.is_some() => denied(
                near_miss,
                "a resource policy allows the role's account, which delegates to IAM, but no identity policy statement allows it",
            ),
            (None, None) => denied(near_miss, "no statement allows it"),
        }
    } else {
        match (identity_allow, resource_allow) {
            (Some(reference), Some(_)) => allowed(Some(reference)),
            (Some(_), None) => denied(
                near_miss,
                "the resource is in another account: an identity policy allows it, but no resource policy of that account does (both are needed)",
            ),
            (None, _) => denied(near_miss, "no identity policy statement allows it"),
        }
    }
}

fn allowed(statement: Option<StatementRef>) -> Evaluation {
    Evaluation {
        decision: Decision::Allowed,
        statement,
        reason: None,
    }
}

fn denied(near_miss: Option<(StatementRef, Match)>, fallback: &str) -> Evaluation {
    let Some((reference, why)) = near_miss else {
        return Evaluation {
            decision: Decision::ImplicitDeny,
            statement: None,
            reason: Some(fallback.to_owned()),
        };
    };
    let reason = match &why {
        Match::Resource => format!("{reference} allows the action but not on this resource"),
        Match::Principal => format!("{reference} allows the action but not for this principal"),
        Match::Condition(failure) => format!(
            "{reference} allows the action, but its condition `{}` on `{}` fails: {}",
            failure.operator, failure.key, failure.reason
        ),
        Match::Unknown(why) => format!("{reference} may allow the action, but is not taken to: {why}"),
        Match::Action | Match::Applies => fallback.to_owned(),
    };
    Evaluation {
        decision: Decision::ImplicitDeny,
        statement: Some(reference),
        reason: Some(reason),
    }
}

/// Whether a resource or key policy statement that applies to a role request
/// does so only through the account principal (`arn:aws:iam::ACCOUNT:root`
/// or the bare account id), which delegates the decision to IAM policies.
fn delegates_to_account(statement: &Statement, request: &Request) -> bool {
    let RequestPrincipal::Role { arn, account } = &request.principal else {
        return false;
    };
    let Some(Principal::Map(map)) = &statement.principal else {
        return false;
    };
    let names_role = map.iter().any(|(kind, values)| {
        kind == "AWS"
            && values
                .as_slice()
                .iter()
                .any(|v| v == "*" || arn.as_deref().is_some_and(|a| a == v))
    });
    let names_account = map.iter().any(|(kind, values)| {
        kind == "AWS"
            && values
                .as_slice()
                .iter()
                .any(|v| v == account || account_root(v) == Some(account))
    });
    names_account && !names_role
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::condition::Truth;

    const ROLE: &str = "arn:aws:iam::111122223333:role/r";

    fn role_request() -> Request {
        Request::new(
            RequestPrincipal::Role {
                arn: Some(ROLE.into()),
                account: "111122223333".into(),
            },
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf",
            "test",
        )
    }

    fn decide(kind: PolicyType, json: &str, request: &Request) -> Evaluation {
        let document = PolicyDocument::from_json(json).expect("test policy parses");
        evaluate(
            request,
            &[NamedPolicy {
                name: "p",
                kind,
                document: &document,
            }],
        )
    }

    #[test]
    fn explicit_deny_wins_over_allow() {
        let json = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}]}"#;
        let e = decide(PolicyType::Identity, json, &role_request());
        assert_eq!(
            (e.decision, e.statement.map(|s| s.index)),
            (Decision::ExplicitDeny, Some(1))
        );
    }

    #[test]
    fn no_applicable_allow_is_implicit_deny() {
        let json = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let e = decide(PolicyType::Identity, json, &role_request());
        assert_eq!((e.decision, e.statement), (Decision::ImplicitDeny, None));
    }

    #[test]
    fn not_principal_applies_to_everyone_else() {
        let json = r#"{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"*","Resource":"*"}]}"#;
        let e = decide(PolicyType::Resource, json, &role_request());
        assert_eq!(
            (e.decision, e.statement.map(|s| s.index)),
            (Decision::Allowed, Some(1))
        );
    }

    #[test]
    fn account_root_principal_matches_every_principal_of_the_account() {
        let root = Principal::Map(crate::policy::OrderedMap(vec![(
            "AWS".into(),
            crate::policy::OneOrMany::One("arn:aws:iam::111122223333:root".into()),
        )]));
        assert_eq!(principal_matches(&root, &role_request()), Truth::True);
        let service = Request {
            principal: RequestPrincipal::Service("x.amazonaws.com".into()),
            ..role_request()
        };
        assert_eq!(principal_matches(&root, &service), Truth::False);
    }

    #[test]
    fn statement_without_resource_applies_only_in_key_policies() {
        let json = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}"#;
        assert_eq!(
            decide(PolicyType::Resource, json, &role_request()).decision,
            Decision::ImplicitDeny
        );
        let kms = Request {
            action: "kms:Decrypt".into(),
            ..role_request()
        };
        assert_eq!(decide(PolicyType::Key, json, &kms).decision, Decision::Allowed);
    }

    fn decide_all(request: &Request, policies: &[(PolicyType, &str)]) -> Evaluation {
        let documents: Vec<PolicyDocument> = policies
            .iter()
            .map(|(_, json)| PolicyDocument::from_json(json).expect("test policy parses"))
            .collect();
        let named: Vec<NamedPolicy<'_>> = policies
            .iter()
            .zip(&documents)
            .map(|((kind, _), document)| NamedPolicy {
                name: "p",
                kind: *kind,
                document,
            })
            .collect();
        evaluate(request, &named)
    }

    const ALLOW_ROLE_ACCOUNT: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}]}"#;
    const ALLOW_ROLE_ARN: &str = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"*","Resource":"*"}]}"#;
    const IDENTITY_ALLOW: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

    // IAM User Guide, "AWS JSON policy elements: Principal", AWS account
    // principals: "This delegates authority to the account ... an
    // administrator in that account must then grant access to an identity".
    #[test]
    fn account_principal_in_resource_policy_delegates_iam_user_guide_principal() {
        let bare = ALLOW_ROLE_ACCOUNT.replace("arn:aws:iam::111122223333:root", "111122223333");
        for policy in [ALLOW_ROLE_ACCOUNT, bare.as_str()] {
            let alone = decide_all(&role_request(), &[(PolicyType::Resource, policy)]);
            assert_eq!(alone.decision, Decision::ImplicitDeny, "{policy}");
            let with_identity = decide_all(
                &role_request(),
                &[
                    (PolicyType::Resource, policy),
                    (PolicyType::Identity, IDENTITY_ALLOW),
                ],
            );
            assert_eq!(with_identity.decision, Decision::Allowed, "{policy}");
        }
    }

    // IAM User Guide, "Policy evaluation logic": within an account, "you only
    // need an explicit allow for the principal in either an identity-based
    // policy or a resource-based policy".
    #[test]
    fn role_arn_principal_in_resource_policy_suffices_in_the_same_account_iam_user_guide_evaluation_logic() {
        let e = decide_all(&role_request(), &[(PolicyType::Resource, ALLOW_ROLE_ARN)]);
        assert_eq!(e.decision, Decision::Allowed);
    }

    // IAM User Guide, "Cross-account policy evaluation logic": both the
    // identity policy and the resource policy must allow.
    #[test]
    fn another_accounts_resource_needs_identity_and_resource_allow_iam_user_guide_cross_account() {
        let request = Request {
            resource: "arn:aws:secretsmanager:us-east-1:444455556666:secret:s-AbCdEf".into(),
            ..role_request()
        };
        let resource_only = decide_all(&request, &[(PolicyType::Resource, ALLOW_ROLE_ARN)]);
        assert_eq!(resource_only.decision, Decision::ImplicitDeny);
        let identity_only = decide_all(&request, &[(PolicyType::Identity, IDENTITY_ALLOW)]);
        assert_eq!(identity_only.decision, Decision::ImplicitDeny);
        let both = decide_all(
            &request,
            &[
                (PolicyType::Resource, ALLOW_ROLE_ARN),
                (PolicyType::Identity, IDENTITY_ALLOW),
            ],
        );
        assert_eq!(both.decision, Decision::Allowed);
    }

    // KMS Developer Guide, "Allowing users in other accounts to use a KMS
    // key": "Neither the key policy nor the IAM policy alone is sufficient".
    #[test]
    fn a_key_in_another_account_needs_key_policy_and_identity_policy_kms_developer_guide_cross_account() {
        let request = Request {
            action: "kms:Decrypt".into(),
            resource: "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
            ..role_request()
        };
        let key_only = decide_all(&request, &[(PolicyType::Key, ALLOW_ROLE_ARN)]);
        assert_eq!(key_only.decision, Decision::ImplicitDeny);
        let both = decide_all(
            &request,
            &[
                (PolicyType::Key, ALLOW_ROLE_ARN),
                (PolicyType::Identity, IDENTITY_ALLOW),
            ],
        );
        assert_eq!(both.decision, Decision::Allowed);
        let same_account = Request {
            resource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab".into(),
            ..request
        };
        let key_names_role = decide_all(&same_account, &[(PolicyType::Key, ALLOW_ROLE_ARN)]);
        assert_eq!(key_names_role.decision, Decision::Allowed);
    }

    // IAM User Guide, "Single-valued vs. multivalued context keys":
    // multivalued keys "require a condition set operator"; no outcome is
    // documented without one. Unknown never allows, and a Deny applies.
    #[test]
    fn an_undocumented_condition_never_allows_and_a_deny_on_it_applies() {
        let request =
            role_request().with_values("aws:CalledVia", vec!["secretsmanager.amazonaws.com".into()]);
        let condition = r#""Condition":{"StringEquals":{"aws:CalledVia":"secretsmanager.amazonaws.com"}}"#;
        let allow =
            format!(r#"{{"Statement":[{{"Effect":"Allow","Action":"*","Resource":"*",{condition}}}]}}"#);
        assert_eq!(
            decide(PolicyType::Identity, &allow, &request).decision,
            Decision::ImplicitDeny
        );
        let deny = format!(
            r#"{{"Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}},{{"Effect":"Deny","Action":"*","Resource":"*",{condition}}}]}}"#
        );
        assert_eq!(
            decide(PolicyType::Identity, &deny, &request).decision,
            Decision::ExplicitDeny
        );
    }

    // IAM User Guide, "IAM policy elements: Variables and tags": "If AWS
    // cannot resolve a variable this might cause the entire statement to be
    // invalid." A `NotResource` whose variable has no value never makes an
    // Allow apply; a Deny with it applies.
    #[test]
    fn an_unresolved_variable_in_not_resource_never_allows_iam_user_guide_variables() {
        let allow = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","NotResource":"arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/app}-*"}]}"#;
        let e = decide(PolicyType::Identity, allow, &role_request());
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert!(
            e.reason.as_deref().unwrap_or("").contains("might cause"),
            "{:?}",
            e.reason
        );
        let deny = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","NotResource":"arn:aws:secretsmanager:*:*:secret:${aws:PrincipalTag/app}-*"}]}"#;
        assert_eq!(
            decide(PolicyType::Identity, deny, &role_request()).decision,
            Decision::ExplicitDeny
        );
        // With the tag present, the variable resolves as usual.
        let tagged = role_request().with("aws:PrincipalTag/app", "s");
        assert_eq!(
            decide(PolicyType::Identity, allow, &tagged).decision,
            Decision::ImplicitDeny
        );
        let other = role_request().with("aws:PrincipalTag/app", "other");
        assert_eq!(
            decide(PolicyType::Identity, allow, &other).decision,
            Decision::Allowed
        );
    }

    // Access Analyzer's INVALID_SERVICE_PRINCIPAL_FORMAT: service principals
    // are "in all lowercase letters"; another case is not documented.
    #[test]
    fn a_miscased_service_principal_is_not_taken_to_allow() {
        let json = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"SecretsManager.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*"}]}"#;
        let invoke = Request::new(
            RequestPrincipal::Service("secretsmanager.amazonaws.com".into()),
            "lambda:InvokeFunction",
            "arn:aws:lambda:us-east-1:111122223333:function:f",
            "test",
        );
        assert_eq!(
            decide(PolicyType::Resource, json, &invoke).decision,
            Decision::ImplicitDeny
        );
    }

    // IAM User Guide, "IAM policy elements: Variables and tags": variables
    // only "in the resource portion of the ARN ... after the fifth colon",
    // and `${*}` is a literal `*`.
    #[test]
    fn variables_before_the_resource_part_and_special_characters_iam_user_guide_variables() {
        let request = role_request().with("aws:PrincipalAccount", "111122223333");
        let in_account = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:secretsmanager:us-east-1:${aws:PrincipalAccount}:secret:*"}]}"#;
        assert_eq!(
            decide(PolicyType::Identity, in_account, &request).decision,
            Decision::ImplicitDeny
        );
        let literal_star = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:${*}"}]}"#;
        assert_eq!(
            decide(PolicyType::Identity, literal_star, &request).decision,
            Decision::ImplicitDeny
        );
        let wildcard = literal_star.replace("${*}", "*");
        assert_eq!(
            decide(PolicyType::Identity, &wildcard, &request).decision,
            Decision::Allowed
        );
    }
}
