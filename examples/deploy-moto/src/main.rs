//! A CDK-style Rust app: the rotation function's policies are embedded at
//! compile time with `rotation_policy!`, then deployed with the AWS SDK for
//! Rust and read back.
//!
//! ```sh
//! cargo run --manifest-path examples/deploy-moto/Cargo.toml -- --endpoint-url http://127.0.0.1:5000
//! ```
//!
//! It creates the execution role (trust policy for Lambda, the
//! `AWSLambdaBasicExecutionRole` managed policy, the generated execution role
//! policy inline), the function, and the permission that lets Secrets Manager
//! invoke it for this account and secret; then it reads everything back and
//! exits 1 unless IAM and Lambda return the generated documents. It talks to
//! the endpoint given with `--endpoint-url` or `AWS_ENDPOINT_URL` (a moto
//! server; `scripts/deploy-moto.sh` starts one) with dummy credentials in
//! `us-east-1`, and gives up after bounded timeouts when the endpoint does not
//! answer. Exit codes: 0 deployed and equal, 1 failed or different, 2 usage.

mod compare;
mod zip;

use std::process::ExitCode;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_iam::config::Credentials;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{FunctionCode, Runtime};
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use rotation_policy::{rotation_policy, RotationPolicies};
use serde_json::{json, Value};

/// The account moto serves by default.
const POLICIES: RotationPolicies = rotation_policy! {
    strategy: alternating_users,
    account: "123456789012",
    secret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-db-AbCdEf",
    function: "arn:aws:lambda:us-east-1:123456789012:function:rotate-app-db",
    superuser_secret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-XyZ123",
    kms: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    // The function below is created without a VPC configuration.
    vpc: false,
    source_arn: true,
};

const ROLE_NAME: &str = "rotate-app-db-role";
/// The inline policy's name, as in `generate --format cloudformation`.
const INLINE_POLICY_NAME: &str = "SecretsManagerRotation";
/// The `StatementId` of the invoke permission; Lambda stores it as the `Sid`.
const STATEMENT_ID: &str = "SecretsManagerRotationInvoke";
const SECRETS_MANAGER: &str = "secretsmanager.amazonaws.com";

/// Connection and response bounds: an endpoint that refuses connections
/// fails within a second or two, one that accepts and never answers within
/// `OPERATION_TIMEOUT`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
const OPERATION_TIMEOUT: Duration = Duration::from_secs(20);
const MAX_ATTEMPTS: u32 = 2;

const USAGE: &str = "usage: deploy-moto [--endpoint-url URL]   (or set AWS_ENDPOINT_URL)";

