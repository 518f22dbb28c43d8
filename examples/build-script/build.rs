//! Writes the rotation function's two policies into `OUT_DIR` with the
//! runtime builder, from options known only when the crate is built (here:
//! environment variables with defaults, as a deployment tool might pass them).

use std::path::PathBuf;
use std::process::ExitCode;
use std::{env, fs};

use rotation_policy::{Kms, RotationSpec, Strategy};

const ACCOUNT: &str = "ROTATION_EXAMPLE_ACCOUNT";
const SECRET: &str = "ROTATION_EXAMPLE_SECRET";

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed={ACCOUNT}");
    println!("cargo::rerun-if-env-changed={SECRET}");
    let account = env::var(ACCOUNT).unwrap_or_else(|_| "111122223333".to_owned());
    let secret = env::var(SECRET)
        .unwrap_or_else(|_| "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf".to_owned());
    // Also handed to the crate, whose test checks that the macro, reading the
    // same values with `env!`, writes the same bytes.
    println!("cargo::rustc-env={ACCOUNT}={account}");
    println!("cargo::rustc-env={SECRET}={secret}");

    let spec = RotationSpec::builder(Strategy::SingleUser)
        .account(account)
        .secret(secret)
        .kms(Kms::CustomerManaged)
        .build();
    let spec = match spec {
        Ok(spec) => spec,
        Err(error) => {
            // Every problem at once, one per line, as cargo shows build
            // script errors.
            for diagnostic in error.diagnostics() {
                println!("cargo::error={diagnostic}");
            }
            return ExitCode::FAILURE;
        }
    };
    for warning in spec.warnings() {
        println!("cargo::warning={warning}");
    }
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        println!("cargo::error=`OUT_DIR` is not set: run this build script through cargo");
        return ExitCode::FAILURE;
    };
    let documents = [
        ("resource_policy.json", spec.resource_policy_json()),
        ("execution_role_policy.json", spec.execution_role_policy_json()),
    ];
    for (name, json) in documents {
        if let Err(error) = fs::write(out_dir.join(name), json) {
            println!("cargo::error=cannot write `{name}`: {error}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
