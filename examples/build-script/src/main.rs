//! Prints the policies its build script generated:
//! `cargo run -p rotation-policy-example-build-script`
//! (set `ROTATION_EXAMPLE_ACCOUNT` / `ROTATION_EXAMPLE_SECRET` to change them).

#![deny(warnings, clippy::all)]

/// Written by `build.rs` with the runtime API.
const RESOURCE_POLICY: &str = include_str!(concat!(env!("OUT_DIR"), "/resource_policy.json"));
/// Written by `build.rs` with the runtime API.
const EXECUTION_ROLE_POLICY: &str = include_str!(concat!(env!("OUT_DIR"), "/execution_role_policy.json"));

fn main() {
    println!("Lambda resource policy:\n{RESOURCE_POLICY}\n");
    println!("Execution role policy:\n{EXECUTION_ROLE_POLICY}");
}

#[cfg(test)]
mod tests {
    use rotation_policy::{rotation_policy, RotationPolicies};

    /// The macro reads the values the build script used through `env!`.
    const FROM_MACRO: RotationPolicies = rotation_policy! {
        strategy: single_user,
        account: env!("ROTATION_EXAMPLE_ACCOUNT"),
        secret: env!("ROTATION_EXAMPLE_SECRET"),
        kms: true,
    };

    #[test]
    fn build_script_output_matches_the_macro() {
        assert_eq!(super::RESOURCE_POLICY, FROM_MACRO.resource_policy);
        assert_eq!(super::EXECUTION_ROLE_POLICY, FROM_MACRO.execution_role_policy);
    }
}
