//! `rotation-policy lint`: check IAM policy documents and report findings
//! with Access Analyzer's issue codes. Every rule lives in
//! `rotation_policy_core::lint`; this module reads files and renders.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};
use rotation_policy_core::lint::{Check, Finding, LintOptions, PolicyType, Severity};
use rotation_policy_core::template::{self, Kind};
use serde_json::{json, Value};

use crate::exit;
use crate::input::{for_each_input, Collected, Input, MAX_INPUT_BYTES};

const FILES: &str = "FILE";
const TYPE: &str = "type";
const FORMAT: &str = "format";
const FAIL_ON: &str = "fail-on";

/// The `lint` subcommand's arguments.
pub fn command() -> Command {
    Command::new("lint")
        .about("Lint IAM policy documents (identity or resource policies) with Access Analyzer's check codes")
        .long_about(format!(
            "Lint IAM policy documents: JSON syntax, policy grammar, actions, resource ARNs and condition \
             keys against the Service Authorization Reference, with Access Analyzer's issue codes, plus \
             checks for mistakes that break secret rotation. Policies are also found where they live: \
             in CloudFormation templates (JSON or YAML, CDK output included), Terraform plans \
             (`terraform show -json`) and `.tf.json` files, each finding placed in the file. A \
             directory is walked (honouring .gitignore) for .json, .yaml, .yml and .template files, \
             with one summary line on stderr. Files are read whole, up to {} MiB each. \
             Exit 0 when no finding is at or above --fail-on, 1 when one is, 2 on usage errors or \
             unreadable files.",
            MAX_INPUT_BYTES / (1024 * 1024)
        ))
        .arg(
            Arg::new(FILES)
                .value_name("FILE")
                .required(true)
                .num_args(1..)
                .action(ArgAction::Append)
                .help("Policy documents, templates or directories to lint; `-` reads stdin"),
        )
        .arg(
            Arg::new(TYPE)
                .long(TYPE)
                .value_name("TYPE")
                .value_parser(PossibleValuesParser::new(["identity", "resource", "key", "trust", "auto"]))
                .default_value("auto")
                .help(
                    "Policy type of bare policy documents (a template's policies take their resource's); \
                     `key` (a KMS key policy) and `trust` (a role's trust policy) are resource policies with their own rules; `auto` takes a document with `Principal` for a resource policy",
                ),
        )
        .arg(
            Arg::new(FORMAT)
                .long(FORMAT)
                .value_name("FORMAT")
                .value_parser(PossibleValuesParser::new(["text", "json", "sarif"]))
                .default_value("text")
                .help("Output format"),
        )
        .arg(
            Arg::new(FAIL_ON)
                .long(FAIL_ON)
                .value_name("SEVERITY")
                .value_parser(PossibleValuesParser::new([
                    "error",
                    "security-warning",
                    "warning",
                    "suggestion",
                ]))
                .default_value("error")
                .help("Exit 1 when a finding is at or above this severity"),
        )
}

/// One linted file.
struct Linted {
    name: String,
    source: Vec<u8>,
    findings: Vec<Finding>,
}

