//! Findings, their severities and the catalogue of check codes.

use std::ops::Range;

use crate::severity::Severity;

/// One problem the linter found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub(crate) code: &'static str,
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) pointer: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) span: Range<usize>,
}

impl Finding {
    /// The check's code: Access Analyzer's issue code, or one of this
    /// project's codes for checks Access Analyzer lacks (see [`Check::OWN`]).
    pub fn code(&self) -> &'static str {
        self.code
    }
    /// The severity.
    pub fn severity(&self) -> Severity {
        self.severity
    }
    /// What is wrong (lowercase, names in backticks, no trailing period).
    pub fn message(&self) -> &str {
        &self.message
    }
    /// RFC 6901 pointer to the offending value (or to the member whose key
    /// is at fault); empty for the whole document.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }
    /// 1-based line of [`Finding::span`]'s start.
    pub fn line(&self) -> usize {
        self.line
    }
    /// 1-based column (in characters) of [`Finding::span`]'s start.
    pub fn column(&self) -> usize {
        self.column
    }
    /// Byte range in the source that the finding is about.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

/// A check: its code and severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Check {
    pub(crate) code: &'static str,
    pub(crate) severity: Severity,
}

impl Check {
    /// The code.
    pub fn code(self) -> &'static str {
        self.code
    }
    /// The severity of its findings.
    pub fn severity(self) -> Severity {
        self.severity
    }
}

