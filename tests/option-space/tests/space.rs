//! The option space itself: unique labels, every combination valid, every
//! conflict rejected by the builder, the DSL pairs and the typed setters
//! equal, and the binary printing what the library enumerates.

use std::collections::BTreeSet;
use std::process::Command;

use rotation_policy_core::{Engine, RotationSpecBuilder};
use rotation_policy_option_space::{
    all_combinations, combinations, engine_combinations, product, Combination, Values, CONFLICTS, DIMENSIONS,
};

#[test]
fn labels_are_unique_and_name_their_choices() {
    let mut choice_labels = BTreeSet::new();
    for dimension in DIMENSIONS {
        assert!(!dimension.choices.is_empty(), "{}", dimension.name);
        for choice in dimension.choices {
            assert!(
                choice_labels.insert(choice.label),
                "choice label `{}` twice",
                choice.label
            );
            assert!(
                !choice.label.contains('.'),
                "`{}`: `.` separates segments",
                choice.label
            );
        }
    }
    let all = combinations();
    let labels: BTreeSet<String> = all.iter().map(|c| c.label()).collect();
    assert_eq!(labels.len(), all.len(), "combination labels are unique");
    for c in &all {
        let label = c.label();
        let segments: Vec<&str> = label.split('.').collect();
        for (dimension, choice) in c.choices() {
            let first = DIMENSIONS
                .iter()
                .find(|d| d.name == dimension)
                .map(|d| d.choices[0].label);
            let is_default = first == Some(choice) && dimension != "strategy";
            assert_eq!(segments.contains(&choice), !is_default, "{label}: {dimension}");
        }
    }
}

#[test]
fn the_product_minus_conflicts_is_what_the_builder_accepts() {
    let values = Values::example();
    let mut rejected = 0;
    for c in product() {
        match (c.conflict(), c.spec(&values)) {
            (None, Ok(_)) => {}
            (None, Err(e)) => panic!("{}: rejected: {e}", c.label()),
            (Some(conflict), Ok(_)) => panic!("{}: accepted despite {conflict:?}", c.label()),
            (Some(_), Err(_)) => rejected += 1,
        }
    }
    assert_eq!(product().len(), combinations().len() + rejected);
    // Every conflict occurs in the product (none is dead).
    for conflict in CONFLICTS {
        assert!(
            product()
                .iter()
                .any(|c| c.conflict().is_some_and(|found| found.a == conflict.a)),
            "{conflict:?}"
        );
    }
}

/// `RotationSpecBuilder::set`, the macro's way into core, with the DSL pairs
/// gives the same documents as the typed setters.
#[test]
fn dsl_pairs_set_by_name_equal_the_typed_setters() {
    let values = Values::example();
    for c in combinations().into_iter().chain(engine_combinations()) {
        let typed = c.spec(&values).expect("valid combination");
        let mut by_name = RotationSpecBuilder::new();
        for (key, value) in c.dsl(&values) {
            by_name
                .set(key, value.as_core())
                .unwrap_or_else(|d| panic!("{}: `{key}: {value}`: {d}", c.label()));
        }
        let by_name = by_name.build().unwrap_or_else(|e| panic!("{}: {e}", c.label()));
        assert_eq!(
            by_name.resource_policy_json(),
            typed.resource_policy_json(),
            "{}",
            c.label()
        );
        assert_eq!(
            by_name.execution_role_policy_json(),
            typed.execution_role_policy_json(),
            "{}",
            c.label()
        );
    }
}

#[test]
fn the_binary_prints_every_combination_with_its_flags() {
    let output = Command::new(env!("CARGO_BIN_EXE_option-space"))
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let values = Values::example();
    let all = all_combinations();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), all.len());
    for (line, c) in lines.iter().zip(&all) {
        let printed: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        assert_eq!(printed["label"], c.label());
        assert_eq!(printed["args"], serde_json::json!(c.cli_args(&values)));
        for (dimension, choice) in c.choices() {
            assert_eq!(printed["choices"][dimension], choice, "{}", c.label());
        }
    }

    let fill = Command::new(env!("CARGO_BIN_EXE_option-space"))
        .arg("--fill")
        .output()
        .expect("the binary runs");
    assert!(fill.status.success());
    let fill: serde_json::Value = serde_json::from_slice(&fill.stdout).expect("one JSON object");
    assert_eq!(fill["${SecretArn}"], values.secret);
    assert_eq!(fill["${AWS::AccountId}"], values.account);
    assert_eq!(fill.as_object().map(|o| o.len()), Some(values.fills().len()));

    let bad = Command::new(env!("CARGO_BIN_EXE_option-space"))
        .arg("--bogus")
        .output()
        .expect("the binary runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
}

/// The engine combinations cover every engine, each of which builds.
#[test]
fn every_engine_is_covered_and_builds() {
    let values = Values::example();
    let extra = engine_combinations();
    let specs: Vec<(String, Engine)> = combinations()
        .iter()
        .chain(&extra)
        .map(|c: &Combination| {
            let spec = c.spec(&values).unwrap_or_else(|e| panic!("{}: {e}", c.label()));
            (c.label(), spec.engine())
        })
        .collect();
    for engine in Engine::ALL {
        assert!(
            specs.iter().any(|(_, e)| *e == engine),
            "no combination has engine `{}`",
            engine.name()
        );
    }
    // The DSL identifier is the engine's name; no warning anywhere.
    for c in combinations().iter().chain(&extra) {
        let spec = c.spec(&values).expect("valid");
        assert_eq!(
            c.choice("engine").unwrap_or("generic"),
            spec.engine().name(),
            "{}",
            c.label()
        );
        assert_eq!(spec.warnings(), [], "{}", c.label());
    }
    // The combinations left out for their warning (placeholders and
    // concrete values, with and without a random password) do warn.
    let warned: Vec<Combination> = rotation_policy_option_space::product_of_engines()
        .into_iter()
        .filter(Combination::warned)
        .collect();
    assert_eq!(warned.len(), 4);
    for c in &warned {
        assert_eq!(
            c.spec(&values).expect("valid").warnings().len(),
            1,
            "{}",
            c.label()
        );
    }
    let labels: BTreeSet<String> = extra.iter().map(Combination::label).collect();
    assert_eq!(labels.len(), extra.len(), "engine combination labels are unique");
}
