//! Condition operators (IAM User Guide, "IAM JSON policy elements: Condition
//! operators", "Single-valued vs. multivalued context keys" and "Condition
//! with multiple context keys or values"): their names, the values they
//! take, and how they compare a request. The linter and the evaluator both
//! read operators with [`Operator::parse`] and values with
//! [`Operator::check_value`], so they cannot disagree on what a condition is.

use super::value::{ip_in_range, is_base64, parse_bool, parse_date, parse_ip_range, parse_number};
use super::variable::{resolve, Place, Unresolved};
use super::wildcard::Pattern;

/// An operator family: what its values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// `String...`
    String,
    /// `Numeric...`
    Numeric,
    /// `Date...`
    Date,
    /// `Bool`
    Bool,
    /// `BinaryEquals`
    Binary,
    /// `IpAddress`, `NotIpAddress`
    IpAddress,
    /// `Arn...`
    Arn,
    /// `Null`
    Null,
}

/// How a `Numeric` or `Date` operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// `...Equals` (and `...NotEquals`, negated)
    Equals,
    /// `...LessThan`
    LessThan,
    /// `...LessThanEquals`
    LessThanEquals,
    /// `...GreaterThan`
    GreaterThan,
    /// `...GreaterThanEquals`
    GreaterThanEquals,
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// Every request value must match; true when there is none.
    ForAllValues,
    /// At least one request value must match; false when there is none.
    ForAnyValue,
}

/// A condition operator: `[ForAllValues:|ForAnyValue:]BASE[IfExists]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    /// The family.
    pub family: Family,
    /// `...Not...`: true when no policy value matches.
    pub negated: bool,
    /// `StringEqualsIgnoreCase`, `StringNotEqualsIgnoreCase`.
    pub ignore_case: bool,
    /// `StringLike`, `StringNotLike`: `*` and `?` are wildcards. (ARN
    /// operators always take them.)
    pub like: bool,
    /// For `Numeric` and `Date`.
    pub comparison: Comparison,
    /// `...IfExists`: true when the request lacks the key.
    pub if_exists: bool,
    /// The set qualifier.
    pub qualifier: Option<SetQualifier>,
}

/// The base operators: name, family, negated, ignore case, like, comparison.
const BASES: [(&str, Family, bool, bool, bool, Comparison); 27] = {
    use Comparison::*;
    use Family::*;
    [
        ("StringEquals", String, false, false, false, Equals),
        ("StringNotEquals", String, true, false, false, Equals),
        ("StringEqualsIgnoreCase", String, false, true, false, Equals),
        ("StringNotEqualsIgnoreCase", String, true, true, false, Equals),
        ("StringLike", String, false, false, true, Equals),
        ("StringNotLike", String, true, false, true, Equals),
        ("NumericEquals", Numeric, false, false, false, Equals),
        ("NumericNotEquals", Numeric, true, false, false, Equals),
        ("NumericLessThan", Numeric, false, false, false, LessThan),
        (
            "NumericLessThanEquals",
            Numeric,
            false,
            false,
            false,
            LessThanEquals,
        ),
        ("NumericGreaterThan", Numeric, false, false, false, GreaterThan),
        (
            "NumericGreaterThanEquals",
            Numeric,
            false,
            false,
            false,
            GreaterThanEquals,
        ),
        ("DateEquals", Date, false, false, false, Equals),
        ("DateNotEquals", Date, true, false, false, Equals),
        ("DateLessThan", Date, false, false, false, LessThan),
        ("DateLessThanEquals", Date, false, false, false, LessThanEquals),
        ("DateGreaterThan", Date, false, false, false, GreaterThan),
        (
            "DateGreaterThanEquals",
            Date,
            false,
            false,
            false,
            GreaterThanEquals,
        ),
        ("Bool", Bool, false, false, false, Equals),
        ("BinaryEquals", Binary, false, false, false, Equals),
        ("IpAddress", IpAddress, false, false, false, Equals),
        ("NotIpAddress", IpAddress, true, false, false, Equals),
        ("ArnEquals", Arn, false, false, false, Equals),
        ("ArnLike", Arn, false, false, false, Equals),
        ("ArnNotEquals", Arn, true, false, false, Equals),
        ("ArnNotLike", Arn, true, false, false, Equals),
        ("Null", Null, false, false, false, Equals),
    ]
};

