// an account id with letters
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: "1111222233ab",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
