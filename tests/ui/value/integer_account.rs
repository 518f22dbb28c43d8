// an account id written as a number
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: 111122223333,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
