// duplicate key, error on the second occurrence
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    vpc: false,
    vpc: true,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
