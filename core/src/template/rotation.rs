//! `check --template`: the policies that decide whether a template's
//! rotation function can rotate its secret, taken from the template, and the
//! spec values that line up with them.
//!
//! A template's values are not known until it is deployed: a policy's
//! `{"Ref": "Secret"}` is the placeholder `${Secret}` once extracted. The
//! check's requests use the spec's placeholders (`${SecretArn}`,
//! `${RotationLambdaArn}`, `${KmsKeyArn}`), so each template placeholder
//! that stands for the rotated secret, the function or the key is renamed to
//! the spec's, and [`RotationTemplate::placeholders`] says which stands for
//! which. Two equal placeholders are the same value at deploy time; a
//! placeholder compared with anything else is not known to match or not,
//! and [`RotationTemplate::unprovable`] turns every decision that rests on
//! such a comparison (or on a parameter, an `Fn::If`, a conditional
//! resource, a policy outside the template) into "not provable".

use std::collections::BTreeMap;

use super::extract::{child, extract, text_of};
use super::tree::{Lines, Node};
use super::{cfn, tree, ReadError};
use crate::access::{CheckReport, Decision, RequirementResult};
use crate::lint::reader::Document;
use crate::policy::{wildcard, ConditionValue, Effect, PolicyDocument, Statement};

/// The spec placeholders a template's values are renamed to.
const SECRET: &str = "${SecretArn}";
const FUNCTION: &str = "${RotationLambdaArn}";
const KEY: &str = "${KmsKeyArn}";
const SUPERUSER: &str = "${SuperuserSecretArn}";

/// Pseudo parameters that have one value in a deployed stack, the same in
/// the template's policies and in the check's requests (CloudFormation User
/// Guide, "Pseudo parameters reference").
const PSEUDO: [&str; 4] = [
    "${AWS::AccountId}",
    "${AWS::Region}",
    "${AWS::Partition}",
    "${AWS::URLSuffix}",
];

/// AWS managed policies Lambda documents for execution roles, which grant
/// CloudWatch Logs (and EC2 network interface) actions and deny nothing
/// (Lambda Developer Guide, "Lambda execution role": AWS managed policies
/// for Lambda features).
const LAMBDA_MANAGED_POLICIES: [&str; 2] = [
    "service-role/AWSLambdaBasicExecutionRole",
    "service-role/AWSLambdaVPCAccessExecutionRole",
];

/// Which option of `check` an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateArg {
    /// The template itself (`--template`).
    Template,
    /// The function's logical id (`--function`).
    Function,
    /// The superuser secret (`--superuser-secret`).
    SuperuserSecret,
}

/// Why a template cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    arg: TemplateArg,
    message: String,
}

impl TemplateError {
    fn new(arg: TemplateArg, message: impl Into<String>) -> Self {
        TemplateError {
            arg,
            message: message.into(),
        }
    }
    /// The option the error is about.
    pub fn arg(&self) -> TemplateArg {
        self.arg
    }
    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A policy document taken from the template, named for reports
/// (`FILE#/Resources/Role/Properties/Policies/0/PolicyDocument`).
#[derive(Debug, Clone, PartialEq)]
pub struct TemplatePolicy {
    /// The name reports use.
    pub name: String,
    /// The document, with the template's placeholders renamed to the spec's.
    pub document: PolicyDocument,
}

/// A spec placeholder and what it stands for in the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stands {
    /// The spec placeholder (`${SecretArn}`), or the role's (`${Role.Arn}`).
    pub placeholder: String,
    /// What it stands for: `the secret `Secret4DA88516` (its Ref: the ARN)`.
    pub meaning: String,
}

/// Options that select inside the template.
#[derive(Debug, Clone, Copy, Default)]
pub struct Selection<'a> {
    /// The function's logical id (required when there are several).
    pub function: Option<&'a str>,
    /// The superuser secret: a logical id of the template, or an ARN.
    pub superuser_secret: Option<&'a str>,
}

/// What a template holds for one rotation function: the policies `check`
/// evaluates and the spec values that line up with them.
#[derive(Debug, Clone, PartialEq)]
pub struct RotationTemplate {
    function: Option<String>,
    role: String,
    role_arn: String,
    role_policies: Vec<TemplatePolicy>,
    function_policy: Option<TemplatePolicy>,
    function_policy_sources: Vec<String>,
    secret_policy: Option<TemplatePolicy>,
    key_policy: Option<TemplatePolicy>,
    secret_given: Option<String>,
    kms: bool,
    superuser_given: Option<String>,
    vpc: Option<bool>,
    placeholders: Vec<Stands>,
    notes: Vec<String>,
    /// Reasons that leave every decision unprovable (a policy outside the template).
    global: Vec<String>,
    /// Reasons that apply to requests of a service (`kms`): the key policy is not in the template.
    per_service: Vec<(String, String)>,
    /// No rotation schedule names the function: which secret it rotates is
    /// not in the template, so a denial on `${SecretArn}` may be a grant on
    /// the real secret under another name.
    secret_unnamed: bool,
    /// (policy name, statement index) -> why the statement's value is not known.
    uncertain: BTreeMap<(String, usize), String>,
}

