// unknown key far from every key
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    rotation_days: true,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
