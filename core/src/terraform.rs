//! A Terraform configuration (JSON syntax, a `.tf.json` file) for a rotation
//! spec: the same resources as the CloudFormation fragment
//! ([`RotationSpec::cloudformation_json`]), for the AWS provider.
//!
//! - `aws_iam_role`: the execution role, trusted by `lambda.amazonaws.com`;
//! - `aws_iam_role_policy`: the execution role policy, inline;
//! - `aws_iam_role_policy_attachment`: `AWSLambdaBasicExecutionRole` (logs),
//!   its ARN in the partition of the provider (`data.aws_partition`);
//! - `aws_lambda_permission`: Secrets Manager may invoke the function, with
//!   `source_account` (the confused-deputy guard) and, with `source_arn`,
//!   `source_arn` (this secret only).
//!
//! Argument names are the AWS provider's, as documented in its registry
//! pages: `resources/iam_role`, `resources/iam_role_policy`,
//! `resources/iam_role_policy_attachment`, `resources/lambda_permission`,
//! `data-sources/partition` and `data-sources/caller_identity` under
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs>.
//!
//! Values the spec was not given become `variable` blocks, validated with
//! the CloudFormation parameters' patterns; a placeholder such as
//! `${SecretArn}` becomes the interpolation `${var.secret_arn}`. The account
//! placeholder `${AWS::AccountId}` (CloudFormation's pseudo parameter: the
//! account the stack deploys into) becomes
//! `${data.aws_caller_identity.current.account_id}`, the account of the
//! provider's credentials, which is the account these resources are created
//! in. A variable would let the account differ from the one that owns the
//! function and the role, and the `source_account` condition would then
//! never match. The other pseudo parameters likewise become the provider's
//! own values: `${AWS::Partition}` `data.aws_partition`, `${AWS::Region}`
//! `data.aws_region`.
//!
//! In the JSON syntax every string of an argument is a template
//! (<https://developer.hashicorp.com/terraform/language/syntax/json>): the
//! policies are JSON strings in which a literal `${` or `%{` is escaped as
//! `$${` or `%%{`, so an IAM policy variable such as `${aws:username}`
//! reaches IAM unchanged.

use crate::cloudformation::{description_and_pattern, map, text, Node};
use crate::documents::SECRETS_MANAGER_PRINCIPAL;
use crate::policy::OrderedMap;
use crate::spec::{Placeholder, RotationSpec};

/// Name of the `aws_iam_role` resource.
pub const ROLE_NAME: &str = "rotation_function_execution_role";
/// Name of the `aws_lambda_permission` resource.
pub const PERMISSION_NAME: &str = "rotation_function_invoke_permission";

/// The data source (type, and the attribute expression) that stands for a
/// CloudFormation pseudo parameter: the values of the provider's own
/// account, partition and region (`data-sources/caller_identity`,
/// `data-sources/partition`, `data-sources/region` of the provider's
/// documentation; `region` is the attribute's name from provider 6 on).
fn data_source(p: Placeholder) -> Option<(&'static str, &'static str)> {
    match p.name() {
        "AWS::AccountId" => Some((
            "aws_caller_identity",
            "data.aws_caller_identity.current.account_id",
        )),
        "AWS::Partition" => Some(("aws_partition", "data.aws_partition.current.partition")),
        "AWS::Region" => Some(("aws_region", "data.aws_region.current.region")),
        _ => None,
    }
}

/// The Terraform variable that stands for a placeholder: its name in
/// snake case (`SecretArn` -> `secret_arn`); `None` for a pseudo parameter
/// that a data source answers.
pub fn variable_name(p: Placeholder) -> Option<String> {
    if data_source(p).is_some() {
        return None;
    }
    let mut name = String::new();
    for c in p.name().chars().filter(char::is_ascii_alphanumeric) {
        if c.is_ascii_uppercase() && !name.is_empty() {
            name.push('_');
        }
        name.push(c.to_ascii_lowercase());
    }
    Some(name)
}

/// The expression a placeholder becomes.
fn reference(p: Placeholder) -> String {
    match (data_source(p), variable_name(p)) {
        (Some((_, expression)), _) => expression.to_owned(),
        (None, Some(name)) => format!("var.{name}"),
        (None, None) => String::new(),
    }
}

