// an ARN whose account field is not 12 digits
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    function: "arn:aws:lambda:us-east-1:11112222333:function:rotate-app-db",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
