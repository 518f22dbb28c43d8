// a key for a superuser secret that does not exist
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    superuser_kms: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