/// `s` as a Terraform string template: placeholders become interpolations,
/// any other `${` or `%{` is escaped so that it stays literal.
fn template(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(['$', '%']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(p) = Placeholder::ALL
            .into_iter()
            .find(|p| tail.starts_with(p.token_str()))
        {
            out.push_str("${");
            out.push_str(&reference(p));
            out.push('}');
            rest = &tail[p.token_str().len()..];
        } else if tail.starts_with("${") || tail.starts_with("%{") {
            // `$${` and `%%{`: the escapes of Terraform's template syntax.
            out.push_str(&tail[..1]);
            out.push_str(&tail[..2]);
            rest = &tail[2..];
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// A generated document as compact JSON text, then as a template.
fn policy(json: &str) -> Node {
    // The generator's own JSON always parses back into a `Node`.
    let compact = serde_json::from_str::<Node>(json)
        .ok()
        .and_then(|node| serde_json::to_string(&node).ok())
        .unwrap_or_default();
    Node::Str(template(&compact))
}

/// The `variable` block of a placeholder: its description and a validation
/// with the CloudFormation parameter's pattern.
fn variable(p: Placeholder, name: &str) -> Node {
    let (description, pattern) = description_and_pattern(p);
    map(vec![
        ("type", text("string")),
        ("description", text(description)),
        (
            "validation",
            map(vec![
                (
                    "condition",
                    Node::Str(format!("${{can(regex(\"^{pattern}$\", var.{name}))}}")),
                ),
                (
                    "error_message",
                    Node::Str(format!(
                        "The value of {name} ({description}) must match ^{pattern}$."
                    )),
                ),
            ]),
        ),
    ])
}

impl RotationSpec {
    /// A Terraform configuration in JSON syntax (a `.tf.json` file,
    /// pretty-printed) that deploys this spec's execution role and invoke
    /// permission with the AWS provider; see [`crate::terraform`].
    pub fn terraform_json(&self) -> String {
        let role_ref = format!("${{aws_iam_role.{ROLE_NAME}.name}}");
        let trust = map(vec![
            ("Version", text("2012-10-17")),
            (
                "Statement",
                Node::List(vec![map(vec![
                    ("Effect", text("Allow")),
                    ("Principal", map(vec![("Service", text("lambda.amazonaws.com"))])),
                    ("Action", text("sts:AssumeRole")),
                ])]),
            ),
        ]);
        let trust = serde_json::to_string(&trust).unwrap_or_default();
        let role = map(vec![
            (
                "description",
                text("Execution role of a Secrets Manager rotation function"),
            ),
            ("assume_role_policy", text(&trust)),
        ]);
        let role_policy = map(vec![
            ("name", text("SecretsManagerRotation")),
            ("role", text(&role_ref)),
            ("policy", policy(&self.execution_role_policy_json())),
        ]);
        let attachment = map(vec![
            ("role", text(&role_ref)),
            (
                "policy_arn",
                text("arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
            ),
        ]);
        let mut permission = vec![
            ("action", text("lambda:InvokeFunction")),
            ("function_name", Node::Str(template(self.function().as_str()))),
            ("principal", text(SECRETS_MANAGER_PRINCIPAL)),
            ("source_account", Node::Str(template(self.account().as_str()))),
        ];
        if self.source_arn() {
            permission.push(("source_arn", Node::Str(template(self.secret().as_str()))));
        }

        // Exactly the placeholders the documents use: the permission's
        // function, account and (with `source_arn`) secret are in the
        // resource policy too.
        let placeholders = self.placeholders();
        let variables: Vec<(String, Node)> = placeholders
            .iter()
            .filter(|p| data_source(**p).is_none())
            .filter_map(|&p| variable_name(p).map(|name| (name.clone(), variable(p, &name))))
            .collect();
        // The partition always (the managed policy's ARN), then the data
        // sources of the pseudo parameters the documents use.
        let mut data = vec![("aws_partition", map(vec![("current", map(vec![]))]))];
        for (kind, _) in placeholders.iter().filter_map(|&p| data_source(p)) {
            if !data.iter().any(|(k, _)| *k == kind) {
                data.push((kind, map(vec![("current", map(vec![]))])));
            }
        }

        let mut config = vec![
            (
                "//",
                text("Execution role and invoke permission of a Secrets Manager rotation function (generated by rotation-policy)"),
            ),
            (
                "terraform",
                map(vec![(
                    "required_providers",
                    map(vec![(
                        "aws",
                        map(vec![
                            ("source", text("hashicorp/aws")),
                            // `data.aws_region`'s `region` attribute.
                            ("version", text(">= 6.0")),
                        ]),
                    )]),
                )]),
            ),
        ];
        if !variables.is_empty() {
            config.push(("variable", Node::Map(OrderedMap(variables))));
        }
        config.push(("data", map(data)));
        config.push((
            "resource",
            map(vec![
                ("aws_iam_role", map(vec![(ROLE_NAME, role)])),
                (
                    "aws_iam_role_policy",
                    map(vec![("rotation_function_execution_role_policy", role_policy)]),
                ),
                (
                    "aws_iam_role_policy_attachment",
                    map(vec![("rotation_function_basic_execution", attachment)]),
                ),
                (
                    "aws_lambda_permission",
                    map(vec![(PERMISSION_NAME, map(permission))]),
                ),
            ]),
        ));
        config.push((
            "output",
            map(vec![(
                "rotation_function_execution_role_arn",
                map(vec![
                    (
                        "description",
                        text("ARN of the rotation function's execution role"),
                    ),
                    ("value", Node::Str(format!("${{aws_iam_role.{ROLE_NAME}.arn}}"))),
                ]),
            )]),
        ));
        serde_json::to_string_pretty(&map(config)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::template;
    use crate::{Kms, Profile, RotationSpec, Strategy};

    fn config(spec: &RotationSpec) -> Value {
        serde_json::from_str(&spec.terraform_json()).expect("configuration is JSON")
    }

    fn resource<'v>(c: &'v Value, kind: &str) -> &'v Value {
        let all = c["resource"][kind].as_object().expect("resource type present");
        assert_eq!(all.len(), 1, "{kind}");
        all.values().next().expect("one resource")
    }

    /// The policy string of a resource, with the interpolations left in.
    fn policy(c: &Value, kind: &str, argument: &str) -> Value {
        let text = resource(c, kind)[argument].as_str().expect("policy string");
        serde_json::from_str(text).expect("the policy string is JSON")
    }

    #[test]
    fn placeholders_become_variables_and_interpolations() {
        let spec = RotationSpec::builder(Strategy::AlternatingUsers)
            .kms(Kms::CustomerManaged)
            .source_arn(true)
            .build()
            .unwrap();
        let c = config(&spec);
        let variables: Vec<&String> = c["variable"].as_object().unwrap().keys().collect();
        assert_eq!(
            variables,
            [
                "kms_key_arn",
                "rotation_lambda_arn",
                "secret_arn",
                "superuser_secret_arn"
            ]
        );
        assert!(c["data"]["aws_caller_identity"]["current"].is_object());
        let permission = resource(&c, "aws_lambda_permission");
        assert_eq!(
            permission["source_account"],
            json!("${data.aws_caller_identity.current.account_id}")
        );
        assert_eq!(permission["source_arn"], json!("${var.secret_arn}"));
        assert_eq!(permission["function_name"], json!("${var.rotation_lambda_arn}"));
        assert_eq!(permission["principal"], json!("secretsmanager.amazonaws.com"));
        let statements = &policy(&c, "aws_iam_role_policy", "policy")["Statement"];
        assert_eq!(statements[0]["Resource"], json!("${var.secret_arn}"));
        assert_eq!(
            statements[0]["Condition"]["StringEquals"]["secretsmanager:resource/AllowRotationLambdaArn"],
            json!("${var.rotation_lambda_arn}")
        );
        let validation = &c["variable"]["secret_arn"]["validation"];
        assert!(validation["condition"]
            .as_str()
            .unwrap()
            .starts_with("${can(regex(\"^arn:aws[a-z-]*:secretsmanager:"));
    }

    #[test]
    fn unused_placeholders_are_no_variables() {
        // `aws_doc_2021` grants KMS on "*" when the key ARN is unknown.
        let spec = RotationSpec::builder(Strategy::SingleUser)
            .kms(Kms::CustomerManaged)
            .profile(Profile::AwsDoc2021)
            .build()
            .unwrap();
        let c = config(&spec);
        let variables: Vec<&String> = c["variable"].as_object().unwrap().keys().collect();
        assert_eq!(variables, ["rotation_lambda_arn", "secret_arn"]);
    }

    #[test]
    fn given_values_need_no_variables() {
        let spec = RotationSpec::builder(Strategy::SingleUser)
            .account("111122223333")
            .secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf")
            .function("arn:aws:lambda:us-east-1:111122223333:function:rotate")
            .build()
            .unwrap();
        let c = config(&spec);
        assert!(c.get("variable").is_none());
        assert!(c["data"].get("aws_caller_identity").is_none());
        let permission = resource(&c, "aws_lambda_permission");
        assert_eq!(permission["source_account"], json!("111122223333"));
        assert!(permission.get("source_arn").is_none());
        // The inline policy is the generator's document, value for value.
        let generated: Value = serde_json::from_str(&spec.execution_role_policy_json()).unwrap();
        assert_eq!(policy(&c, "aws_iam_role_policy", "policy"), generated);
        let trust = policy(&c, "aws_iam_role", "assume_role_policy");
        assert_eq!(
            trust["Statement"][0]["Principal"]["Service"],
            json!("lambda.amazonaws.com")
        );
        let attachment = resource(&c, "aws_iam_role_policy_attachment");
        assert_eq!(
            attachment["policy_arn"],
            json!("arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
        );
    }

    /// Every placeholder is a variable or a data source's attribute, with a
    /// distinct name: a new placeholder cannot slip through unmapped.
    #[test]
    fn every_placeholder_has_a_reference() {
        let mut seen = Vec::new();
        for p in crate::Placeholder::ALL {
            let reference = super::reference(p);
            assert!(
                reference.starts_with("var.") || reference.starts_with("data.aws_"),
                "{p:?}: {reference:?}"
            );
            assert_eq!(p.is_pseudo_parameter(), reference.starts_with("data."), "{p:?}");
            assert!(!seen.contains(&reference), "{reference}");
            seen.push(reference);
        }
        assert_eq!(
            super::variable_name(crate::Placeholder::RotationLambdaArn).as_deref(),
            Some("rotation_lambda_arn")
        );
    }

    #[test]
    fn literal_template_sequences_are_escaped() {
        assert_eq!(
            template("${aws:username} %{x} ${SecretArn}-${AWS::AccountId} $5 100%"),
            "$${aws:username} %%{x} ${var.secret_arn}-${data.aws_caller_identity.current.account_id} $5 100%"
        );
        assert_eq!(template("$"), "$");
        assert_eq!(template("${"), "$${");
    }
}
