// an account id of 11 digits
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: "11112222333",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
