//! The access check: evaluate every request rotation makes, list what the
//! role grants beyond them, and judge who may invoke the function.

use std::collections::HashMap;

use crate::catalog::{AccessLevel, Action, ActionPatterns as _, Catalog, Service};
use crate::policy::{Effect, PolicyDocument};
use crate::spec::RotationSpec;

use super::eval::{evaluate, Decision, Evaluation, NamedPolicy, StatementRef};
use super::request::Request;
use super::requirements::{invoke, invoke_probes, requirements, tolerated};
use crate::policy::PolicyType;

/// A named policy document given to the check (`name` is how reports refer
/// to it, usually the file name).
#[derive(Debug, Clone, Copy)]
pub struct PolicyInput<'a> {
    /// The name used in `NAME#/Statement/N`.
    pub name: &'a str,
    /// The document.
    pub document: &'a PolicyDocument,
}

/// Everything the check looks at.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    /// The rotation spec whose requests are checked.
    pub spec: &'a RotationSpec,
    /// The execution role's ARN, when known (key policies may name it).
    pub role_arn: Option<&'a str>,
    /// The execution role's policies (inline and managed).
    pub role_policies: &'a [PolicyInput<'a>],
    /// The Lambda function's resource policy.
    pub resource_policy: Option<PolicyInput<'a>>,
    /// The secret's resource policy (it can deny).
    pub secret_policy: Option<PolicyInput<'a>>,
    /// The key policy of the secret's KMS key.
    pub key_policy: Option<PolicyInput<'a>>,
}

/// One request and how it was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequirementResult {
    /// The request.
    pub request: Request,
    /// The decision, deciding statement and reason.
    pub evaluation: Evaluation,
}

/// One action the role allows beyond rotation's needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excess {
    /// `service:Action` (as the catalog spells it), or the pattern as
    /// written when the catalog does not know it.
    pub action: String,
    /// The action's access level, when the catalog knows the action.
    pub access_level: Option<AccessLevel>,
    /// The resource pattern it is granted on.
    pub resource: String,
    /// The granting statement.
    pub statement: StatementRef,
    /// Whether the statement has a condition (the grant may be narrower).
    pub conditional: bool,
    /// Write or Permissions-management access on every resource.
    pub flagged: bool,
    /// When rotation needs the action but on a narrower resource.
    pub needed_on: Option<String>,
    /// The grant reaches every action of the action's service that can be
    /// granted on the resource.
    pub whole_service: bool,
}

/// Who may invoke the function, according to its resource policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePolicyVerdict {
    /// Secrets Manager invoking for the secret.
    pub invoke: RequirementResult,
    /// Callers other than Secrets Manager for this account that the policy
    /// lets invoke the function: (description, allowing statement).
    pub open_to: Vec<(String, Option<StatementRef>)>,
}

impl ResourcePolicyVerdict {
    /// Only Secrets Manager for this account may invoke, and it may.
    pub fn restricted(&self) -> bool {
        self.open_to.is_empty() && self.invoke.evaluation.decision == Decision::Allowed
    }
}

/// The result of a check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Every required request is allowed (including the invoke, when a
    /// resource policy was given).
    pub allowed: bool,
    /// Each requirement with its decision.
    pub requirements: Vec<RequirementResult>,
    /// What the role grants beyond the requirements, by access level then action.
    pub excess: Vec<Excess>,
    /// The verdict on the function's resource policy, when given.
    pub resource_policy: Option<ResourcePolicyVerdict>,
    /// Grants of the role's policies that can never apply as written, with
    /// why (the current AWS page's `kms:DescribeKey` under an encryption
    /// context condition).
    pub notes: Vec<(StatementRef, String)>,
}

