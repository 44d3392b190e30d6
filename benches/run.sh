#!/usr/bin/env bash
# Performance benchmark for exavault-migrate. Run from anywhere:
#
#   bash benches/run.sh
#
# 1. builds the release binary and the tree-sitter parse-only reference (benches/parse-only/);
# 2. generates the synthetic trees bench-data/tree-s1 (>= 20,000 files, >= 150 MB) and
#    bench-data/tree-s2 (twice that) with benches/gen_tree.py, unless they are there already;
# 3. installs ripgrep if it is missing (apt-get; skipped with a message when that fails);
# 4. warms the page cache, then times every command REPS times (median wall time, peak RSS),
#    interleaving each reference with the scans compared to it;
# 5. counts instructions under callgrind on a small subset (noise-free ratios; needs valgrind);
# 6. prints the results table and writes it as JSON to bench-data/results.json.
#
# Environment:
#   REPS=3          repetitions per command (3-5; the median is reported)
#   BENCH_DATA=DIR  where trees, binaries and results go (default: bench-data/ in the repo,
#                   which is git-ignored)
#   SKIP_BUILD=1    use the binaries already copied to $BENCH_DATA/bin
#   INSTRUCTIONS=0  skip the instruction counts (step 5, a few minutes under valgrind)
#
# Targets are reported, never asserted: the script exits 0 whether they pass or miss, and
# non-zero only when a command fails (exit code other than 0 or 1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCHES="$ROOT/benches"
DATA="${BENCH_DATA:-$ROOT/bench-data}"
REPS="${REPS:-3}"
JOBS=2
mkdir -p "$DATA/bin" "$DATA/out"
DATA="$(cd "$DATA" && pwd)"
RAW="$DATA/raw.tsv"
META="$DATA/meta.json"
T1="$DATA/tree-s1"
T2="$DATA/tree-s2"
started=$EPOCHREALTIME

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

load_before="$(uptime)"
log "machine: $(nproc) cores; $load_before"

# --- 1. binaries --------------------------------------------------------------------------
# Copies of the binaries are measured, so a rebuild by someone else mid-run changes nothing.
EVM="$DATA/bin/exavault-migrate"
PARSE_ONLY="$DATA/bin/parse-only"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "cargo build --release"
  (cd "$ROOT" && cargo build --release --quiet)
  cp "$ROOT/target/release/exavault-migrate" "$EVM"
  # What was built: the commit and whether the work tree had uncommitted changes.
  echo "$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown), built $(date '+%Y-%m-%d %H:%M')" > "$DATA/bin/exavault-migrate.build"
  log "building the parse-only reference (benches/parse-only, target/parse-only)"
  cargo build --release --quiet --manifest-path "$BENCHES/parse-only/Cargo.toml" --target-dir "$ROOT/target/parse-only"
  cp "$ROOT/target/parse-only/release/parse-only" "$PARSE_ONLY"
fi

# --- 2. trees -----------------------------------------------------------------------------
for scale in 1 2; do
  tree="$DATA/tree-s$scale"
  if [ -f "$tree.manifest.json" ] && [ -d "$tree" ]; then
    log "tree-s$scale present: $(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("%d files, %.1f MB, %d ExaVault files" % (m["files"], m["bytes"] / 1e6, m["exavault_files"]))' "$tree.manifest.json")"
  else
    rm -rf "$tree" "$tree.manifest.json"
    log "generating tree-s$scale"
    python3 "$BENCHES/gen_tree.py" "$tree" "$scale"
  fi
done

# GNU time gives the peak RSS (%M).
if [ ! -x /usr/bin/time ]; then
  log "/usr/bin/time not found: apt-get install -y time"
  { apt-get install -y -qq time || { apt-get update -qq && apt-get install -y -qq time; }; } >/dev/null 2>&1 || true
  [ -x /usr/bin/time ] || { log "GNU time (/usr/bin/time) is required"; exit 2; }
fi

