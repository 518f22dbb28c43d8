//! The requests rotation makes, derived from a [`RotationSpec`].
//!
//! Three kinds of caller take part (Secrets Manager User Guide, "How
//! rotation works" and "Permissions for the Lambda rotation function"):
//!
//! - the function, with its execution role's own credentials, calls Secrets
//!   Manager on the secret and the superuser secret. These requests carry
//!   no `aws:SourceAccount`/`aws:SourceArn`: those keys are only present
//!   when a service calls on its own behalf (IAM User Guide, "AWS global
//!   condition context keys");
//! - Secrets Manager, on the role's behalf, calls KMS to decrypt and encrypt
//!   secret values: `kms:ViaService` is `secretsmanager.REGION.amazonaws.com`
//!   and the encryption context carries `SecretARN`;
//! - Lambda, with the execution role, manages the function's network
//!   interfaces when the function runs in a VPC;
//! - Secrets Manager, as the service principal, invokes the function, with
//!   `aws:SourceAccount` (the secret's account) and `aws:SourceArn` (the
//!   secret).

use crate::documents::{KMS_DESCRIBE_KEY, KMS_SECRET_ARN_CONTEXT, SECRETS_MANAGER_PRINCIPAL, SECRET_ACTIONS};
use crate::spec::{RotationSpec, Slot};

use super::request::{Request, RequestPrincipal};

/// The account Secrets Manager is asked to invoke for in the probes of the
/// resource policy verdict: any account that is not the secret's.
pub const OTHER_ACCOUNT: &str = "999999999999";

/// The region of the spec's ARNs (the secret's first), or `${AWS::Region}`.
fn region(spec: &RotationSpec) -> String {
    [spec.secret(), spec.function()]
        .into_iter()
        .find_map(|slot| match slot {
            Slot::Given(arn) => arn.split(':').nth(3).map(str::to_owned),
            Slot::Placeholder(_) => None,
        })
        .unwrap_or_else(|| "${AWS::Region}".to_owned())
}

/// Example ids of the function's network interface, subnet and security
/// group: rotation's requests need concrete ARNs (a real function's ids are
/// not known to the spec), and wildcard-free ones make every grant or deny
/// of `network-interface/*`, `subnet/*` or `*/*` apply as it would to the
/// real ids.
pub const EXAMPLE_NETWORK_INTERFACE: &str = "eni-0123456789abcdef0";
/// See [`EXAMPLE_NETWORK_INTERFACE`].
pub const EXAMPLE_SUBNET: &str = "subnet-0123456789abcdef0";
/// See [`EXAMPLE_NETWORK_INTERFACE`].
pub const EXAMPLE_SECURITY_GROUP: &str = "sg-0123456789abcdef0";

/// The EC2 ARN prefix of the function's account and region:
/// `arn:PARTITION:ec2:REGION:ACCOUNT:`.
fn ec2_arn_prefix(spec: &RotationSpec) -> String {
    let partition = spec.partition().map_or("aws", crate::arn::Partition::as_str);
    // The function's region first: its network interfaces live there.
    let region = match spec.function() {
        Slot::Given(arn) => arn.split(':').nth(3).map(str::to_owned),
        Slot::Placeholder(_) => None,
    }
    .unwrap_or_else(|| region(spec));
    format!("arn:{partition}:ec2:{region}:{}:", spec.account().text())
}

