#!/usr/bin/env python3
"""Oracle harness: holds `rotation-policy` to three tools it did not write.

Run through the pinned environment (scripts/oracles.sh does all of this):

    PATH="$(bash scripts/python-env.sh):$PATH"
    cargo build -p rotation-policy-cli -p rotation-policy-option-space
    python scripts/oracles.py --cli target/debug/rotation-policy \
        --option-space target/debug/option-space

The oracles:

- moto (in process, `mock_aws`): identity policies go through IAM's
  `put_role_policy` and `create_policy`, which run moto's policy validator and
  answer `MalformedPolicyDocument` on what it rejects. Resource policies are
  checked with the same validator class called directly (IAM's API takes no
  resource policy), and a generated Lambda resource policy is also rebuilt
  through Lambda's `add_permission` and read back with `get_policy`: the
  statement Lambda stores must equal ours (Sid and key case aside).
- parliament (`analyze_policy_string`): every finding counts.
- cfn-lint: each document is embedded in a template (identity policies as
  an `AWS::IAM::ManagedPolicy` and, for generated ones, an `AWS::IAM::Role`
  inline policy; resource policies as an `AWS::SQS::QueuePolicy` document,
  which cfn-lint checks with its generic resource-policy schema E3512, and a
  generated Lambda resource policy also as the `AWS::Lambda::Permission` that
  creates it). All templates go to ONE cfn-lint run. Every finding counts.

Part 1, generated documents: every option combination of `generate`, as the
option space (tests/option-space) lists them: its `option-space` binary
prints each combination's label, choices and flags, and with `--fill` the
example values. A combination with placeholders (`${SecretArn}`, ...) is
filled the way CloudFormation's `Fn::Sub` would fill it, with those values,
and must then equal its twin with concrete values (the same choices but
`values: concrete`). `${KmsKeyArn}` stays in a concrete combination with
`--kms` (the key is unknown by design), and `${SuperuserSecretArn}` in one
without a superuser secret; they are filled the same way before the oracles
see them. Every filled document must be accepted by all three oracles,
allow-list aside.

Part 2, the fixture corpus (tests/lint/{bad,good,real}): each fixture goes
through our linter and the three oracles; the verdicts are classified by the
rules in tests/oracles/README.md, and the agreement table is written to
target/oracles/agreement.md.

Anything unexpected fails the run (exit 1); a tool that cannot run fails it
too: nothing is skipped silently.
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "oracles"
CORPUS = ROOT / "tests" / "lint"

PLACEHOLDER = re.compile(r"\$\{[A-Za-z0-9:]+\}")

TOOLS = ("moto", "parliament", "cfn-lint")

LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


class HarnessError(Exception):
    """A tool could not run or answered something the harness cannot read."""


# --------------------------------------------------------------------------
# Subjects and verdicts


@dataclass
class Finding:
    tool: str
    code: str
    detail: str
    allowed_by: str | None = None  # allow-list entry id

    def shown(self) -> str:
        return f"{self.code} (allow-listed: {self.allowed_by})" if self.allowed_by else self.code


@dataclass
class Subject:
    name: str  # e.g. "bad/invalid_action.json" or "generated/<combo>/role"
    kind: str  # generated | bad | good | real
    policy_type: str  # identity | resource
    text: bytes
    expect_clean: bool
    our: list[tuple[str, str]] = field(default_factory=list)  # (code, severity)
    findings: dict[str, list[Finding]] = field(default_factory=lambda: {t: [] for t in TOOLS})
    na: dict[str, str] = field(default_factory=dict)  # tool -> why it could not judge
    lambda_permission: bool = False  # also through Lambda add_permission / AWS::Lambda::Permission
    combinations: int = 0  # generated: how many option combinations produce this document
    status: str = ""
    problems: list[str] = field(default_factory=list)

    def effective(self, tool: str) -> list[Finding]:
        return [f for f in self.findings[tool] if not f.allowed_by]


def strict_json(text: bytes):
    """The document as Python data, or None when it is not strict JSON
    (invalid UTF-8, syntax errors, duplicate keys, NaN and the like)."""

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValueError("duplicate key")
        return dict(pairs)

    def no_constant(name):
        raise ValueError(name)

    try:
        return json.loads(
            text.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def has_principal(doc) -> bool:
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        return False
    return any(
        isinstance(s, dict) and ("Principal" in s or "NotPrincipal" in s) for s in statements
    )


# --------------------------------------------------------------------------
# Allow-list and scope data


@dataclass
class AllowEntry:
    id: str
    subjects: str  # fnmatch pattern over subject names
    tool: str
    code: str  # finding code, or ACCEPTS for "the tool accepts what we flag"
    detail: str  # regex searched in the finding detail ("" = any)
    reason: str
    used: int = 0

    def matches(self, subject: Subject, tool: str, code: str, detail: str) -> bool:
        return (
            tool == self.tool
            and code == self.code
            and fnmatch.fnmatchcase(subject.name, self.subjects)
            and (not self.detail or re.search(self.detail, detail) is not None)
        )


def read_tsv(path: Path, columns: int) -> list[list[str]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != columns:
            raise HarnessError(f"{path}:{n}: expected {columns} tab-separated fields, got {len(fields)}")
        rows.append(fields)
    return rows


def load_allow_list() -> list[AllowEntry]:
    entries = [AllowEntry(*row) for row in read_tsv(DATA / "allow-list.tsv", 6)]
    ids = [e.id for e in entries]
    if len(ids) != len(set(ids)):
        raise HarnessError("allow-list.tsv: duplicate ids")
    for e in entries:
        if e.tool not in TOOLS:
            raise HarnessError(f"allow-list.tsv: {e.id}: unknown tool {e.tool}")
        if len(e.reason.strip()) < 20:
            raise HarnessError(f"allow-list.tsv: {e.id}: every entry needs its reason")
    return entries


def load_scope() -> dict[str, set[str]]:
    """Our error code -> the oracles expected to reject a document with it."""
    scope: dict[str, set[str]] = {}
    for code, tools, _why in read_tsv(DATA / "scope.tsv", 3):
        catchers = set() if tools == "-" else set(tools.split(","))
        unknown = catchers - set(TOOLS)
        if unknown:
            raise HarnessError(f"scope.tsv: {code}: unknown tools {sorted(unknown)}")
        scope[code] = catchers
    return scope


# --------------------------------------------------------------------------
# Subjects: generated documents


@dataclass
class OptionSpace:
    combinations: list[dict]  # {"label", "choices", "args"}, one per combination
    fill: dict[str, str]  # placeholder token -> the value Fn::Sub would put there


def load_option_space(binary: str) -> OptionSpace:
    def run(*args: str) -> list[dict]:
        proc = subprocess.run([binary, *args], capture_output=True)
        if proc.returncode != 0:
            raise HarnessError(f"option-space {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()}")
        return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]

    combinations = run()
    (fill,) = run("--fill")
    if not combinations:
        raise HarnessError("option-space printed no combination")
    return OptionSpace(combinations, fill)


def fill(text: str, values: dict[str, str]) -> tuple[str, int]:
    count = 0

    def one(m):
        nonlocal count
        if m.group(0) not in values:
            raise HarnessError(f"unknown placeholder {m.group(0)} in generated output")
        count += 1
        return values[m.group(0)]

    return PLACEHOLDER.sub(one, text), count


def generated_subjects(cli: str, space: OptionSpace, problems: list[str]) -> tuple[list[Subject], dict]:
    outputs: dict[str, dict] = {}
    # The choices other than `values` -> {values choice: label}.
    twins: dict[tuple, dict[str, str]] = {}
    filled_total = 0
    for combination in space.combinations:
        label, args = combination["label"], ["generate", *combination["args"]]
        proc = subprocess.run([cli, *args], capture_output=True)
        if proc.returncode != 0:
            raise HarnessError(f"rotation-policy {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()}")
        text, n = fill(proc.stdout.decode("utf-8"), space.fill)
        filled_total += n
        outputs[label] = json.loads(text)
        choices = dict(combination["choices"])
        values = choices.pop("values")
        twins.setdefault(tuple(sorted(choices.items())), {})[values] = label
    for pair in twins.values():
        if set(pair) != {"placeholders", "concrete"}:
            raise HarnessError(f"expected a placeholders and a concrete twin, got {pair}")
        if outputs[pair["placeholders"]] != outputs[pair["concrete"]]:
            problems.append(
                f"generated/{pair['placeholders']}: placeholder output, filled, differs from "
                f"{pair['concrete']}'s output"
            )
    subjects: dict[str, Subject] = {}
    for name, out in sorted(outputs.items()):
        for part, ptype in (("execution_role_policy", "identity"), ("resource_policy", "resource")):
            text = json.dumps(out[part], indent=2).encode()
            digest = hashlib.sha256(text).hexdigest()[:10]
            key = f"{part}:{digest}"
            if key not in subjects:
                subjects[key] = Subject(
                    name=f"generated/{part}/{name}",
                    kind="generated",
                    policy_type=ptype,
                    text=text,
                    expect_clean=True,
                    lambda_permission=ptype == "resource",
                )
            subjects[key].combinations += 1
    stats = {
        "combinations": len(outputs),
        "placeholders_filled": filled_total,
        "distinct_documents": len(subjects),
    }
    return list(subjects.values()), stats


# --------------------------------------------------------------------------
# Subjects: the fixture corpus


def corpus_subjects() -> list[Subject]:
    types: dict[str, str] = {}
    for row in read_tsv(CORPUS / "expectations.tsv", 5):
        types[f"bad/{row[0]}"] = row[1]
    real: dict[str, tuple[str, list[str]]] = {}
    for fixture, ptype, codes in read_tsv(CORPUS / "real" / "expectations.tsv", 3):
        real[f"real/{fixture}"] = (ptype, [] if codes == "-" else codes.split(","))
    subjects = []
    for kind in ("bad", "good", "real"):
        for path in sorted((CORPUS / kind).glob("*.json")):
            name = f"{kind}/{path.name}"
            text = path.read_bytes()
            ptype = types.get(name, "auto")
            expect_clean = kind == "good"
            if kind == "real":
                if name not in real:
                    raise HarnessError(f"{name}: no row in tests/lint/real/expectations.tsv")
                ptype, codes = real[name]
                expect_clean = not codes
            if ptype == "auto":
                doc = strict_json(text)
                ptype = "resource" if doc is not None and has_principal(doc) else "identity"
            subjects.append(Subject(name, kind, ptype, text, expect_clean))
    return subjects


# --------------------------------------------------------------------------
# Our linter


def run_our_linter(cli: str, subjects: list[Subject], workdir: Path) -> None:
    by_type: dict[str, list[tuple[Subject, Path]]] = {}
    for i, s in enumerate(subjects):
        path = workdir / f"ours-{i}.json"
        path.write_bytes(s.text)
        by_type.setdefault(s.policy_type, []).append((s, path))
    for ptype, items in by_type.items():
        for chunk_start in range(0, len(items), 200):
            chunk = items[chunk_start : chunk_start + 200]
            proc = subprocess.run(
                [cli, "lint", "--format", "json", "--type", ptype, *[str(p) for _, p in chunk]],
                capture_output=True,
            )
            if proc.returncode not in (0, 1):
                raise HarnessError(f"rotation-policy lint exited {proc.returncode}: {proc.stderr.decode()}")
            by_file: dict[str, list[tuple[str, str]]] = {}
            for f in json.loads(proc.stdout):
                by_file.setdefault(f["file"], []).append((f["code"], f["severity"]))
            for s, p in chunk:
                s.our = sorted(set(by_file.get(str(p), [])))


# --------------------------------------------------------------------------
# moto


def run_moto(subjects: list[Subject], account: str) -> None:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ["AWS_ACCESS_KEY_ID"] = "testing"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
    # Lambda's function ARNs then carry the account of the generated documents.
    os.environ["MOTO_ACCOUNT_ID"] = account
    import boto3
    from botocore.exceptions import ClientError
    from moto import mock_aws
    from moto.iam.exceptions import MalformedPolicyDocument
    from moto.iam.policy_validation import IAMPolicyDocumentValidator

    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        lam = boto3.client("lambda", region_name="us-east-1")
        role_arn = iam.create_role(
            RoleName="rotation", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST)
        )["Role"]["Arn"]
        lam.create_function(
            FunctionName="rotate-app-db",
            Runtime="python3.12",
            Role=role_arn,
            Handler="index.handler",
            Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},  # an empty zip archive
        )
        for i, s in enumerate(subjects):
            text = s.text.decode("utf-8", errors="replace")
            if s.policy_type == "identity":
                verdicts = []
                for call in ("put_role_policy", "create_policy"):
                    try:
                        if call == "put_role_policy":
                            iam.put_role_policy(RoleName="rotation", PolicyName=f"p{i}", PolicyDocument=text)
                        else:
                            iam.create_policy(PolicyName=f"p{i}", PolicyDocument=text)
                        verdicts.append(None)
                    except ClientError as e:
                        err = e.response["Error"]
                        if err["Code"] != "MalformedPolicyDocument":
                            raise HarnessError(f"moto {call} on {s.name}: {err}")
                        verdicts.append(err["Message"])
                if verdicts[0] != verdicts[1]:
                    raise HarnessError(f"moto: put_role_policy and create_policy disagree on {s.name}: {verdicts}")
                if verdicts[0]:
                    s.findings["moto"].append(Finding("moto", "MalformedPolicyDocument", verdicts[0]))
            else:
                try:
                    IAMPolicyDocumentValidator(text).validate()
                except MalformedPolicyDocument as e:
                    s.findings["moto"].append(Finding("moto", "MalformedPolicyDocument", e.message))
                if s.lambda_permission:
                    moto_lambda_roundtrip(lam, s)


def moto_lambda_roundtrip(lam, s: Subject) -> None:
    """Creates the generated statement with Lambda's AddPermission (as
    `aws lambda add-permission` would) and requires GetPolicy to return it."""
    from botocore.exceptions import ClientError

    doc = json.loads(s.text)
    (ours,) = doc["Statement"]
    cond = ours.get("Condition", {})
    kwargs = {
        "FunctionName": "rotate-app-db",
        "StatementId": "SecretsManagerAccess",
        "Action": ours["Action"],
        "Principal": ours["Principal"]["Service"],
        "SourceAccount": cond["StringEquals"]["aws:SourceAccount"],
    }
    if "ArnLike" in cond:
        kwargs["SourceArn"] = cond["ArnLike"]["aws:SourceArn"]
    try:
        lam.add_permission(**kwargs)
        policy = json.loads(lam.get_policy(FunctionName="rotate-app-db")["Policy"])
        lam.remove_permission(FunctionName="rotate-app-db", StatementId="SecretsManagerAccess")
    except ClientError as e:
        s.findings["moto"].append(Finding("moto", "LambdaAddPermission", str(e)))
        return

    def normal(stmt):
        stmt = {k: v for k, v in stmt.items() if k != "Sid"}
        stmt["Condition"] = {
            op: {k.lower(): v for k, v in keys.items()} for op, keys in stmt.get("Condition", {}).items()
        }
        return stmt

    (stored,) = policy["Statement"]
    if policy.get("Id") != doc.get("Id") or normal(stored) != normal(ours):
        s.findings["moto"].append(
            Finding("moto", "LambdaPolicyDiffers", f"get_policy returned {json.dumps(policy)}")
        )


# --------------------------------------------------------------------------
# parliament


def run_parliament(subjects: list[Subject]) -> None:
    from parliament import analyze_policy_string

    for s in subjects:
        text = s.text.decode("utf-8", errors="replace")
        try:
            policy = analyze_policy_string(text)
        except Exception as e:  # parliament's own bugs: a verdict of "crashed", not a skip
            s.findings["parliament"].append(Finding("parliament", f"CRASH:{type(e).__name__}", str(e)))
            continue
        for f in policy.findings:
            s.findings["parliament"].append(Finding("parliament", f.issue, json.dumps(f.detail, default=str)))


# --------------------------------------------------------------------------
# cfn-lint


def cfn_resources(s: Subject, doc, logical: str) -> dict:
    out = {}
    if s.policy_type == "identity":
        out[f"{logical}M"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": doc}}
        if s.kind == "generated":
            out[f"{logical}R"] = {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": LAMBDA_TRUST,
                    "Policies": [{"PolicyName": "rotation", "PolicyDocument": doc}],
                },
            }
    else:
        out[f"{logical}Q"] = {
            "Type": "AWS::SQS::QueuePolicy",
            "Properties": {
                "Queues": ["https://sqs.us-east-1.amazonaws.com/111122223333/q"],
                "PolicyDocument": doc,
            },
        }
        if s.lambda_permission:
            (stmt,) = doc["Statement"]
            cond = stmt.get("Condition", {})
            props = {
                "Action": stmt["Action"],
                "FunctionName": stmt["Resource"],
                "Principal": stmt["Principal"]["Service"],
                "SourceAccount": cond["StringEquals"]["aws:SourceAccount"],
            }
            if "ArnLike" in cond:
                props["SourceArn"] = cond["ArnLike"]["aws:SourceArn"]
            out[f"{logical}P"] = {"Type": "AWS::Lambda::Permission", "Properties": props}
    return out


def run_cfn_lint(venv_bin: Path, subjects: list[Subject], workdir: Path) -> float:
    resources: dict = {}
    owner: dict[str, Subject] = {}
    for i, s in enumerate(subjects):
        doc = strict_json(s.text)
        if doc is None:
            s.na["cfn-lint"] = "not strict JSON: cannot be embedded in a template"
            continue
        for logical, res in cfn_resources(s, doc, f"S{i}").items():
            resources[logical] = res
            owner[logical] = s
    # cfn-lint refuses a template over 1,000,000 bytes (E1002): the
    # resources go into as many templates as keep each well under that
    # (nesting adds a few bytes a line to the estimate), linted in one run.
    chunks: list[dict] = [{}]
    size = 0
    for logical, res in resources.items():
        piece = len(json.dumps({logical: res}, indent=1))
        if chunks[-1] and size + piece > 700_000:
            chunks.append({})
            size = 0
        chunks[-1][logical] = res
        size += piece
    templates = []
    for n, chunk in enumerate(chunks):
        template = workdir / f"oracles.template.{n}.json"
        template.write_text(json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": chunk}, indent=1))
        templates.append(str(template))
    start = time.monotonic()
    proc = subprocess.run(
        [str(venv_bin / "cfn-lint"), "--format", "json", "--", *templates], capture_output=True
    )
    elapsed = time.monotonic() - start
    # cfn-lint's exit code is a bit mask of the levels found (2 error, 4 warning,
    # 8 informational); 1 means it failed to run.
    if proc.returncode & 1 or proc.returncode > 14:
        raise HarnessError(f"cfn-lint failed ({proc.returncode}): {proc.stderr.decode()[:2000]}")
    for m in json.loads(proc.stdout or b"[]"):
        path = m.get("Location", {}).get("Path") or []
        if len(path) < 2 or path[0] != "Resources" or path[1] not in owner:
            raise HarnessError(f"cfn-lint finding outside a subject's resource: {m}")
        logical = path[1]
        resource_type = resources[logical]["Type"]
        owner[logical].findings["cfn-lint"].append(
            Finding("cfn-lint", m["Rule"]["Id"], f"{resource_type}: {m['Message']}")
        )
    return elapsed


# --------------------------------------------------------------------------
# Classification


def apply_allow_list(subjects: list[Subject], allow: list[AllowEntry]) -> None:
    for s in subjects:
        for tool in TOOLS:
            for f in s.findings[tool]:
                for e in allow:
                    if e.matches(s, tool, f.code, f.detail):
                        f.allowed_by = e.id
                        e.used += 1
                        break


def rejects(s: Subject, tool: str) -> bool:
    """The tool flags the document (a crash of the tool is no verdict)."""
    return any(not f.code.startswith("CRASH:") for f in s.effective(tool))


def classify(s: Subject, scope: dict[str, set[str]], allow: list[AllowEntry]) -> None:
    our_codes = {c for c, _ in s.our}
    our_errors = {c for c, sev in s.our if sev == "error"}
    allow_listed = any(f.allowed_by for t in TOOLS for f in s.findings[t])

    if s.kind == "generated":
        # Our own view of generated documents is checked by the Rust tests
        # (aws-doc-2021's role policy is flagged on purpose); here the
        # oracles must accept every one.
        for tool in TOOLS:
            for f in s.effective(tool):
                s.problems.append(f"{tool} rejects a generated document: {f.code}: {f.detail}")
        s.status = "DISAGREE" if s.problems else ("allow-listed" if allow_listed else "agree")
        return

    if s.expect_clean:
        if our_codes:
            s.problems.append(f"our linter flags a clean fixture: {sorted(our_codes)}")
        for tool in TOOLS:
            for f in s.effective(tool):
                s.problems.append(f"{tool} flags a clean fixture: {f.code}: {f.detail}")
        s.status = "DISAGREE" if s.problems else ("allow-listed" if allow_listed else "agree")
        return

    # A bad fixture (or a real one with expected codes).
    if not our_codes and not any(rejects(s, t) for t in TOOLS):
        s.problems.append("no oracle and not our linter flags this bad fixture")
    unknown = our_errors - scope.keys()
    if unknown:
        s.problems.append(f"codes missing from tests/oracles/scope.tsv: {sorted(unknown)}")
    expected_catchers = set().union(*(scope.get(c, set()) for c in our_errors)) if our_errors else set()
    missed = []
    for tool in sorted(expected_catchers):
        if tool in s.na or rejects(s, tool):
            continue
        entry = next((e for e in allow if e.matches(s, tool, "ACCEPTS", "")), None)
        if entry:
            entry.used += 1
            allow_listed = True
        else:
            missed.append(tool)
    for tool in missed:
        s.problems.append(
            f"{tool} accepts it although we report {sorted(c for c in our_errors if tool in scope.get(c, ()))}, "
            f"which {tool} checks (scope.tsv)"
        )
    # An oracle that rejects outright (moto's MalformedPolicyDocument, a
    # cfn-lint error) a document we report no error for is stricter than us.
    if not our_errors:
        for tool in ("moto", "cfn-lint"):
            for f in s.effective(tool):
                if tool == "moto" or f.code.startswith("E"):
                    s.problems.append(f"{tool} rejects it ({f.code}: {f.detail}) but we report no error")
    if s.problems:
        s.status = "DISAGREE"
    elif not expected_catchers:
        s.status = "beyond oracles"
    elif allow_listed:
        s.status = "allow-listed"
    else:
        s.status = "agree"


# --------------------------------------------------------------------------
# Report


def cell(s: Subject, tool: str) -> str:
    if tool in s.na:
        return f"n/a ({s.na[tool]})"
    fs = s.findings[tool]
    if tool == "moto":
        if not fs:
            return "accepts"
        return "; ".join(f"rejects: {f.detail}" + (f" (allow-listed: {f.allowed_by})" if f.allowed_by else "") for f in fs)
    return ", ".join(sorted({f.shown() for f in fs})) or "-"


def md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_report(out: Path, subjects: list[Subject], gen_stats: dict, allow: list[AllowEntry], timings: dict) -> str:
    counts: dict[str, dict[str, int]] = {}
    for s in subjects:
        counts.setdefault(s.kind, {}).setdefault(s.status, 0)
        counts[s.kind][s.status] += 1
    lines = ["# Oracle agreement table", ""]
    lines.append(
        "Produced by `scripts/oracles.py` (rules: tests/oracles/README.md). Oracles: moto, parliament, "
        "cfn-lint (versions in requirements-test.txt)."
    )
    lines += ["", "## Summary", "", "| subjects | agree | allow-listed | beyond oracles | DISAGREE |", "|---|---|---|---|---|"]
    for kind in ("generated", "bad", "good", "real"):
        c = counts.get(kind, {})
        lines.append(
            f"| {kind} ({sum(c.values())}) | {c.get('agree', 0)} | {c.get('allow-listed', 0)} | "
            f"{c.get('beyond oracles', 0)} | {c.get('DISAGREE', 0)} |"
        )
    lines += [
        "",
        f"Generated: {gen_stats['combinations']} option combinations, {gen_stats['distinct_documents']} distinct "
        f"documents, {gen_stats['placeholders_filled']} placeholders filled as `Fn::Sub` would.",
        "",
        "Timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()),
        "",
        "## Allow-list entries used",
        "",
        "| id | tool | code | uses | reason |",
        "|---|---|---|---|---|",
    ]
    for e in allow:
        lines.append(f"| {e.id} | {e.tool} | {e.code} | {e.used} | {md_escape(e.reason)} |")
    lines += [
        "",
        "## Fixtures",
        "",
        "| fixture | type | our codes | moto | parliament | cfn-lint | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in subjects:
        if s.kind == "generated":
            continue
        ours = ", ".join(c for c, _ in s.our) or "clean"
        verdict = s.status + (": " + "; ".join(s.problems) if s.problems else "")
        lines.append(
            "| "
            + " | ".join(
                md_escape(x)
                for x in (s.name, s.policy_type, ours, cell(s, "moto"), cell(s, "parliament"), cell(s, "cfn-lint"), verdict)
            )
            + " |"
        )
    lines += ["", "## Generated documents", "", "| document (first combination) | combinations | moto | parliament | cfn-lint | verdict |", "|---|---|---|---|---|---|"]
    for s in subjects:
        if s.kind != "generated":
            continue
        verdict = s.status + (": " + "; ".join(s.problems) if s.problems else "")
        lines.append(
            "| " + " | ".join(md_escape(x) for x in (s.name, str(s.combinations), cell(s, "moto"), cell(s, "parliament"), cell(s, "cfn-lint"), verdict)) + " |"
        )
    text = "\n".join(lines) + "\n"
    out.mkdir(parents=True, exist_ok=True)
    (out / "agreement.md").write_text(text)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cli", required=True, help="the built rotation-policy binary")
    parser.add_argument("--option-space", required=True, help="the built option-space binary (tests/option-space)")
    parser.add_argument("--out", default=str(ROOT / "target" / "oracles"))
    args = parser.parse_args()
    venv_bin = Path(sys.executable).parent
    timings: dict[str, float] = {}
    problems: list[str] = []
    started = time.monotonic()

    allow = load_allow_list()
    scope = load_scope()

    t = time.monotonic()
    space = load_option_space(args.option_space)
    generated, gen_stats = generated_subjects(args.cli, space, problems)
    timings["generate"] = time.monotonic() - t
    subjects = generated + corpus_subjects()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        t = time.monotonic()
        run_our_linter(args.cli, subjects, workdir)
        timings["ours"] = time.monotonic() - t
        t = time.monotonic()
        run_moto(subjects, space.fill["${AWS::AccountId}"])
        timings["moto"] = time.monotonic() - t
        t = time.monotonic()
        run_parliament(subjects)
        timings["parliament"] = time.monotonic() - t
        timings["cfn-lint"] = run_cfn_lint(venv_bin, subjects, workdir)

    apply_allow_list(subjects, allow)
    for s in subjects:
        classify(s, scope, allow)
    timings["total"] = time.monotonic() - started
    write_report(Path(args.out), subjects, gen_stats, allow, timings)

    for e in allow:
        if e.used == 0:
            problems.append(f"allow-list entry {e.id} matched nothing: remove it or fix it")
    for s in subjects:
        for p in s.problems:
            problems.append(f"{s.name}: {p}")
    kinds = {}
    for s in subjects:
        kinds[s.status] = kinds.get(s.status, 0) + 1
    print(
        f"oracles: {len(subjects)} subjects ({gen_stats['combinations']} combinations -> "
        f"{sum(1 for s in subjects if s.kind == 'generated')} generated documents, "
        f"{sum(1 for s in subjects if s.kind != 'generated')} fixtures): "
        + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))
        + f"; {timings['total']:.1f} s; table: {Path(args.out) / 'agreement.md'}"
    )
    if problems:
        for p in problems:
            print(f"oracles: FAIL {p}", file=sys.stderr)
        print(f"oracles: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except HarnessError as e:
        print(f"oracles: cannot run: {e}", file=sys.stderr)
        sys.exit(1)
