//! Turns `data/catalog.txt` (written by `scripts/gen-catalog.sh`) and
//! `data/global-condition-keys.tsv` into static tables, so that no process
//! parses the catalog at start-up. A crate of its own, a dependency of core's
//! `analysis` feature only: the `rotation_policy!` macro builds core without
//! it, and an edit to core does not rebuild the tables.
//!
//! The output, `$OUT_DIR/catalog_tables.rs`, is included by `src/lib.rs`,
//! which defines the types it fills. Every index in the
//! data is checked here, and the sort orders that the look-ups' binary
//! searches rely on, so a malformed data file fails the build with its line.

use std::fmt::Write as _;
use std::path::Path;

const CATALOG: &str = "data/catalog.txt";
const GLOBAL_KEYS: &str = "data/global-condition-keys.tsv";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={CATALOG}");
    println!("cargo:rerun-if-changed={GLOBAL_KEYS}");
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let root = std::env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?;
    let read = |path: &str| {
        std::fs::read_to_string(Path::new(&root).join(path))
            .map_err(|e| format!("cannot read catalog/{path}: {e}"))
    };
    let catalog = read(CATALOG)?;
    let global = read(GLOBAL_KEYS)?;
    let mut out = String::with_capacity(4 << 20);
    write_catalog(&catalog, &mut out)
        .map_err(|(line, message)| format!("catalog/{CATALOG}:{line}: {message}"))?;
    write_global_keys(&global, &mut out)
        .map_err(|(line, message)| format!("catalog/{GLOBAL_KEYS}:{line}: {message}"))?;
    let dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let path = Path::new(&dir).join("catalog_tables.rs");
    std::fs::write(&path, out).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

type LineError = (usize, String);

struct Service<'a> {
    prefix: &'a str,
    name: &'a str,
    /// (name, type, multivalued)
    keys: Vec<(&'a str, &'static str, bool)>,
    /// (name, ARN format, key indexes)
    resource_types: Vec<(&'a str, &'a str, Vec<u16>)>,
    actions: Vec<ActionRow<'a>>,
}

struct ActionRow<'a> {
    name: &'a str,
    level: &'static str,
    /// (index into the service's resource types, required)
    types: Vec<(u16, bool)>,
    /// Indexes into the service's keys.
    keys: Vec<u16>,
}

fn key_type(text: &str) -> Option<(&'static str, bool)> {
    let (multivalued, base) = match text.strip_prefix("ArrayOf") {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let key_type = match base {
        "String" => "String",
        "ARN" | "Arn" => "Arn",
        "Bool" | "Boolean" => "Bool",
        "Date" => "Date",
        "Numeric" | "Long" | "Integer" => "Numeric",
        "IPAddress" => "IpAddress",
        "Binary" => "Binary",
        _ => return None,
    };
    Some((key_type, multivalued))
}

fn access_level(code: &str) -> Option<&'static str> {
    Some(match code {
        "L" => "List",
        "R" => "Read",
        "W" => "Write",
        "P" => "PermissionsManagement",
        "T" => "Tagging",
        _ => return None,
    })
}

fn indexes(text: &str, limit: usize) -> Option<Vec<u16>> {
    text.split(',')
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<u16>().ok().filter(|&i| usize::from(i) < limit))
        .collect()
}

/// The order of `catalog.rs`'s `cmp_ignore_case`: bytes, ASCII-lowercased.
fn folded(text: &str) -> Vec<u8> {
    text.bytes().map(|b| b.to_ascii_lowercase()).collect()
}

struct Parsed<'a> {
    provenance: Vec<&'a str>,
    services: Vec<Service<'a>>,
    /// (key prefix pattern, index of the service whose table lists its keys)
    key_prefixes: Vec<(&'a str, usize)>,
}