/// The calls Lambda makes with the execution role to attach a function to
/// its VPC (Lambda Developer Guide, "Giving Lambda functions access to
/// resources in an Amazon VPC": `ec2:CreateNetworkInterface`,
/// `ec2:DescribeNetworkInterfaces` "only works if it's allowed on all
/// resources", `ec2:DeleteNetworkInterface`), each authorized on the
/// resources the Service Authorization Reference lists for it (Amazon EC2,
/// "Actions defined by Amazon EC2"): `CreateNetworkInterface` on
/// `network-interface*`, `subnet*` and `security-group`;
/// `DeleteNetworkInterface` on `network-interface*`;
/// `DescribeNetworkInterfaces` on no resource type, so on `*`. IAM
/// authorizes a request with several resources only if every one is
/// allowed, so each resource is one request here: a `Deny` on `subnet/*`
/// breaks rotation, and a grant on `arn:aws:ec2:REGION:ACCOUNT:*/*` (the
/// scoping the Lambda guide shows) works.
fn network_interface_calls(
    spec: &RotationSpec,
    own_call: &dyn Fn(&str, &str, &'static str) -> Request,
) -> Vec<Request> {
    let prefix = ec2_arn_prefix(spec);
    let eni = format!("{prefix}network-interface/{EXAMPLE_NETWORK_INTERFACE}");
    let subnet = format!("{prefix}subnet/{EXAMPLE_SUBNET}");
    let security_group = format!("{prefix}security-group/{EXAMPLE_SECURITY_GROUP}");
    const CREATE: &str = "Lambda creates the function's network interface in its VPC";
    vec![
        own_call("ec2:CreateNetworkInterface", &eni, CREATE),
        own_call("ec2:CreateNetworkInterface", &subnet, CREATE),
        own_call("ec2:CreateNetworkInterface", &security_group, CREATE),
        own_call(
            "ec2:DescribeNetworkInterfaces",
            "*",
            "Lambda lists the function's network interfaces",
        ),
        own_call(
            "ec2:DeleteNetworkInterface",
            &eni,
            "Lambda deletes the function's unused network interface",
        ),
    ]
}

/// The requests whose denial breaks rotation.
pub fn requirements(spec: &RotationSpec, role_arn: Option<&str>) -> Vec<Request> {
    let account = spec.account().text();
    let secret = spec.secret().text();
    let function = spec.function().text();
    let region = region(spec);
    let role = RequestPrincipal::Role {
        arn: role_arn.map(str::to_owned),
        account: account.clone(),
    };
    let own_call = |action: &str, resource: &str, purpose: &'static str| {
        let mut request = Request::new(role.clone(), action, resource, purpose)
            .with("aws:PrincipalAccount", account.clone())
            .with("aws:PrincipalType", "AssumedRole")
            .with("aws:SecureTransport", "true")
            .with("aws:RequestedRegion", region.clone());
        if let Some(arn) = role_arn {
            request = request.with("aws:PrincipalArn", arn);
        }
        request
    };
    let mut out = Vec::new();
    for action in SECRET_ACTIONS {
        out.push(
            own_call(
                action,
                &secret,
                "the function reads and updates the rotated secret",
            )
            .with("secretsmanager:SecretId", secret.clone())
            .with("secretsmanager:resource/AllowRotationLambdaArn", function.clone()),
        );
    }
    if let Some(superuser) = spec.superuser_secret() {
        let superuser = superuser.text();
        // GetSecretValue, and DescribeSecret where the engine's function
        // reads the superuser secret's tags (documents.rs, statement 2).
        for action in spec.superuser_secret_actions() {
            let purpose = if *action == "secretsmanager:DescribeSecret" {
                "the function reads the superuser secret's tags to find its database"
            } else {
                "the function reads the superuser credentials"
            };
            out.push(
                own_call(action, &superuser, purpose).with("secretsmanager:SecretId", superuser.clone()),
            );
        }
    }
    if spec.random_password() {
        out.push(own_call(
            "secretsmanager:GetRandomPassword",
            "*",
            "the function generates the new password",
        ));
    }
    if spec.vpc() {
        out.extend(network_interface_calls(spec, &own_call));
    }
    let kms_call = |action: &str, key: &str, secret_arn: &str, purpose: &'static str| {
        own_call(action, key, purpose)
            .with("kms:ViaService", format!("secretsmanager.{region}.amazonaws.com"))
            .with("kms:CallerAccount", account.clone())
            .with(KMS_SECRET_ARN_CONTEXT, secret_arn.to_owned())
            .with_values(
                "kms:EncryptionContextKeys",
                vec!["SecretARN".to_owned(), "SecretVersionId".to_owned()],
            )
            .with_values("aws:CalledVia", vec![SECRETS_MANAGER_PRINCIPAL.to_owned()])
    };
    if let Some(key) = spec.kms() {
        let key = key.text();
        out.push(kms_call(
            "kms:Decrypt",
            &key,
            &secret,
            "Secrets Manager decrypts the secret for the function",
        ));
        out.push(kms_call(
            "kms:GenerateDataKey",
            &key,
            &secret,
            "Secrets Manager encrypts the new secret version for the function",
        ));
    }
    // The superuser secret's key, whether it is the secret's key or another:
    // Secrets Manager decrypts it with the superuser secret's ARN as context.
    if let (Some(key), Some(superuser)) = (spec.superuser_kms(), spec.superuser_secret()) {
        out.push(kms_call(
            "kms:Decrypt",
            key,
            &superuser.text(),
            "Secrets Manager decrypts the superuser secret for the function",
        ));
    }
    // What the engine's function and an RDS-managed superuser secret need
    // beyond Secrets Manager (documents.rs, statement 7).
    for grant in spec.service_grants() {
        for action in &grant.actions {
            out.push(own_call(action, &grant.resource, grant.purpose));
        }
    }
    out
}

