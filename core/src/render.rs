//! Placeholders in generated policies, and filling them at run time.
//!
//! Values not given to the generator stay in the documents as CloudFormation
//! `Fn::Sub` placeholders (`${SecretArn}`), so a document can go into a
//! template as is, or be filled here. Each value is validated for its slot
//! with the same rule the builder applies, then JSON-escaped; substitution is
//! a single pass, so a value can never introduce JSON or another placeholder.

use std::fmt;

use crate::arn::ArnError;
use crate::spec::Placeholder;

/// One problem found while rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderProblem {
    /// The template has `${Name}` that is not a known placeholder.
    UnknownPlaceholder(String),
    /// A value was given for a name that is not a placeholder.
    UnknownValue(String),
    /// The template has a placeholder with no value.
    MissingValue(Placeholder),
    /// A value was given twice.
    DuplicateValue(Placeholder),
    /// A value is not valid for its slot.
    InvalidValue(Placeholder, ArnError),
    /// `${` without a closing `}` at this byte offset.
    Unterminated(usize),
}

impl fmt::Display for RenderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderProblem::UnknownPlaceholder(name) => {
                write!(f, "unknown placeholder `${{{name}}}` in the document")
            }
            RenderProblem::UnknownValue(name) => {
                let names = Placeholder::ALL.map(|p| format!("`{}`", p.name())).join(", ");
                write!(f, "unknown placeholder name `{name}`, expected one of {names}")
            }
            RenderProblem::MissingValue(p) => write!(f, "no value for placeholder `{p}`"),
            RenderProblem::DuplicateValue(p) => write!(f, "two values for placeholder `{p}`"),
            RenderProblem::InvalidValue(p, e) => write!(f, "invalid value for `{p}`: {e}"),
            RenderProblem::Unterminated(at) => write!(f, "`${{` at byte {at} has no closing `}}`"),
        }
    }
}

/// Every problem found while rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The problems, in the order found.
    pub problems: Vec<RenderProblem>,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RenderError {}

/// Fills the placeholders of `template` (a generated document) with
/// `values`, given as (placeholder name, value) pairs such as
/// `("SecretArn", "arn:aws:secretsmanager:...")`.
///
/// Every problem is reported at once: unknown names, missing or duplicate
/// values, values invalid for their slot, unknown placeholders in the
/// template. A value given for a known placeholder that the template does
/// not use is accepted (the same value set serves several documents).
pub fn render(template: &str, values: &[(&str, &str)]) -> Result<String, RenderError> {
    let mut problems = Vec::new();
    let mut escaped: [Option<String>; Placeholder::ALL.len()] = Default::default();
    for &(name, value) in values {
        let Some(placeholder) = Placeholder::from_name(name) else {
            problems.push(RenderProblem::UnknownValue(name.to_owned()));
            continue;
        };
        let slot = &mut escaped[placeholder as usize];
        if slot.is_some() {
            problems.push(RenderProblem::DuplicateValue(placeholder));
            continue;
        }
        match placeholder.validate(value) {
            Ok(()) => *slot = Some(json_escape(value)),
            Err(e) => problems.push(RenderProblem::InvalidValue(placeholder, e)),
        }
    }

    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    let mut offset = 0;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        // A name is letters, digits, `:` and `_`, closed by `}`.
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == ':' || c == '_'))
            .unwrap_or(after.len());
        if !after[len..].starts_with('}') {
            problems.push(RenderProblem::Unterminated(offset + start));
            rest = "";
            break;
        }
        let name = &after[..len];
        match Placeholder::from_name(name) {
            Some(p) => match &escaped[p as usize] {
                Some(value) => out.push_str(value),
                None => {
                    if !problems.contains(&RenderProblem::MissingValue(p))
                        && !problems
                            .iter()
                            .any(|q| matches!(q, RenderProblem::InvalidValue(r, _) if *r == p))
                    {
                        problems.push(RenderProblem::MissingValue(p));
                    }
                }
            },
            None => problems.push(RenderProblem::UnknownPlaceholder(name.to_owned())),
        }
        let consumed = start + 2 + len + 1;
        offset += consumed;
        rest = &rest[consumed..];
    }
    out.push_str(rest);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(RenderError { problems })
    }
}

/// The JSON string escape of `value`, without the surrounding quotes.
fn json_escape(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    crate::policy::escape_into(&mut escaped, value);
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arn::ArnErrorKind;

    #[test]
    fn each_token_is_its_name_in_sub_syntax() {
        for p in Placeholder::ALL {
            assert_eq!(p.token_str(), format!("${{{}}}", p.name()));
            assert_eq!(p.token(), p.token_str());
        }
    }

    const TEMPLATE: &str = r#"{"Resource": "${SecretArn}", "Account": "${AWS::AccountId}"}"#;
    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-AbCdEf";

    #[test]
    fn fills_every_placeholder() {
        let out = render(
            TEMPLATE,
            &[("SecretArn", SECRET), ("AWS::AccountId", "111122223333")],
        )
        .unwrap();
        assert_eq!(
            out,
            format!(r#"{{"Resource": "{SECRET}", "Account": "111122223333"}}"#)
        );
    }

    #[test]
    fn reports_every_problem_at_once() {
        let err = render(TEMPLATE, &[("SecretArn", "arn:aws:s3:::b"), ("Nope", "x")]).unwrap_err();
        assert_eq!(err.problems.len(), 3, "{err}");
        assert!(
            matches!(&err.problems[0], RenderProblem::InvalidValue(Placeholder::SecretArn, e) if e.kind() == ArnErrorKind::WrongService)
        );
        assert_eq!(err.problems[1], RenderProblem::UnknownValue("Nope".into()));
        assert_eq!(
            err.problems[2],
            RenderProblem::MissingValue(Placeholder::AccountId)
        );
    }

    #[test]
    fn rejects_injection_attempts() {
        let evil = r#"111122223333", "Effect": "Allow"#;
        let err = render(TEMPLATE, &[("SecretArn", SECRET), ("AWS::AccountId", evil)]).unwrap_err();
        assert!(matches!(
            &err.problems[0],
            RenderProblem::InvalidValue(Placeholder::AccountId, _)
        ));
        let nested = format!("{SECRET}${{KmsKeyArn}}");
        assert!(render(
            TEMPLATE,
            &[("SecretArn", &nested), ("AWS::AccountId", "111122223333")]
        )
        .is_err());
    }

    #[test]
    fn unknown_and_unterminated_placeholders_in_template() {
        let err = render(r#"{"a": "${Other}", "b": "${SecretArn"}"#, &[]).unwrap_err();
        assert_eq!(
            err.problems,
            vec![
                RenderProblem::UnknownPlaceholder("Other".into()),
                RenderProblem::Unterminated(24)
            ]
        );
    }

    #[test]
    fn duplicate_values_are_errors() {
        let err = render(
            TEMPLATE,
            &[
                ("SecretArn", SECRET),
                ("SecretArn", SECRET),
                ("AWS::AccountId", "111122223333"),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err.problems,
            vec![RenderProblem::DuplicateValue(Placeholder::SecretArn)]
        );
    }
}
