//! CloudFormation templates: which resources hold policy documents, of
//! which type, and the statement an `AWS::Lambda::Permission` creates.

use std::borrow::Cow;

use super::extract::{child, text_of, Policy};
use super::tree::{Member, Node, Value};
use crate::policy::PolicyType;

/// A template: a top-level `Resources` mapping with at least one resource
/// whose `Type` is an AWS resource type (CloudFormation User Guide,
/// "Template anatomy": `Resources` is the one required section).
pub(crate) fn is_template(root: &Node) -> bool {
    root.get("Resources").is_some_and(|resources| {
        resources.members().iter().any(|r| {
            r.value
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("AWS::"))
        })
    })
}

/// What the template's transforms add that the template does not show.
pub(crate) fn transform_notes(root: &Node) -> Vec<String> {
    let names: Vec<String> = match root.get("Transform") {
        Some(t) if t.as_str().is_some() => vec![text_of(t)],
        Some(t) => t.items().iter().map(text_of).collect(),
        None => return Vec::new(),
    };
    names
        .into_iter()
        .map(|name| match name.as_str() {
            "AWS::Serverless-2016-10-31" => "transform `AWS::Serverless-2016-10-31` (SAM) expands \
                `AWS::Serverless::*` resources into IAM roles (from a function's `Policies`) and Lambda \
                permissions (from its `Events`) that this template does not show and that were not \
                linted; lint the processed template to see them"
                .to_owned(),
            "AWS::SecretsManager-2024-09-16" | "AWS::SecretsManager-2020-07-23" => format!(
                "transform `{name}` adds the hosted rotation function of a `HostedRotationLambda`, \
                 with its execution role and invoke permission, which this template does not show and \
                 which were not linted"
            ),
            other => format!(
                "transform `{other}` may add resources and policies that this template does not show \
                 and that were not linted"
            ),
        })
        .collect()
}

/// Every policy document in the template's resources.
pub(crate) fn policies(root: &Node) -> Vec<Policy<'_>> {
    let mut out = Vec::new();
    let Some(resources) = root.get("Resources") else {
        return out;
    };
    for resource in resources.members() {
        let at = child(&child("", "Resources"), &resource.key);
        let Some(kind) = resource.value.get("Type").and_then(Node::as_str) else {
            continue;
        };
        let Some(props) = resource.value.get("Properties") else {
            continue;
        };
        let props_at = child(&at, "Properties");
        let mut property = |name: &str, policy_type| {
            if let Some(doc) = props.get(name) {
                out.push(Policy {
                    node: Cow::Borrowed(doc),
                    pointer: child(&props_at, name),
                    policy_type: Some(policy_type),
                    interpolated: false,
                });
            }
        };
        match kind {
            // The trust policy is a resource policy on the role (IAM User
            // Guide, "Roles terms and concepts": "trust policy ... a
            // resource-based policy"), with the linter's trust rules.
            "AWS::IAM::Role" => {
                property("AssumeRolePolicyDocument", PolicyType::Trust);
                inline_policies(props, &props_at, &mut out);
            }
            "AWS::IAM::User" | "AWS::IAM::Group" => inline_policies(props, &props_at, &mut out),
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::IAM::RolePolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy" => property("PolicyDocument", PolicyType::Identity),
            "AWS::SecretsManager::ResourcePolicy" => {
                property("ResourcePolicy", PolicyType::Resource);
            }
            "AWS::KMS::Key" | "AWS::KMS::ReplicaKey" => {
                property("KeyPolicy", PolicyType::Key);
            }
            "AWS::Lambda::Permission" => {
                let statement = lambda_permission(props, &props_at);
                out.push(Policy {
                    node: Cow::Owned(statement),
                    pointer: props_at.clone(),
                    policy_type: Some(PolicyType::Resource),
                    interpolated: false,
                });
            }
            _ => {}
        }
    }
    out
}

/// `Policies: [{PolicyName, PolicyDocument}]` of a role, user or group: identity policies.
fn inline_policies<'n>(props: &'n Node, props_at: &str, out: &mut Vec<Policy<'n>>) {
    let Some(policies) = props.get("Policies") else {
        return;
    };
    let at = child(props_at, "Policies");
    for (i, policy) in policies.items().iter().enumerate() {
        if let Some(doc) = policy.get("PolicyDocument") {
            out.push(Policy {
                node: Cow::Borrowed(doc),
                pointer: child(&child(&at, &i.to_string()), "PolicyDocument"),
                policy_type: Some(PolicyType::Identity),
                interpolated: false,
            });
        }
    }
}

