//! A request as IAM evaluates it: principal, action, resource, context keys.

/// Who makes a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestPrincipal {
    /// An IAM role (or a session of it) in `account`.
    Role {
        /// The role's ARN, if known (`arn:aws:iam::111122223333:role/name`).
        arn: Option<String>,
        /// The role's account (or a placeholder).
        account: String,
    },
    /// An AWS service principal such as `secretsmanager.amazonaws.com`.
    Service(String),
}

/// One request: what rotation (or a probe) asks AWS to authorize.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The caller.
    pub principal: RequestPrincipal,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN (or `*` for actions without a resource type).
    pub resource: String,
    /// Context keys and their values; lookups are case-insensitive.
    pub context: Vec<(String, Vec<String>)>,
    /// Why rotation makes this request, for reports.
    pub purpose: &'static str,
}

impl Request {
    /// A request with an empty context.
    pub fn new(principal: RequestPrincipal, action: &str, resource: &str, purpose: &'static str) -> Request {
        Request {
            principal,
            action: action.to_owned(),
            resource: resource.to_owned(),
            context: Vec::new(),
            purpose,
        }
    }

    /// Adds a single-valued context key.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Request {
        self.context.push((key.to_owned(), vec![value.into()]));
        self
    }

    /// Adds a multivalued context key.
    pub fn with_values(mut self, key: &str, values: Vec<String>) -> Request {
        self.context.push((key.to_owned(), values));
        self
    }

    /// The values of context key `key` (case-insensitive), if present.
    pub fn context_values(&self, key: &str) -> Option<&[String]> {
        self.context
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_slice())
    }

    /// Whether the action belongs to `service` (`kms`, `secretsmanager`),
    /// compared case-insensitively.
    pub fn is_service(&self, service: &str) -> bool {
        self.action
            .split_once(':')
            .is_some_and(|(prefix, _)| prefix.eq_ignore_ascii_case(service))
    }

    /// The account of the principal, for `Principal` matching.
    pub fn principal_account(&self) -> Option<&str> {
        match &self.principal {
            RequestPrincipal::Role { account, .. } => Some(account),
            RequestPrincipal::Service(_) => None,
        }
    }
}
