// AWS's Db2 single-user function also reads the admin secret: a warning
// without `superuser_secret` (made an error here to record it), on the value.
#![deny(deprecated)]

use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    engine: db2,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
