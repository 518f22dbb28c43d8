//! Statement and policy evaluation (IAM User Guide, "Policy evaluation
//! logic"): an explicit `Deny` in any applicable policy wins; otherwise an
//! `Allow` allows; otherwise the request is implicitly denied.
//!
//! A statement applies to a request when its action, resource, principal
//! (resource policies only) and every condition match. Actions compare
//! case-insensitively with `*`/`?` wildcards; resources case-sensitively,
//! with wildcards and policy variables.

use crate::catalog::wildcard_match;
use crate::policy::{Effect, PolicyDocument, Principal, Statement};

use super::condition::{self, like_match, ConditionFailure};
use super::request::{Request, RequestPrincipal};
use super::variables::substitute;

/// What kind of policy a document is, which decides who it applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to the role: applies to the role's own requests.
    Identity,
    /// Attached to a resource (Lambda function, secret): applies to the
    /// principals its statements name.
    Resource,
    /// A KMS key policy: a resource policy that must allow the caller
    /// directly or delegate to IAM by allowing the account.
    KeyPolicy,
}

/// A named policy document.
#[derive(Debug, Clone, Copy)]
pub struct NamedPolicy<'a> {
    /// The name reports use (a file name), as in `FILE#/Statement/N`.
    pub name: &'a str,
    /// Its kind.
    pub kind: PolicyKind,
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
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.single {
            write!(f, "{}#/Statement", self.policy)
        } else {
            write!(f, "{}#/Statement/{}", self.policy, self.index)
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
    Condition(ConditionFailure),
}

/// Whether `statement` applies to `request`, and if not, the first reason.
pub fn statement_match(statement: &Statement, kind: PolicyKind, request: &Request) -> Match {
    let action_hit = |patterns: &[String]| patterns.iter().any(|p| wildcard_match(p, &request.action));
    let action_ok = match (&statement.action, &statement.not_action) {
        (Some(a), _) => action_hit(a.as_slice()),
        (None, Some(na)) => !action_hit(na.as_slice()),
        (None, None) => false,
    };
    if !action_ok {
        return Match::Action;
    }
    let resource_hit = |patterns: &[String]| patterns.iter().any(|p| resource_matches(p, request));
    let resource_ok = match (&statement.resource, &statement.not_resource) {
        (Some(r), _) => resource_hit(r.as_slice()),
        (None, Some(nr)) => !resource_hit(nr.as_slice()),
        // Key policies name no resource: the key is the policy's resource.
        (None, None) => kind == PolicyKind::KeyPolicy,
    };
    if !resource_ok {
        return Match::Resource;
    }
    if kind != PolicyKind::Identity {
        let principal_ok = match (&statement.principal, &statement.not_principal) {
            (Some(p), _) => principal_matches(p, request),
            (None, Some(np)) => !principal_matches(np, request),
            (None, None) => false,
        };
        if !principal_ok {
            return Match::Principal;
        }
    }
    if let Some(block) = &statement.condition {
        for (operator, keys) in block.iter() {
            for (key, values) in keys.iter() {
                if let Err(failure) = condition::evaluate(operator, key, values.as_slice(), request) {
                    return Match::Condition(failure);
                }
            }
        }
    }
    Match::Applies
}

/// A `Resource` pattern against the request's resource: policy variables
/// substituted, `*` and `?` wildcards, case-sensitive.
fn resource_matches(pattern: &str, request: &Request) -> bool {
    if pattern == "*" {
        return true;
    }
    match substitute(pattern, request) {
        Some(pattern) => like_match(&pattern, &request.resource),
        None => false,
    }
}

/// A `Principal` element against the request's caller. `"*"` and
/// `{"AWS": "*"}` match everyone; an account id or `arn:...:iam::ACCOUNT:root`
/// matches every principal of that account; a role ARN matches the role; a
/// service name matches that service.
pub fn principal_matches(principal: &Principal, request: &Request) -> bool {
    let map = match principal {
        Principal::Any => return true,
        Principal::Map(map) => map,
    };
    map.iter().any(|(kind, values)| {
        values
            .as_slice()
            .iter()
            .any(|value| match (kind, &request.principal) {
                ("AWS", _) if value == "*" => true,
                ("AWS", RequestPrincipal::Role { arn, account }) => {
                    value == account
                        || account_root(value).is_some_and(|a| a == account)
                        || arn.as_deref().is_some_and(|arn| arn == value)
                }
                ("Service", RequestPrincipal::Service(name)) => value.eq_ignore_ascii_case(name),
                _ => false,
            })
    })
}

