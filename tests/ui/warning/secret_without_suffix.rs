// A secret ARN without its 6-character suffix matches no secret: a warning
// (made an error here to record it), on the literal.
#![deny(deprecated)]

use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