/// A property of the permission, by name: its node and pointer.
pub(crate) struct Permission<'n> {
    /// The node the statement as a whole points at (the properties).
    pub whole: &'n Node,
    pub whole_at: String,
    pub principal: Option<(&'n Node, String)>,
    pub action: Option<(&'n Node, String)>,
    pub function: Option<(&'n Node, String)>,
    pub source_account: Option<(&'n Node, String)>,
    pub source_arn: Option<(&'n Node, String)>,
    pub principal_org_id: Option<(&'n Node, String)>,
    pub event_source_token: Option<(&'n Node, String)>,
    pub function_url_auth_type: Option<(&'n Node, String)>,
}

pub(crate) fn lambda_permission(props: &Node, props_at: &str) -> Node {
    let get = |name: &str| props.get(name).map(|n| (n, child(props_at, name)));
    permission_statement(&Permission {
        whole: props,
        whole_at: props_at.to_owned(),
        principal: get("Principal"),
        action: get("Action"),
        function: get("FunctionName"),
        source_account: get("SourceAccount"),
        source_arn: get("SourceArn"),
        principal_org_id: get("PrincipalOrgID"),
        event_source_token: get("EventSourceToken"),
        function_url_auth_type: get("FunctionUrlAuthType"),
    })
}

/// The function-policy statement Lambda's AddPermission writes for a
/// permission (Lambda API reference, "AddPermission"; the statement as
/// `GetPolicy` returns it): `Principal` as `Service` for a service
/// principal, `AWS` for an account or ARN, `*` for anyone; the function as
/// `Resource`; `SourceAccount` as `StringEquals` `AWS:SourceAccount`,
/// `SourceArn` as `ArnLike` `AWS:SourceArn`, `PrincipalOrgID` as
/// `StringEquals` `aws:PrincipalOrgID`, `EventSourceToken` as
/// `StringEquals` `lambda:EventSourceToken`, `FunctionUrlAuthType` as
/// `StringEquals` `lambda:FunctionUrlAuthType`.
pub(crate) fn permission_statement(p: &Permission<'_>) -> Node {
    let whole = |value| Node::made(value, p.whole, &p.whole_at);
    let member = |key: &str, value: Node| Member {
        key: key.to_owned(),
        key_pos: value.start,
        value,
    };
    let mut statement = vec![member("Effect", whole(Value::String("Allow".to_owned())))];
    if let Some((node, at)) = &p.principal {
        let text = text_of(node);
        let principal = if text == "*" {
            made_text(text, node, at)
        } else if let Some(service) = service_principal(&text) {
            whole(Value::Map(vec![member("Service", made_text(service, node, at))]))
        } else {
            whole(Value::Map(vec![member("AWS", made_text(text, node, at))]))
        };
        statement.push(member("Principal", principal));
    }
    if let Some((node, at)) = &p.action {
        statement.push(member("Action", relocated(node, at)));
    }
    if let Some((node, at)) = &p.function {
        statement.push(member(
            "Resource",
            made_text(function_arn(&text_of(node)), node, at),
        ));
    }
    let mut string_equals = Vec::new();
    let mut arn_like = Vec::new();
    let keys = [
        (&p.source_account, "AWS:SourceAccount", false),
        (&p.source_arn, "AWS:SourceArn", true),
        (&p.principal_org_id, "aws:PrincipalOrgID", false),
        (&p.event_source_token, "lambda:EventSourceToken", false),
        (&p.function_url_auth_type, "lambda:FunctionUrlAuthType", false),
    ];
    for (prop, key, arn) in keys {
        if let Some((node, at)) = prop {
            let value = member(key, made_text(text_of(node), node, at));
            if arn {
                arn_like.push(value);
            } else {
                string_equals.push(value);
            }
        }
    }
    let mut condition = Vec::new();
    if !string_equals.is_empty() {
        condition.push(member("StringEquals", whole(Value::Map(string_equals))));
    }
    if !arn_like.is_empty() {
        condition.push(member("ArnLike", whole(Value::Map(arn_like))));
    }
    if !condition.is_empty() {
        statement.push(member("Condition", whole(Value::Map(condition))));
    }
    whole(Value::Map(vec![
        member("Version", whole(Value::String("2012-10-17".to_owned()))),
        member("Statement", whole(Value::Seq(vec![whole(Value::Map(statement))]))),
    ]))
}

/// A service principal: `NAME.amazonaws.com` (or `.amazonaws.com.cn`), with
/// `${AWS::URLSuffix}` read as `amazonaws.com`, the suffix the CDK writes it
/// with (CloudFormation User Guide, "Pseudo parameters reference":
/// `AWS::URLSuffix` is `amazonaws.com` outside China).
fn service_principal(text: &str) -> Option<String> {
    let text = text.replace("${AWS::URLSuffix}", "amazonaws.com");
    (text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn")).then_some(text)
}

/// Lambda takes a function name, a partial ARN (`ACCOUNT:function:NAME`)
/// or an ARN (Lambda API reference, "AddPermission": FunctionName); the
/// policy's `Resource` is always the ARN.
pub(crate) fn function_arn(name: &str) -> String {
    if name.starts_with("arn:") || name.starts_with("${") {
        name.to_owned()
    } else if name.contains(':') {
        format!("arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:{name}")
    } else {
        format!("arn:${{AWS::Partition}}:lambda:${{AWS::Region}}:${{AWS::AccountId}}:function:{name}")
    }
}

/// A string the statement holds, at the property it came from; one that
/// holds placeholders is written as the `Fn::Sub` it stands for, so they
/// count as the template's own.
fn made_text(text: String, like: &Node, at: &str) -> Node {
    if !text.contains("${") {
        return Node::made(Value::String(text), like, at);
    }
    let inner = Node::made(Value::String(text), like, at);
    Node::made(
        Value::Map(vec![Member {
            key: "Fn::Sub".to_owned(),
            key_pos: like.start,
            value: inner,
        }]),
        like,
        at,
    )
}

/// A template node placed in a made statement, keeping its pointer.
fn relocated(node: &Node, at: &str) -> Node {
    let mut node = node.clone();
    node.origin = Some(at.to_owned());
    node
}