# --- 3. ripgrep ---------------------------------------------------------------------------
RG="$(command -v rg || true)"
if [ -z "$RG" ]; then
  log "ripgrep not found: trying apt-get install -y ripgrep"
  if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    { $SUDO apt-get install -y -qq ripgrep || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq ripgrep; }; } >/dev/null 2>&1 || true
  fi
  RG="$(command -v rg || true)"
  [ -n "$RG" ] || log "ripgrep unavailable: the rg rows are skipped"
fi

# rg pattern file: every v1.x operation name from the catalog, plus "exavault".
PATTERNS="$DATA/patterns.txt"
"$EVM" rules --format json | python3 -c '
import json, sys
ops = [o["name"] for o in json.load(sys.stdin)["operations"]]
print("\n".join(ops + ["exavault"]))' > "$PATTERNS"
log "patterns.txt: $(wc -l < "$PATTERNS") literals"

# --- 4. measurements ----------------------------------------------------------------------
log "warming the page cache"
for tree in "$T1" "$T2"; do
  find "$tree" -type f -print0 | xargs -0 cat > /dev/null
done

printf 'id\trep\twall_s\trss_kb\tuser_s\tsys_s\trc\tload1\n' > "$RAW"

# run_once ID REP CMD...: one timed run of CMD (stdout to a file), appended to raw.tsv.
run_once() {
  local id="$1" i="$2"; shift 2
  local out="$DATA/out/$id.out" tf="$DATA/out/$id.time" t0 t1 rc load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  t0=$EPOCHREALTIME
  rc=0
  /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" > "$out" 2>"$DATA/out/$id.err" || rc=$?
  t1=$EPOCHREALTIME
  if [ "$rc" -gt 1 ]; then
    log "$id failed (exit $rc):"; cat "$DATA/out/$id.err" >&2; exit 1
  fi
  # /usr/bin/time adds a "Command exited with non-zero status" line before its own.
  read -r _e rss user sys < <(tail -n 1 "$tf")
  printf '%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\n' "$id" "$i" "$(python3 -c "print(f'{$t1 - $t0:.4f}')")" "$rss" "$user" "$sys" "$rc" "$load" >> "$RAW"
  log "$id #$i: $(tail -n 1 "$RAW" | cut -f3) s, $((rss / 1024)) MB, exit $rc"
}

