//! The documents a rotation spec yields: the one place that knows every
//! statement of the Lambda resource policy and the execution role policy.

use crate::arn::{Arn, SecretArn};
use crate::policy::{
    ConditionValue, OneOrMany, OrderedMap, PolicyDocument, Principal, Statement, VERSION_2012_10_17,
};
use crate::spec::{Engine, Placeholder, Profile, RotationSpec, Slot};

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

/// KMS actions that carry the secret's encryption context: Secrets Manager
/// calls them on the function's behalf for GetSecretValue and PutSecretValue
/// ("How AWS Secrets Manager uses AWS KMS": "In its GenerateDataKey and
/// Decrypt requests to AWS KMS, Secrets Manager uses an encryption context
/// with two name–value pairs that identify the secret and its version").
pub const KMS_CRYPTO_ACTIONS: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey"];

/// `kms:DescribeKey`, which the page's later revisions and the
/// hosted-rotation templates grant. It is not a cryptographic operation and
/// carries no encryption context (KMS Developer Guide, "AWS KMS condition
/// keys", `kms:EncryptionContext:context-key`: the listed operations do not
/// include DescribeKey), so a condition on `kms:EncryptionContext:SecretARN`
/// never matches it.
pub const KMS_DESCRIBE_KEY: &str = "kms:DescribeKey";

/// KMS actions of the current page's single statement, in its order.
pub const KMS_ACTIONS_AWS_DOC_2025: [&str; 3] = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"];

/// KMS actions of the 2021 page.
pub const KMS_ACTIONS_AWS_DOC_2021: [&str; 2] = ["kms:Decrypt", "kms:GenerateDataKey"];

/// The condition key Secrets Manager's encryption context sets to the
/// secret's ARN.
pub const KMS_SECRET_ARN_CONTEXT: &str = "kms:EncryptionContext:SecretARN";

/// The public repository of AWS's rotation functions, which the engine
/// grants below cite as `FOLDER/lambda_function.py` at a commit.
pub const AWS_ROTATION_FUNCTIONS_REPOSITORY: &str = "aws-samples/aws-secrets-manager-rotation-lambdas";

/// A grant the rotation function needs beyond the rotated secret, the
/// superuser secret, passwords, network interfaces and keys: statement 7
/// of the execution role policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceGrant {
    /// The actions, in statement order.
    pub actions: Vec<&'static str>,
    /// The resource (an ARN pattern, or `*` for actions without a
    /// resource type).
    pub resource: String,
    /// Why the function calls them, for reports.
    pub purpose: &'static str,
}

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

/// `{"StringEquals": {"kms:EncryptionContext:SecretARN": ...}}`: a string
/// for one secret, an array for several (as the current AWS page prints the
/// multi-secret case).
fn secret_arn_context(secrets: &[&str]) -> OrderedMap<OrderedMap<OneOrMany<ConditionValue>>> {
    let value = match secrets {
        [only] => OneOrMany::One(ConditionValue::String((*only).to_owned())),
        _ => OneOrMany::Many(
            secrets
                .iter()
                .map(|s| ConditionValue::String((*s).to_owned()))
                .collect(),
        ),
    };
    let mut condition = OrderedMap::new();
    condition.push(
        "StringEquals",
        OrderedMap(vec![(KMS_SECRET_ARN_CONTEXT.to_owned(), value)]),
    );
    condition
}

/// Where the resources beyond Secrets Manager live: partition, region and
/// account, from the given ARNs or as CloudFormation pseudo parameters.
struct Scope {
    partition: String,
    region: String,
    account: String,
}

impl Scope {
    fn arn(&self, service: &str, resource: &str) -> String {
        format!(
            "arn:{}:{service}:{}:{}:{resource}",
            self.partition, self.region, self.account
        )
    }
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

    /// The superuser secret when it is given and RDS manages it (its name
    /// starts with `rds!`).
    pub fn rds_managed_superuser_secret(&self) -> Option<SecretArn> {
        match self.superuser_secret()? {
            // A given value was validated by `build`, so it parses.
            Slot::Given(arn) => SecretArn::parse(arn).ok().filter(SecretArn::is_rds_managed),
            Slot::Placeholder(_) => None,
        }
    }

