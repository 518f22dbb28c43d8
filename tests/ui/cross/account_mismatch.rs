// the function in another account than `account`
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    account: "111122223333",
    function: "arn:aws:lambda:us-east-1:444455556666:function:rotate-app-db",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
