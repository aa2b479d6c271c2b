#!/usr/bin/env bash
# Regenerates test/fixtures: builds the Go programs in test/fixtures/go under another root
# (/tmp/gopher/src/example.com/fixtures, so the profiles carry paths of "another machine", as
# real ones do), runs them to write the profiles into test/fixtures/profiles, then records
# `go tool pprof` outputs for every profile and sample type into test/fixtures/golden, with the
# exact commands in each directory's commands.tsv.
#
#   scripts/gen-fixtures.sh                 profiles and goldens
#   scripts/gen-fixtures.sh --goldens-only  goldens from the checked-in profiles
#
# Needs Go (apt-get install -y golang-go). Profiles change from run to run (timing); the goldens
# always match the profiles they were made from.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
FIX="$REPO/test/fixtures"
SRC=/tmp/gopher/src/example.com/fixtures
BIN=/tmp/gopher/bin
MODE="${1:-all}"

command -v go >/dev/null || { echo "gen-fixtures: go is not installed (apt-get install -y golang-go)" >&2; exit 1; }

# The sources live at the profiles' paths, so that go tool pprof -list finds them.
rm -rf "$SRC" && mkdir -p "$SRC" "$BIN"
cp -R "$FIX/go/." "$SRC/"

if [ "$MODE" != "--goldens-only" ]; then
  rm -rf "$FIX/profiles" && mkdir -p "$FIX/profiles"
  P="$FIX/profiles"
  (cd "$SRC" && for cmd in cpu labels heap leak block mutex goroutine threadcreate; do go build -o "$BIN/$cmd" "./$cmd"; done)
  (cd "$SRC" && "$BIN/cpu" -o "$P/cpu.pb.gz")
  (cd "$SRC" && "$BIN/labels" -o "$P/labels.pb.gz")
  (cd "$SRC" && "$BIN/heap" -o "$P/heap.pb.gz" -allocs "$P/allocs.pb.gz")
  (cd "$SRC" && "$BIN/heap" -o /dev/null -legacy "$P/heap_legacy.txt")
  (cd "$SRC" && "$BIN/leak" -before "$P/leak_before.pb.gz" -after "$P/leak_after.pb.gz")
  (cd "$SRC" && "$BIN/block" -o "$P/block.pb.gz" -text "$P/block.txt")
  (cd "$SRC" && "$BIN/mutex" -o "$P/mutex.pb.gz" -text "$P/mutex.txt")
  (cd "$SRC" && "$BIN/goroutine" -o "$P/goroutine.pb.gz" -text "$P/goroutine.txt")
  (cd "$SRC" && "$BIN/threadcreate" -o "$P/threadcreate.pb.gz" -text "$P/threadcreate.txt")
fi

rm -rf "$FIX/golden" && mkdir -p "$FIX/golden"

# run DIR OUT ARGS...: go tool pprof ARGS > DIR/OUT, stderr to DIR/OUT.stderr when not empty,
# and a commands.tsv line "OUT<TAB>exit code<TAB>command" (profile paths relative to test/fixtures).
run() {
  local dir="$1" out="$2"; shift 2
  mkdir -p "$(dirname "$dir/$out")"
  local rc=0
  (cd "$SRC" && go tool pprof "$@" >"$dir/$out" 2>"$dir/$out.stderr") || rc=$?
  [ -s "$dir/$out.stderr" ] || rm -f "$dir/$out.stderr"
  local cmd="go tool pprof $*"
  printf '%s\t%s\t%s\n' "$out" "$rc" "${cmd//$FIX\//}" >>"$dir/commands.tsv"
}

sample_types() { # the -sample_index names of a profile
  (cd "$SRC" && go tool pprof -raw "$1" 2>/dev/null) | awk '/^Samples:/{getline; for (i=1;i<=NF;i++){split($i,a,"/"); print a[1]}; exit}'
}

for f in "$FIX"/profiles/*; do
  # block.pb.gz -> golden/block, block.txt (the debug=1 text form) -> golden/block_text
  name="$(basename "$f")"; case "$name" in *.txt) name="${name%.txt}_text" ;; *) name="${name%.pb.gz}" ;; esac
  dir="$FIX/golden/$name"
  mkdir -p "$dir"
  run "$dir" raw.txt -raw "$f"
  for si in $(sample_types "$f"); do
    run "$dir" "$si/top.txt" -sample_index="$si" -top -nodecount=1000 "$f"
    run "$dir" "$si/top_default.txt" -sample_index="$si" -top "$f"
    run "$dir" "$si/top_cum.txt" -sample_index="$si" -top -cum -nodecount=1000 "$f"
    run "$dir" "$si/top_lines.txt" -sample_index="$si" -top -lines -nodecount=1000 "$f"
    run "$dir" "$si/top_files.txt" -sample_index="$si" -top -files -nodecount=1000 "$f"
    run "$dir" "$si/top_noinlines.txt" -sample_index="$si" -top -noinlines -nodecount=1000 "$f"
    run "$dir" "$si/list.txt" -sample_index="$si" -list 'example\.com/fixtures' "$f"
    run "$dir" "$si/peek.txt" -sample_index="$si" -peek 'example\.com/fixtures' "$f"
  done
done

# Filters on the CPU profiles.
for name in cpu labels; do
  f="$FIX/profiles/$name.pb.gz"; dir="$FIX/golden/$name"
  run "$dir" filters/focus_fib.txt -top -nodecount=1000 -focus=Fib "$f"
  run "$dir" filters/ignore_fib.txt -top -nodecount=1000 -ignore=Fib "$f"
  run "$dir" filters/hide_runtime.txt -top -nodecount=1000 -hide='^runtime\.' "$f"
  run "$dir" filters/show_work.txt -top -nodecount=1000 -show='work\.' "$f"
  run "$dir" filters/focus_hash_lines.txt -top -lines -nodecount=1000 -focus='work\.Hash' "$f"
  run "$dir" filters/relative_focus_fib.txt -top -nodecount=1000 -relative_percentages -focus=Fib "$f"
done
f="$FIX/profiles/labels.pb.gz"; dir="$FIX/golden/labels"
run "$dir" filters/tagfocus_users.txt -top -nodecount=1000 -tagfocus=handler=/api/users "$f"
run "$dir" filters/tagignore_health.txt -top -nodecount=1000 -tagignore=handler=/healthz "$f"
run "$dir" filters/tagfocus_regexp.txt -top -nodecount=1000 '-tagfocus=handler:/api/.*' "$f"

# The leak pair: what grew between the snapshots.
dir="$FIX/golden/leak_diff"; mkdir -p "$dir"
b="$FIX/profiles/leak_before.pb.gz"; a="$FIX/profiles/leak_after.pb.gz"
for si in $(sample_types "$a"); do
  run "$dir" "$si/top_base.txt" -sample_index="$si" -top -nodecount=1000 -base "$b" "$a"
  run "$dir" "$si/top_diff_base.txt" -sample_index="$si" -top -nodecount=1000 -diff_base "$b" "$a"
  run "$dir" "$si/top_lines_base.txt" -sample_index="$si" -top -lines -nodecount=1000 -base "$b" "$a"
  run "$dir" "$si/list_base.txt" -sample_index="$si" -list 'example\.com/fixtures' -base "$b" "$a"
done

go version >"$FIX/golden/GO_VERSION"
echo "gen-fixtures: wrote $(find "$FIX/profiles" -type f | wc -l) profiles and $(find "$FIX/golden" -name '*.txt' | wc -l) goldens"
