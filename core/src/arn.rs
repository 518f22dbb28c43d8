//! Amazon Resource Names, account ids and the typed ARNs rotation needs.
//!
//! An ARN is `arn:partition:service:region:account-id:resource`
//! (IAM User Guide, "Amazon Resource Names"). Every parser here reports the
//! byte range inside the input that is wrong, so a caller can point into the
//! original text (a macro literal, a CLI flag, a JSON string).

use std::fmt;
use std::ops::Range;

/// An AWS partition: a group of Regions with its own ARN prefix.
///
/// The region patterns and DNS suffixes follow botocore's `endpoints.json`
/// partition table, as summarised in the project's reference facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Partition {
    /// `aws`: the commercial Regions.
    Aws,
    /// `aws-cn`: the China Regions.
    AwsCn,
    /// `aws-us-gov`: AWS GovCloud (US).
    AwsUsGov,
    /// `aws-iso`: US ISO East/West.
    AwsIso,
    /// `aws-iso-b`: US ISOB.
    AwsIsoB,
    /// `aws-iso-e`: EU ISOE.
    AwsIsoE,
    /// `aws-iso-f`: US ISOF.
    AwsIsoF,
    /// `aws-eusc`: AWS European Sovereign Cloud.
    AwsEusc,
}

impl Partition {
    /// Every partition, in the order of the reference table.
    pub const ALL: [Partition; 8] = [
        Partition::Aws,
        Partition::AwsCn,
        Partition::AwsUsGov,
        Partition::AwsIso,
        Partition::AwsIsoB,
        Partition::AwsIsoE,
        Partition::AwsIsoF,
        Partition::AwsEusc,
    ];

    /// The partition's name as it appears in an ARN.
    pub fn as_str(self) -> &'static str {
        match self {
            Partition::Aws => "aws",
            Partition::AwsCn => "aws-cn",
            Partition::AwsUsGov => "aws-us-gov",
            Partition::AwsIso => "aws-iso",
            Partition::AwsIsoB => "aws-iso-b",
            Partition::AwsIsoE => "aws-iso-e",
            Partition::AwsIsoF => "aws-iso-f",
            Partition::AwsEusc => "aws-eusc",
        }
    }

    /// Looks a partition up by its ARN name (case-sensitive, as AWS is).
    pub fn from_name(name: &str) -> Option<Partition> {
        Some(match name {
            "aws" => Partition::Aws,
            "aws-cn" => Partition::AwsCn,
            "aws-us-gov" => Partition::AwsUsGov,
            "aws-iso" => Partition::AwsIso,
            "aws-iso-b" => Partition::AwsIsoB,
            "aws-iso-e" => Partition::AwsIsoE,
            "aws-iso-f" => Partition::AwsIsoF,
            "aws-eusc" => Partition::AwsEusc,
            _ => return None,
        })
    }

    /// The DNS suffix of the partition's endpoints.
    pub fn dns_suffix(self) -> &'static str {
        match self {
            Partition::Aws | Partition::AwsUsGov => "amazonaws.com",
            Partition::AwsCn => "amazonaws.com.cn",
            Partition::AwsIso => "c2s.ic.gov",
            Partition::AwsIsoB => "sc2s.sgov.gov",
            Partition::AwsIsoE => "cloud.adc-e.uk",
            Partition::AwsIsoF => "csp.hci.ic.gov",
            Partition::AwsEusc => "amazonaws.eu",
        }
    }

    /// The fixed leading labels of the partition's region names, and the
    /// allowed first labels for `aws` (`us-east-1`, `eu-west-3`, ...).
    fn region_prefixes(self) -> &'static [&'static str] {
        match self {
            Partition::Aws => &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
            Partition::AwsCn => &["cn"],
            Partition::AwsUsGov => &["us-gov"],
            Partition::AwsIso => &["us-iso"],
            Partition::AwsIsoB => &["us-isob"],
            Partition::AwsIsoE => &["eu-isoe"],
            Partition::AwsIsoF => &["us-isof"],
            Partition::AwsEusc => &["eusc-de"],
        }
    }

    /// Whether `region` is a region name of this partition:
    /// `PREFIX-\w+-\d+` with the partition's prefix.
    pub fn has_region(self, region: &str) -> bool {
        // `\w+-\d+` after the prefix and its `-`: split at the last `-`.
        let Some((head, number)) = region.rsplit_once('-') else {
            return false;
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        self.region_prefixes().iter().any(|prefix| {
            head.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|area| {
                    !area.is_empty() && area.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                })
        })
    }

    /// The partition whose region pattern `region` matches, if any.
    pub fn of_region(region: &str) -> Option<Partition> {
        Partition::ALL.into_iter().find(|p| p.has_region(region))
    }

    /// Parses a partition name, as [`Partition::from_name`] with an error
    /// that lists the partitions.
    pub fn parse(name: &str) -> Result<Partition, ArnError> {
        Partition::from_name(name).ok_or_else(|| {
            ArnError::new(
                ArnErrorKind::UnknownPartition,
                0..name.len(),
                format!(
                    "unknown partition `{name}`, expected one of {}",
                    Partition::ALL.map(|p| format!("`{p}`")).join(", ")
                ),
            )
        })
    }

    /// Parses a region name of any partition, returning its partition.
    pub fn parse_region(region: &str) -> Result<Partition, ArnError> {
        Partition::of_region(region).ok_or_else(|| {
            ArnError::new(
                ArnErrorKind::InvalidRegion,
                0..region.len(),
                format!("`{region}` is not a region of any AWS partition"),
            )
        })
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with an ARN or account id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArnErrorKind {
    /// The text does not start with `arn:`.
    MissingPrefix,
    /// Fewer than the six colon-separated fields.
    MissingField,
    /// The partition is not one of the eight AWS partitions.
    UnknownPartition,
    /// The service field is not lowercase.
    ServiceCase,
    /// The service is not the one this value needs.
    WrongService,
    /// The region field is empty where the service needs one.
    MissingRegion,
    /// The region is not a region of the ARN's partition.
    InvalidRegion,
    /// The account field is not 12 digits.
    InvalidAccount,
    /// The resource type is not the one this value needs.
    WrongResourceType,
    /// The resource name has characters or a length AWS does not allow.
    InvalidResourceName,
    /// A KMS alias ARN where a key ARN is needed.
    KmsAliasNotKey,
    /// A KMS key id that is neither a UUID nor a multi-Region `mrk-` id.
    InvalidKeyId,
    /// A Lambda qualifier that is neither a version nor an alias.
    InvalidQualifier,
}

/// A rejected ARN or account id: what is wrong, where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArnError {
    kind: ArnErrorKind,
    range: Range<usize>,
    message: String,
}

