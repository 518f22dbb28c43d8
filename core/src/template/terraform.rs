//! Terraform: the JSON of a plan (`terraform show -json PLAN`) and
//! configuration files in JSON syntax (`.tf.json`). Policies there are
//! strings of JSON (the AWS provider's `policy`, `assume_role_policy`
//! arguments); a Lambda permission is the statement its arguments make.

use std::borrow::Cow;

use super::cfn::{permission_statement, Permission};
use super::extract::{child, Policy};
use super::tree::{Node, Value};
use crate::policy::PolicyType;

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
/// child modules; also notes on policies known only after apply.
pub(crate) fn plan_policies(root: &Node) -> (Vec<Policy<'_>>, Vec<String>) {
    let mut found = Found::default();
    // A value computed during apply is absent from `planned_values` and
    // `true` in its change's `after_unknown` (Terraform docs, "JSON output
    // format": change representation).
    let unknown: Vec<(&str, &Node, String)> = root
        .get("resource_changes")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(i, change)| {
            let address = change.get("address")?.as_str()?;
            let after_unknown = change.get("change")?.get("after_unknown")?;
            let at = format!("/resource_changes/{i}/change/after_unknown");
            Some((address, after_unknown, at))
        })
        .collect();
    if let Some(module) = root.get("planned_values").and_then(|p| p.get("root_module")) {
        module_policies(module, "/planned_values/root_module", &unknown, &mut found);
    }
    let notes = found
        .unevaluated
        .into_iter()
        .map(|at| format!("`{at}` is known only after apply; not linted"))
        .collect();
    (found.policies, notes)
}

/// What the resources yield: policies, and the pointers of policies that
/// cannot be read (an expression, a value known only after apply).
#[derive(Default)]
struct Found<'n> {
    policies: Vec<Policy<'n>>,
    unevaluated: Vec<String>,
}

fn module_policies<'n>(
    module: &'n Node,
    at: &str,
    unknown: &[(&str, &'n Node, String)],
    found: &mut Found<'n>,
) {
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
        let address = resource.get("address").and_then(Node::as_str).unwrap_or_default();
        let after_unknown = unknown
            .iter()
            .find(|(a, ..)| *a == address)
            .map(|(a, node, at)| Unknown {
                address: a,
                node,
                at: at.as_str(),
            });
        let site = Site {
            kind,
            values,
            at: &values_at,
            interpolated: false,
            unknown: after_unknown,
        };
        resource_policies(&site, found);
    }
    let children_at = child(at, "child_modules");
    for (i, module) in module
        .get("child_modules")
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        module_policies(module, &child(&children_at, &i.to_string()), unknown, found);
    }
}

/// A planned resource's `after_unknown`: which of its values are computed
/// during apply.
#[derive(Clone, Copy)]
struct Unknown<'a, 'n> {
    address: &'a str,
    node: &'n Node,
    at: &'a str,
}

/// One resource's arguments and how to read them.
struct Site<'a, 'n> {
    kind: &'a str,
    values: &'n Node,
    at: &'a str,
    /// Strings may hold Terraform's `${...}` (a configuration, not a plan).
    interpolated: bool,
    unknown: Option<Unknown<'a, 'n>>,
}