/// A truth value that may be unknown: IAM documents no outcome for some
/// conditions (a single-valued operator on a multivalued key, a variable
/// where variables cannot be used). The evaluator resolves `Unknown`
/// against the caller: an `Allow` does not apply, a `Deny` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Truth {
    /// The condition holds.
    True,
    /// It does not.
    False,
    /// AWS's documentation does not say.
    Unknown,
}

impl Truth {
    /// `True` or `False`.
    pub fn from_bool(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }
    /// Kleene OR over `items`.
    pub fn any(items: impl IntoIterator<Item = Truth>) -> Truth {
        let mut out = Truth::False;
        for t in items {
            match t {
                Truth::True => return Truth::True,
                Truth::Unknown => out = Truth::Unknown,
                Truth::False => {}
            }
        }
        out
    }
    /// Kleene AND over `items`.
    pub fn all(items: impl IntoIterator<Item = Truth>) -> Truth {
        !Truth::any(items.into_iter().map(|t| !t))
    }
}

/// Kleene NOT: unknown stays unknown.
impl std::ops::Not for Truth {
    type Output = Truth;
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// A request's values for one condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestValues<'a> {
    /// The values (one for a single-valued key).
    pub values: &'a [String],
    /// Whether the key is multivalued (`aws:CalledVia`,
    /// `kms:EncryptionContextKeys`, `aws:TagKeys`...).
    pub multivalued: bool,
}