fn parse(text: &str) -> Result<Parsed<'_>, LineError> {
    let mut provenance = Vec::new();
    let mut services: Vec<Service<'_>> = Vec::new();
    let mut key_prefixes = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let err = |message: &str| (n + 1, message.to_owned());
        if let Some(comment) = line.strip_prefix("# ") {
            provenance.push(comment);
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            [""] => {}
            ["K", key_prefix, service] => {
                let i = services
                    .iter()
                    .position(|s| s.prefix == *service)
                    .ok_or_else(|| err("key prefix listed under an unknown service"))?;
                key_prefixes.push((*key_prefix, i));
            }
            ["S", prefix, name, keys] => {
                if !key_prefixes.is_empty() {
                    return Err(err("K lines come after every service"));
                }
                let mut parsed = Vec::new();
                for entry in keys.split(',').filter(|e| !e.is_empty()) {
                    let (key, ty) = entry
                        .split_once('=')
                        .ok_or_else(|| err("condition key without a type"))?;
                    let (ty, multivalued) = key_type(ty).ok_or_else(|| err("unknown condition key type"))?;
                    parsed.push((key, ty, multivalued));
                }
                if let Some(last) = services.last() {
                    if folded(last.prefix) >= folded(prefix) {
                        return Err(err("services are not sorted by prefix"));
                    }
                }
                // Look-ups fold only the name asked for.
                if prefix.bytes().any(|b| b.is_ascii_uppercase()) {
                    return Err(err("a service prefix has an uppercase letter"));
                }
                if parsed.windows(2).any(|w| folded(w[0].0) >= folded(w[1].0)) {
                    return Err(err("condition keys are not sorted by lowercase name"));
                }
                services.push(Service {
                    prefix,
                    name,
                    keys: parsed,
                    resource_types: Vec::new(),
                    actions: Vec::new(),
                });
            }
            ["R", name, arn, keys] => {
                let service = services
                    .last_mut()
                    .ok_or_else(|| err("resource type before any service"))?;
                let keys = indexes(keys, service.keys.len()).ok_or_else(|| err("bad condition key index"))?;
                service.resource_types.push((name, arn, keys));
            }
            ["A", name, level, types, keys] => {
                let service = services
                    .last_mut()
                    .ok_or_else(|| err("action before any service"))?;
                let level = access_level(level).ok_or_else(|| err("unknown access level"))?;
                let mut resource_types = Vec::new();
                for t in types.split(',').filter(|t| !t.is_empty()) {
                    let (t, required) = t.strip_suffix('*').map_or((t, false), |t| (t, true));
                    let i = service
                        .resource_types
                        .iter()
                        .position(|r| r.0 == t)
                        .ok_or_else(|| err("unknown resource type"))?;
                    resource_types.push((
                        u16::try_from(i).map_err(|_| err("too many resource types"))?,
                        required,
                    ));
                }
                let keys = indexes(keys, service.keys.len()).ok_or_else(|| err("bad condition key index"))?;
                if let Some(last) = service.actions.last() {
                    if folded(last.name) >= folded(name) {
                        return Err(err("actions are not sorted by lowercase name"));
                    }
                }
                service.actions.push(ActionRow {
                    name,
                    level,
                    types: resource_types,
                    keys,
                });
            }
            _ => {
                return Err(err(
                    "expected an S, R, A or K line with its fields, or a `# ` comment",
                ))
            }
        }
    }
    Ok(Parsed {
        provenance,
        services,
        key_prefixes,
    })
}

fn header<'a>(provenance: &[&'a str], field: &str) -> Result<&'a str, LineError> {
    provenance
        .iter()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(": "))
        .ok_or_else(|| (1, format!("the header has no `# {field}: ...` line")))
}