macro_rules! checks {
    ($($(#[doc = $doc:literal])* $name:ident = $severity:ident;)*) => {
        impl Check {
            $($(#[doc = $doc])* pub const $name: Check = Check { code: stringify!($name), severity: Severity::$severity };)*
            /// Every check the linter runs.
            pub const ALL: &'static [Check] = &[$(Check::$name),*];

            /// What the check finds: its documentation above, on one line
            /// (the SARIF output's rule descriptions).
            pub fn summary(self) -> &'static str {
                match self.code {
                    $(stringify!($name) => concat!($($doc),*).trim_ascii(),)*
                    _ => "",
                }
            }
        }
    };
}

checks! {
    /// The document is not valid JSON.
    JSON_SYNTAX_ERROR = Error;
    /// A value has the wrong JSON type.
    DATA_TYPE_MISMATCH = Error;
    /// A condition block names a key twice with different capitalization.
    DUPLICATE_KEYS_WITH_DIFFERENT_CASE = Error;
    /// An action string that cannot name an action (not `service:Name`, or
    /// characters no action or service prefix has).
    INVALID_ACTION = Error;
    /// A service prefix (in an ARN or a condition key) with characters no
    /// service prefix has.
    INVALID_SERVICE = Error;
    /// An action's service prefix has characters no service prefix has.
    INVALID_SERVICE_IN_ACTION = Error;
    /// An ARN's account is neither a 12-digit id nor `aws`.
    INVALID_ARN_ACCOUNT = Error;
    /// An ARN without the account its service's resource types all have.
    MISSING_ARN_ACCOUNT = Error;
    /// A resource does not start with `arn:`.
    INVALID_ARN_PREFIX = Error;
    /// An ARN's region is not a region of its partition.
    INVALID_ARN_REGION = Error;
    /// An ARN's resource part fits none of the service's resource types.
    INVALID_ARN_RESOURCE = Error;
    /// An ARN's service is not lowercase.
    INVALID_ARN_SERVICE_CASE = Error;
    /// An ARN has fewer than 6 fields.
    MISSING_ARN_FIELD = Error;
    /// An ARN lacks a region its service requires.
    MISSING_ARN_REGION = Error;
    /// An ARN has an account its service does not use.
    ARN_ACCOUNT_NOT_ALLOWED = Error;
    /// An ARN has a region its service does not use.
    ARN_REGION_NOT_ALLOWED = Error;
    /// An ARN's partition does not exist.
    INVALID_PARTITION = Error;
    /// A condition key's values mix JSON types.
    INVALID_CONDITION_DATA_TYPE = Error;
    /// A condition key is not `service:name`.
    INVALID_CONDITION_KEY_FORMAT = Error;
    /// `Bool` or `Null` with several values.
    INVALID_CONDITION_MULTIPLE_BOOLEAN = Error;
    /// A condition operator that does not exist.
    INVALID_CONDITION_OPERATOR = Error;
    /// A KMS-key condition key (`secretsmanager:KmsKeyArn`) whose value is not a key ARN.
    INVALID_KMS_KEY_VALUE = Error;
    /// Actions of the statement do not support a condition key.
    UNSUPPORTED_ACTION_FOR_CONDITION_KEY = Error;
    /// A multivalued key without `ForAllValues`/`ForAnyValue`.
    MISSING_QUALIFIER = Error;
    /// `NullIfExists`.
    NULL_WITH_IF_EXISTS = Error;
    /// `Effect` other than `Allow`/`Deny`.
    INVALID_EFFECT = Error;
    /// An element name that IAM does not know.
    INVALID_POLICY_ELEMENT = Error;
    /// `Principal` is neither `"*"` nor an object.
    INVALID_PRINCIPAL_FORMAT = Error;
    /// A principal key other than `AWS`, `Federated`, `Service`, `CanonicalUser`.
    INVALID_PRINCIPAL_KEY = Error;
    /// A service principal not of the form `NAME.amazonaws.com`.
    INVALID_SERVICE_PRINCIPAL_FORMAT = Error;
    /// A wildcard inside a principal value.
    UNSUPPORTED_WILDCARD_IN_PRINCIPAL = Error;
    /// `Version` other than `2012-10-17`/`2008-10-17`.
    INVALID_VERSION = Error;
    /// A statement without `Action`/`NotAction`.
    MISSING_ACTION = Error;
    /// A statement without `Effect`.
    MISSING_EFFECT = Error;
    /// A resource-policy statement without `Principal`/`NotPrincipal`.
    MISSING_PRINCIPAL = Error;
    /// A statement without `Resource`/`NotResource`.
    MISSING_RESOURCE = Error;
    /// A policy without statements.
    MISSING_STATEMENT = Error;
    /// Two elements that exclude each other (`Action` and `NotAction`, ...).
    UNSUPPORTED_ELEMENT_COMBINATION = Error;
    /// `Principal` in an identity policy.
    UNSUPPORTED_PRINCIPAL = Error;
    /// A `Sid` with characters the policy type does not allow.
    UNSUPPORTED_SID = Error;
    /// A repeated `Sid` where the policy type requires unique ones.
    UNIQUE_SIDS_REQUIRED = Error;
    /// A policy variable with an operator other than String or ARN ones.
    INVALID_VARIABLE_FOR_OPERATOR = Error;
    /// `${` without `}`.
    MISSING_BRACE_IN_VARIABLE = Error;
    /// `${}`.
    EMPTY_VARIABLE = Error;
    /// A policy variable outside `Resource`, `NotResource` and `Condition`.
    VARIABLE_UNSUPPORTED_IN_ELEMENT = Error;
    /// A policy variable in a policy without `"Version": "2012-10-17"`.
    VARIABLE_UNSUPPORTED_IN_VERSION = Error;
    /// A wildcard in an `aws:userid` value other than after the colon or
    /// alone before it.
    WILDCARD_USAGE_TOO_PERMISSIVE = Error;
    /// A policy variable in an `aws:userid` value other than after the colon
    /// or alone before it.
    VARIABLE_USAGE_TOO_PERMISSIVE = Error;
    /// No `Version`.
    MISSING_VERSION = Warning;
    /// A repeated `Sid` in a resource policy.
    UNIQUE_SIDS_RECOMMENDED = Warning;
    /// `*`/`?` in a value of an operator that compares literally.
    WILDCARD_WITHOUT_LIKE_OPERATOR = Warning;
    /// An operator of the wrong type for its key.
    TYPE_MISMATCH = Warning;
    /// A value that is not `true`/`false` for a Boolean operator.
    TYPE_MISMATCH_BOOLEAN = Warning;
    /// A value that is not a date for a Date operator.
    TYPE_MISMATCH_DATE = Warning;
    /// A value that is not an IP address or CIDR range for an IP operator.
    TYPE_MISMATCH_IP_RANGE = Warning;
    /// A value that is not a number for a Numeric operator.
    TYPE_MISMATCH_NUMBER = Warning;
    /// A value that is not base64 for `BinaryEquals`.
    TYPE_MISMATCH_STRING = Warning;
    /// `aws:ARN`.
    DEPRECATED_GLOBAL_CONDITION_KEY = Warning;
    /// An identity policy above the managed-policy size quota.
    POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA = Warning;
    /// A resource policy above Lambda's function-policy size quota.
    POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA = Warning;
    /// `iam:CreateServiceLinkedRole` on `"*"` without `iam:AWSServiceName`.
    CREATE_SLR_WITH_STAR_IN_RESOURCE = Warning;
    /// An action wildcard covering `iam:CreateServiceLinkedRole`, on `"*"`,
    /// without `iam:AWSServiceName`.
    CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE = Warning;
    /// `Allow` with `NotPrincipal`.
    ALLOW_WITH_NOTPRINCIPAL = SecurityWarning;
    /// `ForAllValues` with a single-valued key.
    FORALLVALUES_WITH_SINGLE_VALUED_KEY = SecurityWarning;
    /// `iam:PassRole` with `NotResource`.
    PASS_ROLE_WITH_NOTRESOURCE = SecurityWarning;
    /// An action wildcard covering `iam:PassRole`, with `NotResource`.
    PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOTRESOURCE = SecurityWarning;
    /// `NotAction` (not excluding `iam:PassRole`) with `NotResource`.
    PASS_ROLE_WITH_NOTACTION_AND_NOTRESOURCE = SecurityWarning;
    /// `iam:PassRole` on `"*"`.
    PASS_ROLE_WITH_STAR_IN_RESOURCE = SecurityWarning;
    /// An action wildcard covering `iam:PassRole`, on `"*"`.
    PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE = SecurityWarning;
    /// `NotAction` (not excluding `iam:PassRole`) on `"*"`.
    PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOTACTION = SecurityWarning;
    /// A service principal allowed without `aws:SourceArn`/`aws:SourceAccount`.
    RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL = SecurityWarning;
    /// `StringLike`/`StringNotLike` on an ARN-typed condition key.
    STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS = SecurityWarning;
    /// `"Action": []`.
    EMPTY_ARRAY_ACTION = Suggestion;
    /// A condition key with `[]`.
    EMPTY_ARRAY_CONDITION = Suggestion;
    /// A principal key with `[]`.
    EMPTY_ARRAY_PRINCIPAL = Suggestion;
    /// `"Resource": []`.
    EMPTY_ARRAY_RESOURCE = Suggestion;
    /// `"Condition": {}` or an operator with `{}`.
    EMPTY_OBJECT_CONDITION = Suggestion;
    /// `"Principal": {}`.
    EMPTY_OBJECT_PRINCIPAL = Suggestion;
    /// `"Sid": ""`.
    EMPTY_SID_VALUE = Suggestion;
    /// An action another action of the statement already covers.
    REDUNDANT_ACTION = Suggestion;
    /// A resource another resource of the statement already covers.
    REDUNDANT_RESOURCE = Suggestion;
    /// A statement identical to an earlier one (`Sid` aside).
    REDUNDANT_STATEMENT = Suggestion;
    /// `*`/`?` in an action's service prefix.
    WILDCARD_IN_SERVICE_NAME = Suggestion;
    /// `Null` with `ForAllValues`/`ForAnyValue`.
    NULL_WITH_QUALIFIER = Suggestion;
    /// (rotation-policy) A service-request-only key (`aws:SourceAccount`,
    /// `aws:SourceArn`, ...) required in an identity policy's Allow statement.
    SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY = Error;
    /// (rotation-policy) A KMS alias ARN as the resource of key-only actions.
    KMS_ALIAS_AS_KEY_RESOURCE = Error;
    /// (rotation-policy) A secret ARN without the 6-character suffix or `-??????`.
    SECRET_ARN_WITHOUT_SUFFIX = Error;
    /// (rotation-policy) A resource ARN whose type none of the statement's
    /// actions use, by the Service Authorization Reference's tables (a
    /// warning: AWS's own deployed policies break this rule).
    RESOURCE_TYPE_MISMATCH = Warning;
    /// (rotation-policy) A Lambda resource policy that lets any principal invoke.
    LAMBDA_INVOKE_OPEN_TO_ANY_PRINCIPAL = SecurityWarning;
    /// (rotation-policy) An object key that appears twice.
    DUPLICATE_JSON_KEY = Error;
    /// (rotation-policy) A character outside what IAM accepts (TAB, LF, CR, U+0020–U+00FF).
    UNSUPPORTED_CHARACTER = Error;
    /// (rotation-policy) A `${Name}` template placeholder (CloudFormation `Fn::Sub`) left in.
    UNRESOLVED_TEMPLATE_PLACEHOLDER = Warning;
    /// (rotation-policy) An action that supports no resource type, in a statement
    /// whose `Resource` has no `"*"`, by the Service Authorization Reference's
    /// tables (a warning: AWS's own deployed policies break this rule).
    ACTION_NEEDS_STAR_RESOURCE = Warning;
    /// (rotation-policy) An action, or its service, that the catalog does not
    /// list: misspelled, or newer than the catalog ([`crate::catalog::DATE`]).
    ACTION_NOT_IN_CATALOG = Warning;
    /// (rotation-policy) A service prefix in an ARN or condition key that the
    /// catalog does not list: misspelled, or newer than the catalog.
    SERVICE_NOT_IN_CATALOG = Warning;
    /// (rotation-policy) A condition key that the catalog (or the global-key
    /// list) does not list: misspelled, or newer than the catalog.
    CONDITION_KEY_NOT_IN_CATALOG = Warning;
}

impl Check {
    /// The checks that are this project's own (Access Analyzer has no such code).
    pub const OWN: &'static [Check] = &[
        Check::SERVICE_REQUEST_KEY_IN_IDENTITY_POLICY,
        Check::KMS_ALIAS_AS_KEY_RESOURCE,
        Check::SECRET_ARN_WITHOUT_SUFFIX,
        Check::RESOURCE_TYPE_MISMATCH,
        Check::LAMBDA_INVOKE_OPEN_TO_ANY_PRINCIPAL,
        Check::DUPLICATE_JSON_KEY,
        Check::UNSUPPORTED_CHARACTER,
        Check::UNRESOLVED_TEMPLATE_PLACEHOLDER,
        Check::ACTION_NEEDS_STAR_RESOURCE,
        Check::ACTION_NOT_IN_CATALOG,
        Check::SERVICE_NOT_IN_CATALOG,
        Check::CONDITION_KEY_NOT_IN_CATALOG,
    ];

    /// The check with this code.
    pub fn by_code(code: &str) -> Option<Check> {
        Check::ALL.iter().copied().find(|c| c.code == code)
    }
}
