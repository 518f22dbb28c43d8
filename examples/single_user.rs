//! The policies of a single-user rotation function, validated at compile
//! time: `cargo run --example single_user`.

use rotation_policy::{rotation_policy, RotationPolicies};

/// A function outside any VPC, rotating a secret encrypted with the AWS
/// managed key.
const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: "111122223333",
    secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
    function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
    vpc: false,
};

fn main() {
    println!("Lambda resource policy:\n{}\n", POLICIES.resource_policy);
    println!("Execution role policy:\n{}", POLICIES.execution_role_policy);
}
