//! A CloudFormation template fragment for a rotation spec.
//!
//! The fragment declares the execution role (trust policy for
//! `lambda.amazonaws.com`, the `AWSLambdaBasicExecutionRole` managed policy
//! for logs in the template's own partition, and the execution role policy
//! inline) and the `AWS::Lambda::Permission` that lets Secrets Manager invoke
//! the function for this account (and, with `source_arn`, this secret).
//!
//! Values the spec was not given become template `Parameters`; strings that
//! contain placeholders become `{"Ref": ...}` (a whole placeholder) or
//! `{"Fn::Sub": ...}` (a placeholder inside a longer string). The documents
//! are the generator's, so the template grants exactly what the JSON output
//! grants.

use serde::{Deserialize, Serialize};

use crate::documents::SECRETS_MANAGER_PRINCIPAL;
use crate::policy::OrderedMap;
use crate::spec::Placeholder;
use crate::spec::RotationSpec;

/// Logical id of the execution role in the fragment.
pub const ROLE_LOGICAL_ID: &str = "RotationFunctionExecutionRole";
/// Logical id of the invoke permission in the fragment.
pub const PERMISSION_LOGICAL_ID: &str = "RotationFunctionInvokePermission";

/// A JSON value in the order it is written (serde_json's own map sorts its
/// keys): the node of the CloudFormation and the Terraform output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Node {
    Str(String),
    Bool(bool),
    Num(serde_json::Number),
    List(Vec<Node>),
    Map(OrderedMap<Node>),
}

pub(crate) fn text(s: &str) -> Node {
    Node::Str(s.to_owned())
}

pub(crate) fn map(entries: Vec<(&str, Node)>) -> Node {
    Node::Map(OrderedMap(
        entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
    ))
}

/// `"${Name}"` becomes `{"Ref": "Name"}`; a string with placeholders inside
/// becomes `{"Fn::Sub": "..."}`; any other string stays as is.
fn intrinsic(s: &str) -> Node {
    if let Some(p) = Placeholder::ALL.into_iter().find(|p| p.token_str() == s) {
        return map(vec![("Ref", text(p.name()))]);
    }
    if Placeholder::ALL.into_iter().any(|p| s.contains(p.token_str())) {
        return map(vec![("Fn::Sub", text(s))]);
    }
    text(s)
}

/// Replaces every placeholder string in `node` with its intrinsic function.
fn resolve(node: Node) -> Node {
    match node {
        Node::Str(s) => intrinsic(&s),
        Node::List(items) => Node::List(items.into_iter().map(resolve).collect()),
        Node::Map(m) => Node::Map(OrderedMap(
            m.0.into_iter().map(|(k, v)| (k, resolve(v))).collect(),
        )),
        other => other,
    }
}

/// A generated document as a template node, placeholders resolved.
fn document(json: &str) -> Node {
    // The generator's own JSON always parses back into a `Node`.
    serde_json::from_str::<Node>(json)
        .map(resolve)
        .unwrap_or(Node::Map(OrderedMap::new()))
}

/// A placeholder's description and the pattern its value must match (the
/// whole value), shared with the Terraform output's variable validations.
pub(crate) fn description_and_pattern(p: Placeholder) -> (&'static str, &'static str) {
    match p {
        Placeholder::SecretArn => (
            "ARN of the rotated secret",
            "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+",
        ),
        Placeholder::RotationLambdaArn => (
            "ARN of the rotation Lambda function",
            "arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?",
        ),
        Placeholder::SuperuserSecretArn => (
            "ARN of the secret whose credentials update the rotated user",
            "arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+",
        ),
        Placeholder::KmsKeyArn => (
            "ARN of the customer managed KMS key that encrypts the secret (a key, not an alias)",
            "arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+",
        ),
        Placeholder::AccountId => ("12-digit account id", "[0-9]{12}"),
        // Pseudo parameters, never declared; listed for completeness.
        Placeholder::Region => ("AWS Region of the function", "[a-z]+(-[a-z0-9]+)+"),
        Placeholder::Partition => ("AWS partition", "aws(-[a-z]+)*"),
    }
}

/// The parameter declaration of a placeholder.
fn parameter(p: Placeholder) -> Node {
    let (description, pattern) = description_and_pattern(p);
    map(vec![
        ("Type", text("String")),
        ("Description", text(description)),
        ("AllowedPattern", text(pattern)),
    ])
}

