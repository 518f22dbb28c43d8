//! The documents a rotation spec yields: the one place that knows every
//! statement of the Lambda resource policy and the execution role policy.

use crate::policy::{
    ConditionValue, OneOrMany, OrderedMap, PolicyDocument, Principal, Statement, VERSION_2012_10_17,
};
use crate::spec::{Placeholder, Profile, RotationSpec, Slot};

/// Secrets Manager's service principal. The same name in every partition
/// the project knows of (unverified for `aws-cn`, see the README's notes on
/// partitions).
pub const SECRETS_MANAGER_PRINCIPAL: &str = "secretsmanager.amazonaws.com";

/// The four calls a rotation function makes on the rotated secret
/// (AWS page, "Lambda function execution role inline policy").
pub const SECRET_ACTIONS: [&str; 4] = [
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecretVersionStage",
];

/// The network interface calls Lambda makes to attach a function to a VPC.
/// `ec2:DescribeNetworkInterfaces` supports no resource type, so `"*"`.
pub const VPC_ACTIONS: [&str; 4] = [
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DetachNetworkInterface",
];

/// KMS actions of the `recommended` profile: the page's later revisions and
/// the hosted-rotation templates add `kms:DescribeKey`.
pub const KMS_ACTIONS_RECOMMENDED: [&str; 3] = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"];

/// KMS actions of the 2021 page.
pub const KMS_ACTIONS_AWS_DOC_2021: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey"];

fn many(items: &[&str]) -> OneOrMany<String> {
    OneOrMany::Many(items.iter().map(|s| (*s).to_owned()).collect())
}

fn one(text: &str) -> OneOrMany<String> {
    OneOrMany::One(text.to_owned())
}

fn string_equals(entries: &[(&str, &str)]) -> OrderedMap<OneOrMany<ConditionValue>> {
    OrderedMap(
        entries
            .iter()
            .map(|(k, v)| {
                (
                    (*k).to_owned(),
                    OneOrMany::One(ConditionValue::String((*v).to_owned())),
                )
            })
            .collect(),
    )
}

impl RotationSpec {
    /// The key of the secret as the documents grant it: `None` without a
    /// customer managed key, `Some("*")` for `aws_doc_2021` with a key of
    /// unknown ARN (the page's statement), else the key's ARN or placeholder.
    fn kms_resource(&self) -> Option<&str> {
        let kms = self.kms()?;
        Some(match (kms, self.profile()) {
            (Slot::Placeholder(_), Profile::AwsDoc2021) => "*",
            (key, _) => key.as_str(),
        })
    }

    /// The placeholders the generated documents contain, in first-use order.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        let kms = self.kms().filter(|_| self.kms_resource() != Some("*"));
        let slots = [
            Some(self.function()),
            Some(self.account()),
            Some(self.secret()),
            self.superuser_secret(),
            kms,
        ];
        let mut out = Vec::new();
        for p in slots.into_iter().flatten().filter_map(Slot::placeholder) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// The Lambda function's resource policy: Secrets Manager may invoke the
    /// function, on behalf of this account only (`aws:SourceAccount`, the
    /// confused-deputy guard) and, with `source_arn`, for this secret only.
    pub fn resource_policy(&self) -> PolicyDocument {
        let mut condition = OrderedMap::new();
        condition.push(
            "StringEquals",
            string_equals(&[("aws:SourceAccount", self.account().as_str())]),
        );
        if self.source_arn() {
            condition.push(
                "ArnLike",
                string_equals(&[("aws:SourceArn", self.secret().as_str())]),
            );
        }
        let mut principal = OrderedMap::new();
        principal.push("Service", one(SECRETS_MANAGER_PRINCIPAL));
        let statement = Statement {
            principal: Some(Principal::Map(principal)),
            condition: Some(condition),
            ..Statement::allow(one("lambda:InvokeFunction"), one(self.function().as_str()))
        };
        PolicyDocument {
            version: Some(VERSION_2012_10_17.to_owned()),
            id: Some("default".to_owned()),
            statement: OneOrMany::Many(vec![statement]),
        }
    }

    /// The execution role's policy, statements in DESIGN.md's order.
    pub fn execution_role_policy(&self) -> PolicyDocument {
        let mut statements = Vec::new();
        // 1. The rotated secret, only while this function is its rotation
        // function. The 2021 page also required `aws:SourceAccount`, which is
        // absent from calls made with the role's own credentials.
        let rotation_lambda = (
            "secretsmanager:resource/AllowRotationLambdaArn",
            self.function().as_str(),
        );
        let source_account = ("aws:SourceAccount", self.account().as_str());
        let equals = match self.profile() {
            Profile::Recommended => string_equals(&[rotation_lambda]),
            Profile::AwsDoc2021 => string_equals(&[rotation_lambda, source_account]),
        };
        let mut condition = OrderedMap::new();
        condition.push("StringEquals", equals);
        statements.push(Statement {
            condition: Some(condition),
            ..Statement::allow(many(&SECRET_ACTIONS), one(self.secret().as_str()))
        });
        // 2. Read the superuser credentials.
        if let Some(superuser) = self.superuser_secret() {
            statements.push(Statement::allow(
                many(&["secretsmanager:GetSecretValue"]),
                one(superuser.as_str()),
            ));
        }
        // 3. Generate the new password.
        statements.push(Statement::allow(
            many(&["secretsmanager:GetRandomPassword"]),
            one("*"),
        ));
        // 4. Network interfaces for a function in a VPC.
        if self.vpc() {
            statements.push(Statement::allow(many(&VPC_ACTIONS), one("*")));
        }
        // 5. and 6. The keys of the secret and of the superuser secret.
        let kms_actions: &[&str] = match self.profile() {
            Profile::Recommended => &KMS_ACTIONS_RECOMMENDED,
            Profile::AwsDoc2021 => &KMS_ACTIONS_AWS_DOC_2021,
        };
        for key in [self.kms_resource(), self.distinct_superuser_kms()]
            .into_iter()
            .flatten()
        {
            statements.push(Statement::allow(many(kms_actions), one(key)));
        }
        PolicyDocument {
            version: Some(VERSION_2012_10_17.to_owned()),
            id: None,
            statement: OneOrMany::Many(statements),
        }
    }

    /// The resource policy as pretty JSON: the macro constant's bytes.
    pub fn resource_policy_json(&self) -> String {
        self.resource_policy().to_json_pretty()
    }

    /// The execution role policy as pretty JSON: the macro constant's bytes.
    pub fn execution_role_policy_json(&self) -> String {
        self.execution_role_policy().to_json_pretty()
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::{Kms, RotationSpec, Strategy};

    #[test]
    fn a_superuser_key_equal_to_the_secret_key_gets_no_second_statement() {
        const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const OTHER: &str = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
        let spec = |superuser_kms: &str| {
            RotationSpec::builder(Strategy::AlternatingUsers)
                .kms(Kms::Key(KEY.to_owned()))
                .superuser_kms(superuser_kms)
                .build()
                .unwrap()
        };
        assert_eq!(spec(KEY).distinct_superuser_kms(), None);
        assert_eq!(spec(OTHER).distinct_superuser_kms(), Some(OTHER));
        let same = spec(KEY).execution_role_policy();
        let other = spec(OTHER).execution_role_policy();
        assert_eq!(other.statements().len(), same.statements().len() + 1);
    }
}