/// Writes the tables. One array per kind of record (actions, resource types,
/// keys, index lists), each record plain literals: the index lists of an
/// action or resource type are (start, length) in a shared pool, because a
/// `const fn` call per record made rustc's evaluation of the statics several
/// times slower. Each service's part of a table is a sub-slice taken with
/// `split_at` in the static's initializer.
fn write_catalog(text: &str, out: &mut String) -> Result<(), LineError> {
    let Parsed {
        provenance,
        services,
        key_prefixes,
    } = parse(text)?;
    let source = format!(
        "{} {}",
        header(&provenance, "source")?,
        header(&provenance, "version")?
    );
    let date = header(&provenance, "date")?;
    let _ = writeln!(out, "const GENERATED_SOURCE: &str = {source:?};");
    let _ = writeln!(out, "const GENERATED_DATE: &str = {date:?};");
    let _ = writeln!(
        out,
        "static PROVENANCE: [&str; {}] = {provenance:?};",
        provenance.len()
    );

    let (mut keys, mut types, mut actions) = (String::new(), String::new(), String::new());
    let (mut key_pool, mut type_pool) = (Vec::<u16>::new(), Vec::<(u16, bool)>::new());
    let (mut n_keys, mut n_types, mut n_actions) = (0, 0, 0);
    let mut services_out = String::new();
    // ARN service namespace -> indexes of the services with a resource type
    // in it (`catalog` -> servicecatalog; `ec2` -> ec2, ebs, ssm, ...).
    // Keyed by the lowercase namespace, the look-up's sort key.
    let mut namespaces = std::collections::BTreeMap::<String, Vec<usize>>::new();
    for (i, s) in services.iter().enumerate() {
        for (_, arn, _) in &s.resource_types {
            let namespace = arn.split(':').nth(2).unwrap_or_default();
            if namespace.is_empty() || namespace.contains('$') {
                continue;
            }
            let entry = namespaces.entry(namespace.to_ascii_lowercase()).or_default();
            if entry.last() != Some(&i) {
                entry.push(i);
            }
        }
    }
    // The keys (by lowercase name) that some service's table lists for an
    // action or a resource type.
    let mut attached = std::collections::HashSet::new();
    for s in &services {
        let rows = s.actions.iter().map(|a| &a.keys);
        for i in rows.chain(s.resource_types.iter().map(|t| &t.2)).flatten() {
            if let Some((name, _, _)) = s.keys.get(usize::from(*i)) {
                attached.insert(name.to_ascii_lowercase());
            }
        }
    }
    for s in &services {
        let (k0, t0, a0) = (n_keys, n_types, n_actions);
        let templated_start = key_pool.len();
        for (i, (name, ty, multivalued)) in s.keys.iter().enumerate() {
            let folded = name.to_ascii_lowercase();
            let _ = writeln!(
                keys,
                "    ConditionKey::service({name:?}, {folded:?}, KeyType::{ty}, {multivalued}, {}),",
                attached.contains(&folded)
            );
            n_keys += 1;
            if name.contains("${") {
                key_pool.push(u16::try_from(i).map_err(|_| (0, "too many condition keys".to_owned()))?);
            }
        }
        let templated = (templated_start, key_pool.len() - templated_start);
        for (name, arn, rt_keys) in &s.resource_types {
            let mut fields = arn.split(':').skip(2);
            let namespace = fields.next().unwrap_or_default();
            let has_region = fields.next().is_some_and(|f| !f.is_empty());
            let has_account = fields.next().is_some_and(|f| !f.is_empty());
            let _ = writeln!(
                types,
                "    ResourceType {{ name: {name:?}, arn_pattern: {arn:?}, namespace: {namespace:?}, has_region: {has_region}, has_account: {has_account}, condition_keys: ({}, {}) }},",
                key_pool.len(),
                rt_keys.len()
            );
            key_pool.extend(rt_keys);
            n_types += 1;
        }
        for ActionRow {
            name,
            level,
            types: rts,
            keys: action_keys,
        } in &s.actions
        {
            let _ = writeln!(
                actions,
                "    Action {{ name: {name:?}, folded: {:?}, access_level: AccessLevel::{level}, resource_types: ({}, {}), condition_keys: ({}, {}) }},",
                name.to_ascii_lowercase(),
                type_pool.len(),
                rts.len(),
                key_pool.len(),
                action_keys.len()
            );
            type_pool.extend(rts);
            key_pool.extend(action_keys);
            n_actions += 1;
        }
        let _ = writeln!(
            services_out,
            "    Service {{ prefix: {:?}, name: {:?}, actions: pool(&ACTIONS, {a0}, {}), resource_types: pool(&RESOURCE_TYPES, {t0}, {}), condition_keys: pool(&SERVICE_KEYS, {k0}, {}), templated_keys: pool(&KEY_POOL, {}, {}) }},",
            s.prefix,
            s.name,
            n_actions - a0,
            n_types - t0,
            n_keys - k0,
            templated.0,
            templated.1
        );
    }
    let _ = writeln!(out, "static SERVICE_KEYS: [ConditionKey; {n_keys}] = [\n{keys}];");
    let _ = writeln!(
        out,
        "static RESOURCE_TYPES: [ResourceType; {n_types}] = [\n{types}];"
    );
    let _ = writeln!(out, "static ACTIONS: [Action; {n_actions}] = [\n{actions}];");
    let _ = writeln!(out, "static KEY_POOL: [u16; {}] = {key_pool:?};", key_pool.len());
    let _ = writeln!(
        out,
        "static TYPE_POOL: [(u16, bool); {}] = {type_pool:?};",
        type_pool.len()
    );
    let _ = writeln!(
        out,
        "static SERVICES: [Service; {}] = [\n{services_out}];",
        services.len()
    );
    let _ = writeln!(
        out,
        "static KEY_PREFIXES: [(&str, usize); {}] = {key_prefixes:?};",
        key_prefixes.len()
    );
    let _ = writeln!(
        out,
        "static ARN_NAMESPACES: [(&str, &[usize]); {}] = [",
        namespaces.len()
    );
    for (namespace, indexes) in &namespaces {
        let _ = writeln!(out, "    ({namespace:?}, &{indexes:?}),");
    }
    let _ = writeln!(out, "];");
    Ok(())
}