impl RotationTemplate {
    /// The function's logical id, or `None` when the template only holds its
    /// role and permission (the function is deployed elsewhere).
    pub fn function(&self) -> Option<&str> {
        self.function.as_deref()
    }
    /// The execution role's logical id.
    pub fn role(&self) -> &str {
        &self.role
    }
    /// The role's ARN as the template writes it (`${Role.Arn}`).
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }
    /// The role's policies found in the template.
    pub fn role_policies(&self) -> &[TemplatePolicy] {
        &self.role_policies
    }
    /// The function policy made of the function's `AWS::Lambda::Permission`s.
    pub fn function_policy(&self) -> Option<&TemplatePolicy> {
        self.function_policy.as_ref()
    }
    /// The template pointer of each statement of [`Self::function_policy`].
    pub fn function_policy_sources(&self) -> &[String] {
        &self.function_policy_sources
    }
    /// The secret's `AWS::SecretsManager::ResourcePolicy`.
    pub fn secret_policy(&self) -> Option<&TemplatePolicy> {
        self.secret_policy.as_ref()
    }
    /// The key policy of the secret's `AWS::KMS::Key`.
    pub fn key_policy(&self) -> Option<&TemplatePolicy> {
        self.key_policy.as_ref()
    }
    /// The secret's ARN when the template writes it as a literal (the spec's
    /// `secret` then), else `None` (the spec's `${SecretArn}`).
    pub fn secret_arn(&self) -> Option<&str> {
        self.secret_given.as_deref()
    }
    /// The secret is encrypted with a customer managed key of the template
    /// (the spec's `kms`, as `${KmsKeyArn}`).
    pub fn kms(&self) -> bool {
        self.kms
    }
    /// The superuser secret's ARN to give the spec, when it was given as one.
    pub fn superuser_secret_arn(&self) -> Option<&str> {
        self.superuser_given.as_deref()
    }
    /// Whether the function runs in a VPC (`VpcConfig`), when the function is in the template.
    pub fn vpc(&self) -> Option<bool> {
        self.vpc
    }
    /// Which placeholder stands for which resource.
    pub fn placeholders(&self) -> &[Stands] {
        &self.placeholders
    }
    /// What was read and what the template does not show, one sentence each.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Why the report's decisions are not proved by the template, one
    /// sentence each; empty when every decision stands. A requirement's
    /// decision is not provable when a statement whose action covers it
    /// holds a value the template leaves unknown and could decide it: a
    /// `Deny` (it might apply), the allowing statement (it might not), or,
    /// for a denial, an `Allow` (it might apply).
    pub fn unprovable(&self, report: &CheckReport) -> Vec<String> {
        let mut out = self.global.clone();
        let mut results: Vec<&RequirementResult> = report.requirements.iter().collect();
        if let Some(verdict) = &report.resource_policy {
            results.push(&verdict.invoke);
        }
        for result in results {
            let request = &result.request;
            if self.secret_unnamed
                && result.evaluation.decision != Decision::Allowed
                && request.resource == SECRET
            {
                out.push(format!(
                    "{} on {SECRET} ({}): no `AWS::SecretsManager::RotationSchedule` names the function, so the template does not say which secret it rotates; a grant on another name may be that secret",
                    request.action,
                    result.evaluation.decision.as_str().replace('_', " ")
                ));
            }
            for (service, reason) in &self.per_service {
                if request.is_service(service) {
                    out.push(format!("{} on {}: {reason}", request.action, request.resource));
                }
            }
            for policy in self.considered(request) {
                for (index, statement) in policy.document.statements().iter().enumerate() {
                    if !covers_action(statement, &request.action) {
                        continue;
                    }
                    let why = self
                        .uncertain
                        .get(&(policy.name.clone(), index))
                        .cloned()
                        .or_else(|| compares_unknown(statement, request));
                    let Some(why) = why else { continue };
                    let deciding = result
                        .evaluation
                        .statement
                        .as_ref()
                        .is_some_and(|s| s.policy == policy.name && s.index == index);
                    let allowed = result.evaluation.decision == Decision::Allowed;
                    let decides = match statement.effect {
                        Effect::Deny => allowed || deciding,
                        Effect::Allow => deciding || !allowed,
                    };
                    if decides {
                        let at = crate::access::StatementRef::new(&policy.name, &policy.document, index);
                        out.push(format!(
                            "{} on {} ({}): {at} {why}",
                            request.action,
                            request.resource,
                            result.evaluation.decision.as_str().replace('_', " ")
                        ));
                    }
                }
            }
        }
        out.dedup();
        out
    }

    /// The policies the check consults for `request` (as `access::check` does).
    fn considered(&self, request: &crate::access::Request) -> Vec<&TemplatePolicy> {
        // The invoke is Secrets Manager's, judged by the function policy alone.
        if let crate::access::RequestPrincipal::Service(_) = request.principal {
            return self.function_policy.iter().collect();
        }
        let mut out: Vec<&TemplatePolicy> = self.role_policies.iter().collect();
        if request.is_service("secretsmanager") && request.resource != "*" {
            out.extend(self.secret_policy.iter());
        }
        if request.is_service("kms") && request.resource == KEY {
            out.extend(self.key_policy.iter());
        }
        out
    }
}

/// Whether the statement's `Action`/`NotAction` covers `action`.
fn covers_action(statement: &Statement, action: &str) -> bool {
    let hit = |patterns: &[String]| patterns.iter().any(|p| wildcard::matches_ignore_case(p, action));
    match (&statement.action, &statement.not_action) {
        (Some(a), _) => hit(a.as_slice()),
        (None, Some(na)) => !hit(na.as_slice()),
        (None, None) => false,
    }
}

/// A `${...}` of one whole value: a template value compared by identity.
fn is_token(text: &str) -> bool {
    text.starts_with("${") && text.ends_with('}') && text[2..].find('}') == Some(text.len() - 3)
}