impl ArnError {
    fn new(kind: ArnErrorKind, range: Range<usize>, message: impl Into<String>) -> Self {
        ArnError {
            kind,
            range,
            message: message.into(),
        }
    }
    /// The kind of problem.
    pub fn kind(&self) -> ArnErrorKind {
        self.kind
    }
    /// Byte range of the offending part inside the parsed text.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }
    /// What is wrong, in the project's message style.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ArnError {}

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountId(String);

impl AccountId {
    /// Parses an account id: exactly 12 ASCII digits (IAM User Guide,
    /// "Your AWS account ID"). Leading zeros are significant.
    pub fn parse(text: &str) -> Result<AccountId, ArnError> {
        check_account(text, 0..text.len())?;
        Ok(AccountId(text.to_owned()))
    }

    /// The account id's digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The account id's digits, without a copy.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_account(text: &str, range: Range<usize>) -> Result<(), ArnError> {
    if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let what = if text.is_empty() {
        "is empty".to_owned()
    } else if text.bytes().all(|b| b.is_ascii_digit()) {
        format!("has {} digits", text.len())
    } else {
        "has a character that is not a digit".to_owned()
    };
    Err(ArnError::new(
        ArnErrorKind::InvalidAccount,
        range,
        format!("account id `{text}` {what}, expected exactly 12 digits"),
    ))
}

/// A syntactically valid ARN: six fields, a known partition, a lowercase
/// service and, when present, a region of that partition and a 12-digit
/// account. Owns its text; the fields are slices of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    text: String,
    partition: Partition,
    service: Range<usize>,
    region: Range<usize>,
    account: Range<usize>,
    resource: Range<usize>,
}

