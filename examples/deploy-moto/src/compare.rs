//! Comparing what IAM and Lambda return with the documents the app sent.
//!
//! Both sides are compared as JSON values (key order and whitespace never
//! matter), after the deliberate normalizations below; anything else that
//! differs is a mismatch.

use serde_json::Value;

/// Parses a policy document as IAM returns it. IAM's `GetRole` and
/// `GetRolePolicy` return the document URL-encoded (RFC 3986), as its API
/// reference says; moto returns it as sent. A document that is JSON already
/// starts with `{`, an encoded one with `%7B`.
pub fn iam_document(what: &str, text: &str) -> Result<Value, String> {
    let decoded;
    let text = if text.trim_start().starts_with('{') {
        text
    } else {
        decoded = percent_decode(text).ok_or_else(|| format!("{what}: not JSON and not URL-encoded JSON"))?;
        &decoded
    };
    serde_json::from_str(text).map_err(|e| format!("{what}: not JSON: {e}"))
}

/// Decodes `%XX` escapes (and `+`, which form encoding uses for a space).
fn percent_decode(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                let hex = std::str::from_utf8(&hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
            }
            b'+' => out.push(b' '),
            _ => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

/// Normalizes the resource policy that Lambda's `GetPolicy` returns so it can
/// be compared with the generated one:
///
/// 1. Lambda turns each `AddPermission` call into a statement whose `Sid` is
///    the call's `StatementId`; the generated document has no `Sid`. The
///    statement must carry `statement_id`, and then the `Sid` is removed.
/// 2. Condition key names are case-insensitive in IAM; Lambda writes
///    `AWS:SourceAccount` and `AWS:SourceArn` where the generator writes
///    `aws:SourceAccount` and `aws:SourceArn`. Key names inside `Condition`
///    blocks are lowercased on both sides (see [`lowercase_condition_keys`]).
///
/// Nothing else is touched: `Version`, `Id`, `Effect`, `Principal`, `Action`,
/// `Resource` and the condition values must come back exactly.
pub fn lambda_policy(mut policy: Value, statement_id: &str) -> Result<Value, String> {
    let statements = policy
        .get_mut("Statement")
        .and_then(Value::as_array_mut)
        .ok_or("Lambda's policy has no `Statement` array")?;
    for statement in statements.iter_mut() {
        let Some(statement) = statement.as_object_mut() else {
            return Err("a statement of Lambda's policy is not an object".to_owned());
        };
        match statement.remove("Sid") {
            Some(Value::String(sid)) if sid == statement_id => {}
            other => {
                return Err(format!(
                    "Lambda's statement has `Sid` {other:?}, expected the StatementId `{statement_id}`"
                ))
            }
        }
    }
    lowercase_condition_keys(&mut policy);
    Ok(policy)
}

/// Lowercases the key names inside every statement's `Condition` operator
/// blocks (`{"StringEquals": {"AWS:SourceAccount": ..}}` becomes
/// `{"StringEquals": {"aws:sourceaccount": ..}}`). Operator names are
/// case-sensitive in IAM and are left alone.
pub fn lowercase_condition_keys(policy: &mut Value) {
    let Some(statements) = policy.get_mut("Statement").and_then(Value::as_array_mut) else {
        return;
    };
    for statement in statements {
        let Some(Value::Object(condition)) = statement.get_mut("Condition") else {
            continue;
        };
        for block in condition.values_mut() {
            if let Value::Object(keys) = block {
                *keys = std::mem::take(keys)
                    .into_iter()
                    .map(|(key, value)| (key.to_ascii_lowercase(), value))
                    .collect();
            }
        }
    }
}

/// `Ok` when the two values are equal, else one message with both, compact.
pub fn expect_equal(what: &str, returned: &Value, generated: &Value) -> Result<(), String> {
    if returned == generated {
        Ok(())
    } else {
        Err(format!(
            "{what} differs from the generated document: returned {returned}, generated {generated}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn url_encoded_documents_are_decoded() {
        let value = iam_document("doc", "%7B%22Version%22%3A%20%222012-10-17%22%7D").unwrap();
        assert_eq!(value, json!({"Version": "2012-10-17"}));
        assert_eq!(iam_document("doc", r#"{"a": 1}"#).unwrap(), json!({"a": 1}));
        assert!(iam_document("doc", "%7").is_err());
    }

    #[test]
    fn lambda_sid_and_key_spelling_are_normalized() {
        let returned = json!({"Version": "2012-10-17", "Id": "default", "Statement": [{
            "Sid": "Invoke", "Effect": "Allow",
            "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"}}}]});
        let mut generated = json!({"Version": "2012-10-17", "Id": "default", "Statement": [{
            "Effect": "Allow",
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]});
        lowercase_condition_keys(&mut generated);
        assert_eq!(lambda_policy(returned.clone(), "Invoke").unwrap(), generated);
        assert!(lambda_policy(returned, "Other").is_err());
    }

    #[test]
    fn values_are_not_normalized() {
        let returned = json!({"Statement": [{"Sid": "Invoke",
            "Condition": {"StringEquals": {"AWS:SourceAccount": "999999999999"}}}]});
        let mut generated = json!({"Statement": [{
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]});
        lowercase_condition_keys(&mut generated);
        let returned = lambda_policy(returned, "Invoke").unwrap();
        assert!(expect_equal("policy", &returned, &generated).is_err());
    }
}
