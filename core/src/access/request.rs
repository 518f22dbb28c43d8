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

/// A condition key of a request and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextKey {
    /// The key as AWS spells it (`aws:SourceAccount`).
    pub key: String,
    /// Its values: one for a single-valued key.
    pub values: Vec<String>,
    /// Whether the key is multivalued (`aws:CalledVia`,
    /// `kms:EncryptionContextKeys`): operators need a set qualifier on it.
    pub multivalued: bool,
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
    pub context: Vec<ContextKey>,
    /// Why rotation makes this request, for reports.
    pub purpose: &'static str,
    /// Whether the resource is in another account than the caller: `None`
    /// derives it from the ARNs' account fields, where a template
    /// placeholder counts as the caller's account.
    pub cross_account: Option<bool>,
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
            cross_account: None,
        }
    }

    /// Adds a single-valued context key.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Request {
        self.context.push(ContextKey {
            key: key.to_owned(),
            values: vec![value.into()],
            multivalued: false,
        });
        self
    }

    /// Adds a multivalued context key.
    pub fn with_values(mut self, key: &str, values: Vec<String>) -> Request {
        self.context.push(ContextKey {
            key: key.to_owned(),
            values,
            multivalued: true,
        });
        self
    }

    /// Marks the resource as being in another account than the caller.
    pub fn in_another_account(mut self) -> Request {
        self.cross_account = Some(true);
        self
    }

    /// The values of context key `key` (case-insensitive), if present.
    pub fn context_values(&self, key: &str) -> Option<&[String]> {
        self.context_key(key).map(|c| c.values.as_slice())
    }

    /// Whether context key `key` is multivalued.
    pub fn is_multivalued(&self, key: &str) -> bool {
        self.context_key(key).is_some_and(|c| c.multivalued)
    }

    fn context_key(&self, key: &str) -> Option<&ContextKey> {
        self.context.iter().find(|c| c.key.eq_ignore_ascii_case(key))
    }

    /// Whether the action belongs to `service` (`kms`, `secretsmanager`),
    /// compared case-insensitively.
    pub fn is_service(&self, service: &str) -> bool {
        self.action
            .split_once(':')
            .is_some_and(|(prefix, _)| prefix.eq_ignore_ascii_case(service))
    }

    /// The caller as a report names it: the role's ARN, or
    /// `${ExecutionRoleArn}` (a template placeholder) when it was not given,
    /// or the service principal.
    pub fn principal_name(&self) -> &str {
        match &self.principal {
            RequestPrincipal::Role { arn: Some(arn), .. } => arn,
            RequestPrincipal::Role { arn: None, .. } => "${ExecutionRoleArn}",
            RequestPrincipal::Service(name) => name,
        }
    }

    /// The account of the principal, for `Principal` matching.
    pub fn principal_account(&self) -> Option<&str> {
        match &self.principal {
            RequestPrincipal::Role { account, .. } => Some(account),
            RequestPrincipal::Service(_) => None,
        }
    }
}