impl Arn {
    /// Parses an ARN. Region and account may be empty (as for IAM or S3
    /// ARNs); a non-empty region must belong to the partition and a
    /// non-empty account must be 12 digits.
    pub fn parse(text: &str) -> Result<Arn, ArnError> {
        if !text.starts_with("arn:") {
            let end = text.find(':').unwrap_or(text.len());
            return Err(ArnError::new(
                ArnErrorKind::MissingPrefix,
                0..end,
                format!("`{text}` is not an ARN: expected it to start with `arn:`"),
            ));
        }
        // Split into the five fields after `arn:`; the resource keeps its colons.
        let mut bounds = [0usize; 6];
        let mut field = 1;
        bounds[0] = 4;
        // Indexed loops here and below: the macro runs this at opt-level 0
        // in a dev build, where iterator adapters cost a call per byte.
        let bytes = text.as_bytes();
        let mut i = 4;
        while i < bytes.len() && field < 5 {
            if bytes[i] == b':' {
                bounds[field] = i + 1;
                field += 1;
            }
            i += 1;
        }
        if field < 5 {
            return Err(ArnError::new(
                ArnErrorKind::MissingField,
                0..text.len(),
                format!(
                    "ARN `{text}` has {} of its 6 fields, expected `arn:partition:service:region:account-id:resource`",
                    field + 1
                ),
            ));
        }
        bounds[5] = text.len() + 1;
        let range = |i: usize| bounds[i]..bounds[i + 1] - 1;
        let (partition_r, service, region, account) = (range(0), range(1), range(2), range(3));
        let resource = bounds[4]..text.len();

        let partition_text = &text[partition_r.clone()];
        let partition = Partition::from_name(partition_text).ok_or_else(|| {
            ArnError::new(
                ArnErrorKind::UnknownPartition,
                partition_r.clone(),
                format!(
                    "unknown partition `{partition_text}`, expected one of {}",
                    Partition::ALL.map(|p| format!("`{p}`")).join(", ")
                ),
            )
        })?;
        let service_text = &text[service.clone()];
        if service_text.is_empty() {
            return Err(ArnError::new(
                ArnErrorKind::MissingField,
                service,
                "ARN has an empty service field",
            ));
        }
        if service_text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ArnError::new(
                ArnErrorKind::ServiceCase,
                service,
                format!(
                    "service `{service_text}` in an ARN must be lowercase: `{}`",
                    service_text.to_ascii_lowercase()
                ),
            ));
        }
        let region_text = &text[region.clone()];
        if !region_text.is_empty() && !partition.has_region(region_text) {
            let hint = match Partition::of_region(region_text) {
                Some(other) => format!(": it is a region of partition `{other}`, not `{partition}`"),
                None => format!(", expected a region of partition `{partition}`"),
            };
            return Err(ArnError::new(
                ArnErrorKind::InvalidRegion,
                region,
                format!("`{region_text}` is not a valid region{hint}"),
            ));
        }
        let account_text = &text[account.clone()];
        if !account_text.is_empty() {
            check_account(account_text, account.clone())?;
        }
        if resource.is_empty() {
            return Err(ArnError::new(
                ArnErrorKind::MissingField,
                resource,
                "ARN has an empty resource field",
            ));
        }
        Ok(Arn {
            text: text.to_owned(),
            partition,
            service,
            region,
            account,
            resource,
        })
    }

    /// The whole ARN.
    pub fn as_str(&self) -> &str {
        &self.text
    }
    /// The whole ARN, without a copy.
    pub fn into_string(self) -> String {
        self.text
    }
    /// The partition.
    pub fn partition(&self) -> Partition {
        self.partition
    }
    /// The service namespace, e.g. `secretsmanager`.
    pub fn service(&self) -> &str {
        &self.text[self.service.clone()]
    }
    /// The region; empty for global resources.
    pub fn region(&self) -> &str {
        &self.text[self.region.clone()]
    }
    /// The account id; empty where the service omits it.
    pub fn account(&self) -> &str {
        &self.text[self.account.clone()]
    }
    /// The resource part (after the fifth colon).
    pub fn resource(&self) -> &str {
        &self.text[self.resource.clone()]
    }
    /// Byte range of the account field in [`Arn::as_str`].
    pub fn account_range(&self) -> Range<usize> {
        self.account.clone()
    }
    /// Byte range of the partition field in [`Arn::as_str`].
    pub fn partition_range(&self) -> Range<usize> {
        4..4 + self.partition.as_str().len()
    }
    /// Byte range of the resource field in [`Arn::as_str`].
    pub fn resource_range(&self) -> Range<usize> {
        self.resource.clone()
    }

    /// Requires this ARN to be of `service`, with a region and an account
    /// (every resource rotation touches is regional and account-scoped).
    fn expect_regional(&self, service: &str, what: &str) -> Result<(), ArnError> {
        if self.service() != service {
            return Err(ArnError::new(
                ArnErrorKind::WrongService,
                self.service.clone(),
                format!(
                    "expected {what} ARN of service `{service}`, found service `{}`",
                    self.service()
                ),
            ));
        }
        if self.region.is_empty() {
            return Err(ArnError::new(
                ArnErrorKind::MissingRegion,
                self.region.clone(),
                format!("{what} ARN needs a region"),
            ));
        }
        if self.account.is_empty() {
            return Err(ArnError::new(
                ArnErrorKind::InvalidAccount,
                self.account.clone(),
                format!("{what} ARN needs a 12-digit account id"),
            ));
        }
        Ok(())
    }

    /// The resource's type prefix (`secret`, `function`, `key`, `alias`)
    /// and the rest, split at the first `:` or `/`.
    fn resource_parts(&self) -> (&str, usize) {
        let resource = self.resource();
        let bytes = resource.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b':' || bytes[i] == b'/' {
                return (&resource[..i], self.resource.start + i + 1);
            }
            i += 1;
        }
        (resource, self.text.len())
    }

    fn wrong_type(&self, expected: &str, what: &str) -> ArnError {
        let (found, _) = self.resource_parts();
        ArnError::new(
            ArnErrorKind::WrongResourceType,
            self.resource.start..self.resource.start + found.len(),
            format!("expected {what} ARN with resource `{expected}`, found resource type `{found}`"),
        )
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// How the end of a secret ARN relates to the 6 random characters Secrets
/// Manager appends to every secret name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretSuffix {
    /// Ends in `-` and 6 alphanumeric characters: a complete ARN.
    Present,
    /// Ends in `-??????`: the documented wildcard form for "this name,
    /// any suffix".
    Wildcard,
    /// No suffix: a partial ARN. IAM compares it literally, so it matches no
    /// secret and calls fail with AccessDenied (aws-cdk#28308).
    Missing,
}