impl Operator {
    /// Parses an operator name. Operator names are case-sensitive. `Err`
    /// carries the base name (without qualifier and `IfExists`), for a
    /// "did you mean". `NullIfExists` parses, so that the linter can say
    /// what is wrong with it (Access Analyzer's `NULL_WITH_IF_EXISTS`), but
    /// IAM documents no meaning for it ("You can add IfExists to the end of
    /// any condition operator name except the Null condition"): it evaluates
    /// as unknown.
    pub fn parse(name: &str) -> Result<Operator, &str> {
        let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, name)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let found = BASES.iter().find(|b| b.0 == base);
        let &(_, family, negated, ignore_case, like, comparison) = found.ok_or(base)?;
        Ok(Operator {
            family,
            negated,
            ignore_case,
            like,
            comparison,
            if_exists,
            qualifier,
        })
    }

    /// The base operator names, for suggestions.
    pub fn base_names() -> impl Iterator<Item = &'static str> {
        BASES.iter().map(|b| b.0)
    }

    /// Whether policy variables are substituted in its values: only for
    /// String and ARN operators ("You can use policy variables ... in string
    /// comparisons in the Condition element"; Access Analyzer's
    /// `INVALID_VARIABLE_FOR_OPERATOR`).
    pub fn takes_variables(self) -> bool {
        matches!(self.family, Family::String | Family::Arn)
    }

    /// Whether `*` and `?` are wildcards in its values: `...Like` and every
    /// ARN operator ("Each of the six colon-delimited components of the ARN
    /// is checked separately and each can include multi-character match
    /// wildcards (*) or single-character match wildcards (?)").
    pub fn takes_wildcards(self) -> bool {
        self.like || self.family == Family::Arn
    }

    /// Checks a policy value's type: `Err` says what the operator expects.
    /// String and ARN values are any text.
    pub fn check_value(self, text: &str) -> Result<(), &'static str> {
        let (ok, expected) = match self.family {
            Family::String | Family::Arn => (true, ""),
            Family::Bool | Family::Null => (parse_bool(text).is_some(), "`true` or `false`"),
            Family::Numeric => (parse_number(text).is_some(), "a number"),
            Family::Date => (
                parse_date(text).is_some(),
                "an ISO 8601 date (`2024-01-31` or `2024-01-31T12:00:00Z`) or epoch seconds",
            ),
            Family::IpAddress => (parse_ip_range(text).is_some(), "an IP address or CIDR range"),
            Family::Binary => (is_base64(text), "a base64-encoded value"),
        };
        if ok {
            Ok(())
        } else {
            Err(expected)
        }
    }

    /// Whether the condition `operator: {key: policy_values}` holds for a
    /// request whose values of `key` are `request` (`None`: the request does
    /// not carry the key). `variables` says whether `${...}` are policy
    /// variables (a `"Version": "2012-10-17"` policy); `lookup` gives the
    /// request's values of a variable's key.
    pub fn evaluate<'v>(
        self,
        policy_values: &[&str],
        request: Option<RequestValues<'_>>,
        variables: bool,
        lookup: &dyn Fn(&str) -> Option<&'v [String]>,
    ) -> Truth {
        // An empty set of values counts as a missing key (the "Condition
        // keys with multiple values" page: "If the key values in the request
        // resolve to an empty data set ... ForAllValues returns true, and
        // ForAnyValue returns false").
        let present = request.filter(|r| !r.values.is_empty());
        if self.family == Family::Null && self.if_exists {
            return Truth::Unknown;
        }
        if self.family == Family::Null {
            // Access Analyzer's NULL_WITH_QUALIFIER (IAM User Guide, "IAM
            // policy validation check reference"): "When you use the Null
            // condition operator with ForAllValues, the statement always
            // returns true. When you use the Null condition operator with
            // ForAnyValue, the statement always returns false."
            match self.qualifier {
                Some(SetQualifier::ForAllValues) => return Truth::True,
                Some(SetQualifier::ForAnyValue) => return Truth::False,
                None => {}
            }
            // `Null: true` holds when the key is absent, `false` when
            // present; several values are OR-ed ("Condition with multiple
            // context keys or values"), so `["true", "false"]` always holds.
            let absent = present.is_none();
            return Truth::from_bool(policy_values.iter().any(|v| parse_bool(v) == Some(absent)));
        }
        let Some(request) = present else {
            // "If the key ... is not present in the request context, the values
            // do not match and the condition is false. If the policy condition
            // requires that the key is not matched, such as StringNotLike ...
            // the condition is true. This logic applies to all condition
            // operators except ...IfExists and Null check." The qualifiers
            // decide first: ForAllValues is true, ForAnyValue false, whatever
            // the operator inside.
            return match self.qualifier {
                Some(SetQualifier::ForAllValues) => Truth::True,
                Some(SetQualifier::ForAnyValue) => Truth::False,
                None => Truth::from_bool(self.if_exists || self.negated),
            };
        };
        // One request value against the policy values: OR, or for a negated
        // operator NOR ("those values are evaluated using a logical NOR").
        let one = |actual: &str| {
            let hit = Truth::any(
                policy_values
                    .iter()
                    .map(|expected| self.compare(expected, actual, variables, lookup)),
            );
            if self.negated {
                !hit
            } else {
                hit
            }
        };
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => Truth::all(request.values.iter().map(|v| one(v))),
            Some(SetQualifier::ForAnyValue) => Truth::any(request.values.iter().map(|v| one(v))),
            // A single-valued operator on a multivalued key: AWS says such
            // keys "require a condition set operator" and documents no
            // outcome without one (Access Analyzer reports MISSING_QUALIFIER
            // as an error), so it is unknown.
            None if request.multivalued || request.values.len() > 1 => Truth::Unknown,
            None => one(&request.values[0]),
        }
    }

    /// Whether one policy value matches one request value.
    fn compare<'v>(
        self,
        expected: &str,
        actual: &str,
        variables: bool,
        lookup: &dyn Fn(&str) -> Option<&'v [String]>,
    ) -> Truth {
        match self.family {
            Family::String | Family::Arn => {
                let place = match (self.family, self.like) {
                    (Family::Arn, _) => Place::Arn,
                    (_, true) => Place::Like,
                    (_, false) => Place::Literal,
                };
                let pattern = match resolve(expected, place, variables, lookup) {
                    Ok(p) => p,
                    // "If AWS cannot resolve a variable this might cause
                    // the entire statement to be invalid" (IAM User Guide,
                    // "IAM policy elements: Variables and tags"): no match,
                    // and under a negated operator not a match either.
                    Err(Unresolved::NoValue) if self.negated => return Truth::Unknown,
                    Err(Unresolved::NoValue) => return Truth::False,
                    Err(Unresolved::Undefined) => return Truth::Unknown,
                };
                Truth::from_bool(match place {
                    Place::Arn => arn_matches(&pattern, actual),
                    _ if self.ignore_case => pattern.matches_ignore_case(actual),
                    _ => pattern.matches(actual),
                })
            }
            Family::Numeric => match (parse_number(expected), parse_number(actual)) {
                (Some(e), Some(a)) => Truth::from_bool(self.ordered(a.partial_cmp(&e))),
                _ => Truth::Unknown,
            },
            Family::Date => match (parse_date(expected), parse_date(actual)) {
                (Some(e), Some(a)) => Truth::from_bool(self.ordered(a.partial_cmp(&e))),
                _ => Truth::Unknown,
            },
            Family::Bool => match (parse_bool(expected), parse_bool(actual)) {
                (Some(e), Some(a)) => Truth::from_bool(e == a),
                _ => Truth::Unknown,
            },
            Family::Binary => Truth::from_bool(expected == actual),
            Family::IpAddress => match (parse_ip_range(expected), actual.parse()) {
                (Some(range), Ok(ip)) => Truth::from_bool(ip_in_range(ip, range)),
                _ => Truth::Unknown,
            },
            Family::Null => Truth::Unknown,
        }
    }

    fn ordered(self, ordering: Option<std::cmp::Ordering>) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        matches!(
            (self.comparison, ordering),
            (Comparison::Equals, Some(Equal))
                | (Comparison::LessThan, Some(Less))
                | (Comparison::LessThanEquals, Some(Less | Equal))
                | (Comparison::GreaterThan, Some(Greater))
                | (Comparison::GreaterThanEquals, Some(Greater | Equal))
        )
    }
}

