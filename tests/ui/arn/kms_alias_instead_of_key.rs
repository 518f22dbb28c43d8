// KMS authorises against key ARNs: an alias grants nothing
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    kms: "arn:aws:kms:us-east-1:111122223333:alias/app-db",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