/// Whether a statement compares a value the request holds as a template
/// placeholder (`${SecretArn}`) with a different value that might equal it
/// once deployed: a literal ARN or a pattern (`arn:aws:secretsmanager:*`),
/// in `Resource`/`NotResource` or in a condition on that key. Two
/// placeholders are two resources of the template (or one), `*` matches
/// anything, and a pattern that matches the placeholder text matches what
/// it stands for: those comparisons are exact.
fn compares_unknown(statement: &Statement, request: &crate::access::Request) -> Option<String> {
    let unknown_against = |pattern: &str, value: &str| {
        value.contains("${")
            && !pattern.bytes().all(|b| b == b'*')
            && !is_token(pattern)
            && !wildcard::Pattern::wildcard(pattern).matches(value)
    };
    let resources = statement.resource.as_ref().or(statement.not_resource.as_ref());
    if let Some(pattern) = resources
        .map(|r| r.as_slice())
        .unwrap_or_default()
        .iter()
        .find(|p| unknown_against(p, &request.resource))
    {
        return Some(format!(
            "compares the resource `{}` with `{pattern}`, which the template does not decide",
            request.resource
        ));
    }
    // A resource or key policy's `AWS` principal: a literal account or ARN
    // against the role, whose ARN and account are the template's.
    if let crate::access::RequestPrincipal::Role { arn, account } = &request.principal {
        let principals = statement.principal.iter().chain(statement.not_principal.iter());
        for principal in principals {
            let crate::policy::Principal::Map(map) = principal else {
                continue;
            };
            let values = map
                .iter()
                .filter(|(kind, _)| *kind == "AWS")
                .flat_map(|(_, v)| v.as_slice());
            for value in values {
                let decided = value == "*"
                    || value.contains("${")
                    || !(account.contains("${") || arn.as_deref().is_some_and(|a| a.contains("${")));
                if !decided {
                    return Some(format!(
                        "names the principal `{value}`, which the template does not decide is or is not the role `{}`",
                        request.principal_name()
                    ));
                }
            }
        }
    }
    let block = statement.condition.as_ref()?;
    for (_, keys) in block.iter() {
        for (key, values) in keys.iter() {
            let Some(actual) = request.context_values(key) else {
                continue;
            };
            for value in values.as_slice() {
                let ConditionValue::String(value) = value else {
                    continue;
                };
                if let Some(actual) = actual.iter().find(|a| unknown_against(value, a)) {
                    return Some(format!(
                        "compares `{key}` (`{actual}`) with `{value}`, which the template does not decide"
                    ));
                }
            }
        }
    }
    None
}

/// Reads a template (JSON or YAML) into a located tree.
fn read(name: &str, text: &str) -> Result<Node, ReadError> {
    let lines = Lines::new(text);
    match Document::parse(text) {
        Ok(doc) => Ok(tree::from_json(&doc, &lines)),
        Err(e)
            if text.trim_start().starts_with(['{', '[']) || name.to_ascii_lowercase().ends_with(".json") =>
        {
            Err(ReadError {
                message: format!("JSON syntax error: {}", e.message),
                line: lines.pos(e.offset).line,
                column: lines.pos(e.offset).column,
            })
        }
        Err(_) => tree::from_yaml(text, &lines),
    }
}

/// A resource of the template.
struct Resource<'n> {
    id: &'n str,
    kind: &'n str,
    node: &'n Node,
}

impl<'n> Resource<'n> {
    fn props(&self) -> Option<&'n Node> {
        self.node.get("Properties")
    }
    fn prop_text(&self, name: &str) -> Option<String> {
        self.props().and_then(|p| p.get(name)).map(text_of)
    }
    fn pointer(&self) -> String {
        child(&child("", "Resources"), self.id)
    }
}

/// The logical id a `${Id}` or `${Id.Attr}` token names.
fn token_id(text: &str) -> Option<&str> {
    if !is_token(text) {
        return None;
    }
    let inner = &text[2..text.len() - 1];
    Some(inner.split_once('.').map_or(inner, |(id, _)| id))
}

