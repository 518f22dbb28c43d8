// a constant is not read either
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    secret: crate::SECRET,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
