// `random_password` takes `true` or `false`, not a string
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    random_password: "yes",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
