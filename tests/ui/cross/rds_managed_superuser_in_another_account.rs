// a superuser secret that RDS manages (`rds!db-...`) in another account than
// the function's: RDS keeps it in the database's account
use rotation_policy::{rotation_policy, RotationPolicies};

const POLICIES: RotationPolicies = rotation_policy! {
    strategy: alternating_users,
    account: "111122223333",
    superuser_secret: "arn:aws:secretsmanager:us-east-1:444455556666:secret:rds!db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr",
};

fn main() {
    let _ = POLICIES.resource_policy.len();
}
