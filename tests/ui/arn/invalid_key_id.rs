// a key id that is neither a UUID nor an mrk- id
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    kms: "arn:aws:kms:us-east-1:111122223333:key/not-a-key-id",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
