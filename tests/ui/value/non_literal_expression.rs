// expressions are not evaluated
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: concat!("1111", "22223333"),
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
