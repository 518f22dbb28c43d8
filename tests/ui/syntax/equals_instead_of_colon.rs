// `key = value`
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy = single_user,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
