//! `rotation-policy check`: does the execution role, with its policies, let
//! rotation work; why not; what does it grant beyond; who may invoke the
//! function. Every rule lives in `rotation_policy_core::access`.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use rotation_policy_core::access::{
    check, locate_parse_error, uninterpretable, CheckInput, CheckReport, Decision, PolicyInput,
    RequirementResult,
};
use rotation_policy_core::template::{
    rotation_template, RotationTemplate, Selection, TemplateArg, TemplatePolicy,
};
use rotation_policy_core::{Kms, PolicyDocument, RoleArn};
use serde_json::{json, Value};

use crate::input::read_input;
use crate::spec_args::{describe, spec};

const ROLE_POLICY: &str = "role-policy";
const RESOURCE_POLICY: &str = "resource-policy";
const SECRET_POLICY: &str = "secret-policy";
const KEY_POLICY: &str = "key-policy";
const ROLE_ARN: &str = "role-arn";
const FORMAT: &str = "format";
const TEMPLATE: &str = "template";

/// The `check` subcommand's arguments: the spec options plus the policies.
pub fn command() -> Command {
    let file = |id: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .value_name("FILE")
            .action(ArgAction::Set)
            .help(help)
    };
    crate::spec_args::add(
        Command::new("check")
            .about("Prove whether an execution role and its policies let rotation work")
            .long_about(
                "Evaluate every request rotation makes against the execution role's policies (and, \
                 when given, the function's resource policy, the secret's resource policy and the KMS \
                 key policy), explain each denial, list what the role grants beyond the need, and judge \
                 who may invoke the function. Exit 0 when rotation is allowed, 1 when a required call is \
                 denied, 2 on usage or input errors.",
            ),
    )
    .arg(
        Arg::new(ROLE_POLICY)
            .long(ROLE_POLICY)
            .value_name("FILE")
            .required_unless_present(TEMPLATE)
            .num_args(1..)
            .action(ArgAction::Append)
            .help("The execution role's policy documents (inline or managed); `-` reads stdin"),
    )
    .arg(file(
        RESOURCE_POLICY,
        "The Lambda function's resource policy (`aws lambda get-policy` output's Policy)",
    ))
    .arg(file(SECRET_POLICY, "The secret's resource policy"))
    .arg(file(KEY_POLICY, "The key policy of the secret's KMS key"))
    .arg(
        Arg::new(ROLE_ARN)
            .long(ROLE_ARN)
            .value_name("ARN")
            .help("The execution role's ARN, for key and secret policies that name it"),
    )
    .arg(
        Arg::new(TEMPLATE)
            .long(TEMPLATE)
            .value_name("FILE")
            .conflicts_with_all([
                ROLE_POLICY,
                RESOURCE_POLICY,
                SECRET_POLICY,
                KEY_POLICY,
                ROLE_ARN,
                "secret",
                "kms-key",
                "account",
            ])
            .help(
                "A CloudFormation template (JSON or YAML, a CDK app's `cdk.out/*.template.json`): the \
                 rotation function's role policies, its permissions, the secret policy and the key policy \
                 are taken from it, and `--function` names the function's logical id",
            ),
    )
    .arg(
        Arg::new(FORMAT)
            .long(FORMAT)
            .value_name("FORMAT")
            .value_parser(PossibleValuesParser::new(["text", "json"]))
            .default_value("text")
            .help("Output format"),
    )
}

/// The named documents as check inputs.
fn inputs(docs: &[(String, PolicyDocument)]) -> Vec<PolicyInput<'_>> {
    docs.iter()
        .map(|(name, document)| PolicyInput { name, document })
        .collect()
}

