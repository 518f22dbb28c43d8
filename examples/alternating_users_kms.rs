//! The policies of an alternating-users rotation function whose secrets are
//! encrypted with customer managed keys: `cargo run --example alternating_users_kms`.

use rotation_policy::{rotation_policy, RotationPolicies};

/// The function runs in a VPC (the default), the resource policy is bound to
/// the secret with `aws:SourceArn`, and the superuser secret has its own key.
const POLICIES: RotationPolicies = rotation_policy! {
    strategy: alternating_users,
    account: "111122223333",
    secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
    function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
    superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
    kms: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    superuser_kms: "arn:aws:kms:us-east-1:111122223333:key/mrk-1234567890abcdef1234567890abcdef",
    source_arn: true,
};

fn main() {
    println!("Lambda resource policy:\n{}\n", POLICIES.resource_policy);
    println!("Execution role policy:\n{}", POLICIES.execution_role_policy);
}