/// A Secrets Manager secret ARN:
/// `arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretArn {
    arn: Arn,
    suffix: SecretSuffix,
    /// Byte range of the `SERVICE` of a `SERVICE!name` secret name.
    managing_service: Option<Range<usize>>,
}

/// Whether `prefix` can be the service id before the `!` of a secret that
/// an AWS service created for itself: lowercase letters, digits and `-`,
/// starting with a letter. AWS's own policies show the forms: `rds!` and
/// `rds-preview-us-east-2!` (managed policies `AmazonRDSServiceRolePolicy`
/// and `AmazonRDSPreviewServiceRolePolicy`), `events!connection/...`
/// (EventBridge's service-linked role for API destinations).
fn is_service_id(prefix: &str) -> bool {
    let bytes = prefix.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

impl SecretArn {
    /// Parses a secret ARN. Names are 1–512 characters of
    /// `A-Za-z0-9/_+=.@-` (Secrets Manager API reference, `CreateSecret`:
    /// "The secret name can contain ASCII letters, numbers, and the following
    /// characters: /_+=.@-"), plus the suffix which may be the `??????`
    /// wildcard.
    ///
    /// One exception: a secret that an AWS service created for itself is
    /// named `SERVICE!name`, with the service's lowercase id before the `!`
    /// (Secrets Manager User Guide, "AWS Secrets Manager secrets managed by
    /// other AWS services": "These secrets are typically named with a service
    /// ID prefix that indicates which service created them"). RDS names the
    /// master user secrets it manages `rds!db-UUID` and `rds!cluster-UUID`
    /// (AWS CLI `list-secrets` example; `AmazonRDSServiceRolePolicy` grants
    /// RDS `arn:aws:secretsmanager:*:*:secret:rds!*`). A user cannot create
    /// such a name, since `!` is not in `CreateSecret`'s alphabet, so a `!`
    /// anywhere else is still an error.
    pub fn parse(text: &str) -> Result<SecretArn, ArnError> {
        let arn = Arn::parse(text)?;
        arn.expect_regional("secretsmanager", "a secret")?;
        let (kind, name_start) = arn.resource_parts();
        if kind != "secret" || arn.resource().as_bytes().get(kind.len()) != Some(&b':') {
            return Err(arn.wrong_type("secret:NAME", "a secret"));
        }
        let name = &text[name_start..];
        // `base` is the name the secret was created with, without the suffix.
        let (base, suffix) = match name.rsplit_once('-') {
            Some((base, "??????")) => (base, SecretSuffix::Wildcard),
            Some((base, tail)) if tail.len() == 6 && tail.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                (base, SecretSuffix::Present)
            }
            _ => (name, SecretSuffix::Missing),
        };
        // `SERVICE!rest`: the service id is checked here, the rest below
        // like any name (a second `!` is an error).
        let managing_service = base
            .split_once('!')
            .filter(|(service, rest)| is_service_id(service) && !rest.is_empty())
            .map(|(service, _)| name_start..name_start + service.len());
        let mut bad = None;
        let base_bytes = base.as_bytes();
        let mut i = managing_service.as_ref().map_or(0, |r| r.len() + 1);
        while i < base_bytes.len() {
            let b = base_bytes[i];
            if !matches!(b, b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'/' | b'_' | b'+' | b'=' | b'.' | b'@' | b'-')
            {
                bad = base[i..].chars().next().map(|c| (i, c));
                break;
            }
            i += 1;
        }
        if let Some((i, c)) = bad {
            let at = name_start + i;
            let tail = if c == '!' {
                " (a `!` follows only the lowercase service id of a secret an AWS service manages, as in `rds!db-...`)"
            } else {
                ""
            };
            return Err(ArnError::new(
                ArnErrorKind::InvalidResourceName,
                at..at + c.len_utf8(),
                format!("secret name has `{c}`, expected only letters, digits and `/_+=.@-`{tail}"),
            ));
        }
        if base.is_empty() || base.len() > 512 {
            return Err(ArnError::new(
                ArnErrorKind::InvalidResourceName,
                name_start..text.len(),
                "secret name must be 1 to 512 characters",
            ));
        }
        Ok(SecretArn {
            arn,
            suffix,
            managing_service,
        })
    }

    /// The underlying ARN.
    pub fn arn(&self) -> &Arn {
        &self.arn
    }
    /// The whole ARN text.
    pub fn as_str(&self) -> &str {
        self.arn.as_str()
    }
    /// The whole ARN text, without a copy.
    pub fn into_string(self) -> String {
        self.arn.into_string()
    }
    /// Whether the ARN carries the 6-character suffix.
    pub fn suffix(&self) -> SecretSuffix {
        self.suffix
    }
    /// The id of the AWS service that created the secret for itself, from
    /// the `SERVICE!` prefix of its name (`rds` for `rds!db-...`).
    pub fn managing_service(&self) -> Option<&str> {
        self.managing_service.clone().map(|r| &self.arn.as_str()[r])
    }
    /// The secret's name after the `SERVICE!` prefix, if the name has one
    /// (`db-UUID-AbCdEf` for `rds!db-UUID-AbCdEf`), with its suffix.
    pub fn managed_name(&self) -> Option<&str> {
        self.managing_service
            .as_ref()
            .map(|r| &self.arn.as_str()[r.end + 1..])
    }
    /// Whether RDS manages the secret: the master user secret of a DB
    /// instance (`rds!db-...`) or cluster (`rds!cluster-...`).
    pub fn is_rds_managed(&self) -> bool {
        self.managing_service() == Some("rds")
    }
}

