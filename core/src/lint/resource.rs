//! `Resource` and `NotResource`: ARN syntax, partitions, regions, accounts,
//! resource types, and the rotation-specific ARN mistakes.

use std::borrow::Cow;
use std::collections::HashMap;

use super::reader::{JsonValue, NodeId};
use super::stmt::{list_names, Resolved, Stmt};
use super::{has_wildcard, variable, Check, Ctx, Target};
use crate::arn::Partition;
use crate::catalog::{ResourceType, Service};
use crate::policy::wildcard;

pub(super) fn check<'d>(ctx: &mut Ctx<'d, '_>, stmt: &mut Stmt<'d>) {
    let (id, element) = match (stmt.resource, stmt.not_resource) {
        (Some(id), _) => (id, "Resource"),
        (None, Some(id)) => (id, "NotResource"),
        (None, None) => return,
    };
    if matches!(&ctx.node(id).value, JsonValue::Array(r) if r.is_empty()) {
        ctx.emit(
            Check::EMPTY_ARRAY_RESOURCE,
            Target::Value(id),
            format!("`{element}` is an empty array: the statement has no effect"),
        );
        return;
    }
    let list = ctx.string_list(id, element);
    for &(node, text) in &list {
        let arn: Cow<'_, str> = if text.contains("${") {
            variable::scan(ctx, node, text, variable::Place::Supported);
            Cow::Owned(variable::as_wildcards(text))
        } else {
            Cow::Borrowed(text)
        };
        if arn == "*" {
            continue;
        }
        let Some(parts) = check_arn(ctx, node, &arn) else {
            continue;
        };
        if stmt.resource.is_some() {
            rotation_checks(ctx, stmt, node, &arn, &parts);
        }
    }
    redundant_resources(ctx, &list);
    if stmt.resource.is_some() {
        action_needs_star_resource(ctx, stmt, id, &list);
    }
    stmt.resources = list;
}

// An action that supports no resource type (the Service Authorization
// Reference lists none for it, e.g. `ec2:DescribeNetworkInterfaces`,
// `secretsmanager:GetRandomPassword`) is authorized against `"*"` only: a
// statement that names it with specific resource ARNs never grants it
// (IAM User Guide, "Actions, resources, and condition keys for AWS
// services": "If the Resource types column is empty, the action does not
// support resource-level permissions and you must specify all resources").
// Only actions named without wildcards are checked: `ec2:Describe*` next to
// ARNs deliberately scopes the actions that do support them.
//
// A warning, not an error: the rule is the Service Authorization Reference's
// table alone, and AWS's own deployed managed policies break it (more than one
// in ten of the 2026-08 corpus, e.g. `logs:DescribeLogGroups` on log-group
// ARNs), either because the table lags what the service authorizes or
// because the statement is harmlessly inert. Known exception: an ARN naming
// every resource of its service (`arn:aws:s3:::*`) counts as `"*"`.
fn action_needs_star_resource(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>, id: NodeId, list: &[(NodeId, &str)]) {
    if list.is_empty() {
        return;
    }
    let unscoped = || {
        stmt.actions.iter().filter_map(|item| match item.resolved {
            Resolved::One(s, a) if s.resource_types_of(a).next().is_none() => Some(item.text),
            _ => None,
        })
    };
    // When no action of the statement supports a resource type,
    // RESOURCE_TYPE_MISMATCH already reports the ARNs; this check is for the
    // mixed statement (the ENI statement scoped to network-interface ARNs).
    let scoped = stmt.actions.iter().any(|item| {
        matches!(item.resolved, Resolved::One(s, a) if s.resource_types_of(a).next().is_some())
            || matches!(item.resolved, Resolved::Pattern)
    });
    if unscoped().next().is_none()
        || !scoped
        || list
            .iter()
            .any(|&(_, r)| r.starts_with('*') || r.contains("${") || every_resource_of_service(r))
    {
        return;
    }
    let names: Vec<String> = unscoped().take(4).map(|n| format!("`{n}`")).collect();
    let more = unscoped().count().saturating_sub(4);
    let names = if more > 0 {
        format!("{} and {more} more", names.join(", "))
    } else {
        names.join(", ")
    };
    ctx.emit(
        Check::ACTION_NEEDS_STAR_RESOURCE,
        Target::Value(id),
        format!(
            "{names} support no resource type, so they are granted only with `\"Resource\": \"*\"`; \
             this statement grants them nothing: move them to a statement on `\"*\"`"
        ),
    );
}

