#!/usr/bin/env bash
# Regenerates the Go insight fixtures (issue 13):
#   test/fixtures/goroutines  leakd's goroutine profile, twice (before/after more subscribers leaked),
#                             in the three formats net/http/pprof serves (debug=0 proto, debug=1
#                             text, debug=2 dump), and go tool pprof's -traces and -base goldens
#   test/fixtures/pgo         three CPU profiles of pgodemo (replicas) and `go tool pprof -proto`
#                             of the three merged (what `> default.pgo` writes)
#
#   scripts/gen-insight-fixtures.sh [all|goroutines|pgo]    (goroutines takes ~2.5 min: the
#                                                             snapshots wait 65 s to show wait minutes)
#
# Built and run under /build/pprof-lens-insight/ (another machine's paths, as real profiles carry),
# never in /tmp/gopher.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
ROOT=/build/pprof-lens-insight
WHAT="${1:-all}"
die() { echo "gen-insight-fixtures: $*" >&2; exit 1; }
command -v go >/dev/null || die "go is not installed"
export TZ=UTC GOWORK=off GO111MODULE=on GOFLAGS= CGO_ENABLED=0
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_TMPDIR GOTRACEBACK 2>/dev/null || true
rm -rf "$ROOT" && mkdir -p "$ROOT"
trap 'rm -rf "$ROOT"' EXIT

if [ "$WHAT" = all ] || [ "$WHAT" = goroutines ]; then
  FIX="$REPO/test/fixtures/goroutines"
  SRC="$ROOT/leakd"
  cp -R "$FIX/go" "$SRC"
  (cd "$SRC" && go build -gcflags=all=-l -o "$ROOT/leakd.bin" .)
  P="$FIX/profiles"; G="$FIX/golden"
  rm -rf "$P" "$G" && mkdir -p "$P" "$G"
  (cd "$SRC" && "$ROOT/leakd.bin" -out "$P" -interval "${INTERVAL:-65s}")
  # go tool pprof reads the proto and (given the binary) the debug=1 text; it refuses the dump.
  for s in before after; do
    go tool pprof -traces "$P/$s.pb.gz" >"$G/$s.traces.txt" 2>/dev/null
    go tool pprof -traces "$ROOT/leakd.bin" "$P/$s.txt" >"$G/$s.txt.traces.txt" 2>/dev/null
  done
  go tool pprof -top -lines -nodecount=1000 -base "$P/before.pb.gz" "$P/after.pb.gz" >"$G/base.top_lines.txt" 2>/dev/null
  go tool pprof -top -lines -nodecount=1000 -base "$P/before.txt" "$ROOT/leakd.bin" "$P/after.txt" >"$G/base_txt.top_lines.txt" 2>/dev/null || true
  # A dump compared with a proto or debug=1 text: both sides without the frames a traceback hides.
  go tool pprof -top -lines -nodecount=1000 -hide '^runtime\.[^A-Z]' -base "$P/before.pb.gz" "$P/after.pb.gz" >"$G/base_hide_runtime.top_lines.txt" 2>/dev/null
  go tool pprof -top -nodecount=1000 -hide '^runtime\.[^A-Z]' -base "$P/before.pb.gz" "$P/after.pb.gz" >"$G/base_hide_runtime.top.txt" 2>/dev/null
  grep -q 'chan receive, 2 minutes' "$P/after.dump.txt" || die "after.dump.txt has no 2-minute wait"
  go version >"$G/GO_VERSION"
fi

if [ "$WHAT" = all ] || [ "$WHAT" = pgo ]; then
  FIX="$REPO/test/fixtures/pgo"
  SRC="$ROOT/pgodemo"
  cp -R "$FIX/go" "$SRC"
  (cd "$SRC" && go build -o "$ROOT/pgodemo.bin" .)
  P="$FIX/profiles"; G="$FIX/golden"
  rm -rf "$P" "$G" && mkdir -p "$P" "$G"
  for i in 1 2 3; do (cd "$SRC" && "$ROOT/pgodemo.bin" -cpuprofile "$P/cpu$i.pb.gz" -duration 1200ms -seed "$i" >/dev/null); done
  go tool pprof -proto "$P/cpu1.pb.gz" "$P/cpu2.pb.gz" "$P/cpu3.pb.gz" >"$G/merged.pgo" 2>/dev/null
  go tool pprof -raw "$G/merged.pgo" >"$G/merged.raw.txt" 2>/dev/null
  go tool pprof -top -lines -nodecount=1000 "$G/merged.pgo" >"$G/merged.top_lines.txt" 2>/dev/null
  go version >"$G/GO_VERSION"
fi
for f in "$REPO"/test/fixtures/goroutines/*/* "$REPO"/test/fixtures/pgo/*/*; do
  [ -f "$f" ] && { [ "$(wc -c <"$f")" -lt 200000 ] || die "$f is 200 KB or more"; }
done
echo "gen-insight-fixtures: done"