/// Reads and parses one policy file.
fn load(path: &str, stdin_used: &mut bool) -> Result<PolicyDocument, String> {
    if path == "-" {
        if *stdin_used {
            return Err("`-` (stdin) can be given only once".to_owned());
        }
        *stdin_used = true;
    }
    let bytes = read_input(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| format!("`{path}` is not UTF-8: {e}"))?;
    let direct = PolicyDocument::from_json(text);
    let document = match direct {
        Ok(document) => document,
        Err(error) => unwrapped(text).ok_or_else(|| not_a_policy(path, text, &error))?,
    };
    // A condition the evaluator cannot interpret has no documented outcome:
    // refuse the policy rather than answer "allowed" or "denied" for it.
    let problems = uninterpretable(&document);
    if problems.is_empty() {
        Ok(document)
    } else {
        let listed: Vec<String> = problems
            .iter()
            .map(|p| format!("`{path}#{}`: {}", p.pointer, p.reason))
            .collect();
        Err(format!(
            "cannot evaluate {}: {}",
            if problems.len() == 1 {
                "a condition"
            } else {
                "conditions"
            },
            listed.join("; ")
        ))
    }
}

/// The policy inside the outputs of `aws lambda get-policy`
/// (`{"Policy": "<json text>"}`) and `aws iam get-role-policy`
/// (`{"PolicyDocument": {...}}`), which are accepted as is.
fn unwrapped(text: &str) -> Option<PolicyDocument> {
    let Ok(Value::Object(wrapper)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    match (wrapper.get("Policy"), wrapper.get("PolicyDocument")) {
        (Some(Value::String(policy)), _) => PolicyDocument::from_json(policy).ok(),
        (_, Some(document @ Value::Object(_))) => serde_json::from_value(document.clone()).ok(),
        _ => None,
    }
}

/// The error for a file that is not a policy document: where it fails (a
/// JSON pointer, when the text is JSON) and why.
fn not_a_policy(path: &str, text: &str, error: &serde_json::Error) -> String {
    let located = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|value| locate_parse_error(&value));
    match located {
        Some(at) => format!(
            "`{path}#{}` is not a valid policy element: {}; run `rotation-policy lint {path}` for details",
            at.pointer, at.reason
        ),
        None => format!(
            "`{path}` is not a policy document: {error}; run `rotation-policy lint {path}` for details"
        ),
    }
}

/// Validates `--role-arn` with core's rule for an IAM role ARN.
fn role_arn(text: &str) -> Result<(), String> {
    RoleArn::parse(text)
        .map(drop)
        .map_err(|e| format!("`--role-arn`: {e}"))
}

/// Runs `check --template`: the policies and spec values from the template.
fn run_template(matches: &ArgMatches, path: &str) -> ExitCode {
    let bytes = match read_input(path) {
        Ok(bytes) => bytes,
        Err(e) => return crate::exit::usage(format!("`--template`: {e}")),
    };
    let text = |id: &str| matches.get_one::<String>(id).map(String::as_str);
    let selection = Selection {
        function: text("function"),
        superuser_secret: text("superuser-secret"),
    };
    let found = match rotation_template(path, &bytes, selection) {
        Ok(found) => found,
        Err(e) => {
            let flag = match e.arg() {
                TemplateArg::Function => "--function",
                TemplateArg::SuperuserSecret => "--superuser-secret",
                _ => "--template",
            };
            return crate::exit::usage(format!("`{flag}`: {}", e.message()));
        }
    };
    let mut builder = crate::spec_args::builder(matches);
    if let Some(secret) = found.secret_arn() {
        builder = builder.secret(secret);
    }
    if found.kms() && !matches.get_flag("kms") {
        builder = builder.kms(Kms::CustomerManaged);
    }
    if let Some(superuser) = found.superuser_secret_arn() {
        builder = builder.superuser_secret(superuser);
    }
    if let Some(vpc) = found.vpc() {
        builder = builder.vpc(vpc);
    }
    let spec = match builder.build() {
        Ok(spec) => spec,
        Err(e) => {
            let line: Vec<String> = e
                .into_diagnostics()
                .iter()
                .map(|d| format!("`--template`: {}", describe(d, matches)))
                .collect();
            return crate::exit::usage(line.join("; "));
        }
    };
    let role_policies: Vec<PolicyInput<'_>> = found.role_policies().iter().map(policy).collect();
    let report = check(&CheckInput {
        spec: &spec,
        role_arn: Some(found.role_arn()),
        role_policies: &role_policies,
        resource_policy: found.function_policy().map(policy),
        secret_policy: found.secret_policy().map(policy),
        key_policy: found.key_policy().map(policy),
    });
    let unprovable = found.unprovable(&report);
    let allowed = report.allowed && unprovable.is_empty();
    let output = match matches.get_one::<String>(FORMAT).map(String::as_str) {
        Some("json") => {
            let mut json = to_json(&report);
            json["allowed"] = json!(allowed);
            json["template"] = template_json(&found, &unprovable);
            match serde_json::to_string_pretty(&json) {
                Ok(mut text) => {
                    text.push('\n');
                    text
                }
                Err(e) => return crate::exit::usage(format!("cannot serialize the report: {e}")),
            }
        }
        _ => {
            let mut out = to_text(&report);
            if !unprovable.is_empty() {
                let (said, assumed) = if report.allowed {
                    ("rotation: allowed", "allowed")
                } else {
                    ("rotation: DENIED", "denied")
                };
                out = out.replacen(
                    said,
                    &format!("rotation: NOT PROVABLE ({assumed} if the values below are as assumed)"),
                    1,
                );
            }
            out.push_str(&template_text(&found, &unprovable));
            out
        }
    };
    finish(&output, allowed)
}

