// the required key is missing: error at the call site
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    account: "111122223333",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