    /// The actions of statement 2, on the superuser secret. AWS's functions
    /// also call `DescribeSecret` on it to read its tags: the RDS ones when
    /// RDS manages it (`fetch_instance_arn_from_system_tags`), the Redshift
    /// multi-user one always (`get_tags_from_metadata`; sources cited in
    /// [`RotationSpec::service_grants`]).
    pub fn superuser_secret_actions(&self) -> &'static [&'static str] {
        if self.rds_managed_superuser_secret().is_some() || self.engine() == Engine::Redshift {
            &["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
        } else {
            &["secretsmanager:GetSecretValue"]
        }
    }

    /// Partition, region and account of the resources the engine's function
    /// calls: those of the function (its SDK clients use the function's
    /// region), else of the secret or the superuser secret; else
    /// `${AWS::Partition}`, `${AWS::Region}` and the `account` value.
    fn scope(&self) -> Scope {
        let given = [
            Some(self.function()),
            Some(self.secret()),
            self.superuser_secret(),
        ]
        .into_iter()
        .flatten()
        .find_map(|slot| match slot {
            Slot::Given(arn) => Arn::parse(arn).ok(),
            Slot::Placeholder(_) => None,
        });
        let partition = self
            .partition()
            .map_or_else(|| Placeholder::Partition.token(), |p| p.as_str().to_owned());
        let region = given
            .as_ref()
            .map_or_else(|| Placeholder::Region.token(), |arn| arn.region().to_owned());
        let account = match (self.account(), &given) {
            (Slot::Placeholder(_), Some(arn)) => arn.account().to_owned(),
            (account, _) => account.text(),
        };
        Scope {
            partition,
            region,
            account,
        }
    }

    /// Statement 7: what the function calls beyond Secrets Manager, for an
    /// RDS-managed superuser secret and for the `engine`'s AWS function.
    /// Each engine's calls come from that function's source in
    /// [`AWS_ROTATION_FUNCTIONS_REPOSITORY`] (file and commit cited below),
    /// scoped as tightly as the Service Authorization Reference allows
    /// without knowing the database's name.
    pub fn service_grants(&self) -> Vec<ServiceGrant> {
        let mut out: Vec<ServiceGrant> = Vec::new();
        let mut push = |actions: &[&'static str], resource: String, purpose: &'static str| {
            // The same action on the same resource is granted once.
            let fresh: Vec<&'static str> = actions
                .iter()
                .copied()
                .filter(|a| {
                    !out.iter()
                        .any(|g| g.resource == resource && g.actions.contains(a))
                })
                .collect();
            if !fresh.is_empty() {
                out.push(ServiceGrant {
                    actions: fresh,
                    resource,
                    purpose,
                });
            }
        };

        // The current AWS page: "if you are using the alternating users
        // strategy and the superuser secret is managed by Amazon RDS, then
        // you must also allow the rotation function to call read-only APIs on
        // Amazon RDS so that it can get the connection information for the
        // database." AWS's RDS functions call exactly one of two: they read
        // the DB's ARN from the superuser secret's tag and pass it to
        // `describe_db_instances` (tag `aws:rds:primaryDBInstanceArn`, secret
        // `rds!db-...`) or `describe_db_clusters` (tag
        // `aws:rds:primaryDBClusterArn`, secret `rds!cluster-...`):
        // `SecretsManagerRDSPostgreSQLRotationMultiUser/lambda_function.py`
        // @119afe71a4db426781a938a1a2545814a37bbf33, lines 606 and 625
        // (`get_connection_params_from_rds_api`). Both are List actions on
        // the `db` / `cluster` resource types (Service Authorization
        // Reference, Amazon RDS); the DB's name is not in the secret's name,
        // so every DB of the secret's account and region.
        if let Some(superuser) = self.rds_managed_superuser_secret() {
            let arn = superuser.arn();
            let rds = |resource: &str| {
                format!(
                    "arn:{}:rds:{}:{}:{resource}",
                    arn.partition(),
                    arn.region(),
                    arn.account()
                )
            };
            let name = superuser.managed_name().unwrap_or_default();
            let cluster = name.starts_with("cluster-");
            let instance = name.starts_with("db-");
            if instance || !cluster {
                push(
                    &["rds:DescribeDBInstances"],
                    rds("db:*"),
                    "the function reads the connection details of the RDS instance that manages the superuser secret",
                );
            }
            if cluster || !instance {
                push(
                    &["rds:DescribeDBClusters"],
                    rds("cluster:*"),
                    "the function reads the connection details of the RDS cluster that manages the superuser secret",
                );
            }
        }

        // Only the engines that call other services need the scope.
        let scope = || self.scope();
        let reads_superuser = self.superuser_secret().is_some();
        match self.engine() {
            Engine::Generic | Engine::DocumentDb => {
                // DocumentDB: `SecretsManagerMongoDBRotationMultiUser/lambda_function.py`
                // @119afe71a4db426781a938a1a2545814a37bbf33 creates no client
                // but Secrets Manager's.
            }
            // The RDS multi-user functions (and Db2's single-user one, which
            // logs in as the admin) check whether the user secret's `host`
            // is a read replica of the superuser's database:
            // `rds_client.describe_db_instances(DBInstanceIdentifier=<first
            // label of host>)` in `is_rds_replica_database`,
            // `SecretsManagerRDSPostgreSQLRotationMultiUser/lambda_function.py`
            // @119afe71a4db426781a938a1a2545814a37bbf33 line 525, and
            // `SecretsManagerRDSDb2RotationSingleUser/lambda_function.py`
            // @119afe71a4db426781a938a1a2545814a37bbf33 line 406; the same
            // helper in the MySQL, MariaDB, Oracle and SQL Server multi-user
            // functions. Single-user functions of the other engines read no
            // superuser secret and make no call beyond Secrets Manager.
            engine if engine.is_rds() && reads_superuser => push(
                &["rds:DescribeDBInstances"],
                scope().arn("rds", "db:*"),
                "the function checks whether the user's database is a read replica of the superuser's",
            ),
            // `SecretsManagerRedshiftRotationMultiUser/lambda_function.py`
            // @76d92360dd8c489dc2eeb4a1d0640d4d9b1dccfe: for an admin secret
            // that Redshift manages, `redshift_client.describe_clusters(
            // ClusterIdentifier=...)` (line 605; resource type `cluster`) or
            // `list_namespaces` and `list_workgroups` of Redshift Serverless
            // (lines 540, 558; no resource type, so `*`). The single-user
            // function calls neither.
            Engine::Redshift if reads_superuser => {
                push(
                    &["redshift:DescribeClusters"],
                    scope().arn("redshift", "cluster:*"),
                    "the function reads the connection details of the cluster whose admin secret it uses",
                );
                push(
                    &[
                        "redshift-serverless:ListNamespaces",
                        "redshift-serverless:ListWorkgroups",
                    ],
                    "*".to_owned(),
                    "the function reads the connection details of the Redshift Serverless namespace whose admin secret it uses",
                );
            }
            // `SecretsManagerElasticacheUserRotation/lambda_function.py`
            // @5dbe8b9be172d857fc483369ba7173cf826d965f:
            // `describe_users(UserId=...)` (lines 115, 260) and
            // `modify_user(UserId=..., Passwords=...)` (line 170), both on
            // the `user` resource type; the user's id is in the secret only.
            Engine::ElastiCache => push(
                &["elasticache:DescribeUsers", "elasticache:ModifyUser"],
                scope().arn("elasticache", "user:*"),
                "the function sets the ElastiCache user's password",
            ),
            // `SecretsManagerActiveDirectoryRotationSingleUser/lambda_function.py`
            // @f7663e746949ef78b5c8c0beed9c25d2e2124367:
            // `describe_directories(DirectoryIds=..., Limit=1)` in the handler
            // (line 108; no resource type, so `*`) and
            // `reset_user_password(...)` in `set_secret` (line 267; resource
            // type `directory`).
            Engine::ActiveDirectory => {
                push(
                    &["ds:DescribeDirectories"],
                    "*".to_owned(),
                    "the function looks up the directory of the user",
                );
                push(
                    &["ds:ResetUserPassword"],
                    scope().arn("ds", "directory/*"),
                    "the function resets the directory user's password",
                );
            }
            // `SecretsManagerInfluxDBRotationSingleUser/lambda_function.py`
            // @be9eb42d01d269928bea56c4f30f25c50ee571fc line 415 and
            // `SecretsManagerInfluxDBRotationMultiUser/lambda_function.py`
            // @02ee0bd5e524a2dc22061de671dc0031bcc0f022 line 861:
            // `get_db_instance(identifier=...)`, resource type `db-instance`.
            Engine::InfluxDb => push(
                &["timestream-influxdb:GetDbInstance"],
                scope().arn("timestream-influxdb", "db-instance/*"),
                "the function reads the InfluxDB instance's endpoint",
            ),
            // The RDS and Redshift engines without a superuser secret: their
            // single-user functions call nothing beyond Secrets Manager.
            _ => {}
        }
        out
    }

    /// The secrets that the `kms` key encrypts for this function: the
    /// rotated secret, and the superuser secret when `superuser_kms` is the
    /// same key.
    pub fn kms_secrets(&self) -> Vec<&str> {
        let mut secrets = vec![self.secret().as_str()];
        if let (Some(key), Some(superuser_key), Some(superuser)) =
            (self.kms(), self.superuser_kms(), self.superuser_secret())
        {
            if key.as_str() == superuser_key {
                secrets.push(superuser.as_str());
            }
        }
        secrets
    }

    /// Statements 5 and 6 for one key and the secrets it encrypts.
    fn kms_statements(&self, key: &str, secrets: &[&str]) -> Vec<Statement> {
        match self.profile() {
            // Decrypt and GenerateDataKey only for these secrets' encryption
            // context, as the current page scopes them; DescribeKey apart,
            // since it has no encryption context to match.
            Profile::Recommended => vec![
                Statement {
                    condition: Some(secret_arn_context(secrets)),
                    ..Statement::allow(many(&KMS_CRYPTO_ACTIONS), one(key))
                },
                Statement::allow(many(&[KMS_DESCRIBE_KEY]), one(key)),
            ],
            Profile::AwsDoc2021 => vec![Statement::allow(many(&KMS_ACTIONS_AWS_DOC_2021), one(key))],
            // The page's statement as printed: DescribeKey inside the
            // condition, where it never matches.
            Profile::AwsDoc2025 => vec![Statement {
                condition: Some(secret_arn_context(secrets)),
                ..Statement::allow(many(&KMS_ACTIONS_AWS_DOC_2025), one(key))
            }],
        }
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
        for grant in self.service_grants() {
            for p in Placeholder::ALL {
                if grant.resource.contains(p.token_str()) && !out.contains(&p) {
                    out.push(p);
                }
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

    /// The execution role's policy, statements in the README's order.
    pub fn execution_role_policy(&self) -> PolicyDocument {
        let mut statements = Vec::new();
        // 1. The rotated secret, only while this function is its rotation
        // function. The 2021 page also required `aws:SourceAccount`, which is
        // absent from calls made with the role's own credentials; the current
        // page has no condition at all.
        let rotation_lambda = (
            "secretsmanager:resource/AllowRotationLambdaArn",
            self.function().as_str(),
        );
        let source_account = ("aws:SourceAccount", self.account().as_str());
        let condition = match self.profile() {
            Profile::Recommended => Some(string_equals(&[rotation_lambda])),
            Profile::AwsDoc2021 => Some(string_equals(&[rotation_lambda, source_account])),
            Profile::AwsDoc2025 => None,
        }
        .map(|equals| {
            let mut condition = OrderedMap::new();
            condition.push("StringEquals", equals);
            condition
        });
        statements.push(Statement {
            condition,
            ..Statement::allow(many(&SECRET_ACTIONS), one(self.secret().as_str()))
        });
        // 2. Read the superuser credentials.
        if let Some(superuser) = self.superuser_secret() {
            statements.push(Statement::allow(
                many(self.superuser_secret_actions()),
                one(superuser.as_str()),
            ));
        }
        // 3. Generate the new password, unless the function makes its own
        // credentials (API tokens, keys).
        if self.random_password() {
            statements.push(Statement::allow(
                many(&["secretsmanager:GetRandomPassword"]),
                one("*"),
            ));
        }
        // 4. Network interfaces for a function in a VPC.
        if self.vpc() {
            statements.push(Statement::allow(many(&VPC_ACTIONS), one("*")));
        }
        // 5. and 6. The keys of the secret and of the superuser secret.
        if let Some(key) = self.kms_resource() {
            statements.extend(self.kms_statements(key, &self.kms_secrets()));
        }
        if let (Some(key), Some(superuser)) = (self.distinct_superuser_kms(), self.superuser_secret()) {
            statements.extend(self.kms_statements(key, &[superuser.as_str()]));
        }
        // 7. Calls beyond Secrets Manager.
        for grant in self.service_grants() {
            statements.push(Statement::allow(many(&grant.actions), one(&grant.resource)));
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
    use super::ServiceGrant;
    use crate::policy::{ConditionValue, OneOrMany};
    use crate::spec::{Engine, Kms, Profile, RotationSpec, RotationSpecBuilder, Strategy};

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const OTHER: &str = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
    const SUPERUSER: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123";
    const FUNCTION: &str = "arn:aws:lambda:eu-west-1:111122223333:function:rotate-app-db";

    fn actions(spec: &RotationSpec) -> Vec<Vec<String>> {
        spec.execution_role_policy()
            .statements()
            .iter()
            .map(|s| {
                s.action
                    .as_ref()
                    .map(|a| a.as_slice().to_vec())
                    .unwrap_or_default()
            })
            .collect()
    }

    fn secret_arn_condition(spec: &RotationSpec, index: usize) -> Option<OneOrMany<ConditionValue>> {
        let policy = spec.execution_role_policy();
        let condition = policy.statements()[index].condition.clone()?;
        let (_, equals) = condition.0.into_iter().find(|(op, _)| op == "StringEquals")?;
        equals
            .0
            .into_iter()
            .find(|(k, _)| k == super::KMS_SECRET_ARN_CONTEXT)
            .map(|(_, v)| v)
    }

    #[test]
    fn a_superuser_key_equal_to_the_secret_key_gets_no_second_statement() {
        let spec = |superuser_kms: &str| {
            RotationSpec::builder(Strategy::AlternatingUsers)
                .secret(SECRET)
                .superuser_secret(SUPERUSER)
                .kms(Kms::Key(KEY.to_owned()))
                .superuser_kms(superuser_kms)
                .build()
                .unwrap()
        };
        assert_eq!(spec(KEY).distinct_superuser_kms(), None);
        assert_eq!(spec(OTHER).distinct_superuser_kms(), Some(OTHER));
        let same = spec(KEY);
        let other = spec(OTHER);
        // A distinct key: its own crypto and DescribeKey statements.
        assert_eq!(
            other.execution_role_policy().statements().len(),
            same.execution_role_policy().statements().len() + 2
        );
        // The shared key's condition lists both secrets it encrypts.
        let both = OneOrMany::Many(vec![
            ConditionValue::String(SECRET.to_owned()),
            ConditionValue::String(SUPERUSER.to_owned()),
        ]);
        assert_eq!(secret_arn_condition(&same, 4), Some(both));
        assert_eq!(
            secret_arn_condition(&other, 4),
            Some(OneOrMany::One(ConditionValue::String(SECRET.to_owned())))
        );
        assert_eq!(
            secret_arn_condition(&other, 6),
            Some(OneOrMany::One(ConditionValue::String(SUPERUSER.to_owned())))
        );
    }

    #[test]
    fn kms_statements_per_profile() {
        let spec = |profile| {
            RotationSpec::builder(Strategy::SingleUser)
                .kms(Kms::Key(KEY.to_owned()))
                .vpc(false)
                .profile(profile)
                .build()
                .unwrap()
        };
        let recommended = actions(&spec(Profile::Recommended));
        assert_eq!(recommended[2], ["kms:Decrypt", "kms:GenerateDataKey"]);
        assert_eq!(recommended[3], ["kms:DescribeKey"]);
        let page = spec(Profile::AwsDoc2025);
        assert_eq!(
            actions(&page)[2],
            ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey"]
        );
        assert!(secret_arn_condition(&page, 2).is_some());
        // The current page has no condition on the secret actions.
        assert!(page.execution_role_policy().statements()[0].condition.is_none());
        assert_eq!(
            actions(&spec(Profile::AwsDoc2021))[2],
            ["kms:Decrypt", "kms:GenerateDataKey"]
        );
    }

    #[test]
    fn no_random_password_no_statement() {
        let with = RotationSpec::builder(Strategy::SingleUser).build().unwrap();
        let without = RotationSpec::builder(Strategy::SingleUser)
            .random_password(false)
            .build()
            .unwrap();
        let has = |spec: &RotationSpec| {
            actions(spec)
                .iter()
                .any(|a| a.iter().any(|a| a == "secretsmanager:GetRandomPassword"))
        };
        assert!(has(&with));
        assert!(!has(&without));
    }

    fn alternating(engine: Engine) -> RotationSpecBuilder {
        RotationSpec::builder(Strategy::AlternatingUsers)
            .account("111122223333")
            .secret(SECRET)
            .function(FUNCTION)
            .superuser_secret(SUPERUSER)
            .engine(engine)
    }

    fn grants(builder: RotationSpecBuilder) -> Vec<(Vec<&'static str>, String)> {
        builder
            .build()
            .unwrap()
            .service_grants()
            .into_iter()
            .map(
                |ServiceGrant {
                     actions, resource, ..
                 }| (actions, resource),
            )
            .collect()
    }

    #[test]
    fn each_engine_grants_its_functions_calls() {
        // The function's region (eu-west-1) scopes the engine's resources.
        let rds_db = "arn:aws:rds:eu-west-1:111122223333:db:*".to_owned();
        for engine in Engine::ALL {
            let got = grants(alternating(engine));
            let want: Vec<(Vec<&str>, String)> = match engine {
                Engine::Generic | Engine::DocumentDb => vec![],
                Engine::MySql
                | Engine::Postgres
                | Engine::MariaDb
                | Engine::Oracle
                | Engine::SqlServer
                | Engine::Db2 => vec![(vec!["rds:DescribeDBInstances"], rds_db.clone())],
                Engine::Redshift => vec![
                    (
                        vec!["redshift:DescribeClusters"],
                        "arn:aws:redshift:eu-west-1:111122223333:cluster:*".to_owned(),
                    ),
                    (
                        vec![
                            "redshift-serverless:ListNamespaces",
                            "redshift-serverless:ListWorkgroups",
                        ],
                        "*".to_owned(),
                    ),
                ],
                Engine::ElastiCache => vec![(
                    vec!["elasticache:DescribeUsers", "elasticache:ModifyUser"],
                    "arn:aws:elasticache:eu-west-1:111122223333:user:*".to_owned(),
                )],
                Engine::ActiveDirectory => vec![
                    (vec!["ds:DescribeDirectories"], "*".to_owned()),
                    (
                        vec!["ds:ResetUserPassword"],
                        "arn:aws:ds:eu-west-1:111122223333:directory/*".to_owned(),
                    ),
                ],
                Engine::InfluxDb => vec![(
                    vec!["timestream-influxdb:GetDbInstance"],
                    "arn:aws:timestream-influxdb:eu-west-1:111122223333:db-instance/*".to_owned(),
                )],
            };
            assert_eq!(got, want, "{}", engine.name());
        }
        // Single user: the RDS and Redshift functions read no superuser secret.
        for engine in [Engine::MySql, Engine::Redshift] {
            let single = RotationSpec::builder(Strategy::SingleUser).engine(engine);
            assert_eq!(grants(single), vec![], "{}", engine.name());
        }
        // Redshift's multi-user function reads the admin secret's tags.
        let redshift = alternating(Engine::Redshift).build().unwrap();
        assert_eq!(
            actions(&redshift)[1],
            ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
        );
        let mysql = alternating(Engine::MySql).build().unwrap();
        assert_eq!(actions(&mysql)[1], ["secretsmanager:GetSecretValue"]);
    }

    #[test]
    fn unknown_region_and_partition_are_pseudo_parameters() {
        let got = grants(RotationSpec::builder(Strategy::SingleUser).engine(Engine::InfluxDb));
        assert_eq!(
            got[0].1,
            "arn:${AWS::Partition}:timestream-influxdb:${AWS::Region}:${AWS::AccountId}:db-instance/*"
        );
        let spec = RotationSpec::builder(Strategy::SingleUser)
            .engine(Engine::InfluxDb)
            .build()
            .unwrap();
        let placeholders = spec.placeholders();
        assert!(
            placeholders.contains(&crate::Placeholder::Region),
            "{placeholders:?}"
        );
        assert!(
            placeholders.contains(&crate::Placeholder::Partition),
            "{placeholders:?}"
        );
    }

    #[test]
    fn an_rds_managed_superuser_secret_adds_the_rds_lookup_of_its_kind() {
        let rds = |name: &str| {
            alternating(Engine::Generic).superuser_secret(format!(
                "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!{name}-AbCdEf"
            ))
        };
        let instance = rds("db-8eb13df2-5d5d-467f-b28c-5c1cab606a06");
        assert_eq!(
            grants(instance.clone()),
            [(
                vec!["rds:DescribeDBInstances"],
                "arn:aws:rds:us-east-1:111122223333:db:*".to_owned()
            )]
        );
        assert_eq!(
            actions(&instance.build().unwrap())[1],
            ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
        );
        assert_eq!(
            grants(rds("cluster-a1b2c3d4")),
            [(
                vec!["rds:DescribeDBClusters"],
                "arn:aws:rds:us-east-1:111122223333:cluster:*".to_owned()
            )]
        );
        // A name of neither form: both lookups.
        assert_eq!(grants(rds("other")).len(), 2);
        // With an RDS engine, its replica check in the same region is not
        // granted twice.
        let function_here = rds("db-1").function("arn:aws:lambda:us-east-1:111122223333:function:f");
        assert_eq!(grants(function_here.engine(Engine::MySql)).len(), 1);
    }
}