/// A Lambda function ARN, optionally qualified with a version or alias:
/// `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FunctionArn {
    arn: Arn,
    qualifier: Option<Range<usize>>,
}

impl FunctionArn {
    /// Parses a function ARN. Names are 1–64 of `A-Za-z0-9-_`; a qualifier
    /// is `$LATEST`, a version number or an alias of 1–128 of `A-Za-z0-9-_`
    /// (Lambda API reference, `Invoke` and `CreateAlias`).
    pub fn parse(text: &str) -> Result<FunctionArn, ArnError> {
        let arn = Arn::parse(text)?;
        arn.expect_regional("lambda", "a Lambda function")?;
        let (kind, name_start) = arn.resource_parts();
        if kind != "function" || arn.resource().as_bytes().get(kind.len()) != Some(&b':') {
            return Err(arn.wrong_type("function:NAME", "a Lambda function"));
        }
        let rest = &text[name_start..];
        let (name, qualifier) = match rest.split_once(':') {
            Some((name, qualifier)) => (name, Some(qualifier)),
            None => (rest, None),
        };
        let is_word = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        if name.is_empty() || name.len() > 64 || !is_word(name) {
            return Err(ArnError::new(
                ArnErrorKind::InvalidResourceName,
                name_start..name_start + name.len(),
                format!("function name `{name}` must be 1 to 64 letters, digits, `-` or `_`"),
            ));
        }
        let qualifier = match qualifier {
            None => None,
            Some(q) => {
                let start = name_start + name.len() + 1;
                if !(q == "$LATEST" || (!q.is_empty() && q.len() <= 128 && is_word(q))) {
                    return Err(ArnError::new(
                        ArnErrorKind::InvalidQualifier,
                        start..text.len(),
                        format!(
                            "function qualifier `{q}` is neither `$LATEST`, a version number nor an alias name"
                        ),
                    ));
                }
                Some(start..text.len())
            }
        };
        Ok(FunctionArn { arn, qualifier })
    }