/// The fields of an ARN that passed the syntax checks.
struct Parts<'t> {
    /// The ARN as matched against resource types (an AWS-shared resource's
    /// empty account read as `aws`).
    typed_arn: Cow<'t, str>,
    service: Option<&'static Service>,
    resource: &'t str,
    /// The first of its service's resource types the ARN fits.
    typed: Option<&'static ResourceType>,
}

// ARN format `arn:partition:service:region:account-id:resource` (IAM User
// Guide, "IAM identifiers" -> ARNs; AWS General Reference, "Amazon Resource
// Names"). Which fields a service uses, and the resource part's shape, come
// from the resource types of the Service Authorization Reference.
fn check_arn<'t>(ctx: &mut Ctx<'_, '_>, node: NodeId, arn: &'t str) -> Option<Parts<'t>> {
    let Some(rest) = arn.strip_prefix("arn:") else {
        if !has_wildcard(arn.get(..4).unwrap_or(arn)) {
            ctx.emit(
                Check::INVALID_ARN_PREFIX,
                Target::Value(node),
                format!("resource `{arn}` is not an ARN: expected `*` or `arn:partition:service:region:account:resource`"),
            );
        }
        return None;
    };
    let Some([partition, service_name, region, account, resource]) = fields(rest) else {
        ctx.emit(
            Check::MISSING_ARN_FIELD,
            Target::Value(node),
            format!("ARN `{arn}` has fewer than 6 fields, expected `arn:partition:service:region:account:resource`"),
        );
        return None;
    };
    let partition_known = if has_wildcard(partition) {
        None
    } else {
        match Partition::from_name(partition) {
            Some(p) => Some(p),
            None => {
                ctx.emit(
                    Check::INVALID_PARTITION,
                    Target::Value(node),
                    format!(
                        "`{partition}` in `{arn}` is not a partition, expected one of {}",
                        Partition::ALL.map(|p| format!("`{p}`")).join(", ")
                    ),
                );
                return None;
            }
        }
    };
    if has_wildcard(service_name) {
        return Some(Parts {
            typed_arn: Cow::Borrowed(arn),
            service: None,
            resource,
            typed: None,
        });
    }
    if service_name.bytes().any(|b| b.is_ascii_uppercase()) {
        ctx.emit(
            Check::INVALID_ARN_SERVICE_CASE,
            Target::Value(node),
            format!(
                "service `{service_name}` in an ARN must be lowercase: `{}`",
                service_name.to_ascii_lowercase()
            ),
        );
        return None;
    }
    if !service_name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        ctx.emit(
            Check::INVALID_SERVICE,
            Target::Value(node),
            format!("`{service_name}` in ARN `{arn}` is not a service namespace: namespaces have only lowercase letters, digits and `-`"),
        );
        return None;
    }
    // ARN namespaces and action prefixes differ (`arn:aws:catalog:...` is
    // Service Catalog's, `elastic-inference` is EC2's): the types are those
    // of every service whose ARN formats use this namespace. The service is
    // the one of the namespace's name, else the first; or, for no such
    // service, a known service whose resource types all live in other
    // namespaces (devops-guru's are SNS topics): no format to hold the ARN to.
    let services = ctx.catalog.arn_namespace_services(service_name);
    let service = services
        .clone()
        .find(|s| s.prefix == service_name)
        .or_else(|| services.clone().next())
        .or_else(|| ctx.catalog.service(service_name));
    let Some(service) = service else {
        ctx.emit(
            Check::SERVICE_NOT_IN_CATALOG,
            Target::Value(node),
            format!(
                "service `{service_name}` of ARN `{arn}` is not in the catalog (AWS's Service Authorization \
                 Reference as of {}): misspelled, or newer than the catalog",
                crate::catalog::DATE
            ),
        );
        return None;
    };
    let types: Vec<&'static ResourceType> = services
        .flat_map(|s| s.resource_types.iter())
        .filter(|t| t.namespace() == service_name)
        .collect();
    // Field usage over the service's formats: whether every type has a
    // region (account), and whether none has.
    let (mut region_required, mut region_forbidden) = (true, true);
    let (mut account_required, mut account_forbidden) = (true, true);
    for t in &types {
        region_required &= t.has_region();
        region_forbidden &= !t.has_region();
        account_required &= t.has_account();
        account_forbidden &= !t.has_account();
    }
    let mut ok = true;
    if !has_wildcard(region) && !types.is_empty() {
        if region.is_empty() && region_required {
            ctx.emit(
                Check::MISSING_ARN_REGION,
                Target::Value(node),
                format!("ARN `{arn}` needs a region: `{service_name}` resources are regional"),
            );
            ok = false;
        } else if !region.is_empty() && region_forbidden {
            ctx.emit(
                Check::ARN_REGION_NOT_ALLOWED,
                Target::Value(node),
                format!("`{service_name}` ARNs have no region; remove `{region}`"),
            );
            ok = false;
        } else if let Some(p) = partition_known.filter(|p| !region.is_empty() && !p.has_region(region)) {
            let hint = match Partition::of_region(region) {
                Some(other) => format!(": it is a region of partition `{other}`"),
                None => String::new(),
            };
            ctx.emit(
                Check::INVALID_ARN_REGION,
                Target::Value(node),
                format!("`{region}` is not a region of partition `{p}`{hint}"),
            );
            ok = false;
        }
    }
    if !has_wildcard(account) && !types.is_empty() {
        let digits = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
        // Resources that AWS owns carry the account `aws`: AWS managed
        // policies (`arn:aws:iam::aws:policy/IAMReadOnlyAccess`, IAM User
        // Guide, "Managed policies and inline policies") and SageMaker's
        // public hub (`arn:aws:sagemaker:us-east-1:aws:hub/SageMakerPublicHub`,
        // SageMaker Developer Guide, "Remove access to the SageMaker Public
        // models hub").
        let aws_owned = account == "aws";
        if !account.is_empty() && account_forbidden {
            ctx.emit(
                Check::ARN_ACCOUNT_NOT_ALLOWED,
                Target::Value(node),
                format!("`{service_name}` ARNs have no account; remove `{account}`"),
            );
            ok = false;
        } else if account.is_empty()
            && account_required
            && !aws_shared_without_account(service_name, resource)
        {
            // Access Analyzer MISSING_ARN_ACCOUNT: "Include an account ID in
            // the resource ARN". IAM compares each ARN field, so an empty
            // account matches no resource of a service whose ARNs all have one.
            ctx.emit(
                Check::MISSING_ARN_ACCOUNT,
                Target::Value(node),
                format!(
                    "ARN `{arn}` has no account, but every `{service_name}` resource has one, so it matches \
                     nothing: add the 12-digit account id (or `*`)"
                ),
            );
            ok = false;
        } else if !account.is_empty() && !digits && !aws_owned && !account_forbidden {
            ctx.emit(
                Check::INVALID_ARN_ACCOUNT,
                Target::Value(node),
                format!("account `{account}` in `{arn}` is not a 12-digit account id"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    // An AWS-shared resource's empty account stands for the owner AWS.
    let typed_arn: Cow<'_, str> = if account.is_empty() && aws_shared_without_account(service_name, resource)
    {
        Cow::Owned(format!("arn:{partition}:{service_name}:{region}:aws:{resource}"))
    } else {
        Cow::Borrowed(arn)
    };
    let typed = types.iter().copied().find(|t| t.matches_arn(&typed_arn));
    if typed.is_none() && !types.is_empty() {
        let shapes: Vec<String> = types
            .iter()
            .take(4)
            .map(|t| {
                format!(
                    "`{}`",
                    t.arn_pattern.split(':').skip(5).collect::<Vec<_>>().join(":")
                )
            })
            .collect();
        let more = match types.len().saturating_sub(4) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        ctx.emit(
            Check::INVALID_ARN_RESOURCE,
            Target::Value(node),
            format!(
                "`{resource}` is not a `{service_name}` resource, expected one of {}{more}",
                shapes.join(", ")
            ),
        );
        return None;
    }
    Some(Parts {
        typed_arn,
        service: Some(service),
        resource,
        typed,
    })
}

/// The first `N - 1` `:`-separated fields of `text` and the rest after
/// them (`str::splitn(N, ':')`), or `None` when `text` has fewer than `N`
/// fields.
fn fields<const N: usize>(text: &str) -> Option<[&str; N]> {
    let mut out = [text; N];
    for n in 1..N {
        let rest = out[n - 1];
        let colon = rest.bytes().position(|b| b == b':')?;
        out[n - 1] = rest.get(..colon)?;
        out[n] = rest.get(colon + 1..)?;
    }
    Some(out)
}

/// Resources that AWS owns and shares with every account carry an empty
/// account field, though their types' formats have one: Systems Manager's
/// public parameters (`arn:aws:ssm:REGION::parameter/aws/service/...`) and
/// AWS-owned documents and automation runbooks
/// (`arn:aws:ssm:REGION::document/AWS-RunShellScript`), and Resource
/// Explorer's AWS-managed service views; AWS's own managed policies grant
/// on these ARNs (AmazonEKSConnectorServiceRolePolicy,
/// AWSQuickSetupDeploymentRolePolicy, CloudWatchReadOnlyAccess).
fn aws_shared_without_account(namespace: &str, resource: &str) -> bool {
    match namespace {
        "ssm" => {
            resource.starts_with("document/")
                || resource.starts_with("automation-definition/")
                || resource.starts_with("parameter/aws/")
        }
        "resource-explorer-2" => resource.starts_with("view/AWSServiceView"),
        _ => false,
    }
}

/// Whether the ARN (variables read as `*`) names every resource of its
/// service: region, account and resource each `*` or empty, as in
/// `arn:aws:s3:::*`. For an action without a resource type such an ARN is
/// what `"*"` is: the S3 User Guide's own example grants
/// `s3:ListAllMyBuckets` on `"Resource": "arn:aws:s3:::*"` ("User policy
/// examples", `AllowGroupToSeeBucketListInTheConsole`).
fn every_resource_of_service(arn: &str) -> bool {
    let Some([_, _, _, region, account, resource]) = fields(arn) else {
        return false;
    };
    let any = |f: &str| f.is_empty() || f.bytes().all(|b| b == b'*');
    any(region) && any(account) && !resource.is_empty() && resource.bytes().all(|b| b == b'*')
}

fn rotation_checks(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>, node: NodeId, arn: &str, parts: &Parts<'_>) {
    let Some(service) = parts.service else {
        return;
    };
    if service.prefix == "secretsmanager" {
        secret_without_suffix(ctx, node, arn, parts.resource);
    }
    if service.prefix == "kms"
        && parts.resource.starts_with("alias/")
        && kms_alias_as_key(ctx, stmt, node, arn)
    {
        return;
    }
    if let Some(typed) = parts.typed {
        resource_type_mismatch(ctx, stmt, node, &parts.typed_arn, typed);
    }
}

// Secrets Manager appends `-` and 6 random characters to every secret name,
// and IAM compares resource ARNs literally: a secret ARN without the suffix
// matches no secret. Use the full ARN or `NAME-??????` (Secrets Manager User
// Guide, "Permissions policy examples" -> "wildcard ... secret name"; FACTS:
// aws-cdk#28308).
fn secret_without_suffix(ctx: &mut Ctx<'_, '_>, node: NodeId, arn: &str, resource: &str) {
    let Some(name) = resource.strip_prefix("secret:") else {
        return;
    };
    if name.contains('*') {
        return;
    }
    let suffixed = name.rsplit_once('-').is_some_and(|(base, tail)| {
        !base.is_empty()
            && tail.len() == 6
            && (tail == "??????" || tail.bytes().all(|b| b.is_ascii_alphanumeric()))
    });
    if !suffixed {
        ctx.emit(
            Check::SECRET_ARN_WITHOUT_SUFFIX,
            Target::Value(node),
            format!(
                "secret ARN `{arn}` lacks the 6-character suffix Secrets Manager adds to every name, so it \
                 matches no secret; use the full ARN or `{arn}-??????`"
            ),
        );
    }
}

// KMS cryptographic operations (Decrypt, GenerateDataKey, DescribeKey, ...)
// authorize against the key's ARN; an alias ARN in `Resource` never matches
// them. Aliases can be used in a condition (`kms:RequestAlias`,
// `kms:ResourceAliases`) instead (KMS Developer Guide, "Using aliases to
// control access to KMS keys"; Service Authorization Reference: these
// actions list only the `key` resource type).
fn kms_alias_as_key(ctx: &mut Ctx<'_, '_>, stmt: &Stmt<'_>, node: NodeId, arn: &str) -> bool {
    let Some(actions) = stmt.known_actions(ctx) else {
        return false;
    };
    let key_only: Vec<&str> = actions
        .iter()
        .filter(|(s, a)| {
            s.prefix == "kms"
                && s.resource_types_of(a).any(|(t, _)| t.name == "key")
                && !s.resource_types_of(a).any(|(t, _)| t.name == "alias")
        })
        .map(|(_, a)| a.name)
        .collect();
    if key_only.is_empty() {
        return false;
    }
    let names = list_names("kms", &key_only);
    ctx.emit(
        Check::KMS_ALIAS_AS_KEY_RESOURCE,
        Target::Value(node),
        format!(
            "`{arn}` is a KMS alias, but {names} authorize against the key ARN, so this grants nothing for \
             them; use the key ARN (`arn:...:key/KEY-ID`) or a `kms:ResourceAliases` condition"
        ),
    );
    true
}

// An action authorizes against the resource types the Service Authorization
// Reference lists for it (actions with none need `"*"`); a resource ARN none
// of the statement's actions can apply to grants nothing (IAM User Guide,
// "Actions, resources, and condition keys for AWS services"). A warning for
// the reason `action_needs_star_resource` gives; the same exception.
fn resource_type_mismatch(
    ctx: &mut Ctx<'_, '_>,
    stmt: &Stmt<'_>,
    node: NodeId,
    arn: &str,
    typed: &'static ResourceType,
) {
    if every_resource_of_service(arn)
        || stmt
            .actions
            .iter()
            .any(|a| matches!(a.resolved, Resolved::All | Resolved::Unknown))
    {
        return;
    }
    let Some(actions) = stmt.expanded_actions(ctx) else {
        return;
    };
    if actions.is_empty() {
        return;
    }
    // The type the ARN was found to fit decides at once; other types (an ARN
    // can fit several formats) are matched only when it is not the action's.
    let fits = actions.iter().any(|(s, a)| {
        s.resource_types_of(a)
            .any(|(t, _)| std::ptr::eq(t, typed) || t.matches_arn(arn))
    });
    if !fits {
        let mut names: Vec<String> = actions
            .iter()
            .take(4)
            .map(|(s, a)| format!("`{}:{}`", s.prefix, a.name))
            .collect();
        if actions.len() > 4 {
            names.push(format!("and {} more", actions.len() - 4));
        }
        ctx.emit(
            Check::RESOURCE_TYPE_MISMATCH,
            Target::Value(node),
            format!(
                "no action of the statement ({}) applies to a resource like `{arn}`, so it grants nothing \
                 here; actions without a resource type need `\"*\"`",
                names.join(", ")
            ),
        );
    }
}

// A resource listed twice, or already matched by a wildcard ARN of the same
// statement, adds nothing (Access Analyzer REDUNDANT_RESOURCE).
//
// Linear in the list (times the wildcard ARNs of the same service):
// duplicates by a hash map; a wildcard ARN can only cover ARNs of its own
// service field, so each ARN is compared with the wildcard ARNs of its
// service and those with a wildcard before the service field.
fn redundant_resources(ctx: &mut Ctx<'_, '_>, list: &[(NodeId, &str)]) {
    if list.len() < 2 {
        return;
    }
    let service_of = |arn: &str| -> Option<String> {
        let [arn_field, partition, service, _] = fields(arn)?;
        (!has_wildcard(arn_field) && !has_wildcard(partition) && !has_wildcard(service))
            .then(|| service.to_owned())
    };
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(list.len());
    let mut by_service: HashMap<String, Vec<usize>> = HashMap::new();
    let mut any_service = Vec::new();
    for (i, &(_, text)) in list.iter().enumerate() {
        first.entry(text).or_insert(i);
        if has_wildcard(text) {
            match service_of(text) {
                Some(service) => by_service.entry(service).or_default().push(i),
                None => any_service.push(i),
            }
        }
    }
    for (j, &(node, b)) in list.iter().enumerate() {
        let why = if first.get(b).is_some_and(|&i| i < j) {
            Some("is listed twice".to_owned())
        } else {
            let own = service_of(b).and_then(|s| by_service.get(&s));
            own.into_iter()
                .flatten()
                .chain(&any_service)
                .copied()
                .find(|&i| i != j && list[i].1 != b && wildcard::matches(list[i].1, b))
                .map(|i| format!("is already covered by `{}`", list[i].1))
        };
        if let Some(why) = why {
            ctx.emit(
                Check::REDUNDANT_RESOURCE,
                Target::Value(node),
                format!("resource `{b}` {why}; remove it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fields;

    #[test]
    fn fields_split_as_splitn_does() {
        for text in [
            "arn:aws:s3:::b",
            "a:b:c:d:e:f:g",
            "a:b",
            "",
            ":::::",
            "a:b:c:d:é:f",
        ] {
            let split: Vec<&str> = text.splitn(6, ':').collect();
            assert_eq!(
                fields::<6>(text).map(Vec::from),
                (split.len() == 6).then_some(split),
                "{text}"
            );
            let split: Vec<&str> = text.splitn(4, ':').collect();
            assert_eq!(
                fields::<4>(text).map(Vec::from),
                (split.len() == 4).then_some(split),
                "{text}"
            );
        }
    }
}
