//! Sets the variables that `tests/dsl.rs` reads with `env!(..)` inside
//! `rotation_policy!`: the macro reads them while rustc compiles the test,
//! so they must be in rustc's environment, which `rustc-env` sets for every
//! target of this package.

fn main() {
    let vars = [
        ("ROTATION_POLICY_TEST_ACCOUNT", "111122223333"),
        (
            "ROTATION_POLICY_TEST_SECRET",
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf",
        ),
        (
            "ROTATION_POLICY_TEST_FUNCTION",
            "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db",
        ),
        (
            "ROTATION_POLICY_TEST_SUPERUSER_SECRET",
            "arn:aws:secretsmanager:us-east-1:111122223333:secret:admin-XyZ123",
        ),
        (
            "ROTATION_POLICY_TEST_KMS_KEY",
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        (
            "ROTATION_POLICY_TEST_OTHER_KMS_KEY",
            "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
        ),
    ];
    for (name, value) in vars {
        println!("cargo::rustc-env={name}={value}");
    }
    println!("cargo::rerun-if-changed=build.rs");
}
