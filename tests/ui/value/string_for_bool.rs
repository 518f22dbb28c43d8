// `vpc` takes `true`/`false`, not a string
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    vpc: "false",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
