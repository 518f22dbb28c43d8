#![deny(warnings)]
// Options forwarded by a macro_rules macro: an `$value:expr` reaches
// `rotation_policy!` wrapped in a group without delimiters, an `$key:ident`
// as a plain identifier. Both read as if written in place.
use rotation_policy::{rotation_policy, RotationPolicies, RotationSpec, Strategy};

macro_rules! single_user {
    ($key:ident: $value:expr) => {
        rotation_policy! { strategy: single_user, $key: $value }
    };
}

const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf";
const FORWARDED: RotationPolicies =
    single_user!(secret: "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf");

fn main() {
    let spec = RotationSpec::builder(Strategy::SingleUser)
        .secret(SECRET)
        .build()
        .expect("valid options");
    assert_eq!(FORWARDED.resource_policy, spec.resource_policy_json());
    assert_eq!(FORWARDED.execution_role_policy, spec.execution_role_policy_json());
}
