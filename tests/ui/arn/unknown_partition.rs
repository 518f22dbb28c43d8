// a partition that does not exist
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    secret: "arn:amazon:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