fn policy(p: &TemplatePolicy) -> PolicyInput<'_> {
    PolicyInput {
        name: &p.name,
        document: &p.document,
    }
}

/// Prints the report and gives the exit code.
fn finish(output: &str, allowed: bool) -> ExitCode {
    let printed = crate::exit::print_stdout(output);
    if printed != ExitCode::from(crate::exit::SUCCESS) {
        return printed;
    }
    ExitCode::from(if allowed {
        crate::exit::SUCCESS
    } else {
        crate::exit::FAILURE
    })
}

/// The template part of the JSON report.
fn template_json(found: &RotationTemplate, unprovable: &[String]) -> Value {
    json!({
        "function": found.function(),
        "role": found.role(),
        "role_policies": found.role_policies().iter().map(|p| &p.name).collect::<Vec<_>>(),
        "function_policy": found.function_policy_sources(),
        "secret_policy": found.secret_policy().map(|p| &p.name),
        "key_policy": found.key_policy().map(|p| &p.name),
        "placeholders": found.placeholders().iter().map(|s| json!({
            "placeholder": s.placeholder,
            "stands_for": s.meaning,
        })).collect::<Vec<_>>(),
        "notes": found.notes(),
        "provable": unprovable.is_empty(),
        "unprovable": unprovable,
    })
}

/// The template part of the text report.
fn template_text(found: &RotationTemplate, unprovable: &[String]) -> String {
    let mut out = String::from("\ntemplate:\n");
    for note in found.notes() {
        let _ = writeln!(out, "  {note}");
    }
    for p in found.role_policies() {
        let _ = writeln!(out, "  role policy: {}", p.name);
    }
    if found.function_policy().is_some() {
        let _ = writeln!(
            out,
            "  function policy: the statements of {} (in this order)",
            found.function_policy_sources().join(", ")
        );
    }
    for (what, p) in [
        ("secret policy", found.secret_policy()),
        ("key policy", found.key_policy()),
    ] {
        if let Some(p) = p {
            let _ = writeln!(out, "  {what}: {}", p.name);
        }
    }
    for s in found.placeholders() {
        let _ = writeln!(out, "  {} stands for {}", s.placeholder, s.meaning);
    }
    if !unprovable.is_empty() {
        let _ = writeln!(out, "\nnot provable from the template:");
        for reason in unprovable {
            let _ = writeln!(out, "  {reason}");
        }
    }
    out
}