# interleave ID ARRAY [ID ARRAY ...]: REPS rounds, each running every command once in turn, so
# that a slow phase of a shared machine hits the reference and our scan alike. ARRAY names a
# bash array holding the command.
interleave() {
  local i k
  for ((i = 1; i <= REPS; i++)); do
    for ((k = 1; k < $#; k += 2)); do
      local -n cmd="${@:k+1:1}"
      run_once "${@:k:1}" "$i" "${cmd[@]}"
      unset -n cmd
    done
  done
}

SCAN=("$EVM" scan --format json -q)
RG_S1=("$RG" -c -F -f "$PATTERNS" "$T1")
RG_S2=("$RG" -c -F -f "$PATTERNS" "$T2")
SCAN_S1=("${SCAN[@]}" --jobs $JOBS "$T1")
SCAN_S2=("${SCAN[@]}" --jobs $JOBS "$T2")
PARSE_ONLY_S1=("$PARSE_ONLY" --jobs $JOBS "$T1")
FULL_S1=("${SCAN[@]}" --no-prefilter --jobs $JOBS "$T1")
FULL_S1_J1=("${SCAN[@]}" --no-prefilter --jobs 1 "$T1")
FULL_S2=("${SCAN[@]}" --no-prefilter --jobs $JOBS "$T2")

# One untimed run per tree with a JSON report (it also serves as the warm-up): its summary
# says how many files the prefilter let through, and its findings are checked against the
# generator's manifest.
"${SCAN[@]}" --jobs $JOBS --json-output "$DATA/out/scan_s1.json" "$T1" || [ $? -eq 1 ]
"${SCAN[@]}" --jobs $JOBS --json-output "$DATA/out/scan_s2.json" "$T2" || [ $? -eq 1 ]
if [ -n "$RG" ]; then
  "${RG_S1[@]}" > /dev/null || true
  interleave rg_s1 RG_S1 scan_s1 SCAN_S1
  interleave rg_s2 RG_S2 scan_s2 SCAN_S2
else
  interleave scan_s1 SCAN_S1
  interleave scan_s2 SCAN_S2
fi
interleave parse_only_s1 PARSE_ONLY_S1 full_s1 FULL_S1 full_s1_j1 FULL_S1_J1
interleave full_s2 FULL_S2

# --- 5. instruction counts ----------------------------------------------------------------
# Wall time on a shared machine drifts by tens of percent from one minute to the next; the
# number of instructions a program executes does not. Under callgrind (valgrind), each command
# runs once on a small subset of tree-s1 (its first three projects, hard-linked into
# tree-sub/): the full-parse scan against parse-only, both with one thread, and the default
# scan against ripgrep. Counts cover user-space instructions only (no I/O, no kernel time), so
# they complement the timed rows rather than replace them. INSTRUCTIONS=0 skips this step.
INSTR="$DATA/instructions.tsv"
rm -f "$INSTR"
if [ "${INSTRUCTIONS:-1}" = 1 ] && command -v valgrind > /dev/null; then
  SUB="$DATA/tree-sub"
  if [ ! -d "$SUB" ]; then
    mkdir -p "$SUB/services"
    for project in $(ls "$T1/services" | sort | head -n 3); do
      cp -al "$T1/services/$project" "$SUB/services/$project"
    done
  fi
  log "tree-sub: $(find "$SUB" -type f | wc -l) files, $(du -sb "$SUB" | cut -f1) bytes"
  # ir ID CMD...: instructions executed by CMD (all threads), from callgrind's totals line.
  ir() {
    local id="$1"; shift
    local cg="$DATA/out/$id.callgrind"
    valgrind --tool=callgrind --callgrind-out-file="$cg" "$@" > /dev/null 2> "$DATA/out/$id.valgrind" || true
    local n
    n="$(awk '/^(summary|totals):/ { print $2 }' "$cg" | tail -n 1)"
    [ -n "$n" ] || { log "$id: no instruction count (see $DATA/out/$id.valgrind)"; return; }
    printf '%s\t%s\n' "$id" "$n" >> "$INSTR"
    log "$id: $n instructions"
  }
  ir ir_parse_only_sub "$PARSE_ONLY" --jobs 1 "$SUB"
  ir ir_full_sub "${SCAN[@]}" --no-prefilter --jobs 1 "$SUB"
  ir ir_scan_sub "${SCAN[@]}" --jobs 1 "$SUB"
  [ -n "$RG" ] && ir ir_rg_sub "$RG" -j 1 -c -F -f "$PATTERNS" "$SUB"
else
  log "instruction counts skipped (INSTRUCTIONS=0 or valgrind not installed)"
fi

load_after="$(uptime)"
log "done in $(python3 -c "print(f'{$EPOCHREALTIME - $started:.0f}')") s; $load_after"

python3 - "$META" <<EOF
import json, sys
json.dump({
    "nproc": $(nproc),
    "reps": $REPS,
    "jobs": $JOBS,
    "uptime_before": """$load_before""".strip(),
    "uptime_after": """$load_after""".strip(),
    "rg": """$( [ -n "$RG" ] && { "$RG" --version | sed -n 1p; } || echo none )""".strip(),
    "exavault_migrate": """$("$EVM" --version)""".strip(),
    "git": """$(cat "$DATA/bin/exavault-migrate.build" 2>/dev/null || echo unknown)""".strip(),
    "parse_only_stderr": """$(cat "$DATA/out/parse_only_s1.err")""".strip(),
}, open(sys.argv[1], "w"), indent=1)
EOF

# --- 6. report ----------------------------------------------------------------------------
python3 "$BENCHES/report.py" "$DATA"
