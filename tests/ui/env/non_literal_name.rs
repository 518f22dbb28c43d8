// `env!` needs the name as a string literal
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: env!(ACCOUNT_VAR),
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