fn write_global_keys(text: &str, out: &mut String) -> Result<(), LineError> {
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = line.split('\t');
        let name = fields.next().unwrap_or_default();
        let ty = fields.next().ok_or((n + 1, "missing type".to_owned()))?;
        let (ty, multivalued) = key_type(ty).ok_or((n + 1, format!("unknown type `{ty}`")))?;
        let notes: Vec<&str> = fields.next().unwrap_or_default().split(',').collect();
        let has = |note: &str| notes.contains(&note);
        keys.push((
            name.to_ascii_lowercase(),
            format!(
                "    ConditionKey {{ name: {name:?}, folded: {:?}, key_type: KeyType::{ty}, multivalued: {}, service_request_only: {}, deprecated: {}, attached: true }},",
                name.to_ascii_lowercase(),
                multivalued || has("multivalued"),
                has("service-request"),
                has("deprecated")
            ),
            n + 1,
        ));
    }
    // Sorted by lowercase name, as a service's keys are, for the look-up.
    keys.sort();
    if let Some(w) = keys.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err((w[1].2, format!("`{}` is listed twice", w[1].0)));
    }
    let templated: Vec<usize> = (0..keys.len()).filter(|&i| keys[i].0.contains("${")).collect();
    let entries: String = keys.iter().map(|(_, line, _)| format!("{line}\n")).collect();
    let _ = writeln!(
        out,
        "static GLOBAL_KEYS: [ConditionKey; {}] = [\n{entries}];",
        keys.len()
    );
    let _ = writeln!(
        out,
        "static GLOBAL_TEMPLATED_KEYS: [u16; {}] = {templated:?};",
        templated.len()
    );
    Ok(())
}
