// a China region in the `aws` partition
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    secret: "arn:aws:secretsmanager:cn-north-1:111122223333:secret:app-db-AbCdEf",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