/// Runs `check`.
pub fn run(matches: &ArgMatches) -> ExitCode {
    if let Some(path) = matches.get_one::<String>(TEMPLATE) {
        return run_template(matches, path);
    }
    let spec = match spec(matches) {
        Ok(spec) => spec,
        Err(diagnostics) => {
            let line: Vec<String> = diagnostics.iter().map(|d| describe(d, matches)).collect();
            return crate::exit::usage(line.join("; "));
        }
    };
    let role_arn_text = matches.get_one::<String>(ROLE_ARN).map(String::as_str);
    if let Some(Err(e)) = role_arn_text.map(role_arn) {
        return crate::exit::usage(e);
    }
    let mut stdin_used = false;
    let mut load_named = |id: &str| -> Result<Vec<(String, PolicyDocument)>, String> {
        let paths: Vec<&String> = matches
            .get_many::<String>(id)
            .map(Iterator::collect)
            .unwrap_or_default();
        paths
            .into_iter()
            .map(|p| load(p, &mut stdin_used).map(|d| (p.clone(), d)))
            .collect()
    };
    let loaded = (|| {
        Ok::<_, String>((
            load_named(ROLE_POLICY)?,
            load_named(RESOURCE_POLICY)?,
            load_named(SECRET_POLICY)?,
            load_named(KEY_POLICY)?,
        ))
    })();
    let (role, resource, secret, key) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return crate::exit::usage(e),
    };
    let role_policies = inputs(&role);
    let report = check(&CheckInput {
        spec: &spec,
        role_arn: role_arn_text,
        role_policies: &role_policies,
        resource_policy: inputs(&resource).first().copied(),
        secret_policy: inputs(&secret).first().copied(),
        key_policy: inputs(&key).first().copied(),
    });
    let output = match matches.get_one::<String>(FORMAT).map(String::as_str) {
        Some("json") => match serde_json::to_string_pretty(&to_json(&report)) {
            Ok(mut text) => {
                text.push('\n');
                text
            }
            Err(e) => return crate::exit::usage(format!("cannot serialize the report: {e}")),
        },
        _ => to_text(&report),
    };
    finish(&output, report.allowed)
}

fn requirement_json(r: &RequirementResult) -> Value {
    let context: serde_json::Map<String, Value> = r
        .request
        .context
        .iter()
        .map(|c| {
            let value = match c.values.as_slice() {
                [one] if !c.multivalued => json!(one),
                values => json!(values),
            };
            (c.key.clone(), value)
        })
        .collect();
    json!({
        "action": r.request.action,
        "resource": r.request.resource,
        "principal": r.request.principal_name(),
        "context": context,
        "decision": r.evaluation.decision.as_str(),
        "statement": r.evaluation.statement.as_ref().map(ToString::to_string),
        "reason": r.evaluation.reason,
        "purpose": r.request.purpose,
    })
}