/// Takes from the template `name` (its bytes `source`) the policies that
/// decide rotation for one function, and the spec values that line up
/// with them.
///
/// The function is the template's one `AWS::Lambda::Function` or
/// `AWS::Serverless::Function`, or the one `selection.function` names. A
/// template without a function may still hold the execution role and the
/// invoke permission of a function deployed elsewhere (what `generate
/// --format cloudformation` writes): then the role is the one role that
/// Lambda may assume, and the function the permissions' `FunctionName`.
///
/// # Errors
///
/// The template does not read or is not a CloudFormation template; no
/// function (and no role for one); several functions and none named; an
/// unknown logical id; a function whose role is not in the template.
pub fn rotation_template(
    name: &str,
    source: &[u8],
    selection: Selection<'_>,
) -> Result<RotationTemplate, TemplateError> {
    let template_error = |m: String| TemplateError::new(TemplateArg::Template, m);
    let text =
        std::str::from_utf8(source).map_err(|e| template_error(format!("`{name}` is not UTF-8: {e}")))?;
    let root = read(name, text).map_err(|e| template_error(format!("`{name}:{e}`")))?;
    if !cfn::is_template(&root) {
        return Err(template_error(format!(
            "`{name}` is not a CloudFormation template (no `Resources` with an `AWS::` type)"
        )));
    }
    let resources: Vec<Resource<'_>> = root
        .get("Resources")
        .map(Node::members)
        .unwrap_or_default()
        .iter()
        .filter_map(|m| {
            Some(Resource {
                id: &m.key,
                kind: m.value.get("Type").and_then(Node::as_str)?,
                node: &m.value,
            })
        })
        .collect();
    let find = |id: &str| resources.iter().find(|r| r.id == id);
    let mut b = Builder {
        name,
        resources: &resources,
        renames: Vec::new(),
        out: RotationTemplate {
            function: None,
            role: String::new(),
            role_arn: String::new(),
            role_policies: Vec::new(),
            function_policy: None,
            function_policy_sources: Vec::new(),
            secret_policy: None,
            key_policy: None,
            secret_given: None,
            kms: false,
            superuser_given: None,
            vpc: None,
            placeholders: Vec::new(),
            notes: cfn::transform_notes(&root),
            global: Vec::new(),
            per_service: Vec::new(),
            secret_unnamed: false,
            uncertain: BTreeMap::new(),
        },
    };

    // The function, and the texts that name it.
    let functions: Vec<&Resource<'_>> = resources
        .iter()
        .filter(|r| matches!(r.kind, "AWS::Lambda::Function" | "AWS::Serverless::Function"))
        .collect();
    let function = match (selection.function, functions.as_slice()) {
        (Some(id), _) => Some(*functions.iter().find(|f| f.id == id).ok_or_else(|| {
            let known: Vec<&str> = functions.iter().map(|f| f.id).collect();
            TemplateError::new(
                TemplateArg::Function,
                if known.is_empty() {
                    format!("no function `{id}` in `{name}`: it has no `AWS::Lambda::Function` or `AWS::Serverless::Function`")
                } else {
                    format!("no function `{id}` in `{name}`; its functions are {}", list(&known))
                },
            )
        })?),
        (None, [one]) => Some(*one),
        (None, []) => None,
        (None, several) => {
            let ids: Vec<&str> = several.iter().map(|f| f.id).collect();
            return Err(TemplateError::new(
                TemplateArg::Function,
                format!(
                    "`{name}` has {} functions ({}): name the rotation function's logical id with `--function`",
                    ids.len(),
                    list(&ids)
                ),
            ));
        }
    };
    let permissions: Vec<&Resource<'_>> = resources
        .iter()
        .filter(|r| r.kind == "AWS::Lambda::Permission")
        .collect();
    let (role_id, function_texts) = match function {
        Some(f) => {
            let role_text = f.prop_text("Role").ok_or_else(|| {
                let sam = if f.kind == "AWS::Serverless::Function" {
                    ": without one SAM makes a role from its `Policies`, which the template does not show; give it `Role: !GetAtt ROLE.Arn` or check the processed template"
                } else {
                    ""
                };
                template_error(format!("the function `{}` in `{name}` has no `Role`{sam}", f.id))
            })?;
            let role_id = token_id(&role_text)
                .filter(|id| find(id).is_some_and(|r| r.kind == "AWS::IAM::Role"))
                .ok_or_else(|| {
                    template_error(format!(
                        "the role of the function `{}` (`{role_text}`) is not an `AWS::IAM::Role` of `{name}`",
                        f.id
                    ))
                })?
                .to_owned();
            let mut texts = vec![format!("${{{}}}", f.id), format!("${{{}.Arn}}", f.id)];
            texts.extend(f.prop_text("FunctionName"));
            b.out.function = Some(f.id.to_owned());
            b.out.vpc = Some(f.props().and_then(|p| p.get("VpcConfig")).is_some());
            b.out.notes.push(format!(
                "the function `{}` ({}), its role `{role_id}`",
                f.id, f.kind
            ));
            (role_id, texts)
        }
        None => {
            let roles: Vec<&Resource<'_>> = resources
                .iter()
                .filter(|r| {
                    r.kind == "AWS::IAM::Role"
                        && r.props()
                            .and_then(|p| p.get("AssumeRolePolicyDocument"))
                            .is_some_and(|d| extract(d, "").json.contains("lambda.amazonaws.com"))
                })
                .collect();
            let names: Vec<String> = permissions
                .iter()
                .filter_map(|p| p.prop_text("FunctionName"))
                .collect();
            match (roles.as_slice(), names.first()) {
                ([role], Some(first)) if names.iter().all(|n| n == first) => {
                    b.out.notes.push(format!(
                        "no function in the template: the role `{}` (the one role Lambda may assume) and the permissions for `{first}`, a function deployed elsewhere",
                        role.id
                    ));
                    (role.id.to_owned(), vec![first.clone()])
                }
                _ => {
                    // A hosted rotation's function and role come from the
                    // `AWS::SecretsManager` transform (Secrets Manager User
                    // Guide, "AWS::SecretsManager transform").
                    let hosted = resources.iter().find(|r| {
                        r.kind == "AWS::SecretsManager::RotationSchedule"
                            && r.props().and_then(|p| p.get("HostedRotationLambda")).is_some()
                    });
                    let why = match hosted {
                        Some(h) => format!(
                            "; its rotation `{}` is hosted: the `AWS::SecretsManager` transform adds that function and its role, which the template does not show",
                            h.id
                        ),
                        None => String::new(),
                    };
                    return Err(TemplateError::new(
                        TemplateArg::Function,
                        format!(
                            "`{name}` has no `AWS::Lambda::Function` or `AWS::Serverless::Function`, nor one role for Lambda with permissions for one function{why}"
                        ),
                    ));
                }
            }
        }
    };
    let role = find(&role_id).ok_or_else(|| template_error(format!("no role `{role_id}` in `{name}`")))?;
    b.out.role_arn = format!("${{{role_id}.Arn}}");
    b.out.role.clone_from(&role_id);

    // The secret (and its key) from the rotation schedule that names the function.
    let names_function = |text: &str| function_texts.iter().any(|t| t == text);
    let schedules: Vec<(&Resource<'_>, String)> = resources
        .iter()
        .filter(|r| r.kind == "AWS::SecretsManager::RotationSchedule")
        .filter(|r| {
            r.prop_text("RotationLambdaARN")
                .is_some_and(|t| names_function(&t))
        })
        .filter_map(|r| Some((r, r.prop_text("SecretId")?)))
        .collect();
    let secret_text = match schedules.as_slice() {
        [] => {
            b.out.placeholders.push(Stands {
                placeholder: SECRET.to_owned(),
                meaning: "the rotated secret: no `AWS::SecretsManager::RotationSchedule` names the function, so the template's own `${SecretArn}`, if it has one".to_owned(),
            });
            b.out.secret_unnamed = true;
            None
        }
        [(schedule, secret), rest @ ..] => {
            if let Some((other, _)) = rest.iter().find(|(_, s)| s != secret) {
                return Err(template_error(format!(
                    "the function rotates several secrets (schedules `{}` and `{}`): check them one template at a time",
                    schedule.id, other.id
                )));
            }
            Some((schedule.id, secret.clone()))
        }
    };
    if let Some((schedule, secret)) = &secret_text {
        if is_token(secret) {
            b.rename(secret, SECRET);
            b.out.placeholders.push(Stands {
                placeholder: SECRET.to_owned(),
                meaning: format!("`{secret}`, the secret that the schedule `{schedule}` rotates"),
            });
        } else if secret.starts_with("arn:") && !secret.contains("${") {
            b.out.secret_given = Some(secret.clone());
        } else {
            b.out.global.push(format!(
                "the schedule `{schedule}` names its secret as `{secret}`, which is neither a literal ARN nor one resource"
            ));
        }
    }
    let secret_resource = secret_text
        .as_ref()
        .and_then(|(_, s)| token_id(s))
        .and_then(&find)
        .filter(|r| r.kind == "AWS::SecretsManager::Secret");
    let mut key_resource = None;
    if let Some(key_text) = secret_resource.and_then(|s| s.prop_text("KmsKeyId")) {
        b.out.kms = true;
        match token_id(&key_text)
            .and_then(&find)
            .filter(|k| k.kind == "AWS::KMS::Key")
        {
            Some(key) => {
                b.rename(&format!("${{{}.Arn}}", key.id), KEY);
                b.out.placeholders.push(Stands {
                    placeholder: KEY.to_owned(),
                    meaning: format!("`${{{}.Arn}}`, the key that encrypts the secret", key.id),
                });
                key_resource = Some(key);
            }
            None => {
                b.out.placeholders.push(Stands {
                    placeholder: KEY.to_owned(),
                    meaning: format!("`{key_text}`, the key that encrypts the secret, not in the template"),
                });
                b.out.per_service.push((
                    "kms".to_owned(),
                    format!("the secret's key `{key_text}` and its key policy are not in the template"),
                ));
            }
        }
    }
    let function_placeholder = function_texts
        .iter()
        .find(|t| t.ends_with(".Arn}") || function.is_none())
        .cloned()
        .unwrap_or_default();
    b.rename(&function_placeholder, FUNCTION);
    b.out.placeholders.push(Stands {
        placeholder: FUNCTION.to_owned(),
        meaning: format!("`{function_placeholder}`, the rotation function's ARN"),
    });
    b.out.placeholders.push(Stands {
        placeholder: b.out.role_arn.clone(),
        meaning: format!("the ARN of the execution role `{role_id}`"),
    });
    if let Some(superuser) = selection.superuser_secret {
        if find(superuser).is_some() {
            b.rename(&format!("${{{superuser}}}"), SUPERUSER);
            b.out.placeholders.push(Stands {
                placeholder: SUPERUSER.to_owned(),
                meaning: format!("`${{{superuser}}}`, the superuser secret"),
            });
        } else if superuser.starts_with("arn:") {
            b.out.superuser_given = Some(superuser.to_owned());
        } else {
            return Err(TemplateError::new(
                TemplateArg::SuperuserSecret,
                format!("with `--template`, a logical id of `{name}` or an ARN; no resource `{superuser}`"),
            ));
        }
    }

    b.role_policies(role);
    b.function_policy(&permissions, &function_texts);
    if let Some((_, secret)) = &secret_text {
        let policy = resources
            .iter()
            .filter(|r| r.kind == "AWS::SecretsManager::ResourcePolicy")
            .find(|r| r.prop_text("SecretId").as_deref() == Some(secret.as_str()));
        if let Some((policy, doc)) = policy.and_then(|p| Some((p, p.props()?.get("ResourcePolicy")?))) {
            let at = child(&child(&policy.pointer(), "Properties"), "ResourcePolicy");
            b.out.secret_policy = b.policy(doc, &at, policy.node).ok();
        }
    }
    if let Some(key) = key_resource {
        match key.props().and_then(|p| p.get("KeyPolicy")) {
            Some(doc) => {
                let at = child(&child(&key.pointer(), "Properties"), "KeyPolicy");
                b.out.key_policy = b.policy(doc, &at, key.node).ok();
            }
            None => b.out.per_service.push((
                "kms".to_owned(),
                format!("the key `{}` has no `KeyPolicy` in the template", key.id),
            )),
        }
    }
    Ok(b.out)
}

fn list(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Builder<'a, 'n> {
    name: &'a str,
    resources: &'a [Resource<'n>],
    /// Template token -> spec placeholder.
    renames: Vec<(String, String)>,
    out: RotationTemplate,
}

impl Builder<'_, '_> {
    fn rename(&mut self, from: &str, to: &str) {
        if !from.is_empty() && from != to {
            self.renames.push((from.to_owned(), to.to_owned()));
        }
    }

    /// Replaces each whole `${...}` token that stands for a spec value.
    fn renamed(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            let after = &rest[at..];
            let Some(close) = after.find('}') else {
                out.push_str(after);
                return out;
            };
            let token = &after[..=close];
            match self.renames.iter().find(|(from, _)| from == token) {
                Some((_, to)) => out.push_str(to),
                None => out.push_str(token),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A template placeholder that stands for nothing the check knows: a
    /// parameter, an import, a function's value. (IAM's own policy
    /// variables, `${aws:username}`, have a colon and no `::`.)
    fn unknown_token<'t>(&self, json: &'t str) -> Option<&'t str> {
        let mut rest = json;
        while let Some(at) = rest.find("${") {
            let after = &rest[at..];
            let close = after.find('}')?;
            let token = &after[..=close];
            let inner = &token[2..token.len() - 1];
            let iam_variable = inner.contains(':') && !inner.contains("::");
            let known = iam_variable
                || inner == "*"
                || inner == "?"
                || inner == "$"
                || PSEUDO.contains(&token)
                || [SECRET, FUNCTION, KEY, SUPERUSER].contains(&token)
                || token_id(token).is_some_and(|id| self.resources.iter().any(|r| r.id == id));
            if !known {
                return Some(token);
            }
            rest = &after[close + 1..];
        }
        None
    }

    /// Reads one policy document of the template, renamed, and records why
    /// its statements' values are unknown.
    fn policy(&mut self, doc: &Node, at: &str, resource: &Node) -> Result<TemplatePolicy, ()> {
        let name = format!("{}#{at}", self.name);
        let json = self.renamed(&extract(doc, at).json);
        // A policy written as a string of JSON (a `Json` property).
        let json = match serde_json::from_str::<String>(&json) {
            Ok(inner) => inner,
            Err(_) => json,
        };
        let document = match PolicyDocument::from_json(&json) {
            Ok(document) => document,
            Err(e) => {
                self.out.global.push(format!(
                    "`{name}` is not a policy document the evaluator reads ({e}): run `rotation-policy lint` on the template"
                ));
                return Err(());
            }
        };
        let problems = crate::access::uninterpretable(&document);
        for p in &problems {
            self.out
                .global
                .push(format!("`{name}{}` cannot be evaluated: {}", p.pointer, p.reason));
        }
        let conditional = resource.get("Condition").map(text_of);
        let statement_nodes = doc.get("Statement").map(Node::items).unwrap_or_default();
        for index in 0..document.statements().len() {
            let why = if let Some(condition) = &conditional {
                Some(format!(
                    "exists only under the template condition `{condition}`, which the template does not decide"
                ))
            } else if has_if(statement_nodes.get(index).unwrap_or(doc)) {
                Some("holds an `Fn::If`, whose branch the template does not decide".to_owned())
            } else {
                let statement_json = statement_nodes
                    .get(index)
                    .map(|n| self.renamed(&extract(n, at).json))
                    .unwrap_or_else(|| json.clone());
                self.unknown_token(&statement_json)
                    .map(|t| format!("holds `{t}`, a value the template does not decide"))
            };
            if let Some(why) = why {
                self.out.uncertain.insert((name.clone(), index), why);
            }
        }
        Ok(TemplatePolicy { name, document })
    }

    /// The role's inline policies, the policies attached to it by `Roles`
    /// or `RoleName`, and the managed policies it names.
    fn role_policies(&mut self, role: &Resource<'_>) {
        let role_tokens = [format!("${{{}}}", role.id)];
        let props_at = child(&role.pointer(), "Properties");
        if let Some(props) = role.props() {
            for (i, p) in props
                .get("Policies")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .enumerate()
            {
                if let Some(doc) = p.get("PolicyDocument") {
                    let at = child(
                        &child(&child(&props_at, "Policies"), &i.to_string()),
                        "PolicyDocument",
                    );
                    if let Ok(policy) = self.policy(doc, &at, role.node) {
                        self.out.role_policies.push(policy);
                    }
                }
            }
            if props.get("PermissionsBoundary").is_some() {
                self.out.global.push(format!(
                    "the role `{}` has a `PermissionsBoundary`, which the check does not evaluate",
                    role.id
                ));
            }
            for arn in props
                .get("ManagedPolicyArns")
                .map(Node::items)
                .unwrap_or_default()
            {
                let text = text_of(arn);
                let in_template = token_id(&text).and_then(|id| {
                    self.resources
                        .iter()
                        .find(|r| r.id == id && r.kind == "AWS::IAM::ManagedPolicy")
                });
                if in_template.is_some() {
                    continue; // read below with the policies that name the role
                }
                let lambda_managed = LAMBDA_MANAGED_POLICIES
                    .iter()
                    .any(|p| text.ends_with(&format!(":iam::aws:policy/{p}")));
                if lambda_managed {
                    self.out.notes.push(format!(
                        "the role's AWS managed policy `{text}` grants logs (and network interface) actions only; not evaluated"
                    ));
                } else {
                    self.out.global.push(format!(
                        "the role's managed policy `{text}` is not in the template: it may allow or deny what the check decides"
                    ));
                }
            }
        }
        let managed_ids: Vec<String> = role
            .props()
            .and_then(|p| p.get("ManagedPolicyArns"))
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| token_id(&text_of(n)).map(str::to_owned))
            .collect();
        let resources = self.resources;
        for r in resources {
            let attached = match r.kind {
                "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
                    r.props()
                        .and_then(|p| p.get("Roles"))
                        .map(Node::items)
                        .unwrap_or_default()
                        .iter()
                        .any(|n| role_tokens.contains(&text_of(n)))
                        || managed_ids.iter().any(|id| id == r.id)
                }
                "AWS::IAM::RolePolicy" => r.prop_text("RoleName").is_some_and(|t| role_tokens.contains(&t)),
                _ => false,
            };
            if !attached {
                continue;
            }
            if let Some(doc) = r.props().and_then(|p| p.get("PolicyDocument")) {
                let at = child(&child(&r.pointer(), "Properties"), "PolicyDocument");
                if let Ok(policy) = self.policy(doc, &at, r.node) {
                    self.out.role_policies.push(policy);
                }
            }
        }
    }

    /// The function policy that the function's permissions make, one
    /// statement each, its `Resource` the function's ARN.
    fn function_policy(&mut self, permissions: &[&Resource<'_>], function_texts: &[String]) {
        let mut statements = Vec::new();
        let mut sources = Vec::new();
        for p in permissions {
            let Some(function) = p.prop_text("FunctionName") else {
                continue;
            };
            if !function_texts.contains(&function) {
                continue;
            }
            let at = child(&p.pointer(), "Properties");
            let Some(props) = p.props() else { continue };
            let made = cfn::lambda_permission(props, &at);
            // `FunctionName` may be the function's name (its Ref): the
            // statement's `Resource` is its ARN either way.
            let mut json = extract(&made, &at).json;
            for text in function_texts {
                let arn = cfn::function_arn(text);
                json = json.replace(&format!("\"{arn}\""), &format!("\"{FUNCTION}\""));
            }
            let renamed = self.renamed(&json);
            let Ok(mut document) = PolicyDocument::from_json(&renamed) else {
                self.out.global.push(format!(
                    "the permission `{}` does not make a statement the evaluator reads: run `rotation-policy lint` on the template",
                    p.id
                ));
                continue;
            };
            let index = statements.len();
            let why = if let Some(condition) = p.node.get("Condition") {
                Some(format!(
                    "exists only under the template condition `{}`, which the template does not decide",
                    text_of(condition)
                ))
            } else if has_if(props) {
                Some("holds an `Fn::If`, whose branch the template does not decide".to_owned())
            } else {
                self.unknown_token(&renamed)
                    .map(|t| format!("holds `{t}`, a value the template does not decide"))
            };
            if let Some(why) = why {
                self.out
                    .uncertain
                    .insert((self.function_policy_name(), index), why);
            }
            match std::mem::replace(
                &mut document.statement,
                crate::policy::OneOrMany::Many(Vec::new()),
            ) {
                crate::policy::OneOrMany::One(s) => statements.push(s),
                crate::policy::OneOrMany::Many(many) => statements.extend(many),
            }
            sources.push(p.pointer());
        }
        if statements.is_empty() {
            // Without a function policy Lambda lets no service invoke the
            // function (Lambda Developer Guide, "Using resource-based
            // policies in Lambda"); one may be added outside the template.
            self.out.global.push(
                "lambda:InvokeFunction: no `AWS::Lambda::Permission` for the function in the template, so Secrets Manager may invoke it only if a permission added outside the template allows it".to_owned(),
            );
            return;
        }
        // As Lambda's `GetPolicy` returns it (Lambda API reference, "GetPolicy").
        let document = PolicyDocument {
            version: Some("2012-10-17".to_owned()),
            id: Some("default".to_owned()),
            statement: crate::policy::OneOrMany::Many(statements),
        };
        self.out.function_policy = Some(TemplatePolicy {
            name: self.function_policy_name(),
            document,
        });
        self.out.function_policy_sources = sources;
    }

    fn function_policy_name(&self) -> String {
        format!("{} (function policy)", self.name)
    }
}