/// What the role may be granted beyond the strict requirements without
/// counting as excess, as (action, resource) pairs; `*` as the resource
/// tolerates a grant on any resource:
///
/// - Lambda's own documented needs: CloudWatch Logs
///   (`logs:CreateLogGroup`, `logs:CreateLogStream`, `logs:PutLogEvents`,
///   the AWSLambdaBasicExecutionRole managed policy) for every function, and
///   for a function in a VPC the AWSLambdaVPCAccessExecutionRole managed
///   policy's EC2 actions on `*` (`Create`/`Delete`/`DescribeNetworkInterfaces`,
///   `DescribeSubnets`, `Assign`/`UnassignPrivateIpAddresses`): the real
///   interface, subnet and security group ids are not in the spec, and the
///   Lambda guide allows "all resource IDs";
/// - grants of the `recommended` profile that AWS's current documentation
///   and hosted-rotation templates include although rotation does not call
///   them (`ec2:DetachNetworkInterface`, `kms:DescribeKey` on the keys), and
///   `kms:GenerateDataKey` on the superuser secret's key, which statement 5's
///   shape grants for a secret the function only reads.
pub fn tolerated(spec: &RotationSpec) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        .into_iter()
        .map(|action| (action.to_owned(), "*".to_owned()))
        .collect();
    if spec.vpc() {
        for action in [
            "ec2:CreateNetworkInterface",
            "ec2:DeleteNetworkInterface",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DetachNetworkInterface",
            "ec2:DescribeSubnets",
            "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses",
        ] {
            out.push((action.to_owned(), "*".to_owned()));
        }
    }
    let keys = spec
        .kms()
        .map(Slot::text)
        .into_iter()
        .chain(spec.superuser_kms().map(str::to_owned));
    for key in keys {
        out.push((KMS_DESCRIBE_KEY.to_owned(), key));
    }
    if let Some(key) = spec.superuser_kms() {
        out.push(("kms:GenerateDataKey".to_owned(), key.to_owned()));
    }
    out
}

/// The request by which Secrets Manager invokes the function for the secret.
pub fn invoke(spec: &RotationSpec) -> Request {
    Request::new(
        RequestPrincipal::Service(SECRETS_MANAGER_PRINCIPAL.to_owned()),
        "lambda:InvokeFunction",
        &spec.function().text(),
        "Secrets Manager invokes the function to rotate the secret",
    )
    .with("aws:SourceAccount", spec.account().text())
    .with("aws:SourceArn", spec.secret().text())
}

