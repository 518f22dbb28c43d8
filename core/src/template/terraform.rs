//! Terraform: the JSON of a plan (`terraform show -json PLAN`) and
//! configuration files in JSON syntax (`.tf.json`). Policies there are
//! strings of JSON (the AWS provider's `policy`, `assume_role_policy`
//! arguments); a Lambda permission is the statement its arguments make.

use std::borrow::Cow;

use super::cfn::{permission_statement, Permission, KEY_POLICY_EXEMPT, TRUST_POLICY_EXEMPT};
use super::extract::{child, Policy};
use super::tree::{Node, Value};
use crate::lint::PolicyType;

/// A plan's JSON: `planned_values` (Terraform docs, "JSON output format":
/// plan representation).
pub(crate) fn is_plan(root: &Node) -> bool {
    root.get("planned_values").is_some() && root.get("format_version").is_some()
}

/// A configuration in JSON syntax: a top-level `resource` block (Terraform
/// docs, "JSON configuration syntax").
pub(crate) fn is_configuration(root: &Node) -> bool {
    matches!(
        root.get("resource").map(|r| &r.value),
        Some(Value::Map(_) | Value::Seq(_))
    )
}

/// The policies of a plan's planned resources, in the root module and its
/// child modules.
pub(crate) fn plan_policies(root: &Node) -> Vec<Policy<'_>> {
    let mut out = Vec::new();
    if let Some(module) = root.get("planned_values").and_then(|p| p.get("root_module")) {
        module_policies(module, "/planned_values/root_module", &mut out);
    }
    out
}

fn module_policies<'n>(module: &'n Node, at: &str, out: &mut Vec<Policy<'n>>) {
    let resources_at = child(at, "resources");
    for (i, resource) in module
        .get("resources")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let (Some(kind), Some(values)) = (
            resource.get("type").and_then(Node::as_str),
            resource.get("values"),
        ) else {
            continue;
        };
        let values_at = child(&child(&resources_at, &i.to_string()), "values");
        resource_policies(kind, values, &values_at, false, out, &mut Vec::new());
    }
    let children_at = child(at, "child_modules");
    for (i, module) in module
        .get("child_modules")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        module_policies(module, &child(&children_at, &i.to_string()), out);
    }
}

/// The policies of a JSON configuration's `resource` blocks. Blocks may be
/// objects or arrays of objects at each level (Terraform docs, "JSON
/// configuration syntax"). Also the pointers of policies that are
/// expressions, which cannot be evaluated here.
pub(crate) fn configuration_policies(root: &Node) -> (Vec<Policy<'_>>, Vec<String>) {
    let mut out = Vec::new();
    let mut expressions = Vec::new();
    let Some(resource) = root.get("resource") else {
        return (out, expressions);
    };
    for (types, types_at) in objects(resource, "/resource") {
        for kind in types.members() {
            let kind_at = child(&types_at, &kind.key);
            for (names, names_at) in objects(&kind.value, &kind_at) {
                for name in names.members() {
                    let name_at = child(&names_at, &name.key);
                    for (values, values_at) in objects(&name.value, &name_at) {
                        resource_policies(&kind.key, values, &values_at, true, &mut out, &mut expressions);
                    }
                }
            }
        }
    }
    (out, expressions)
}

/// An object, or each object of an array, with its pointer.
fn objects<'n>(node: &'n Node, at: &str) -> Vec<(&'n Node, String)> {
    match &node.value {
        Value::Map(_) => vec![(node, at.to_owned())],
        Value::Seq(items) => items
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.value, Value::Map(_)))
            .map(|(i, n)| (n, child(at, &i.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

/// The policy arguments of one resource (AWS provider docs, per resource).
fn resource_policies<'n>(
    kind: &str,
    values: &'n Node,
    at: &str,
    interpolated: bool,
    out: &mut Vec<Policy<'n>>,
    expressions: &mut Vec<String>,
) {
    let mut add = |node: &'n Node, pointer: String, policy_type, not_applicable| {
        // An expression (`${jsonencode(...)}`, `${data.x.json}`) cannot be
        // evaluated here: it is reported, not linted.
        if interpolated && is_expression(node) {
            expressions.push(pointer);
        } else if !matches!(node.value, Value::Null) {
            out.push(Policy {
                node: Cow::Borrowed(node),
                pointer,
                policy_type,
                not_applicable,
                interpolated,
            });
        }
    };
    let argument = |name: &str| values.get(name).map(|n| (n, child(at, name)));
    match kind {
        "aws_iam_role" => {
            if let Some((node, pointer)) = argument("assume_role_policy") {
                add(node, pointer, PolicyType::Resource, TRUST_POLICY_EXEMPT);
            }
            // `inline_policy` blocks: `[{name, policy}]`.
            if let Some((blocks, blocks_at)) = argument("inline_policy") {
                for (block, block_at) in objects(blocks, &blocks_at) {
                    if let Some(policy) = block.get("policy") {
                        add(policy, child(&block_at, "policy"), PolicyType::Identity, &[]);
                    }
                }
            }
        }
        "aws_iam_role_policy" | "aws_iam_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
            if let Some((node, pointer)) = argument("policy") {
                add(node, pointer, PolicyType::Identity, &[]);
            }
        }
        "aws_secretsmanager_secret_policy" => {
            if let Some((node, pointer)) = argument("policy") {
                add(node, pointer, PolicyType::Resource, &[]);
            }
        }
        "aws_kms_key" => {
            if let Some((node, pointer)) = argument("policy") {
                add(node, pointer, PolicyType::Resource, KEY_POLICY_EXEMPT);
            }
        }
        "aws_lambda_permission" => {
            let present = |name: &str| argument(name).filter(|(n, _)| !matches!(n.value, Value::Null));
            let statement = permission_statement(&Permission {
                whole: values,
                whole_at: at.to_owned(),
                principal: present("principal"),
                action: present("action"),
                function: present("function_name"),
                source_account: present("source_account"),
                source_arn: present("source_arn"),
                principal_org_id: present("principal_org_id"),
                event_source_token: present("event_source_token"),
                function_url_auth_type: present("function_url_auth_type"),
            });
            out.push(Policy {
                node: Cow::Owned(statement),
                pointer: at.to_owned(),
                policy_type: PolicyType::Resource,
                not_applicable: &[],
                interpolated,
            });
        }
        _ => {}
    }
}

/// A string that is one Terraform expression: `${...}` and nothing else.
fn is_expression(node: &Node) -> bool {
    node.as_str().is_some_and(|s| {
        let s = s.trim();
        s.starts_with("${") && s.ends_with('}') && !s.starts_with("${\"")
    })
}
