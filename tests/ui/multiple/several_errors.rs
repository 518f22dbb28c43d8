// every problem of one invocation, in one compile, and no follow-on error
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: alternating_user,
    acount: "111122223333",
    secret: "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
    kms: "arn:aws:kms:us-east-1:111122223333:alias/app-db",
    vpc: "yes",
    vpc: false,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