/// Whether an `Fn::If` occurs in the node.
fn has_if(node: &Node) -> bool {
    node.members()
        .iter()
        .any(|m| m.key == "Fn::If" || has_if(&m.value))
        || node.items().iter().any(has_if)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: secretsmanager:*
                Resource: !Ref Secret
              - Effect: Deny
                Action: secretsmanager:DeleteSecret
                Resource: !If [Prod, !Ref Secret, !Ref AWS::NoValue]
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      KmsKeyId: !Ref Key
  Key:
    Type: AWS::KMS::Key
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      FunctionName: rotate
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: rotate
      Principal: secretsmanager.amazonaws.com
      SourceAccount: !Ref AWS::AccountId
  Schedule:
    Type: AWS::SecretsManager::RotationSchedule
    Properties:
      SecretId: !Ref Secret
      RotationLambdaARN: !GetAtt Fn.Arn
";

    fn found(source: &str) -> RotationTemplate {
        rotation_template("t.yaml", source.as_bytes(), Selection::default()).expect("reads")
    }

    #[test]
    fn template_placeholders_become_the_specs() {
        let found = found(BASE);
        assert_eq!(found.function(), Some("Fn"));
        assert_eq!(found.role_arn(), "${Role.Arn}");
        assert_eq!(found.vpc(), Some(false));
        let role = &found.role_policies()[0];
        assert_eq!(
            role.name,
            "t.yaml#/Resources/Role/Properties/Policies/0/PolicyDocument"
        );
        assert_eq!(
            role.document.statements()[0]
                .resource
                .as_ref()
                .map(|r| r.as_slice().to_vec()),
            Some(vec![SECRET.to_owned()])
        );
        // The permission names the function by its `FunctionName`: its
        // statement's resource is the function's ARN.
        let function_policy = found.function_policy().expect("function policy");
        assert_eq!(
            function_policy.document.statements()[0]
                .resource
                .as_ref()
                .map(|r| r.as_slice().to_vec()),
            Some(vec![FUNCTION.to_owned()])
        );
        assert_eq!(found.function_policy_sources(), ["/Resources/Invoke"]);
        // `KmsKeyId: !Ref Key` is the key of the template: its ARN is `${KmsKeyArn}`;
        // without a `KeyPolicy` the KMS requests cannot be proved.
        assert!(found.kms());
        assert!(found.key_policy().is_none());
        assert_eq!(found.per_service.len(), 1, "{:?}", found.per_service);
        // The `Fn::If` makes statement 1 unknown; statement 0 is not.
        let key = |i: usize| (role.name.clone(), i);
        assert!(!found.uncertain.contains_key(&key(0)));
        assert!(found.uncertain[&key(1)].contains("Fn::If"));
    }

    #[test]
    fn a_placeholder_compared_with_a_literal_is_unknown_and_one_with_itself_is_not() {
        let request = crate::access::Request::new(
            crate::access::RequestPrincipal::Service("x.amazonaws.com".to_owned()),
            "secretsmanager:GetSecretValue",
            SECRET,
            "test",
        )
        .with("aws:SourceAccount", "${AWS::AccountId}");
        let statement = |resource: &str, account: &str| -> Statement {
            let json = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Action":"*","Resource":"{resource}","Condition":{{"StringEquals":{{"aws:SourceAccount":"{account}"}}}}}}]}}"#
            );
            PolicyDocument::from_json(&json).expect("policy").statements()[0].clone()
        };
        let exact = ["*", SECRET, "${Other}", "${SecretArn}*"];
        for resource in exact {
            assert_eq!(
                compares_unknown(&statement(resource, "${AWS::AccountId}"), &request),
                None,
                "{resource}"
            );
        }
        for resource in [
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-*",
            "arn:${AWS::Partition}:secretsmanager:*",
        ] {
            let why = compares_unknown(&statement(resource, "${AWS::AccountId}"), &request);
            assert!(why.is_some_and(|w| w.contains(resource)), "{resource}");
        }
        let why = compares_unknown(&statement("*", "111122223333"), &request);
        assert!(why.is_some_and(|w| w.contains("aws:SourceAccount")));
    }

    #[test]
    fn a_literal_principal_against_the_templates_role_is_unknown() {
        let request = crate::access::Request::new(
            crate::access::RequestPrincipal::Role {
                arn: Some("${Role.Arn}".to_owned()),
                account: "${AWS::AccountId}".to_owned(),
            },
            "kms:Decrypt",
            KEY,
            "test",
        );
        let statement = |principal: &str| -> Statement {
            let json = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":{{"AWS":"{principal}"}},"Action":"kms:*","Resource":"*"}}]}}"#
            );
            PolicyDocument::from_json(&json).expect("policy").statements()[0].clone()
        };
        let unknown = compares_unknown(&statement("arn:aws:iam::111122223333:role/admin"), &request);
        assert!(unknown.is_some_and(|w| w.contains("role/admin")));
        for decided in [
            "*",
            "${Role.Arn}",
            "${Other.Arn}",
            "arn:${AWS::Partition}:iam::${AWS::AccountId}:root",
        ] {
            assert_eq!(compares_unknown(&statement(decided), &request), None, "{decided}");
        }
    }

    #[test]
    fn tokens_and_renames_are_whole_placeholders() {
        assert!(is_token("${Secret}") && is_token("${Fn.Arn}"));
        assert!(!is_token("${A}-${B}") && !is_token("arn:${AWS::Partition}") && !is_token("${"));
        assert_eq!(token_id("${Fn.Arn}"), Some("Fn"));
        let resources: Vec<Resource<'_>> = Vec::new();
        let b = Builder {
            name: "t",
            resources: &resources,
            renames: vec![("${S}".to_owned(), SECRET.to_owned())],
            out: super::tests::found(BASE),
        };
        assert_eq!(
            b.renamed("${S}-?????? ${SS} ${S"),
            "${SecretArn}-?????? ${SS} ${S"
        );
        assert_eq!(
            b.unknown_token("${aws:username} ${AWS::Region} ${Param}"),
            Some("${Param}")
        );
    }

    #[test]
    fn errors_name_the_option() {
        let err = |source: &str, function: Option<&str>| {
            rotation_template(
                "t.yaml",
                source.as_bytes(),
                Selection {
                    function,
                    superuser_secret: None,
                },
            )
            .expect_err("an error")
        };
        let two = BASE.replace(
            "  Invoke:",
            "  Other:\n    Type: AWS::Lambda::Function\n  Invoke:",
        );
        assert_eq!(err(&two, None).arg(), TemplateArg::Function);
        assert!(err(&two, None).message().contains("`Fn`, `Other`"));
        assert_eq!(err(BASE, Some("Nope")).arg(), TemplateArg::Function);
        assert_eq!(err(&two, Some("Other")).arg(), TemplateArg::Template);
        assert!(err(&two, Some("Other")).message().contains("has no `Role`"));
        assert_eq!(err("a: [", None).arg(), TemplateArg::Template);
        assert_eq!(err("{\"a\": 1}", None).arg(), TemplateArg::Template);
        assert!(err("Resources: {}\n", None)
            .message()
            .contains("not a CloudFormation template"));
    }
}
