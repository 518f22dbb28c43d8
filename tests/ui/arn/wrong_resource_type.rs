// a Lambda layer instead of a function
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    function: "arn:aws:lambda:us-east-1:111122223333:layer:rotate-app-db",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
