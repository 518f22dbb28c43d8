#![deny(warnings)]
// The aliases, raw strings, `env!` and no trailing comma all expand.
use rotation_policy::{rotation_policy, RotationPolicies, RotationSpec, Strategy};

const ALIASES: RotationPolicies = rotation_policy! {
    strategy: alternating,
    separate_secret: r"arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
    account: env!("ROTATION_POLICY_UI_TEST_ACCOUNT")
};

const SINGLE: RotationPolicies = rotation_policy! { strategy: single };

fn main() {
    let spec = RotationSpec::builder(Strategy::AlternatingUsers)
        .superuser_secret("arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123")
        .account("111122223333")
        .build()
        .expect("valid options");
    assert_eq!(ALIASES.resource_policy, spec.resource_policy_json());
    assert_eq!(ALIASES.execution_role_policy, spec.execution_role_policy_json());
    let single = RotationSpec::builder(Strategy::SingleUser)
        .build()
        .expect("valid options");
    assert_eq!(SINGLE.execution_role_policy, single.execution_role_policy_json());
}
