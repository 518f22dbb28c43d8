// unknown profile with a suggestion
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    profile: aws_doc_2022,
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