/// Requests that must be denied for the function not to be a confused
/// deputy: Secrets Manager acting for another account, another service,
/// and a principal of another account.
pub fn invoke_probes(spec: &RotationSpec) -> Vec<(String, Request)> {
    let function = spec.function().text();
    let other_secret = format!("arn:aws:secretsmanager:us-east-1:{OTHER_ACCOUNT}:secret:other-AbCdEf");
    let service = |name: &str| RequestPrincipal::Service(name.to_owned());
    vec![
        (
            format!("Secrets Manager rotating a secret of another account ({OTHER_ACCOUNT})"),
            Request::new(
                service(SECRETS_MANAGER_PRINCIPAL),
                "lambda:InvokeFunction",
                &function,
                "probe",
            )
            .with("aws:SourceAccount", OTHER_ACCOUNT)
            .with("aws:SourceArn", other_secret.clone()),
        ),
        (
            "another AWS service (events.amazonaws.com)".to_owned(),
            Request::new(
                service("events.amazonaws.com"),
                "lambda:InvokeFunction",
                &function,
                "probe",
            )
            .with("aws:SourceAccount", spec.account().text())
            .with("aws:SourceArn", other_secret),
        ),
        (
            format!("a principal of another account ({OTHER_ACCOUNT})"),
            Request::new(
                RequestPrincipal::Role {
                    arn: Some(format!("arn:aws:iam::{OTHER_ACCOUNT}:role/intruder")),
                    account: OTHER_ACCOUNT.to_owned(),
                },
                "lambda:InvokeFunction",
                &function,
                "probe",
            )
            .with("aws:PrincipalAccount", OTHER_ACCOUNT)
            .in_another_account(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::requirements;
    use crate::documents::KMS_SECRET_ARN_CONTEXT;
    use crate::spec::{Engine, Kms, RotationSpec, Strategy};

    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
    const RDS: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-8eb13df2-AbCdEf";
    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn actions(spec: &RotationSpec) -> Vec<(String, String)> {
        requirements(spec, None)
            .into_iter()
            .map(|r| (r.action, r.resource))
            .collect()
    }

    #[test]
    fn requests_follow_the_options() {
        let has = |spec: &RotationSpec, action: &str| actions(spec).iter().any(|(a, _)| a == action);
        let with = RotationSpec::builder(Strategy::SingleUser).build().unwrap();
        let without = RotationSpec::builder(Strategy::SingleUser)
            .random_password(false)
            .build()
            .unwrap();
        assert!(has(&with, "secretsmanager:GetRandomPassword"));
        assert!(!has(&without, "secretsmanager:GetRandomPassword"));

        let elasticache = RotationSpec::builder(Strategy::SingleUser)
            .secret(SECRET)
            .engine(Engine::ElastiCache)
            .build()
            .unwrap();
        let found = actions(&elasticache);
        for action in ["elasticache:DescribeUsers", "elasticache:ModifyUser"] {
            assert!(
                // `account` not given: the secret's account and region.
                found.contains(&(
                    action.to_owned(),
                    "arn:aws:elasticache:us-east-1:111122223333:user:*".to_owned()
                )),
                "{action}: {found:?}"
            );
        }

        let rds = RotationSpec::builder(Strategy::AlternatingUsers)
            .superuser_secret(RDS)
            .build()
            .unwrap();
        let found = actions(&rds);
        assert!(found.contains(&("secretsmanager:DescribeSecret".to_owned(), RDS.to_owned())));
        assert!(found.contains(&(
            "rds:DescribeDBInstances".to_owned(),
            "arn:aws:rds:us-east-1:111122223333:db:*".to_owned()
        )));
    }

    #[test]
    fn kms_requests_carry_the_secret_arn_context() {
        let superuser = SECRET.replace("app-db", "admin");
        let spec = RotationSpec::builder(Strategy::AlternatingUsers)
            .secret(SECRET)
            .superuser_secret(superuser.clone())
            .kms(Kms::Key(KEY.to_owned()))
            .superuser_kms(KEY)
            .build()
            .unwrap();
        let kms: Vec<_> = requirements(&spec, None)
            .into_iter()
            .filter(|r| r.is_service("kms"))
            .map(|r| {
                let context = r.context_values(KMS_SECRET_ARN_CONTEXT).map(<[String]>::to_vec);
                (r.action, context)
            })
            .collect();
        assert_eq!(
            kms,
            [
                ("kms:Decrypt".to_owned(), Some(vec![SECRET.to_owned()])),
                ("kms:GenerateDataKey".to_owned(), Some(vec![SECRET.to_owned()])),
                // The superuser secret shares the key: decrypted with its own context.
                ("kms:Decrypt".to_owned(), Some(vec![superuser])),
            ]
        );
    }
}
