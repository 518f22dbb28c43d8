// an ARN with too few fields
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    secret: "arn:aws:secretsmanager:us-east-1",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