    /// The underlying ARN.
    pub fn arn(&self) -> &Arn {
        &self.arn
    }
    /// The whole ARN text.
    pub fn as_str(&self) -> &str {
        self.arn.as_str()
    }
    /// The whole ARN text, without a copy.
    pub fn into_string(self) -> String {
        self.arn.into_string()
    }
    /// The version or alias, if the ARN is qualified.
    pub fn qualifier(&self) -> Option<&str> {
        self.qualifier.clone().map(|r| &self.arn.as_str()[r])
    }
}

/// A KMS key ARN: `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KmsKeyArn(Arn);

impl KmsKeyArn {
    /// Parses a key ARN. The key id is a UUID or a multi-Region key id
    /// (`mrk-` and 32 hex digits).
    ///
    /// An alias ARN is rejected: `kms:Decrypt`, `kms:GenerateDataKey` and
    /// `kms:DescribeKey` are authorized against the key's ARN, so an alias
    /// ARN in a policy's `Resource` grants nothing for them (KMS Developer
    /// Guide, "Using aliases to control access to KMS keys").
    pub fn parse(text: &str) -> Result<KmsKeyArn, ArnError> {
        let arn = Arn::parse(text)?;
        arn.expect_regional("kms", "a KMS key")?;
        let (kind, id_start) = arn.resource_parts();
        let separator = arn.resource().as_bytes().get(kind.len());
        if kind == "alias" {
            return Err(ArnError::new(
                ArnErrorKind::KmsAliasNotKey,
                arn.resource_range(),
                "a KMS alias ARN grants nothing in a policy: kms:Decrypt, kms:GenerateDataKey and kms:DescribeKey are authorized against the key ARN, expected `key/KEY-ID`",
            ));
        }
        if kind != "key" || separator != Some(&b'/') {
            return Err(arn.wrong_type("key/KEY-ID", "a KMS key"));
        }
        let id = &text[id_start..];
        if !(is_uuid(id) || is_multi_region_key_id(id)) {
            return Err(ArnError::new(
                ArnErrorKind::InvalidKeyId,
                id_start..text.len(),
                format!("KMS key id `{id}` is neither a UUID nor `mrk-` followed by 32 hex digits"),
            ));
        }
        Ok(KmsKeyArn(arn))
    }

    /// The underlying ARN.
    pub fn arn(&self) -> &Arn {
        &self.0
    }
    /// The whole ARN text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
    /// The whole ARN text, without a copy.
    pub fn into_string(self) -> String {
        self.0.into_string()
    }
}

/// An IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` (IAM User
/// Guide, "IAM identifiers": IAM ARNs have no region).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleArn(Arn);

impl RoleArn {
    /// Parses a role ARN: an ARN of service `iam` whose resource is
    /// `role/...`.
    pub fn parse(text: &str) -> Result<RoleArn, ArnError> {
        let arn = Arn::parse(text)?;
        if arn.service() != "iam" {
            return Err(ArnError::new(
                ArnErrorKind::WrongService,
                arn.service.clone(),
                format!(
                    "expected an IAM role ARN of service `iam`, found service `{}`",
                    arn.service()
                ),
            ));
        }
        match arn.resource().strip_prefix("role/") {
            Some(name) if !name.is_empty() => Ok(RoleArn(arn)),
            _ => Err(arn.wrong_type("role/NAME", "an IAM role")),
        }
    }

    /// The whole ARN text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_multi_region_key_id(id: &str) -> bool {
    id.strip_prefix("mrk-")
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_8_4_4_4_12_hex_digits() {
        assert!(is_uuid("1234abcd-12ab-34cd-56ef-1234567890ab"));
        assert!(is_uuid("1234ABCD-12AB-34CD-56EF-1234567890AB"));
        for id in [
            "1234abcd-12ab-34cd-56ef-1234567890a-",
            "1234abcd-12ab-34cd-56ef-123456789-ab",
            "1234abcd012ab-34cd-56ef-1234567890ab",
            "1234abcd-12ab-34cd-56ef-1234567890ag",
            "1234abcd-12ab-34cd-56ef-1234567890a",
            "1234abcd-12ab-34cd-56ef-1234567890abc",
            "-234abcd-12ab-34cd-56ef-1234567890ab",
            "",
        ] {
            assert!(!is_uuid(id), "{id}");
        }
    }

    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app-db-AbCdEf";
    const FUNCTION: &str = "arn:aws:lambda:us-east-1:111122223333:function:rotate-app-db";
    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn kind(result: Result<impl fmt::Debug, ArnError>) -> ArnErrorKind {
        result.expect_err("expected an error").kind
    }

