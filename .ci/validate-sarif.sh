#!/usr/bin/env bash
# Validates SARIF files the way GitHub code scanning will read them, offline.
#
#   .ci/validate-sarif.sh FILE.sarif...
#
# For each file:
#   1. JSON schema: check-jsonschema (PyPI) against the SARIF 2.1.0 schema shipped in the
#      @microsoft/sarif-multitool npm package;
#   2. Microsoft SARIF Multitool `validate` with the SARIF, GitHub (Gh) and GitHub Advanced
#      Security ingestion (Ghas) rule sets.
# Exits 1 if the schema check fails or the multitool reports any error or warning (its own exit
# code stays 0 on rule failures, so its output log is read instead). Notes are listed, not fatal.
#
# The tools are installed once, idempotently, into ${SARIF_TOOLS_DIR} (default
# ~/.cache/exavault-migrate-sarif-tools): needs node/npm and python3 (with venv).
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 FILE.sarif..." >&2
    exit 2
fi

TOOLS_DIR="${SARIF_TOOLS_DIR:-$HOME/.cache/exavault-migrate-sarif-tools}"
MULTITOOL_VERSION="${SARIF_MULTITOOL_VERSION:-5.7.0}"
CHECK_JSONSCHEMA_VERSION="${CHECK_JSONSCHEMA_VERSION:-0.39.0}"
PKG_DIR="$TOOLS_DIR/node_modules/@microsoft/sarif-multitool-linux"
MULTITOOL="$PKG_DIR/Sarif.Multitool"
SCHEMA="$PKG_DIR/sarif-2.1.0.json"
VENV="$TOOLS_DIR/venv"
CHECK_JSONSCHEMA="$VENV/bin/check-jsonschema"

log() { echo "validate-sarif: $*" >&2; }

install_tools() {
    mkdir -p "$TOOLS_DIR"
    if [ ! -x "$MULTITOOL" ] || [ ! -f "$SCHEMA" ]; then
        log "installing @microsoft/sarif-multitool@$MULTITOOL_VERSION into $TOOLS_DIR"
        (
            cd "$TOOLS_DIR"
            [ -f package.json ] || npm init -y >/dev/null
            npm install --no-audit --no-fund --loglevel=error \
                "@microsoft/sarif-multitool@$MULTITOOL_VERSION" >&2
        )
        # npm may skip the package's postinstall (chmod u+x); make sure the binary runs.
        chmod u+x "$MULTITOOL" 2>/dev/null || true
    fi
    if [ ! -x "$MULTITOOL" ]; then
        log "the multitool binary is missing after install: $MULTITOOL (not linux-x64?)"
        exit 2
    fi
    if [ ! -x "$CHECK_JSONSCHEMA" ]; then
        log "installing check-jsonschema==$CHECK_JSONSCHEMA_VERSION into $VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet --disable-pip-version-check \
            "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" >&2
    fi
}

install_tools

OUT_DIR="$(mktemp -d)"
trap 'rm -rf "$OUT_DIR"' EXIT

status=0
n=0
for file in "$@"; do
    n=$((n + 1))
    if [ ! -f "$file" ]; then
        echo "FAIL $file: no such file"
        status=1
        continue
    fi

    schema_log="$OUT_DIR/schema-$n.txt"
    if "$CHECK_JSONSCHEMA" --schemafile "$SCHEMA" "$file" >"$schema_log" 2>&1; then
        schema_ok=1
    else
        schema_ok=0
    fi

    mt_out="$OUT_DIR/multitool-$n.sarif"
    mt_log="$OUT_DIR/multitool-$n.txt"
    # The file goes before the list options (`--level A;B FILE` swallows FILE), and the
    # binary is called directly: `npx` runs through a shell that splits the lists at `;`.
    # The multitool skips files over 10,000 KB unless told otherwise; GitHub's own limit is
    # 10 MB *gzipped*, so allow any size here.
    size_kb=$(( $(wc -c <"$file") / 1024 + 1024 ))
    if ! "$MULTITOOL" validate "$file" --rule-kind "Sarif;Gh;Ghas" \
        --level "Error;Warning;Note" --max-file-size-in-kb "$size_kb" \
        -o "$mt_out" --log ForceOverwrite >"$mt_log" 2>&1 ||
        [ ! -s "$mt_out" ]; then
        echo "FAIL $file: the multitool did not run"
        sed 's/^/    /' "$mt_log"
        status=1
        continue
    fi

    # One verdict line, then the findings: errors and warnings fail, notes are listed.
    if ! python3 - "$file" "$mt_out" "$schema_ok" "$schema_log" <<'PY'; then
import json
import sys

file, mt_out, schema_ok, schema_log = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
with open(mt_out, encoding="utf-8-sig") as f:
    log = json.load(f)
counts = {"error": 0, "warning": 0, "note": 0}
items = []
for run in log.get("runs", []):
    rules = {r.get("id"): r for r in run.get("tool", {}).get("driver", {}).get("rules", []) or []}
    for res in run.get("results", []) or []:
        level = res.get("level", "warning")
        if level not in counts:
            continue
        counts[level] += 1
        rule_id = res.get("ruleId", "?")
        rule = rules.get(rule_id, {})
        name = rule.get("name", "")
        msg = res.get("message", {})
        text = msg.get("text")
        if text is None and "id" in msg:
            fmt = (rule.get("messageStrings", {}).get(msg["id"], {}) or {}).get("text", msg["id"])
            try:
                text = fmt.format(*msg.get("arguments", []))
            except (IndexError, KeyError):
                text = fmt
        items.append((level, rule_id, name, " ".join((text or "").split())))
failed = (not schema_ok) or counts["error"] > 0 or counts["warning"] > 0
verdict = "FAIL" if failed else "PASS"
print(
    f"{verdict} {file}: schema {'ok' if schema_ok else 'INVALID'}, "
    f"multitool {counts['error']} errors, {counts['warning']} warnings, {counts['note']} notes"
)
if not schema_ok:
    with open(schema_log, encoding="utf-8", errors="replace") as f:
        for line in f:
            print("    schema: " + line.rstrip())
# Errors and warnings one by one; notes grouped by rule, with a count and one example.
for level, rule_id, name, text in items:
    if level != "note":
        print(f"    {level}: {rule_id} {name}: {text}")
notes = {}
for level, rule_id, name, text in items:
    if level == "note":
        entry = notes.setdefault((rule_id, name), [0, text])
        entry[0] += 1
for (rule_id, name), (count, example) in sorted(notes.items()):
    print(f"    note: {rule_id} {name} x{count}, e.g. {example}")
sys.exit(1 if failed else 0)
PY
        status=1
    fi
done
exit "$status"