/// The account of `arn:PARTITION:iam::ACCOUNT:root`, read with the ARN parser.
fn account_root(value: &str) -> Option<&str> {
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

/// Evaluates `request` against `policies`.
///
/// Identity policies apply to role requests only; resource and key policies
/// apply to the principals they name. For a KMS request, when a key policy
/// is given, it must allow the role itself or allow the account (delegating
/// to IAM, which then needs an identity `Allow`) — KMS Developer Guide,
/// "Key policies in AWS KMS". Otherwise an `Allow` in any policy suffices
/// (same-account access).
pub fn evaluate(request: &Request, policies: &[NamedPolicy<'_>]) -> Evaluation {
    let is_role = matches!(request.principal, RequestPrincipal::Role { .. });
    let applicable = |p: &&NamedPolicy<'_>| p.kind != PolicyKind::Identity || is_role;
    let mut near_miss: Option<(StatementRef, Match)> = None;
    let mut allow: Option<StatementRef> = None;
    let mut identity_allow: Option<StatementRef> = None;
    let mut key_policy_seen = false;
    let mut key_allows_role = false;
    let mut key_delegates = false;

    for policy in policies.iter().filter(applicable) {
        if policy.kind == PolicyKind::KeyPolicy {
            key_policy_seen = true;
        }
        for (index, statement) in policy.document.statements().iter().enumerate() {
            let reference = || StatementRef::new(policy.name, policy.document, index);
            let outcome = statement_match(statement, policy.kind, request);
            if outcome != Match::Applies {
                // Remember the first statement that covered the action but
                // failed later, to explain an implicit deny.
                let relevant = statement.effect == Effect::Allow && outcome != Match::Action;
                if relevant && near_miss.is_none() {
                    near_miss = Some((reference(), outcome));
                }
                continue;
            }
            match statement.effect {
                Effect::Deny => {
                    return Evaluation {
                        decision: Decision::ExplicitDeny,
                        statement: Some(reference()),
                        reason: Some(format!("denied explicitly by {}", reference())),
                    }
                }
                Effect::Allow => {
                    if policy.kind == PolicyKind::KeyPolicy {
                        if delegates_to_account(statement, request) {
                            key_delegates = true;
                        } else {
                            key_allows_role = true;
                            allow.get_or_insert_with(reference);
                        }
                    } else {
                        if policy.kind == PolicyKind::Identity {
                            identity_allow.get_or_insert_with(reference);
                        }
                        allow.get_or_insert_with(reference);
                    }
                }
            }
        }
    }

    let kms_request = request.is_service("kms");
    if kms_request && key_policy_seen && is_role {
        if key_allows_role {
            return allowed(allow);
        }
        if key_delegates {
            if let Some(reference) = identity_allow {
                return allowed(Some(reference));
            }
            return denied(
                near_miss,
                "the key policy delegates to IAM, but no identity policy statement allows it",
            );
        }
        return Evaluation {
            decision: Decision::ImplicitDeny,
            statement: None,
            reason: Some(
                "the key policy neither allows the role nor delegates to IAM by allowing the account (`arn:aws:iam::ACCOUNT:root`)"
                    .to_owned(),
            ),
        };
    }
    match allow {
        Some(reference) => allowed(Some(reference)),
        None => denied(near_miss, "no statement allows it"),
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
        Match::Action | Match::Applies => fallback.to_owned(),
    };
    Evaluation {
        decision: Decision::ImplicitDeny,
        statement: Some(reference),
        reason: Some(reason),
    }
}

/// Whether a key policy statement that applies to a role request does so
/// only through the account principal (`arn:aws:iam::ACCOUNT:root` or the
/// bare account id), which delegates the decision to IAM policies.
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

    fn decide(kind: PolicyKind, json: &str, request: &Request) -> Evaluation {
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
        let e = decide(PolicyKind::Identity, json, &role_request());
        assert_eq!(
            (e.decision, e.statement.map(|s| s.index)),
            (Decision::ExplicitDeny, Some(1))
        );
    }

    #[test]
    fn no_applicable_allow_is_implicit_deny() {
        let json = r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
        let e = decide(PolicyKind::Identity, json, &role_request());
        assert_eq!((e.decision, e.statement), (Decision::ImplicitDeny, None));
    }

    #[test]
    fn not_principal_applies_to_everyone_else() {
        let json = r#"{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/r"},"Action":"*","Resource":"*"},{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}]}"#;
        let e = decide(PolicyKind::Resource, json, &role_request());
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
        assert!(principal_matches(&root, &role_request()));
        let service = Request {
            principal: RequestPrincipal::Service("x.amazonaws.com".into()),
            ..role_request()
        };
        assert!(!principal_matches(&root, &service));
    }

    #[test]
    fn statement_without_resource_applies_only_in_key_policies() {
        let json = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*"}]}"#;
        assert_eq!(
            decide(PolicyKind::Resource, json, &role_request()).decision,
            Decision::ImplicitDeny
        );
        let kms = Request {
            action: "kms:Decrypt".into(),
            ..role_request()
        };
        assert_eq!(
            decide(PolicyKind::KeyPolicy, json, &kms).decision,
            Decision::Allowed
        );
    }
}
