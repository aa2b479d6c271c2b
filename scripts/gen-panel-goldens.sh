#!/usr/bin/env bash
# Records what `go tool pprof` prints for the panel's views (sandwich, call tree, transforms) on
# the checked-in fixture profiles, into test/fixtures/golden-panel/<profile>/: for each function
# of FUNCS, -peek '^f$' (its callers and callees) and -top -focus '^f$' -show_from '^f$' (what its
# callees tree holds); for each profile, -tree with nothing dropped. test/unit/sandwich.test.ts and
# test/unit/callTree.test.ts compare with them field by field. Runs anywhere (no sources needed):
# every command uses -symbolize=none and TZ=UTC. Needs Go 1.19 (ALLOW_ANY_GO=1 to use another).
set -euo pipefail
cd "$(dirname "$0")/.."
FIX="$(pwd)/test/fixtures"
OUT="$FIX/golden-panel"
GOVERSION="$(go env GOVERSION)"
case "$GOVERSION" in go1.19*) ;; *) [ "${ALLOW_ANY_GO:-}" = 1 ] || { echo "goldens are Go 1.19's pprof, this is $GOVERSION" >&2; exit 1; } ;; esac
export TZ=UTC
W='example\.com/fixtures/internal/work\.'
# profile|sample index|function regexps (anchored, escaped)
CASES=(
  "cpu.pb.gz|cpu|^${W}Fib\$ ^${W}Hash\$ ^${W}mix\$ ^main\.countWords\$ ^main\.main\$ ^runtime\.main\$"
  "heap.pb.gz|alloc_space|^main\.keep\$ ^${W}MakeBuffers\$ ^main\.main\$"
  "labels.pb.gz|cpu|^${W}Hash\$ ^${W}Fib\$"
  "goroutine.pb.gz|goroutine|^runtime\.gopark\$ ^runtime\.chanrecv\$ ^main\.waitOnMutex\$"
)
rm -rf "$OUT"
for c in "${CASES[@]}"; do
  IFS='|' read -r prof si funcs <<<"$c"
  d="$OUT/${prof%%.*}"
  mkdir -p "$d"
  : >"$d/commands.tsv"
  run() { # output file, args...
    local out="$1"; shift
    (cd "$FIX" && go tool pprof -symbolize=none "$@" >"$d/$out" 2>/dev/null)
    printf '%s\t%s\n' "$out" "go tool pprof -symbolize=none $(printf "'%s' " "$@")" >>"$d/commands.tsv"
  }
  run tree.txt -tree -sample_index="$si" -nodefraction=0 -edgefraction=0 -nodecount=100000 "profiles/$prof"
  i=0
  for f in $funcs; do
    i=$((i + 1))
    run "peek_$i.txt" -peek "$f" -sample_index="$si" "profiles/$prof"
    run "from_$i.txt" -top -nodecount=100000 -sample_index="$si" -focus "$f" -show_from "$f" "profiles/$prof"
  done
done
echo "wrote $OUT"
