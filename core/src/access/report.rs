//! The access check: evaluate every request rotation makes, list what the
//! role grants beyond them, and judge who may invoke the function.

use crate::catalog::{AccessLevel, ActionPatterns as _, Catalog};
use crate::policy::{Effect, PolicyDocument};
use crate::spec::RotationSpec;

use super::eval::{evaluate, Decision, Evaluation, NamedPolicy, PolicyKind, StatementRef};
use super::request::Request;
use super::requirements::{invoke, invoke_probes, requirements, tolerated};

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
}

/// Runs the check.
pub fn check(input: &CheckInput<'_>) -> CheckReport {
    let spec = input.spec;
    let identity: Vec<NamedPolicy<'_>> = input
        .role_policies
        .iter()
        .map(|p| NamedPolicy {
            name: p.name,
            kind: PolicyKind::Identity,
            document: p.document,
        })
        .collect();
    let secret_policy = input.secret_policy.map(|p| NamedPolicy {
        name: p.name,
        kind: PolicyKind::Resource,
        document: p.document,
    });
    let key_policy = input.key_policy.map(|p| NamedPolicy {
        name: p.name,
        kind: PolicyKind::KeyPolicy,
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
            kind: PolicyKind::Resource,
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
                kind: PolicyKind::Identity,
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
    }
}

/// Expands every `Allow` statement of the role's policies through the
/// catalog and keeps what no requirement (or tolerated grant) needs, or
/// what is granted on a wider resource than needed.
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
            // The granted actions, with their access levels.
            let mut actions: Vec<(String, Option<AccessLevel>)> = Vec::new();
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
                                .map(|(s, a)| (format!("{}:{}", s.prefix, a.name), Some(a.access_level))),
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
                            actions.push((name, Some(a.access_level)));
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
            for (action, level) in actions {
                for resource in &resources {
                    let mut matching = needs.iter().filter(|(a, _)| a.eq_ignore_ascii_case(&action));
                    if matching.clone().any(|(_, r)| !is_wider(resource, r)) {
                        continue;
                    }
                    let needed_on = matching.next().map(|(_, r)| r.clone());
                    if needed_on.is_some() && conditional {
                        // A conditioned grant (e.g. AllowRotationLambdaArn on
                        // `secret:*`, as the hosted-rotation templates do) is
                        // scoped by its condition, not its resource.
                        continue;
                    }
                    let flagged = resource == "*"
                        && matches!(
                            level,
                            Some(AccessLevel::Write | AccessLevel::PermissionsManagement)
                        );
                    out.push(Excess {
                        action: action.clone(),
                        access_level: level,
                        resource: resource.clone(),
                        statement: statement_ref.clone(),
                        conditional,
                        flagged,
                        needed_on,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| (a.access_level, &a.action).cmp(&(b.access_level, &b.action)));
    out.dedup_by(|a, b| a.action == b.action && a.resource == b.resource);
    out
}

/// Whether granting on `granted` reaches resources beyond `needed`: a
/// pattern with `*` that is not the needed text itself. (`?` wildcards, as
/// in the `-??????` secret suffix, stay within one name.)
fn is_wider(granted: &str, needed: &str) -> bool {
    granted != needed && granted.contains('*')
}
