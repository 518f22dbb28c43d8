//! A typed IAM policy document that round-trips through JSON.
//!
//! The grammar follows the IAM User Guide's "Grammar of the IAM JSON policy
//! language". Serialization writes keys in the order AWS's examples use
//! (`Version`, `Id`, `Statement`; `Sid`, `Effect`, `Principal`, `Action`,
//! `Resource`, `Condition`), a value given as a string stays a string and an
//! array stays an array, and condition blocks keep the order they were read
//! or built in.

pub mod condition;
mod json;
pub mod value;
pub mod variable;
pub mod wildcard;

pub(crate) use json::escape_into;

#[cfg(feature = "serde")]
use std::fmt;

#[cfg(feature = "serde")]
use serde::de::{self, Deserializer, MapAccess, Visitor};
#[cfg(feature = "serde")]
use serde::ser::{SerializeMap, Serializer};
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// What kind of policy a document is, which decides who it applies to and
/// which elements it takes (IAM User Guide, "Policies and permissions in
/// AWS Identity and Access Management").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyType {
    /// Attached to an identity (the execution role): applies to its own
    /// requests; no `Principal`.
    Identity,
    /// Attached to a resource (a Lambda function, a secret): applies to the
    /// principals its statements name.
    Resource,
    /// A KMS key policy: a resource policy that must allow the caller
    /// directly, or delegate to IAM by allowing the account.
    Key,
    /// A role's trust policy: the resource policy on the role that says who
    /// may assume it (IAM User Guide, "Roles terms and concepts").
    Trust,
}

/// The only policy language version that supports policy variables.
pub const VERSION_2012_10_17: &str = "2012-10-17";

/// An IAM policy document (identity-based or resource-based).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
// The JSON names are the fields' names in PascalCase: `Version`, `Id`, `Statement`.
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, rename_all = "PascalCase"))]
pub struct PolicyDocument {
    /// `Version`: `2012-10-17` or `2008-10-17`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub version: Option<String>,
    /// `Id`: an optional identifier, used by resource policies.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub id: Option<String>,
    /// `Statement`: one statement object or an array of them.
    pub statement: OneOrMany<Statement>,
}

/// One policy statement.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
// The JSON names are the fields' names in PascalCase: `Sid`, `NotAction`, ...
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, rename_all = "PascalCase"))]
pub struct Statement {
    /// `Sid`: an optional statement id.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` (resource policies only).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub principal: Option<Principal>,
    /// `NotPrincipal` (resource policies only).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub not_principal: Option<Principal>,
    /// `Action`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub action: Option<OneOrMany<String>>,
    /// `NotAction`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub not_action: Option<OneOrMany<String>>,
    /// `Resource`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub resource: Option<OneOrMany<String>>,
    /// `NotResource`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub not_resource: Option<OneOrMany<String>>,
    /// `Condition`: operator -> condition key -> values.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub condition: Option<OrderedMap<OrderedMap<OneOrMany<ConditionValue>>>>,
}

impl Statement {
    /// An `Allow` statement with only actions and resources set.
    pub fn allow(action: OneOrMany<String>, resource: OneOrMany<String>) -> Statement {
        Statement {
            sid: None,
            effect: Effect::Allow,
            principal: None,
            not_principal: None,
            action: Some(action),
            not_action: None,
            resource: Some(resource),
            not_resource: None,
            condition: None,
        }
    }
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub enum Effect {
    /// Grants the actions.
    Allow,
    /// Denies the actions; an explicit deny overrides any allow.
    Deny,
}

/// A single value or an array of values; remembers which it was.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum OneOrMany<T> {
    /// Written as a bare value.
    One(T),
    /// Written as an array.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values as a slice, whichever form they were written in.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values,
        }
    }
}

/// `Principal` / `NotPrincipal`: `"*"` or a map of principal types
/// (`AWS`, `Service`, `Federated`, `CanonicalUser`) to values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `"*"`: everyone.
    Any,
    /// `{"Service": "secretsmanager.amazonaws.com", ...}`.
    Map(OrderedMap<OneOrMany<String>>),
}

#[cfg(feature = "serde")]
impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Principal::Any => serializer.serialize_str("*"),
            Principal::Map(map) => map.serialize(serializer),
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for Principal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PrincipalVisitor;
        impl<'de> Visitor<'de> for PrincipalVisitor {
            type Value = Principal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"*\" or a map of principal types to values")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Principal, E> {
                if v == "*" {
                    Ok(Principal::Any)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Principal, A::Error> {
                OrderedMap::deserialize(de::value::MapAccessDeserializer::new(map)).map(Principal::Map)
            }
        }
        deserializer.deserialize_any(PrincipalVisitor)
    }
}

