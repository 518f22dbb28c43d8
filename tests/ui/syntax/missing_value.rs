// `key:` without a value
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account:,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