    #[test]
    fn every_partition_accepts_its_own_regions_only() {
        let regions = [
            (Partition::Aws, "us-east-1"),
            (Partition::AwsCn, "cn-north-1"),
            (Partition::AwsUsGov, "us-gov-west-1"),
            (Partition::AwsIso, "us-iso-east-1"),
            (Partition::AwsIsoB, "us-isob-east-1"),
            (Partition::AwsIsoE, "eu-isoe-west-1"),
            (Partition::AwsIsoF, "us-isof-south-1"),
            (Partition::AwsEusc, "eusc-de-east-1"),
        ];
        for (partition, region) in regions {
            assert_eq!(Partition::of_region(region), Some(partition), "{region}");
            let secret = format!("arn:{partition}:secretsmanager:{region}:111122223333:secret:s-AbCdEf");
            assert!(SecretArn::parse(&secret).is_ok(), "{secret}");
            for (other, _) in regions.iter().filter(|(p, _)| *p != partition) {
                assert!(!other.has_region(region), "{other} accepted {region}");
            }
        }
    }

    #[test]
    fn malformed_region_names_belong_to_no_partition() {
        for region in [
            "",
            "us",
            "us-east",
            "us-east-",
            "us--1",
            "useast1",
            "us-east-1a",
            "us-east-x",
            "-east-1",
            "us-east_1",
            "us-ea st-1",
        ] {
            assert_eq!(Partition::of_region(region), None, "{region:?}");
        }
        assert!(Partition::Aws.has_region("us-east_x-1"), "the area is \\w+");
    }

    #[test]
    fn region_of_another_partition_is_invalid_region() {
        let err =
            SecretArn::parse("arn:aws:secretsmanager:cn-north-1:111122223333:secret:s-AbCdEf").unwrap_err();
        assert_eq!(err.kind, ArnErrorKind::InvalidRegion);
        assert_eq!(err.range, 23..33);
    }

    #[test]
    fn malformed_arns() {
        assert_eq!(kind(Arn::parse("arm:aws:s3:::b")), ArnErrorKind::MissingPrefix);
        assert_eq!(kind(Arn::parse("arn:aws:s3")), ArnErrorKind::MissingField);
        assert_eq!(kind(Arn::parse("arn:awz:s3:::b")), ArnErrorKind::UnknownPartition);
        assert_eq!(kind(Arn::parse("arn:aws:S3:::b")), ArnErrorKind::ServiceCase);
        assert_eq!(kind(Arn::parse("arn:aws:s3:::")), ArnErrorKind::MissingField);
        assert_eq!(
            kind(Arn::parse("arn:aws:sqs:us-east-1:12345:q")),
            ArnErrorKind::InvalidAccount
        );
        assert!(Arn::parse("arn:aws:s3:::bucket/key:with:colons").is_ok());
    }

    #[test]
    fn account_id_is_exactly_twelve_digits() {
        assert!(AccountId::parse("012345678901").is_ok());
        for bad in ["11112222333", "1111222233334", "11112222333a", ""] {
            assert_eq!(kind(AccountId::parse(bad)), ArnErrorKind::InvalidAccount, "{bad}");
        }
    }

    #[test]
    fn secret_suffix_forms() {
        assert_eq!(SecretArn::parse(SECRET).unwrap().suffix(), SecretSuffix::Present);
        let wildcard = SECRET.replace("AbCdEf", "??????");
        assert_eq!(
            SecretArn::parse(&wildcard).unwrap().suffix(),
            SecretSuffix::Wildcard
        );
        let partial = "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db";
        assert_eq!(SecretArn::parse(partial).unwrap().suffix(), SecretSuffix::Missing);
    }