/// The JSON report the README documents (a public contract): `allowed`, `requirements` (`action`,
/// `resource`, `principal`, `context`, `decision`, `statement`, plus
/// `reason` and `purpose`), `excess`, `resource_policy`. The excess is one
/// entry per grant (statement and resource) with its actions counted by
/// service and access level; actions are named only for services the
/// statement grants in part, so `Action: "*"` stays a few tens of KB.
fn to_json(report: &CheckReport) -> Value {
    let excess: Vec<Value> = report
        .excess_grants()
        .iter()
        .map(|g| {
            let services: serde_json::Map<String, Value> = g
                .services
                .iter()
                .map(|s| {
                    let levels: serde_json::Map<String, Value> = s
                        .levels
                        .iter()
                        .map(|(level, n)| (level.map_or("unknown", |l| l.name()).to_owned(), json!(n)))
                        .collect();
                    (s.service.clone(), Value::Object(levels))
                })
                .collect();
            let actions: Vec<&String> = g.services.iter().flat_map(|s| &s.actions).collect();
            json!({
                "statement": g.statement.to_string(),
                "resource": g.resource,
                "conditional": g.conditional,
                "flagged": g.flagged,
                "count": g.count(),
                "services": services,
                "actions": actions,
                "wider": g.wider.iter().map(|(action, needed)| json!({
                    "action": action,
                    "needed_on": needed,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let resource_policy = report.resource_policy.as_ref().map(|v| {
        json!({
            "restricted": v.restricted(),
            "invoke": requirement_json(&v.invoke),
            "open_to": v.open_to.iter().map(|(who, statement)| json!({
                "caller": who,
                "statement": statement.as_ref().map(ToString::to_string),
            })).collect::<Vec<_>>(),
        })
    });
    json!({
        "allowed": report.allowed,
        "requirements": report.requirements.iter().map(requirement_json).collect::<Vec<_>>(),
        "excess": excess,
        "resource_policy": resource_policy,
        "notes": report.notes.iter().map(|(statement, message)| json!({
            "statement": statement.to_string(),
            "message": message,
        })).collect::<Vec<_>>(),
    })
}

fn to_text(report: &CheckReport) -> String {
    let mut out = String::new();
    let verdict = if report.allowed { "allowed" } else { "DENIED" };
    let _ = writeln!(out, "rotation: {verdict}\n\nrequirements:");
    for r in &report.requirements {
        let mark = if r.evaluation.decision == Decision::Allowed {
            "ok    "
        } else {
            "DENIED"
        };
        let by = r
            .evaluation
            .statement
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {mark} {} on {}{by}", r.request.action, r.request.resource);
        if let Some(reason) = &r.evaluation.reason {
            let _ = writeln!(
                out,
                "         {}: {reason}",
                r.evaluation.decision.as_str().replace('_', " ")
            );
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out, "\nnotes:");
        for (statement, message) in &report.notes {
            let _ = writeln!(out, "  {statement} {message}");
        }
    }
    let grants = report.excess_grants();
    if grants.is_empty() {
        let _ = writeln!(out, "\nexcess: none, the role grants only what rotation needs");
    } else {
        let total: usize = grants.iter().map(|g| g.count()).sum();
        let _ = writeln!(out, "\nexcess: {total} grants beyond what rotation needs");
        for g in &grants {
            let flag = if g.flagged {
                " [Write or Permissions management on every resource]"
            } else {
                ""
            };
            let condition = if g.conditional { ", with a condition" } else { "" };
            let _ = writeln!(
                out,
                "  {} on {}{condition}: {} actions of {} services{flag}",
                g.statement,
                g.resource,
                g.count(),
                g.services.len()
            );
            for s in &g.services {
                let levels: Vec<String> = s
                    .levels
                    .iter()
                    .map(|(level, n)| format!("{n} {}", level.map_or("unknown to the catalog", |l| l.name())))
                    .collect();
                let names = if s.whole {
                    " (every action of the service)".to_owned()
                } else {
                    format!(": {}", s.actions.join(", "))
                };
                let _ = writeln!(out, "    {}: {}{names}", s.service, levels.join(", "));
            }
            for (action, needed) in &g.wider {
                let _ = writeln!(out, "    {action} is needed only on {needed}");
            }
        }
    }
    match &report.resource_policy {
        None => {
            let _ = writeln!(out, "\nresource policy: not given (--resource-policy FILE)");
        }
        Some(v) => {
            let invoke = &v.invoke.evaluation;
            let _ = writeln!(
                out,
                "\nresource policy: Secrets Manager invoking for this secret: {}{}",
                invoke.decision.as_str().replace('_', " "),
                invoke
                    .statement
                    .as_ref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default()
            );
            if let Some(reason) = &invoke.reason {
                let _ = writeln!(out, "  {reason}");
            }
            if v.open_to.is_empty() {
                let _ = writeln!(out, "  no other caller may invoke the function");
            }
            for (who, statement) in &v.open_to {
                let by = statement.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
                let _ = writeln!(out, "  OPEN: {who} may invoke the function{by}");
            }
        }
    }
    out
}