/// An ARN operator's match: each of the six colon-separated fields
/// separately, wildcards within a field; `*` alone matches any ARN. A value
/// identical to the request's matches too: an unfilled template placeholder
/// (`${SecretArn}`) stands for the same ARN on both sides.
pub fn arn_matches(pattern: &Pattern, arn: &str) -> bool {
    if pattern.tokens() == Pattern::wildcard("*").tokens() || pattern.as_literal().as_deref() == Some(arn) {
        return true;
    }
    let fields = pattern.split_fields(6);
    let actual: Vec<&str> = arn.splitn(6, ':').collect();
    fields.len() == 6 && actual.len() == 6 && fields.iter().zip(actual).all(|(p, a)| p.matches(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<&'static [String]> {
        None
    }

    fn eval(op: &str, values: &[&str], request: Option<&[String]>) -> Truth {
        let request = request.map(|values| RequestValues {
            values,
            multivalued: false,
        });
        Operator::parse(op)
            .unwrap()
            .evaluate(values, request, true, &none)
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn operators_parse_with_qualifiers_and_suffixes() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.family, Family::String);
        assert!(op.like && op.if_exists);
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(Operator::parse("StringEqual"), Err("StringEqual"));
        assert!(Operator::parse("NullIfExists").is_ok_and(|op| op.if_exists));
        assert_eq!(
            Operator::parse("NullIfExists")
                .unwrap()
                .evaluate(&["true"], None, true, &none),
            Truth::Unknown
        );
        assert_eq!(Operator::parse("stringequals"), Err("stringequals"));
    }

    // IAM User Guide, "Condition operators": a missing key makes a positive
    // operator false and a negated one true, except ...IfExists (true).
    #[test]
    fn missing_key_positive_false_negated_true_if_exists_true() {
        assert_eq!(eval("StringEquals", &["a"], None), Truth::False);
        assert_eq!(eval("StringNotEquals", &["a"], None), Truth::True);
        assert_eq!(eval("StringEqualsIfExists", &["a"], None), Truth::True);
        assert_eq!(eval("ArnNotLike", &["arn:*"], None), Truth::True);
    }

    // IAM User Guide, "Single-valued vs. multivalued context keys":
    // ForAllValues is true and ForAnyValue false when the key is missing or
    // empty, whatever the operator inside (negated included).
    #[test]
    fn qualifiers_on_a_missing_or_empty_key() {
        for op in [
            "ForAnyValue:StringEquals",
            "ForAnyValue:StringNotEquals",
            "ForAnyValue:StringNotLikeIfExists",
        ] {
            assert_eq!(eval(op, &["a"], None), Truth::False, "{op}");
            assert_eq!(eval(op, &["a"], Some(&[])), Truth::False, "{op}");
        }
        for op in ["ForAllValues:StringEquals", "ForAllValues:StringNotEquals"] {
            assert_eq!(eval(op, &["a"], None), Truth::True, "{op}");
            assert_eq!(eval(op, &["a"], Some(&[])), Truth::True, "{op}");
        }
    }

    // "Condition with multiple context keys or values": NOR for negated
    // operators over several policy values.
    #[test]
    fn negated_operators_are_nor_over_the_policy_values() {
        let v = strings(&["b"]);
        assert_eq!(eval("StringNotEquals", &["a", "b"], Some(&v)), Truth::False);
        assert_eq!(eval("StringNotEquals", &["a", "c"], Some(&v)), Truth::True);
        assert_eq!(eval("StringEquals", &["a", "b"], Some(&v)), Truth::True);
    }

    #[test]
    fn set_qualifiers_over_request_values() {
        let v = strings(&["a", "b"]);
        let multi = |op: &str, values: &[&str]| {
            Operator::parse(op).unwrap().evaluate(
                values,
                Some(RequestValues {
                    values: &v,
                    multivalued: true,
                }),
                true,
                &none,
            )
        };
        assert_eq!(multi("ForAllValues:StringEquals", &["a", "b", "c"]), Truth::True);
        assert_eq!(multi("ForAllValues:StringEquals", &["a"]), Truth::False);
        assert_eq!(multi("ForAnyValue:StringEquals", &["b"]), Truth::True);
        assert_eq!(multi("ForAnyValue:StringNotEquals", &["a", "b"]), Truth::False);
        // A single-valued operator on a multivalued key: AWS documents no
        // outcome.
        assert_eq!(multi("StringEquals", &["a"]), Truth::Unknown);
    }

    #[test]
    fn typed_values() {
        let ip = strings(&["203.0.113.7"]);
        assert_eq!(eval("IpAddress", &["203.0.113.0/24"], Some(&ip)), Truth::True);
        assert_eq!(eval("NotIpAddress", &["203.0.113.0/24"], Some(&ip)), Truth::False);
        let now = strings(&["2026-12-02T12:00:00Z"]);
        assert_eq!(eval("DateGreaterThan", &["2020-01-01"], Some(&now)), Truth::True);
        assert_eq!(eval("DateLessThan", &["2020-01-01"], Some(&now)), Truth::False);
        let date = Operator::parse("DateGreaterThan").unwrap();
        assert!(date.check_value("2020-01-01Tnonsense").is_err());
        let n = strings(&["5"]);
        assert_eq!(eval("NumericLessThanEquals", &["5"], Some(&n)), Truth::True);
        assert_eq!(eval("Bool", &["true"], Some(&strings(&["true"]))), Truth::True);
    }

    #[test]
    fn arn_operators_match_field_by_field_with_wildcards() {
        let arn = strings(&["arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"]);
        assert_eq!(
            eval(
                "ArnLike",
                &["arn:aws:secretsmanager:*:111122223333:secret:db-*"],
                Some(&arn)
            ),
            Truth::True
        );
        assert_eq!(
            eval("ArnEquals", &["arn:aws:secretsmanager:*:*:secret:*"], Some(&arn)),
            Truth::True
        );
        assert_eq!(
            eval(
                "ArnLike",
                &["arn:aws:secretsmanager:*:999999999999:secret:*"],
                Some(&arn)
            ),
            Truth::False
        );
        assert_eq!(eval("ArnLike", &["*"], Some(&arn)), Truth::True);
        // StringEquals compares literally: no wildcard.
        assert_eq!(eval("StringEquals", &["arn:aws:*"], Some(&arn)), Truth::False);
    }
}