    #[test]
    fn service_managed_secret_names_take_a_service_prefix() {
        let rds = "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr";
        let parsed = SecretArn::parse(rds).unwrap();
        assert_eq!(parsed.managing_service(), Some("rds"));
        assert!(parsed.is_rds_managed());
        assert_eq!(
            parsed.managed_name(),
            Some("db-8eb13df2-5d5d-467f-b28c-5c1cab606a06-bKUjnr")
        );
        assert_eq!(parsed.suffix(), SecretSuffix::Present);
        let cluster = "arn:aws:secretsmanager:us-west-2:123456789012:secret:rds!cluster-a1b2c3d4-5678-90ab-cdef-EXAMPLE11111-a1b2c3";
        assert!(SecretArn::parse(cluster).unwrap().is_rds_managed());
        let preview =
            "arn:aws:secretsmanager:us-east-2:111122223333:secret:rds-preview-us-east-2!db-x-AbCdEf";
        assert_eq!(
            SecretArn::parse(preview).unwrap().managing_service(),
            Some("rds-preview-us-east-2")
        );
        let events = "arn:aws:secretsmanager:us-east-1:111122223333:secret:events!connection/api/0c1f-AbCdEf";
        let events = SecretArn::parse(events).unwrap();
        assert_eq!(events.managing_service(), Some("events"));
        assert!(!events.is_rds_managed());
        assert_eq!(SecretArn::parse(SECRET).unwrap().managing_service(), None);
        // Every other `!` is still rejected, pointing at it (the name
        // starts at byte 53).
        for (name, at) in [
            ("RDS!db-1-AbCdEf", 56),
            ("!db-1-AbCdEf", 53),
            ("1rds!db-1-AbCdEf", 57),
            ("rds!db!x-AbCdEf", 59),
            ("app!-AbCdEf", 56),
            ("rds_x!db-AbCdEf", 58),
        ] {
            let arn = format!("arn:aws:secretsmanager:us-east-1:111122223333:secret:{name}");
            let err = SecretArn::parse(&arn).unwrap_err();
            assert_eq!(
                (err.kind, err.range()),
                (ArnErrorKind::InvalidResourceName, at..at + 1),
                "{name}"
            );
            assert!(err.message().contains("`rds!db-...`"), "{}", err.message());
        }
    }

    #[test]
    fn secret_arn_rejects_other_services_and_types() {
        assert_eq!(kind(SecretArn::parse(FUNCTION)), ArnErrorKind::WrongService);
        let err = SecretArn::parse("arn:aws:secretsmanager:us-east-1:111122223333:other:x").unwrap_err();
        assert_eq!((err.kind, err.range), (ArnErrorKind::WrongResourceType, 46..51));
        let err =
            SecretArn::parse("arn:aws:secretsmanager:us-east-1:111122223333:secret:a b-AbCdEf").unwrap_err();
        assert_eq!((err.kind, err.range), (ArnErrorKind::InvalidResourceName, 54..55));
        assert_eq!(
            kind(SecretArn::parse(
                "arn:aws:secretsmanager::111122223333:secret:s-AbCdEf"
            )),
            ArnErrorKind::MissingRegion
        );
    }

    #[test]
    fn function_arn_qualifiers() {
        assert_eq!(FunctionArn::parse(FUNCTION).unwrap().qualifier(), None);
        for q in ["$LATEST", "7", "live"] {
            let arn = format!("{FUNCTION}:{q}");
            assert_eq!(FunctionArn::parse(&arn).unwrap().qualifier(), Some(q));
        }
        assert_eq!(
            kind(FunctionArn::parse(&format!("{FUNCTION}:a.b"))),
            ArnErrorKind::InvalidQualifier
        );
        assert_eq!(
            kind(FunctionArn::parse(&format!("{FUNCTION}:"))),
            ArnErrorKind::InvalidQualifier
        );
        assert_eq!(kind(FunctionArn::parse(SECRET)), ArnErrorKind::WrongService);
        let long = format!(
            "arn:aws:lambda:us-east-1:111122223333:function:{}",
            "f".repeat(65)
        );
        assert_eq!(kind(FunctionArn::parse(&long)), ArnErrorKind::InvalidResourceName);
    }

    #[test]
    fn kms_key_not_alias() {
        assert!(KmsKeyArn::parse(KEY).is_ok());
        let mrk = "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab";
        assert!(KmsKeyArn::parse(mrk).is_ok());
        let alias = "arn:aws:kms:us-east-1:111122223333:alias/aws/secretsmanager";
        let err = KmsKeyArn::parse(alias).unwrap_err();
        assert_eq!(
            (err.kind, err.range),
            (ArnErrorKind::KmsAliasNotKey, 35..alias.len())
        );
        assert_eq!(
            kind(KmsKeyArn::parse("arn:aws:kms:us-east-1:111122223333:key/nope")),
            ArnErrorKind::InvalidKeyId
        );
    }

    #[test]
    fn role_arns_are_iam_roles() {
        assert!(RoleArn::parse("arn:aws:iam::111122223333:role/rotation").is_ok());
        assert!(RoleArn::parse("arn:aws:iam::111122223333:role/service-role/rotation").is_ok());
        let user = RoleArn::parse("arn:aws:iam::111122223333:user/x").unwrap_err();
        assert_eq!(user.kind(), ArnErrorKind::WrongResourceType);
        let lambda = RoleArn::parse(FUNCTION).unwrap_err();
        assert_eq!(lambda.kind(), ArnErrorKind::WrongService);
        assert_eq!(
            RoleArn::parse("arn:aws:iam::111122223333:role/")
                .unwrap_err()
                .kind(),
            ArnErrorKind::WrongResourceType
        );
    }
}
