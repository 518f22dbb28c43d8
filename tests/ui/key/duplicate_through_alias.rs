// `separate_secret` is an alias of `superuser_secret`
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: alternating_users,
    superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
    separate_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
