// a rejected `strategy` does not also report it missing; the constant still type-checks
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: "alternating",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
