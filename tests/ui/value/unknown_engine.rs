// a misspelled engine gets a "did you mean"
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: alternating_users,
    engine: mysq,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