/// A condition value: IAM accepts strings, numbers and booleans.
///
/// Non-exhaustive: the `Number` variant comes with the `serde` feature, which
/// another crate in the same build may turn on.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum ConditionValue {
    /// A JSON string.
    String(String),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON number (floats round-trip exactly: serde_json's `float_roundtrip`).
    /// Only policies read from JSON have numbers: the variant comes with the
    /// `serde` feature, which reads them.
    #[cfg(feature = "serde")]
    Number(serde_json::Number),
}

impl From<&str> for ConditionValue {
    fn from(value: &str) -> Self {
        ConditionValue::String(value.to_owned())
    }
}

/// A JSON object that keeps its keys in order and rejects duplicate keys
/// (a policy with the same key twice is ambiguous; IAM rejects it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrderedMap<V>(pub Vec<(String, V)>);

impl<V> OrderedMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        OrderedMap(Vec::new())
    }
    /// Appends an entry (the caller keeps keys unique).
    pub fn push(&mut self, key: impl Into<String>, value: V) {
        self.0.push((key.into(), value));
    }
    /// The value of `key`, compared exactly.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
    /// The entries in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap::new()
    }
}

#[cfg(feature = "serde")]
impl<V: Serialize> Serialize for OrderedMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[cfg(feature = "serde")]
impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = OrderedMap(Vec::with_capacity(access.size_hint().unwrap_or(0)));
                while let Some((key, value)) = access.next_entry::<String, V>()? {
                    if map.0.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
                    }
                    map.0.push((key, value));
                }
                Ok(map)
            }
        }
        deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

impl PolicyDocument {
    /// Parses a policy document from JSON text.
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str) -> Result<PolicyDocument, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    /// "Action": "*", "Resource": "*"}]}`: what an administrator's identity
    /// policy grants.
    pub fn allow_all() -> PolicyDocument {
        PolicyDocument {
            version: Some(VERSION_2012_10_17.to_owned()),
            id: None,
            statement: OneOrMany::Many(vec![Statement::allow(
                OneOrMany::One("*".to_owned()),
                OneOrMany::One("*".to_owned()),
            )]),
        }
    }

    /// The statements, whichever form they were written in.
    pub fn statements(&self) -> &[Statement] {
        self.statement.as_slice()
    }
}

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;

    #[test]
    fn one_or_many_keeps_its_form() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":["*"]}}"#;
        let doc = PolicyDocument::from_json(text).unwrap();
        assert!(matches!(doc.statement, OneOrMany::One(_)));
        let statement = &doc.statements()[0];
        assert!(matches!(statement.action, Some(OneOrMany::One(_))));
        assert!(matches!(statement.resource, Some(OneOrMany::Many(_))));
        assert_eq!(serde_json::to_string(&doc).unwrap(), text);
    }

    #[test]
    fn key_order_is_aws_order_whatever_the_input_order() {
        let text = r#"{"Statement":[{"Condition":{"Bool":{"aws:SecureTransport":false}},"Resource":"*","Action":"s3:*","Principal":"*","Effect":"Deny","Sid":"x"}],"Id":"i","Version":"2012-10-17"}"#;
        let doc = PolicyDocument::from_json(text).unwrap();
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"Version":"2012-10-17","Id":"i","Statement":[{"Sid":"x","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}}]}"#
        );
    }

    #[test]
    fn condition_values_keep_their_json_types() {
        let text = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":10.5},"Bool":{"aws:MultiFactorAuthPresent":true},"StringEquals":{"aws:PrincipalTag/team":["a","b"]}}}}"#;
        let doc = PolicyDocument::from_json(text).unwrap();
        assert_eq!(serde_json::to_string(&doc).unwrap(), text);
    }

    #[test]
    fn duplicate_keys_and_unknown_elements_are_rejected() {
        let dup = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"a:b":true,"a:b":false}}}}"#;
        assert!(PolicyDocument::from_json(dup).is_err());
        let unknown = r#"{"Statement":{"Effect":"Allow","Actions":"*","Resource":"*"}}"#;
        assert!(PolicyDocument::from_json(unknown).is_err());
        let bad_principal =
            r#"{"Statement":{"Effect":"Allow","Principal":"me","Action":"*","Resource":"*"}}"#;
        assert!(PolicyDocument::from_json(bad_principal).is_err());
    }
}
