// `secret` takes a string
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    secret: true,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