/// Runs the check.
pub fn check(input: &CheckInput<'_>) -> CheckReport {
    let spec = input.spec;
    let identity: Vec<NamedPolicy<'_>> = input
        .role_policies
        .iter()
        .map(|p| NamedPolicy {
            name: p.name,
            kind: PolicyType::Identity,
            document: p.document,
        })
        .collect();
    let secret_policy = input.secret_policy.map(|p| NamedPolicy {
        name: p.name,
        kind: PolicyType::Resource,
        document: p.document,
    });
    let key_policy = input.key_policy.map(|p| NamedPolicy {
        name: p.name,
        kind: PolicyType::Key,
        document: p.document,
    });
    let secret_key = spec.kms().map(|k| k.text());

    let mut policies = Vec::with_capacity(identity.len() + 1);
    let requests = requirements(spec, input.role_arn);
    let mut needs: Vec<(String, String)> = requests
        .iter()
        .map(|r| (r.action.clone(), r.resource.clone()))
        .collect();
    needs.extend(tolerated(spec));
    let requirements: Vec<RequirementResult> = requests
        .into_iter()
        .map(|request| {
            policies.clear();
            policies.extend_from_slice(&identity);
            if request.is_service("secretsmanager") && request.resource != "*" {
                policies.extend(secret_policy);
            }
            if request.is_service("kms") && secret_key.as_deref() == Some(request.resource.as_str()) {
                policies.extend(key_policy);
            }
            let evaluation = evaluate(&request, &policies);
            RequirementResult { request, evaluation }
        })
        .collect();

    let resource_policy = input.resource_policy.map(|p| {
        let function_policy = [NamedPolicy {
            name: p.name,
            kind: PolicyType::Resource,
            document: p.document,
        }];
        let request = invoke(spec);
        let evaluation = evaluate(&request, &function_policy);
        // A principal of another account writes its own identity policies:
        // the probe gives it one that allows everything, so that only the
        // function's policy decides.
        let intruder_identity = PolicyDocument::allow_all();
        let probe_policies = [
            function_policy[0],
            NamedPolicy {
                name: "the other account's own identity policy",
                kind: PolicyType::Identity,
                document: &intruder_identity,
            },
        ];
        let open_to = invoke_probes(spec)
            .into_iter()
            .filter_map(|(who, probe)| {
                let e = evaluate(&probe, &probe_policies);
                (e.decision == Decision::Allowed).then(|| (who, e.statement.filter(|s| s.policy == p.name)))
            })
            .collect();
        ResourcePolicyVerdict {
            invoke: RequirementResult { request, evaluation },
            open_to,
        }
    });

    let allowed = requirements
        .iter()
        .all(|r| r.evaluation.decision == Decision::Allowed)
        && resource_policy
            .as_ref()
            .is_none_or(|v| v.invoke.evaluation.decision == Decision::Allowed);
    let excess = excess(&needs, input.role_policies);
    CheckReport {
        allowed,
        requirements,
        excess,
        resource_policy,
        notes: describe_key_notes(input.role_policies),
    }
}