/// The policies of a JSON configuration's `resource` blocks. Blocks may be
/// objects or arrays of objects at each level (Terraform docs, "JSON
/// configuration syntax"). Also the pointers of policies that are
/// expressions, which cannot be evaluated here.
pub(crate) fn configuration_policies(root: &Node) -> (Vec<Policy<'_>>, Vec<String>) {
    let mut found = Found::default();
    let Some(resource) = root.get("resource") else {
        return (found.policies, found.unevaluated);
    };
    for (types, types_at) in objects(resource, "/resource") {
        for kind in types.members() {
            let kind_at = child(&types_at, &kind.key);
            for (names, names_at) in objects(&kind.value, &kind_at) {
                for name in names.members() {
                    let name_at = child(&names_at, &name.key);
                    for (values, values_at) in objects(&name.value, &name_at) {
                        let site = Site {
                            kind: &kind.key,
                            values,
                            at: &values_at,
                            interpolated: true,
                            unknown: None,
                        };
                        resource_policies(&site, &mut found);
                    }
                }
            }
        }
    }
    (found.policies, found.unevaluated)
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

impl<'a, 'n> Site<'a, 'n> {
    /// An argument that has a value: its node and pointer.
    fn argument(&self, name: &str) -> Option<(&'n Node, String)> {
        match self.values.get(name) {
            Some(node) if !matches!(node.value, Value::Null) => Some((node, child(self.at, name))),
            _ => None,
        }
    }

    /// Where the plan says argument `name` is computed during apply.
    fn computed(&self, name: &str) -> Option<String> {
        let unknown = self.unknown?;
        matches!(unknown.node.get(name)?.value, Value::Bool(true)).then(|| child(unknown.at, name))
    }
}

impl<'n> Found<'n> {
    fn add(&mut self, site: &Site<'_, 'n>, (node, pointer): (&'n Node, String), policy_type: PolicyType) {
        // An expression (`${jsonencode(...)}`, `${data.x.json}`) cannot be
        // evaluated here: it is reported, not linted.
        if site.interpolated && is_expression(node) {
            self.unevaluated.push(pointer);
        } else {
            self.policies.push(Policy {
                node: Cow::Borrowed(node),
                pointer,
                policy_type: Some(policy_type),
                interpolated: site.interpolated,
            });
        }
    }

    /// The policy in argument `name`, if it has one.
    fn policy(&mut self, site: &Site<'_, 'n>, name: &str, policy_type: PolicyType) {
        match site.argument(name) {
            Some(found) => self.add(site, found, policy_type),
            None => {
                if let Some(at) = site.computed(name) {
                    self.unevaluated.push(at);
                }
            }
        }
    }
}

/// The policy arguments of one resource (AWS provider docs, per resource).
fn resource_policies<'n>(site: &Site<'_, 'n>, found: &mut Found<'n>) {
    match site.kind {
        "aws_iam_role" => {
            found.policy(site, "assume_role_policy", PolicyType::Trust);
            // `inline_policy` blocks: `[{name, policy}]`.
            if let Some((blocks, blocks_at)) = site.argument("inline_policy") {
                for (block, block_at) in objects(blocks, &blocks_at) {
                    if let Some(policy) = block.get("policy").filter(|p| !matches!(p.value, Value::Null)) {
                        found.add(site, (policy, child(&block_at, "policy")), PolicyType::Identity);
                    }
                }
            }
        }
        "aws_iam_role_policy" | "aws_iam_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
            found.policy(site, "policy", PolicyType::Identity);
        }
        "aws_secretsmanager_secret_policy" => found.policy(site, "policy", PolicyType::Resource),
        "aws_kms_key" => found.policy(site, "policy", PolicyType::Key),
        "aws_lambda_permission" => {
            // A value computed during apply is unknown, as an intrinsic
            // function is in a template: a placeholder that names it.
            let made: Vec<(&str, Node, String)> = [
                "source_account",
                "source_arn",
                "principal_org_id",
                "event_source_token",
                "function_url_auth_type",
                "function_name",
                "principal",
            ]
            .into_iter()
            .filter(|name| site.argument(name).is_none())
            .filter_map(|name| {
                let at = site.computed(name)?;
                let text = format!("${{{}.{name}}}", site.unknown.map_or("", |u| u.address));
                Some((name, Node::made(Value::String(text), site.values, &at), at))
            })
            .collect();
            let get = |name: &str| {
                site.argument(name).or_else(|| {
                    made.iter()
                        .find(|(n, ..)| *n == name)
                        .map(|(_, node, at)| (node, at.clone()))
                })
            };
            let statement = permission_statement(&Permission {
                whole: site.values,
                whole_at: site.at.to_owned(),
                principal: get("principal"),
                action: get("action"),
                function: get("function_name"),
                source_account: get("source_account"),
                source_arn: get("source_arn"),
                principal_org_id: get("principal_org_id"),
                event_source_token: get("event_source_token"),
                function_url_auth_type: get("function_url_auth_type"),
            });
            found.policies.push(Policy {
                node: Cow::Owned(statement),
                pointer: site.at.to_owned(),
                policy_type: Some(PolicyType::Resource),
                interpolated: site.interpolated,
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
