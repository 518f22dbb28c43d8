// the superuser secret is the rotated secret
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: alternating_users,
    secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
    superuser_secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
