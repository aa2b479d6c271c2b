#!/usr/bin/env bash
# Regenerates test/fixtures/escape: builds the Go program in test/fixtures/escape/go under its own
# root (/tmp/pprof-lens-escape/src/example.com/escape, so paths are those of "another machine"),
# runs it to write a heap profile (every allocation sampled) and a CPU profile, and records the
# compiler's diagnostics of the package in both forms pprof-lens reads:
#   diag/m2.txt      go build -gcflags=-m=2 (standard error; paths relative to the package)
#   diag/json/...    go build -gcflags=-json=0,file://<dir> (what gopls's "GC details" reads)
# test/unit/gcdiag.test.ts parses both and, when Go is installed, builds again and compares.
# Needs Go 1.19 (the compiler's words and costs are version-specific; ALLOW_ANY_GO=1 to go on).
set -euo pipefail
cd "$(dirname "$0")/.."
FIX="$(pwd)/test/fixtures/escape"
ROOT=/tmp/pprof-lens-escape
SRC="$ROOT/src/example.com/escape"
die() { echo "gen-escape-fixture: $*" >&2; exit 1; }
command -v go >/dev/null || die "go is not installed"
case "$(go env GOVERSION)" in go1.19*) ;; *) [ "${ALLOW_ANY_GO:-}" = 1 ] || die "the fixture is Go 1.19's output" ;; esac
export TZ=UTC GOWORK=off GO111MODULE=on GOFLAGS= CGO_ENABLED=0

rm -rf "$ROOT" && mkdir -p "$SRC" "$ROOT/bin"
cp -R "$FIX/go/." "$SRC/"
(cd "$SRC" && go vet . && go build -o "$ROOT/bin/escape" .)
mkdir -p "$FIX/profiles"
(cd "$SRC" && "$ROOT/bin/escape" -heap "$FIX/profiles/heap.pb.gz" -cpu "$FIX/profiles/cpu.pb.gz")

rm -rf "$FIX/diag" && mkdir -p "$FIX/diag/json"
(cd "$SRC" && go build -gcflags=-m=2 -o /dev/null . 2>"$FIX/diag/m2.txt")
(cd "$SRC" && go build -gcflags="-json=0,file://$ROOT/json" -o /dev/null .)
cp -R "$ROOT/json/." "$FIX/diag/json/"

# go tool pprof's view of the lines the tests name.
(cd "$SRC" && go tool pprof -symbolize=none -sample_index=alloc_space -list '^main\.' "$FIX/profiles/heap.pb.gz" >"$FIX/diag/heap_alloc_space.list")
(cd "$SRC" && go tool pprof -symbolize=none -list '^main\.spin$' "$FIX/profiles/cpu.pb.gz" >"$FIX/diag/cpu_spin.list")
for f in "$FIX"/profiles/* "$FIX"/diag/m2.txt; do
  [ "$(wc -c <"$f")" -lt 200000 ] || die "$f is 200 KB or more"
done
echo "gen-escape-fixture: wrote $FIX/profiles and $FIX/diag"