impl RotationSpec {
    /// The CloudFormation template fragment (JSON, pretty-printed) that
    /// deploys this spec's execution role and invoke permission.
    pub fn cloudformation_json(&self) -> String {
        let role_policy = self.execution_role_policy_json();
        // Exactly the placeholders the documents use become parameters: a
        // declared parameter nothing refers to is a cfn-lint warning (W2001).
        // The permission uses the function, account and (with `source_arn`)
        // secret, all of which the documents contain too.
        let parameters: Vec<(String, Node)> = self
            .placeholders()
            .into_iter()
            .filter(|p| !p.is_pseudo_parameter())
            .map(|p| (p.name().to_owned(), parameter(p)))
            .collect();
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
        let role = map(vec![
            ("Type", text("AWS::IAM::Role")),
            (
                "Properties",
                map(vec![
                    ("AssumeRolePolicyDocument", trust),
                    (
                        "ManagedPolicyArns",
                        Node::List(vec![map(vec![(
                            "Fn::Sub",
                            text("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
                        )])]),
                    ),
                    (
                        "Policies",
                        Node::List(vec![map(vec![
                            ("PolicyName", text("SecretsManagerRotation")),
                            ("PolicyDocument", document(&role_policy)),
                        ])]),
                    ),
                ]),
            ),
        ]);
        let mut permission = vec![
            ("Action", text("lambda:InvokeFunction")),
            ("FunctionName", intrinsic(&self.function().text())),
            ("Principal", text(SECRETS_MANAGER_PRINCIPAL)),
            ("SourceAccount", intrinsic(&self.account().text())),
        ];
        if self.source_arn() {
            permission.push(("SourceArn", intrinsic(&self.secret().text())));
        }
        let permission = map(vec![
            ("Type", text("AWS::Lambda::Permission")),
            ("Properties", map(permission)),
        ]);
        let mut template = vec![
            ("AWSTemplateFormatVersion", text("2010-09-09")),
            (
                "Description",
                text("Execution role and invoke permission of a Secrets Manager rotation function (generated by rotation-policy)"),
            ),
        ];
        if !parameters.is_empty() {
            template.push(("Parameters", Node::Map(OrderedMap(parameters))));
        }
        template.push((
            "Resources",
            map(vec![(ROLE_LOGICAL_ID, role), (PERMISSION_LOGICAL_ID, permission)]),
        ));
        template.push((
            "Outputs",
            map(vec![(
                "RotationFunctionExecutionRoleArn",
                map(vec![
                    (
                        "Description",
                        text("ARN of the rotation function's execution role"),
                    ),
                    (
                        "Value",
                        map(vec![(
                            "Fn::GetAtt",
                            Node::List(vec![text(ROLE_LOGICAL_ID), text("Arn")]),
                        )]),
                    ),
                ]),
            )]),
        ));
        serde_json::to_string_pretty(&map(template)).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::{Engine, Kms, Profile, RotationSpec, Strategy};

    fn template(spec: &RotationSpec) -> Value {
        serde_json::from_str(&spec.cloudformation_json()).expect("template is JSON")
    }

    #[test]
    fn placeholders_become_parameters_and_refs() {
        let spec = RotationSpec::builder(Strategy::AlternatingUsers)
            .kms(Kms::CustomerManaged)
            .source_arn(true)
            .build()
            .unwrap();
        let t = template(&spec);
        let params: Vec<&String> = t["Parameters"].as_object().unwrap().keys().collect();
        assert_eq!(
            params,
            [
                "KmsKeyArn",
                "RotationLambdaArn",
                "SecretArn",
                "SuperuserSecretArn"
            ]
        );
        let permission = &t["Resources"]["RotationFunctionInvokePermission"]["Properties"];
        assert_eq!(permission["SourceAccount"], json!({"Ref": "AWS::AccountId"}));
        assert_eq!(permission["SourceArn"], json!({"Ref": "SecretArn"}));
        assert_eq!(permission["FunctionName"], json!({"Ref": "RotationLambdaArn"}));
        let statements = &t["Resources"]["RotationFunctionExecutionRole"]["Properties"]["Policies"][0]
            ["PolicyDocument"]["Statement"];
        assert_eq!(statements[0]["Resource"], json!({"Ref": "SecretArn"}));
        assert_eq!(
            statements[0]["Condition"]["StringEquals"]["secretsmanager:resource/AllowRotationLambdaArn"],
            json!({"Ref": "RotationLambdaArn"})
        );
    }

    #[test]
    fn unused_placeholders_are_no_parameters() {
        // `aws_doc_2021` grants KMS on "*" when the key ARN is unknown.
        let spec = RotationSpec::builder(Strategy::SingleUser)
            .kms(Kms::CustomerManaged)
            .profile(Profile::AwsDoc2021)
            .build()
            .unwrap();
        let t = template(&spec);
        let params: Vec<&String> = t["Parameters"].as_object().unwrap().keys().collect();
        assert_eq!(params, ["RotationLambdaArn", "SecretArn"]);
    }

    #[test]
    fn engine_resources_use_pseudo_parameters_through_fn_sub() {
        let spec = RotationSpec::builder(Strategy::SingleUser)
            .engine(Engine::ElastiCache)
            .build()
            .unwrap();
        let t = template(&spec);
        // Region and partition are pseudo parameters: no declaration.
        let params: Vec<&String> = t["Parameters"].as_object().unwrap().keys().collect();
        assert_eq!(params, ["RotationLambdaArn", "SecretArn"]);
        let statements = &t["Resources"]["RotationFunctionExecutionRole"]["Properties"]["Policies"][0]
            ["PolicyDocument"]["Statement"];
        let last = statements.as_array().unwrap().last().unwrap();
        assert_eq!(
            last["Resource"],
            json!({"Fn::Sub": "arn:${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}:user:*"})
        );
        assert_eq!(
            last["Action"],
            json!(["elasticache:DescribeUsers", "elasticache:ModifyUser"])
        );
    }

    #[test]
    fn given_values_need_no_parameters() {
        let spec = RotationSpec::builder(Strategy::SingleUser)
            .account("111122223333")
            .secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf")
            .function("arn:aws:lambda:us-east-1:111122223333:function:rotate")
            .build()
            .unwrap();
        let t = template(&spec);
        assert!(t.get("Parameters").is_none());
        let permission = &t["Resources"]["RotationFunctionInvokePermission"]["Properties"];
        assert_eq!(permission["SourceAccount"], json!("111122223333"));
        assert!(permission.get("SourceArn").is_none());
        // The inline policy is the generator's document, value for value.
        let inline =
            &t["Resources"]["RotationFunctionExecutionRole"]["Properties"]["Policies"][0]["PolicyDocument"];
        let generated: Value = serde_json::from_str(&spec.execution_role_policy_json()).unwrap();
        assert_eq!(inline, &generated);
    }
}
