// not an ARN at all
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    function: "rotate-app-db",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
