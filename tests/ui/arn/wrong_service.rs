// a Lambda ARN where a secret ARN is needed
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    secret: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
