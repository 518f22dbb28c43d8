// unknown strategy with a suggestion
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: alternating_user,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
