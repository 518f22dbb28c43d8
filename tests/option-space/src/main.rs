//! Prints the generator's option combinations (all of them: the product and
//! the engine combinations) for the scripts, one JSON
//! object a line, with the example values:
//!
//! ```text
//! {"label":"single_user.kms_true","choices":{"strategy":"single_user",...},"args":["--strategy","single-user","--kms"]}
//! ```
//!
//! `args` are the spec flags of `rotation-policy generate`; `choices` names
//! every dimension's choice, defaults included, for scripts that group
//! combinations. With `--fill`, prints instead one object mapping each
//! placeholder (`${SecretArn}`, ...) to the example value that fills it.

use std::io::{self, Write};
use std::process::ExitCode;

use rotation_policy_core::Placeholder;
use rotation_policy_option_space::{all_combinations, Values};
use serde_json::{json, Map, Value};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let values = Values::example();
    let lines: Vec<Value> = match args.as_slice() {
        [] => all_combinations()
            .iter()
            .map(|c| {
                let choices: Map<String, Value> = c
                    .choices()
                    .map(|(d, choice)| (d.to_owned(), Value::from(choice)))
                    .collect();
                json!({ "label": c.label(), "choices": choices, "args": c.cli_args(&values) })
            })
            .collect(),
        [flag] if flag == "--fill" => {
            let fill: Map<String, Value> = Placeholder::ALL
                .into_iter()
                .map(|p| (p.token_str().to_owned(), Value::from(values.fill(p))))
                .collect();
            vec![Value::Object(fill)]
        }
        _ => {
            eprintln!("option-space: unexpected arguments {args:?}; usage: option-space [--fill]");
            return ExitCode::from(2);
        }
    };
    let mut out = io::stdout().lock();
    for line in lines {
        if let Err(e) = writeln!(out, "{line}") {
            eprintln!("option-space: cannot write: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