/// Runs `lint`.
pub fn run(matches: &ArgMatches) -> ExitCode {
    let arg = |id: &str| {
        matches
            .get_one::<String>(id)
            .map(String::as_str)
            .unwrap_or_default()
    };
    // clap's possible values guarantee one of these names; `auto` detects.
    let policy_type = match arg(TYPE) {
        "identity" => Some(PolicyType::Identity),
        "resource" => Some(PolicyType::Resource),
        "key" => Some(PolicyType::Key),
        "trust" => Some(PolicyType::Trust),
        _ => None,
    };
    // The CLI spells `security-warning` with `-` where core has `_`.
    let fail_on = Severity::from_name(&arg(FAIL_ON).replace('-', "_")).unwrap_or(Severity::Error);
    let options = LintOptions { policy_type };
    let Collected {
        outputs,
        mut skipped,
        directories,
    } = for_each_input(
        matches
            .get_many::<String>(FILES)
            .into_iter()
            .flatten()
            .map(String::as_str),
        |Input { name, walked, bytes }| {
            let read = bytes.map(|mut source| {
                let result = template::lint_file(&name, &source, &options);
                // Only the text output reads the bytes, to show a finding's
                // line: a file without findings lets them go here.
                if result.as_ref().is_ok_and(|r| r.findings().is_empty()) {
                    source = Vec::new();
                }
                (source, result)
            });
            (name, walked, read)
        },
    );
    let mut unreadable = false;
    let mut linted = Vec::new();
    let mut kinds = [0usize; 3];
    for (name, walked, read) in outputs {
        let (source, result) = match read {
            Ok(read) => read,
            Err(message) => {
                // One line per unreadable file; the others are still linted.
                let _ = exit::usage(&message);
                unreadable = true;
                continue;
            }
        };
        match result {
            Ok(result) => {
                // A walk picks files by name; JSON or YAML that is neither a
                // policy nor a template (a `package.json`) is passed over.
                if result.kind() == Kind::Unrecognised && (walked || result.policies() == 0) {
                    if !walked {
                        exit::warning(format!(
                            "`{}` is neither a policy document nor a CloudFormation or Terraform file; skipped",
                            name
                        ));
                    }
                    skipped += 1;
                    continue;
                }
                let slot = match result.kind() {
                    Kind::CloudFormation => 1,
                    Kind::TerraformPlan | Kind::TerraformConfiguration => 2,
                    _ => 0,
                };
                kinds[slot] += 1;
                for note in result.notes() {
                    note_line(&name, note);
                }
                // A named template without policies says so; in a walk,
                // the summary line counts it.
                if !walked && result.policies() == 0 && result.notes().is_empty() {
                    note_line(
                        &name,
                        &format!("no policy document in this {}", result.kind().describe()),
                    );
                }
                linted.push(Linted {
                    name,
                    source,
                    findings: result.into_findings(),
                });
            }
            Err(err) => {
                let _ = exit::usage(format!(
                    "cannot read `{}` at {}:{}: {}",
                    name,
                    err.line(),
                    err.column(),
                    err.message()
                ));
                unreadable = true;
            }
        }
    }
    if directories > 0 {
        summary(linted.len(), kinds, skipped);
    }
    let output = match arg(FORMAT) {
        "json" => render_json(&linted),
        "sarif" => render_sarif(&linted),
        _ => render_text(
            &linted,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
    };
    let code = exit::print_stdout(&output);
    if code != ExitCode::from(exit::SUCCESS) {
        return code;
    }
    if unreadable {
        ExitCode::from(exit::USAGE)
    } else if linted
        .iter()
        .flat_map(|l| &l.findings)
        .any(|f| f.severity() >= fail_on)
    {
        ExitCode::from(exit::FAILURE)
    } else {
        ExitCode::from(exit::SUCCESS)
    }
}

/// `rotation-policy: note: FILE: NOTE` on stderr: what could not be linted.
fn note_line(file: &str, note: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "rotation-policy: note: {file}: {note}");
}

/// The one stderr line a directory walk ends with: files linted (by kind)
/// and files passed over.
fn summary(read: usize, kinds: [usize; 3], skipped: usize) {
    use std::io::Write as _;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    for (n, word) in [
        (kinds[0], "policy file"),
        (kinds[1], "CloudFormation template"),
        (kinds[2], "Terraform file"),
    ] {
        if n > 0 {
            parts.push(plural(n, word));
        }
    }
    let detail = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    let _ = writeln!(
        std::io::stderr(),
        "rotation-policy: linted {}{detail}, skipped {}",
        plural(read, "file"),
        plural(skipped, "file")
    );
}

