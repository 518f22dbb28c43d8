// `account` takes a string, not an identifier
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: my_account,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
