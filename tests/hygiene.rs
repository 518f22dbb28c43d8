//! The expansion is hygienic: fully qualified paths, nothing borrowed from
//! the caller's scope, no lint leaks. This file compiles under
//! `deny(warnings)` and clippy's default and pedantic groups (CI runs clippy
//! on all targets), inside a module without the prelude that shadows the
//! names the expansion uses.

#![deny(warnings, clippy::all, clippy::pedantic)]

#[no_implicit_prelude]
mod no_prelude {
    /// Shadows the facade's type: the expansion must not pick it up.
    #[allow(dead_code)]
    pub struct RotationPolicies;
    #[allow(dead_code)]
    mod core {}
    #[allow(dead_code)]
    mod rotation_policy {}

    pub const VALID: ::rotation_policy::RotationPolicies = ::rotation_policy::rotation_policy! {
        strategy: alternating_users,
        account: "111122223333",
        kms: true,
        vpc: false,
        source_arn: true,
        profile: aws_doc_2021,
    };

    pub fn in_a_function() -> ::rotation_policy::RotationPolicies {
        ::rotation_policy::rotation_policy! { strategy: single }
    }
}

#[test]
fn expansion_compiles_under_deny_warnings_without_prelude() {
    let spec = rotation_policy::RotationSpec::builder(rotation_policy::Strategy::AlternatingUsers)
        .account("111122223333")
        .kms(rotation_policy::Kms::CustomerManaged)
        .vpc(false)
        .source_arn(true)
        .profile(rotation_policy::Profile::AwsDoc2021)
        .build()
        .expect("valid options");
    assert_eq!(no_prelude::VALID.resource_policy, spec.resource_policy_json());
    assert_eq!(
        no_prelude::VALID.execution_role_policy,
        spec.execution_role_policy_json()
    );
    assert!(no_prelude::in_a_function()
        .execution_role_policy
        .contains("${SecretArn}"));
}