/// rustc-style text: severity, code, message, `file:line:col`, the source
/// line with the finding underlined.
fn render_text(linted: &[Linted], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    let mut counts = [0usize; 4];
    for file in linted {
        let text = String::from_utf8_lossy(&file.source);
        for finding in &file.findings {
            counts[Severity::ALL
                .iter()
                .position(|&s| s == finding.severity())
                .unwrap_or(0)] += 1;
            let level = match finding.severity() {
                Severity::Error => Level::ERROR,
                Severity::SecurityWarning => Level::WARNING.with_name(Some("security warning")),
                Severity::Warning => Level::WARNING,
                Severity::Suggestion => Level::HELP.with_name(Some("suggestion")),
            };
            let label = if finding.pointer().is_empty() {
                "the document".to_owned()
            } else {
                format!("at `{}`", finding.pointer())
            };
            let title = level.primary_title(finding.message()).id(finding.code());
            let shown = line_of(&text, finding.span());
            let report = match shown.clone() {
                Some((line_text, span)) => [title.element(
                    Snippet::source(line_text)
                        .line_start(finding.line())
                        .path(&file.name)
                        .annotation(AnnotationKind::Primary.span(span).label(&label)),
                )],
                // A line too long to show: the position and the pointer only.
                None => [title.element(
                    Origin::path(&file.name)
                        .line(finding.line())
                        .char_column(finding.column()),
                )],
            };
            let _ = writeln!(out, "{}\n", renderer.render(&report));
            if shown.is_none() {
                let _ = writeln!(out, "  = {label}\n");
            }
        }
    }
    let total: usize = counts.iter().sum();
    if total > 0 {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .zip(counts)
            .filter(|&(_, n)| n > 0)
            .map(|(s, n)| format!("{n} {}{}", s.label(), if n == 1 { "" } else { "s" }))
            .collect();
        let files = linted.iter().filter(|l| !l.findings.is_empty()).count();
        let _ = writeln!(
            out,
            "{} in {files} of {} file{}",
            parts.join(", "),
            linted.len(),
            if linted.len() == 1 { "" } else { "s" }
        );
    }
    out
}

/// Lines longer than this (in bytes) are not shown: a minified policy of
/// megabytes on one line would be copied into every finding's snippet,
/// making text output quadratic in the input.
const LONGEST_SHOWN_LINE: usize = 1024;

/// The source line a finding starts on, and the finding's span within it
/// (cut at the line's end; at least one character, for the caret); `None`
/// when the line is longer than [`LONGEST_SHOWN_LINE`]. Looks at most that
/// far either side of the finding.
fn line_of(text: &str, span: std::ops::Range<usize>) -> Option<(&str, std::ops::Range<usize>)> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let window_start = floor_char_boundary(text, start.saturating_sub(LONGEST_SHOWN_LINE + 1));
    let window_end = floor_char_boundary(text, (start + LONGEST_SHOWN_LINE + 1).min(text.len()));
    let line_start = match text.get(window_start..start).and_then(|t| t.rfind('\n')) {
        Some(i) => window_start + i + 1,
        None if window_start == 0 => 0,
        None => return None,
    };
    let line_end = match text.get(start..window_end).and_then(|t| t.find('\n')) {
        Some(i) => start + i,
        None if window_end == text.len() => text.len(),
        None => return None,
    };
    if line_end - line_start > LONGEST_SHOWN_LINE {
        return None;
    }
    let line = text.get(line_start..line_end).unwrap_or_default();
    let line = line.strip_suffix('\r').unwrap_or(line);
    let from = start - line_start;
    let to = span.end.saturating_sub(line_start).clamp(from, line.len());
    let to = floor_char_boundary(line, to);
    let to = if to > from {
        to
    } else {
        line.get(from..)
            .and_then(|rest| rest.chars().next())
            .map_or(from, |c| from + c.len_utf8())
    };
    Some((line, from..to))
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The JSON array the README documents (a public contract): one object per finding, keys in the
/// documented order (written by hand: `json!` would sort them).
fn render_json(linted: &[Linted]) -> String {
    let string = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned());
    let mut out = String::from("[");
    let mut first = true;
    for file in linted {
        let name = string(&file.name);
        for f in &file.findings {
            out.push_str(if first { "\n  " } else { ",\n  " });
            first = false;
            let _ = write!(
                out,
                "{{\"file\": {name}, \"code\": {}, \"severity\": {}, \"message\": {}, \"pointer\": {}, \
                 \"line\": {}, \"column\": {}}}",
                string(f.code()),
                string(f.severity().as_str()),
                string(f.message()),
                string(f.pointer()),
                f.line(),
                f.column()
            );
        }
    }
    out.push_str(if first { "]\n" } else { "\n]\n" });
    out
}

