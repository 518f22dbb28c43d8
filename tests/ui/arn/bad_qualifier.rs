// a qualifier that is neither a version nor an alias
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    function: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db:v1.2",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