/// `Allow` statements that grant `kms:DescribeKey` only under a condition on
/// `kms:EncryptionContext:...`: a DescribeKey request carries no encryption
/// context (AWS KMS Developer Guide, "kms:EncryptionContext:context-key": the
/// key applies to the cryptographic operations), so the condition, read by
/// the evaluator's own operator for a missing key, never holds and the
/// statement never grants DescribeKey. The AWS page's current KMS statement
/// is such a grant (profile `aws_doc_2025`).
fn describe_key_notes(role_policies: &[PolicyInput<'_>]) -> Vec<(StatementRef, String)> {
    use crate::policy::condition::{Operator, Truth};
    use crate::policy::wildcard::matches_ignore_case;
    let mut out = Vec::new();
    for policy in role_policies {
        for (index, statement) in policy.document.statements().iter().enumerate() {
            let grants_describe_key = statement.effect == Effect::Allow
                && statement.action.as_ref().is_some_and(|a| {
                    a.as_slice()
                        .iter()
                        .any(|p| matches_ignore_case(p, "kms:DescribeKey"))
                });
            let Some(condition) = statement.condition.as_ref().filter(|_| grants_describe_key) else {
                continue;
            };
            let blocking = condition.iter().find_map(|(operator, keys)| {
                let op = Operator::parse(operator).ok()?;
                keys.iter().find_map(|(key, values)| {
                    let texts: Vec<String> = values
                        .as_slice()
                        .iter()
                        .map(|v| super::condition::value_text(v).into_owned())
                        .collect();
                    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                    let context_key = key.to_ascii_lowercase().starts_with("kms:encryptioncontext:");
                    (context_key && op.evaluate(&texts, None, true, &|_| None) == Truth::False)
                        .then(|| format!("`{operator}` on `{key}`"))
                })
            });
            if let Some(blocking) = blocking {
                out.push((
                    StatementRef::new(policy.name, policy.document, index),
                    format!(
                        "grants `kms:DescribeKey` only under {blocking}, which never holds for it: DescribeKey requests carry no encryption context; grant it in a statement without that condition"
                    ),
                ));
            }
        }
    }
    out
}

/// Expands every `Allow` statement of the role's policies through the
/// catalog and keeps what no requirement (or tolerated grant) needs, or
/// what is granted on a wider resource than needed. An action is left out
/// on a resource it can never be granted on: one whose resource types
/// (Service Authorization Reference) cannot match the ARN pattern, or one
/// with no resource type (it is authorized on `*` only) on an ARN.
fn excess(needs: &[(String, String)], role_policies: &[PolicyInput<'_>]) -> Vec<Excess> {
    let catalog = Catalog::get();
    let mut out = Vec::new();
    for policy in role_policies {
        for (index, statement) in policy.document.statements().iter().enumerate() {
            if statement.effect != Effect::Allow {
                continue;
            }
            let statement_ref = StatementRef::new(policy.name, policy.document, index);
            let conditional = statement.condition.as_ref().is_some_and(|c| !c.0.is_empty());
            // The granted actions, with their service and access level.
            let mut actions: Vec<(String, Option<(&Service, &Action)>)> = Vec::new();
            match (&statement.action, &statement.not_action) {
                (Some(patterns), _) => {
                    for pattern in patterns.as_slice() {
                        let found = catalog.actions_matching(pattern);
                        if found.is_empty() {
                            actions.push((pattern.clone(), None));
                        }
                        actions.extend(
                            found
                                .into_iter()
                                .map(|(s, a)| (format!("{}:{}", s.prefix, a.name), Some((s, a)))),
                        );
                    }
                }
                (None, Some(excluded)) => {
                    for (s, a) in catalog.actions_matching("*") {
                        let name = format!("{}:{}", s.prefix, a.name);
                        if !excluded
                            .as_slice()
                            .iter()
                            .any(|p| crate::policy::wildcard::matches_ignore_case(p, &name))
                        {
                            actions.push((name, Some((s, a))));
                        }
                    }
                }
                (None, None) => {}
            }
            let resources: Vec<String> = match (&statement.resource, &statement.not_resource) {
                (Some(r), _) => r.as_slice().to_vec(),
                (None, Some(_)) => vec!["*".to_owned()],
                (None, None) => Vec::new(),
            };
            for resource in &resources {
                let granted: Vec<&(String, Option<(&Service, &Action)>)> = actions
                    .iter()
                    .filter(|(_, found)| found.is_none_or(|(s, a)| grantable_on(s, a, resource)))
                    .collect();
                // How many actions of each service the grant reaches: a
                // service granted whole is reported by counts, not names.
                let mut per_service: HashMap<&str, usize> = HashMap::new();
                for (_, found) in &granted {
                    if let Some((s, _)) = found {
                        *per_service.entry(s.prefix).or_default() += 1;
                    }
                }
                let whole: HashMap<&str, bool> = per_service
                    .iter()
                    .filter_map(|(&prefix, &n)| {
                        let service = catalog.service(prefix)?;
                        let reachable = service
                            .actions
                            .iter()
                            .filter(|a| grantable_on(service, a, resource))
                            .count();
                        Some((prefix, n == reachable))
                    })
                    .collect();
                for (action, found) in granted {
                    let mut matching = needs.iter().filter(|(a, _)| a.eq_ignore_ascii_case(action));
                    if matching.clone().any(|(_, needed)| covers(needed, resource)) {
                        continue;
                    }
                    let needed_on = matching.next().map(|(_, r)| r.clone());
                    if needed_on.is_some() && conditional {
                        // A conditioned grant (e.g. AllowRotationLambdaArn on
                        // `secret:*`, as the hosted-rotation templates do) is
                        // scoped by its condition, not its resource.
                        continue;
                    }
                    let level = found.map(|(_, a)| a.access_level);
                    let flagged = resource == "*"
                        && matches!(
                            level,
                            Some(AccessLevel::Write | AccessLevel::PermissionsManagement)
                        );
                    let whole_service = found.is_some_and(|(s, _)| whole.get(s.prefix) == Some(&true));
                    out.push(Excess {
                        action: action.clone(),
                        access_level: level,
                        resource: resource.clone(),
                        statement: statement_ref.clone(),
                        conditional,
                        flagged,
                        needed_on,
                        whole_service,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| (a.access_level, &a.action).cmp(&(b.access_level, &b.action)));
    out.dedup_by(|a, b| a.action == b.action && a.resource == b.resource);
    out
}

/// Whether `action` can ever be granted on resources matching `resource`:
/// `*` reaches every action; an ARN pattern only the actions with a resource
/// type whose ARN format it can match (an action without resource types is
/// authorized on `*` alone: Service Authorization Reference, "Resource
/// types" column, and IAM User Guide, "IAM JSON policy elements: Resource":
/// "you must use the wildcard (*) in the Resource element").
fn grantable_on(service: &Service, action: &Action, resource: &str) -> bool {
    if resource.bytes().all(|b| b == b'*') {
        return true;
    }
    let mut types = service.resource_types_of(action).peekable();
    if types.peek().is_none() {
        return false;
    }
    types.any(|(t, _)| t.matches_arn(resource))
}

/// Whether a grant on `granted` stays within `needed`: every resource the
/// pattern `granted` matches is matched by `needed`. A sufficient test on
/// the patterns' text: a `*` of `needed` absorbs any run of `granted`
/// (wildcards included), a `?` any one character but `*`, and other
/// characters must be equal. (`?` in the `-??????` secret suffix stays
/// within one name.)
fn covers(needed: &str, granted: &str) -> bool {
    fn go(n: &[u8], g: &[u8]) -> bool {
        match n.split_first() {
            None => g.is_empty(),
            Some((b'*', rest)) => (0..=g.len()).any(|i| go(rest, &g[i..])),
            Some((b'?', rest)) => g.first().is_some_and(|&c| c != b'*') && go(rest, &g[1..]),
            Some((c, rest)) => g.first() == Some(c) && go(rest, &g[1..]),
        }
    }
    needed == granted || go(needed.as_bytes(), granted.as_bytes())
}

/// The excess of one grant (a statement's actions on one resource pattern),
/// counted by service and access level: an `Action: "*"` is some four
/// hundred services, not twenty thousand lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcessGrant {
    /// The granting statement.
    pub statement: StatementRef,
    /// The resource pattern.
    pub resource: String,
    /// Whether the statement has a condition (the grant may be narrower).
    pub conditional: bool,
    /// Write or Permissions-management access on every resource.
    pub flagged: bool,
    /// Services in prefix order, each with its counts by access level.
    pub services: Vec<ServiceExcess>,
    /// Actions rotation needs, granted here on a wider resource:
    /// (action, the resource it is needed on).
    pub wider: Vec<(String, String)>,
}

impl ExcessGrant {
    /// The number of actions granted beyond the need.
    pub fn count(&self) -> usize {
        self.services.iter().map(ServiceExcess::count).sum()
    }
}

/// One service's share of an [`ExcessGrant`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceExcess {
    /// The service prefix (`ec2`), or for actions the catalog does not know,
    /// the pattern's prefix.
    pub service: String,
    /// Counts by access level (`None`: unknown to the catalog), in level order.
    pub levels: Vec<(Option<AccessLevel>, usize)>,
    /// The grant reaches every action of the service that can be granted
    /// on its resource.
    pub whole: bool,
    /// The actions by name, unless the service is granted whole.
    pub actions: Vec<String>,
}

impl ServiceExcess {
    /// The number of actions.
    pub fn count(&self) -> usize {
        self.levels.iter().map(|(_, n)| n).sum()
    }
}

impl CheckReport {
    /// The excess grouped by grant, then service and access level.
    pub fn excess_grants(&self) -> Vec<ExcessGrant> {
        let mut grants: Vec<ExcessGrant> = Vec::new();
        for e in &self.excess {
            let at = match grants
                .iter()
                .position(|g| g.statement == e.statement && g.resource == e.resource)
            {
                Some(at) => at,
                None => {
                    grants.push(ExcessGrant {
                        statement: e.statement.clone(),
                        resource: e.resource.clone(),
                        conditional: e.conditional,
                        flagged: false,
                        services: Vec::new(),
                        wider: Vec::new(),
                    });
                    grants.len() - 1
                }
            };
            let grant = &mut grants[at];
            grant.flagged |= e.flagged;
            if let Some(needed) = &e.needed_on {
                grant.wider.push((e.action.clone(), needed.clone()));
            }
            let prefix = e.action.split_once(':').map_or(e.action.as_str(), |(p, _)| p);
            let service = match grant.services.iter().position(|s| s.service == prefix) {
                Some(i) => &mut grant.services[i],
                None => {
                    grant.services.push(ServiceExcess {
                        service: prefix.to_owned(),
                        levels: Vec::new(),
                        whole: e.whole_service,
                        actions: Vec::new(),
                    });
                    let last = grant.services.len() - 1;
                    &mut grant.services[last]
                }
            };
            match service.levels.iter_mut().find(|(l, _)| *l == e.access_level) {
                Some((_, n)) => *n += 1,
                None => service.levels.push((e.access_level, 1)),
            }
            service.whole &= e.whole_service;
            service.actions.push(e.action.clone());
        }
        for grant in &mut grants {
            grant.services.sort_by(|a, b| a.service.cmp(&b.service));
            for service in &mut grant.services {
                service.levels.sort();
                if service.whole {
                    service.actions.clear();
                } else {
                    service.actions.sort();
                }
            }
        }
        grants
    }
}