/// SARIF 2.1.0 (OASIS), for code scanning. Written with serde_json: the
/// serde-sarif crate would bring strum_macros and typed-builder, and with
/// them a second major version of syn. Findings map to SARIF levels `error`
/// (error), `warning` (security warning, warning) and `note` (suggestion);
/// the JSON pointer is the result's logical location.
fn render_sarif(linted: &[Linted]) -> String {
    let mut rules: Vec<&'static str> = Vec::new();
    let mut results = Vec::new();
    for file in linted {
        for f in &file.findings {
            let index = match rules.iter().position(|&r| r == f.code()) {
                Some(i) => i,
                None => {
                    rules.push(f.code());
                    rules.len() - 1
                }
            };
            results.push(json!({
                "ruleId": f.code(),
                "ruleIndex": index,
                "level": sarif_level(f.severity()),
                "message": {"text": f.message()},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(&file.name)},
                        "region": {"startLine": f.line(), "startColumn": f.column()}
                    },
                    "logicalLocations": [{"fullyQualifiedName": f.pointer(), "kind": "element"}]
                }],
                "properties": {"severity": f.severity().as_str()}
            }));
        }
    }
    let rules: Vec<Value> = rules.into_iter().map(sarif_rule).collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rotation-policy",
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

/// A file name as a SARIF `artifactLocation.uri`, which must be a URI
/// reference (RFC 3986): bytes outside the unreserved and sub-delimiter
/// characters are percent-encoded (a space, `<stdin>`'s brackets, and `:`,
/// which in a relative reference's first segment would read as a scheme);
/// an absolute path becomes a `file://` URI.
fn artifact_uri(name: &str) -> String {
    let mut uri = String::with_capacity(name.len() + 8);
    if name.starts_with('/') {
        uri.push_str("file://");
    }
    for byte in name.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(byte))
            }
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' => {
                uri.push(char::from(byte))
            }
            _ => {
                let _ = write!(uri, "%{byte:02X}");
            }
        }
    }
    uri
}

/// A check's name for people (SARIF's `name`, which must differ from the
/// `id`): the code in UpperCamelCase, `INVALID_ACTION` -> `InvalidAction`.
fn rule_name(code: &str) -> String {
    code.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase()
            })
        })
        .collect()
}

/// IAM's reference page of Access Analyzer's policy checks: one section per
/// issue code, anchored `access-analyzer-reference-policy-checks-KIND-CODE`.
const ACCESS_ANALYZER_CHECKS: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html";

/// The AWS documentation page a check's finding is explained by: Access
/// Analyzer's section for its own codes, the page each of this project's
/// checks relies on for the others.
fn help_uri(code: &str, severity: Severity) -> String {
    let own = match code {
        "SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY" => Some(
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceaccount",
        ),
        "KMS_ALIAS_AS_KEY_RESOURCE" => {
            Some("https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html")
        }
        "SECRET_ARN_WITHOUT_SUFFIX" => Some(
            "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html",
        ),
        "RESOURCE_TYPE_MISMATCH" | "ACTION_NEEDS_STAR_RESOURCE" => Some(
            "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
        ),
        "LAMBDA_INVOKE_OPEN_TO_ANY_PRINCIPAL" => {
            Some("https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html")
        }
        "DUPLICATE_JSON_KEY" | "UNSUPPORTED_CHARACTER" => {
            Some("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html")
        }
        "UNRESOLVED_TEMPLATE_PLACEHOLDER" => Some(
            "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-sub.html",
        ),
        _ => None,
    };
    if let Some(uri) = own {
        return uri.to_owned();
    }
    let kind = match severity {
        Severity::Error => "error",
        Severity::SecurityWarning => "security-warning",
        Severity::Warning => "general-warning",
        Severity::Suggestion => "suggestion",
    };
    format!(
        "{ACCESS_ANALYZER_CHECKS}#access-analyzer-reference-policy-checks-{kind}-{}",
        code.to_ascii_lowercase().replace('_', "-")
    )
}

