//! Parity of the runtime builder and `rotation-policy generate`, for every
//! option combination of the option space (tests/option-space): the
//! builder's two documents are byte for byte what `generate --only ...`
//! prints (minus its newline) and the two fields of what `generate` prints
//! without `--only`; `--format cloudformation` prints the builder's
//! template. The macro's side is tests/option-space/tests/dsl.rs (macro ==
//! builder, per key, alias and value form).

use std::process::Command;

use rotation_policy_option_space::{combinations, engine_combinations, Combination, Values};

/// `generate` with the combination's flags and `extra`: its stdout, or a
/// message naming the combination.
fn generate(combination: &Combination, values: &Values, extra: &[&str]) -> Result<String, String> {
    let args = combination.cli_args(values);
    let output = Command::new(env!("CARGO_BIN_EXE_rotation-policy"))
        .arg("generate")
        .args(&args)
        .args(extra)
        .output()
        .map_err(|e| format!("cannot run the binary: {e}"))?;
    let context = || {
        format!(
            "{}: generate {} {}",
            combination.label(),
            args.join(" "),
            extra.join(" ")
        )
    };
    if !output.status.success() || !output.stderr.is_empty() {
        return Err(format!(
            "{}: exit {:?}, stderr {}",
            context(),
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{}: stdout is not UTF-8: {e}", context()))
}

/// serde_json's pretty form of `{"resource_policy": .., "execution_role_policy": ..}`
/// around two pretty documents: each nested one level (two spaces) deeper.
fn both(resource: &str, role: &str) -> String {
    let nest = |json: &str| json.replace('\n', "\n  ");
    format!(
        "{{\n  \"resource_policy\": {},\n  \"execution_role_policy\": {}\n}}",
        nest(resource),
        nest(role)
    )
}

/// Every combination: the builder's documents against the CLI's four outputs.
fn check(combination: &Combination, values: &Values) -> Result<(), String> {
    let label = combination.label();
    let spec = combination
        .spec(values)
        .map_err(|e| format!("{label}: the builder rejects it: {e}"))?;
    let resource = spec.resource_policy_json();
    let role = spec.execution_role_policy_json();
    let expected = [
        (vec!["--only", "resource-policy"], format!("{resource}\n")),
        (vec!["--only", "execution-role-policy"], format!("{role}\n")),
        (vec![], format!("{}\n", both(&resource, &role))),
        (
            vec!["--format", "cloudformation"],
            format!("{}\n", spec.cloudformation_json()),
        ),
        (
            vec!["--format", "terraform"],
            format!("{}\n", spec.terraform_json()),
        ),
    ];
    for (extra, want) in expected {
        let got = generate(combination, values, &extra)?;
        if got != want {
            return Err(format!(
                "{label} {}: generate printed\n{got}\nthe builder gives\n{want}",
                extra.join(" ")
            ));
        }
    }
    Ok(())
}

#[test]
fn builder_documents_equal_generate_output_for_every_combination() {
    let values = Values::example();
    let all: Vec<Combination> = combinations().into_iter().chain(engine_combinations()).collect();
    // Two workers: each case runs the binary four times.
    let (first, second) = all.split_at(all.len() / 2);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = [first, second]
            .into_iter()
            .map(|half| {
                let values = &values;
                scope.spawn(move || {
                    half.iter()
                        .filter_map(|c| check(c, values).err())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker finishes"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} combinations differ:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
