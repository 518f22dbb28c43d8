// a secret in `aws` and a function in `aws-cn`
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: single_user,
    secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
    function: "arn:aws-cn:lambda:cn-north-1:111122223333:function:rotate-app-db",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
