// `env!` of a variable that is not set
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: env!("ROTATION_POLICY_UI_TEST_UNSET_VARIABLE"),
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