/// A SARIF `reportingDescriptor` for a check: what it finds (the check's
/// documentation), its default level, and the AWS page that explains it.
fn sarif_rule(code: &'static str) -> Value {
    let check = Check::by_code(code);
    let severity = check.map_or(Severity::Error, |c| c.severity());
    let own = check.is_some_and(|c| Check::OWN.contains(&c));
    let summary = check
        .map_or("", Check::summary)
        .trim_start_matches("(rotation-policy) ");
    let summary = if summary.is_empty() { code } else { summary };
    let sentence = summary.trim_end_matches('.');
    let source = if own {
        "rotation-policy"
    } else {
        "IAM Access Analyzer policy check"
    };
    let uri = help_uri(code, severity);
    json!({
        "id": code,
        "name": rule_name(code),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": format!("{sentence} ({source} {code}).")},
        "help": {
            "text": format!("{sentence}. See {uri}"),
            "markdown": format!("{sentence}. See [the AWS documentation]({uri})."),
        },
        "helpUri": uri,
        "defaultConfiguration": {"level": sarif_level(severity)},
        "properties": {
            "severity": severity.as_str(),
            "source": source,
            "tags": if severity == Severity::SecurityWarning { vec!["security"] } else { Vec::new() },
        }
    })
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::SecurityWarning | Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_cuts_multiline_spans_and_keeps_a_caret() {
        let text = "{\n  \"a\": {\n    \"b\": 1\n  }\n}";
        let (line, span) = line_of(text, 9..24).expect("short line");
        assert_eq!(line, "  \"a\": {");
        assert_eq!(span, 7..8);
        let (line, span) = line_of("", 0..1).expect("short line");
        assert_eq!((line, span), ("", 0..0));
        let (line, span) = line_of("ab\u{e9}", 2..3).expect("short line");
        assert_eq!((line, span), ("ab\u{e9}", 2..4));
    }

    /// Regression (found by cli/tests/hostile.rs): 100k findings on one
    /// minified line took minutes, each snippet copying the whole line.
    #[test]
    fn long_lines_are_not_shown() {
        let long = format!("{{\"a\": \"{}\"}}", "\u{e9}".repeat(LONGEST_SHOWN_LINE));
        assert_eq!(line_of(&long, 2..5), None);
        assert_eq!(line_of(&long, long.len() - 1..long.len()), None);
        let fits = format!("x\n{}\ny", "a".repeat(LONGEST_SHOWN_LINE));
        let (line, span) = line_of(&fits, 2..4).expect("fits");
        assert_eq!((line.len(), span), (LONGEST_SHOWN_LINE, 0..2));
        // A real finding on that line: `a` is no policy element.
        let source = long.clone();
        let findings = rotation_policy_core::lint::lint(source.as_bytes(), &Default::default());
        let finding = findings
            .into_iter()
            .find(|f| f.pointer() == "/a")
            .expect("`a` is reported");
        let (line, column, pointer) = (finding.line(), finding.column(), finding.pointer().to_owned());
        let linted = [Linted {
            name: "p.json".to_owned(),
            source: source.into_bytes(),
            findings: vec![finding],
        }];
        let text = render_text(&linted, false);
        assert!(text.contains(&format!("p.json:{line}:{column}")), "{text}");
        assert!(text.contains(&format!("at `{pointer}`")), "{text}");
        assert!(text.len() < 400, "{text}");
    }

    #[test]
    fn sarif_uris_and_names() {
        assert_eq!(artifact_uri("policies/role.json"), "policies/role.json");
        assert_eq!(
            artifact_uri("/tmp/my policy.json"),
            "file:///tmp/my%20policy.json"
        );
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(artifact_uri("a:b.json"), "a%3Ab.json");
        assert_eq!(artifact_uri("r\u{e9}le.json"), "r%C3%A9le.json");
        assert_eq!(rule_name("INVALID_ACTION"), "InvalidAction");
        assert_eq!(
            rule_name("FORALLVALUES_WITH_SINGLE_VALUED_KEY"),
            "ForallvaluesWithSingleValuedKey"
        );
    }

    #[test]
    fn every_check_has_sarif_help() {
        for check in Check::ALL {
            let rule = sarif_rule(check.code());
            let summary = rule["shortDescription"]["text"].as_str().unwrap_or_default();
            assert!(
                !summary.is_empty() && summary != check.code() && !summary.starts_with('('),
                "{}: {summary:?}",
                check.code()
            );
            let uri = rule["helpUri"].as_str().unwrap_or_default();
            assert!(
                uri.starts_with("https://docs.aws.amazon.com/"),
                "{}: {uri}",
                check.code()
            );
            assert!(rule["help"]["text"].as_str().unwrap_or_default().contains(uri));
        }
        let rule = sarif_rule("INVALID_ACTION");
        assert_eq!(
            rule["helpUri"],
            "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html\
             #access-analyzer-reference-policy-checks-error-invalid-action"
        );
        assert_eq!(rule["shortDescription"]["text"], Check::INVALID_ACTION.summary());
    }

    #[test]
    fn sarif_levels_cover_every_severity() {
        let levels: Vec<&str> = Severity::ALL.iter().map(|&s| sarif_level(s)).collect();
        assert_eq!(levels, ["error", "warning", "warning", "note"]);
    }
}