fn main() -> ExitCode {
    let endpoint = match endpoint(std::env::args().skip(1), std::env::var("AWS_ENDPOINT_URL").ok()) {
        Ok(Some(endpoint)) => endpoint,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("deploy-moto: error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("deploy-moto: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(deploy(&endpoint)) {
        Ok(()) => {
            println!("deploy-moto: IAM and Lambda returned the generated documents");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("deploy-moto: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The endpoint from `--endpoint-url URL` / `--endpoint-url=URL`, else from
/// `AWS_ENDPOINT_URL`; `Ok(None)` for `--help`. There is no default: with
/// dummy credentials the app is meant for a local endpoint only.
fn endpoint(mut args: impl Iterator<Item = String>, env: Option<String>) -> Result<Option<String>, String> {
    let mut url = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--endpoint-url" => url = Some(args.next().ok_or("`--endpoint-url` needs a value")?),
            _ => match arg.strip_prefix("--endpoint-url=") {
                Some(value) => url = Some(value.to_owned()),
                None => return Err(format!("unexpected argument `{arg}`")),
            },
        }
    }
    let url = url.or(env).filter(|u| !u.is_empty()).ok_or("no endpoint given")?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!("endpoint `{url}` is not an http:// or https:// URL"));
    }
    Ok(Some(url))
}

/// What the app deploys, read out of the generated resource policy so that
/// the API calls cannot disagree with the documents.
struct Target {
    partition: String,
    account: String,
    function_arn: String,
    function_name: String,
    secret_arn: String,
}

fn target(resource_policy: &Value) -> Result<Target, String> {
    let statement = &resource_policy["Statement"][0];
    let text = |value: &Value, what: &str| {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("the generated resource policy has no {what}"))
    };
    let function_arn = text(&statement["Resource"], "function ARN")?;
    let account = text(
        &statement["Condition"]["StringEquals"]["aws:SourceAccount"],
        "source account",
    )?;
    let secret_arn = text(&statement["Condition"]["ArnLike"]["aws:SourceArn"], "source ARN")?;
    let (partition, function_name) = match function_arn.split(':').collect::<Vec<_>>()[..] {
        ["arn", partition, "lambda", _, _, "function", name] => (partition.to_owned(), name.to_owned()),
        _ => return Err(format!("`{function_arn}` is not an unqualified function ARN")),
    };
    Ok(Target {
        partition,
        account,
        function_arn,
        function_name,
        secret_arn,
    })
}

async fn deploy(endpoint: &str) -> Result<(), String> {
    let resource_policy: Value = serde_json::from_str(POLICIES.resource_policy)
        .map_err(|e| format!("generated resource policy: {e}"))?;
    let execution_role_policy: Value = serde_json::from_str(POLICIES.execution_role_policy)
        .map_err(|e| format!("generated execution role policy: {e}"))?;
    let target = target(&resource_policy)?;
    let trust_policy = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"
        }]
    });
    let basic_execution = format!(
        "arn:{}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
        target.partition
    );

    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::from_static("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "deploy-moto"))
        .http_client(http_client)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .read_timeout(ATTEMPT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .load()
        .await;
    let iam = aws_sdk_iam::Client::new(&config);
    let lambda = aws_sdk_lambda::Client::new(&config);

    println!("deploy-moto: deploying to {endpoint}");
    let role = iam
        .create_role()
        .role_name(ROLE_NAME)
        .assume_role_policy_document(trust_policy.to_string())
        .send()
        .await
        .map_err(|e| failed("iam:CreateRole", endpoint, &e))?;
    let role_arn = role
        .role()
        .map(|r| r.arn().to_owned())
        .ok_or("iam:CreateRole returned no role")?;
    iam.attach_role_policy()
        .role_name(ROLE_NAME)
        .policy_arn(&basic_execution)
        .send()
        .await
        .map_err(|e| failed("iam:AttachRolePolicy", endpoint, &e))?;
    iam.put_role_policy()
        .role_name(ROLE_NAME)
        .policy_name(INLINE_POLICY_NAME)
        .policy_document(POLICIES.execution_role_policy)
        .send()
        .await
        .map_err(|e| failed("iam:PutRolePolicy", endpoint, &e))?;
    println!("deploy-moto: role {role_arn} with the execution role policy inline");

    // Real IAM takes a few seconds before Lambda can assume a new role; a
    // deployment tool retries `CreateFunction` on that error. moto has no delay.
    let package = zip::single_file(
        "lambda_function.py",
        b"def lambda_handler(event, context):\n    return None\n",
    )?;
    let function = lambda
        .create_function()
        .function_name(&target.function_name)
        .runtime(Runtime::Python312)
        .role(&role_arn)
        .handler("lambda_function.lambda_handler")
        .code(FunctionCode::builder().zip_file(Blob::new(package)).build())
        .send()
        .await
        .map_err(|e| failed("lambda:CreateFunction", endpoint, &e))?;
    if function.function_arn() != Some(target.function_arn.as_str()) {
        return Err(format!(
            "lambda:CreateFunction returned ARN {:?}, the policies name `{}`",
            function.function_arn(),
            target.function_arn
        ));
    }
    lambda
        .add_permission()
        .function_name(&target.function_name)
        .statement_id(STATEMENT_ID)
        .action("lambda:InvokeFunction")
        .principal(SECRETS_MANAGER)
        .source_account(&target.account)
        .source_arn(&target.secret_arn)
        .send()
        .await
        .map_err(|e| failed("lambda:AddPermission", endpoint, &e))?;
    println!(
        "deploy-moto: function {} with the invoke permission",
        target.function_arn
    );

    // Read everything back.
    let role = iam
        .get_role()
        .role_name(ROLE_NAME)
        .send()
        .await
        .map_err(|e| failed("iam:GetRole", endpoint, &e))?;
    let returned_trust = role
        .role()
        .and_then(|r| r.assume_role_policy_document())
        .ok_or("iam:GetRole returned no trust policy")?;
    let returned_trust = compare::iam_document("iam:GetRole trust policy", returned_trust)?;
    compare::expect_equal("the role's trust policy", &returned_trust, &trust_policy)?;

    let inline = iam
        .get_role_policy()
        .role_name(ROLE_NAME)
        .policy_name(INLINE_POLICY_NAME)
        .send()
        .await
        .map_err(|e| failed("iam:GetRolePolicy", endpoint, &e))?;
    let returned_inline = compare::iam_document("iam:GetRolePolicy document", inline.policy_document())?;
    compare::expect_equal(
        "the inline execution role policy",
        &returned_inline,
        &execution_role_policy,
    )?;

    let attached = iam
        .list_attached_role_policies()
        .role_name(ROLE_NAME)
        .send()
        .await
        .map_err(|e| failed("iam:ListAttachedRolePolicies", endpoint, &e))?;
    let attached: Vec<&str> = attached
        .attached_policies()
        .iter()
        .filter_map(|p| p.policy_arn())
        .collect();
    if attached != [basic_execution.as_str()] {
        return Err(format!(
            "the role's managed policies are {attached:?}, expected [{basic_execution:?}]"
        ));
    }

    let configuration = lambda
        .get_function_configuration()
        .function_name(&target.function_name)
        .send()
        .await
        .map_err(|e| failed("lambda:GetFunctionConfiguration", endpoint, &e))?;
    if configuration.role() != Some(role_arn.as_str()) {
        return Err(format!(
            "the function's role is {:?}, expected `{role_arn}`",
            configuration.role()
        ));
    }

    let policy = lambda
        .get_policy()
        .function_name(&target.function_name)
        .send()
        .await
        .map_err(|e| failed("lambda:GetPolicy", endpoint, &e))?;
    let returned_policy: Value =
        serde_json::from_str(policy.policy().ok_or("lambda:GetPolicy returned no policy")?)
            .map_err(|e| format!("lambda:GetPolicy returned a policy that is not JSON: {e}"))?;
    let returned_policy = compare::lambda_policy(returned_policy, STATEMENT_ID)?;
    let mut generated_policy = resource_policy;
    compare::lowercase_condition_keys(&mut generated_policy);
    compare::expect_equal(
        "the function's resource policy",
        &returned_policy,
        &generated_policy,
    )?;
    println!("deploy-moto: read back the trust policy, the inline policy, the managed policy, the function's role and its resource policy");
    Ok(())
}

/// One line for a failed call: the service's error code and message, or the
/// chain of causes of a failure to get an answer (connection refused, timed
/// out, ...).
fn failed<E, R>(call: &str, endpoint: &str, error: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let cause = match error.as_service_error() {
        Some(service) => format!(
            "{}: {}",
            service.code().unwrap_or("unknown error"),
            service.message().unwrap_or("no message")
        ),
        None => {
            let mut chain = error.to_string();
            let mut source = std::error::Error::source(error);
            while let Some(cause) = source {
                chain.push_str(": ");
                chain.push_str(&cause.to_string());
                source = cause.source();
            }
            chain
        }
    };
    format!("{call} at {endpoint} failed: {cause}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn endpoint_from_flag_or_environment() {
        let env = Some("http://127.0.0.1:1".to_owned());
        assert_eq!(
            endpoint(args(&["--endpoint-url", "http://localhost:5000"]), env.clone())
                .unwrap()
                .unwrap(),
            "http://localhost:5000"
        );
        assert_eq!(
            endpoint(args(&["--endpoint-url=http://a:1"]), None)
                .unwrap()
                .unwrap(),
            "http://a:1"
        );
        assert_eq!(endpoint(args(&[]), env).unwrap().unwrap(), "http://127.0.0.1:1");
        assert!(endpoint(args(&[]), None).is_err());
        assert!(endpoint(args(&["--endpoint-url"]), None).is_err());
        assert!(endpoint(args(&["--endpoint-url", "localhost:5000"]), None).is_err());
        assert!(endpoint(args(&["--bogus"]), None).is_err());
        assert!(endpoint(args(&["--help"]), None).unwrap().is_none());
    }

    #[test]
    fn target_comes_from_the_embedded_resource_policy() {
        let policy: Value = serde_json::from_str(POLICIES.resource_policy).unwrap();
        let target = target(&policy).unwrap();
        assert_eq!(target.partition, "aws");
        assert_eq!(target.account, "123456789012");
        assert_eq!(target.function_name, "rotate-app-db");
        assert_eq!(
            target.secret_arn,
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-db-AbCdEf"
        );
    }
}
