#!/usr/bin/env bash
# Regenerates test/fixtures: builds the Go programs in test/fixtures/go under another root
# (/tmp/gopher/src/example.com/fixtures, so the profiles carry paths of "another machine", as
# real ones do), runs them to write the profiles into test/fixtures/profiles, then records
# `go tool pprof` outputs for every profile and sample type into test/fixtures/golden, with the
# exact commands in each directory's commands.tsv. test/fixtures/MANIFEST.md documents the result.
#
#   scripts/gen-fixtures.sh                 profiles and goldens
#   scripts/gen-fixtures.sh --goldens-only  goldens from the checked-in profiles
#
# Needs Go 1.19 (the goldens are Go 1.19's pprof; set ALLOW_ANY_GO=1 to use another version).
# Profiles change from run to run (timing); the goldens always match the profiles they were made
# from. Every pprof run uses TZ=UTC (pprof prints the profile's time in local time) and
# -symbolize=none (no attempt to read the binaries under /tmp/gopher/bin).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
FIX="$REPO/test/fixtures"
MODULE=example.com/fixtures
SRC="/tmp/gopher/src/$MODULE"
BIN=/tmp/gopher/bin
MODE="${1:-all}"
# Our code, for -list and -peek: the module's packages and package main (whose functions are named
# main.*, not by the module path, so 'example\.com/fixtures' alone lists nothing for leak).
OURS='^main\.|^example\.com/fixtures/'
case "$MODE" in all|--goldens-only) ;; *) echo "usage: $0 [--goldens-only]" >&2; exit 2 ;; esac

die() { echo "gen-fixtures: $*" >&2; exit 1; }
command -v go >/dev/null || die "go is not installed (apt-get install -y golang-go)"
GOVERSION="$(go env GOVERSION)"
case "$GOVERSION" in go1.19*) ;; *) [ "${ALLOW_ANY_GO:-}" = 1 ] || die "the goldens are Go 1.19's pprof, this is $GOVERSION (ALLOW_ANY_GO=1 to go on)" ;; esac
export TZ=UTC GOWORK=off GO111MODULE=on GOFLAGS= CGO_ENABLED=0
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_TMPDIR PPROF_NO_BROWSER 2>/dev/null || true

# The sources live at the profiles' paths, so that go tool pprof -list finds them.
rm -rf "$SRC" "$BIN" && mkdir -p "$SRC" "$BIN"
cp -R "$FIX/go/." "$SRC/"
ln -s "$FIX/profiles" "$SRC/profiles" # see run()

P="$FIX/profiles"
if [ "$MODE" = all ]; then
  rm -rf "$P" && mkdir -p "$P"
  (cd "$SRC" && go vet ./... && for cmd in cpu labels heap leak block mutex goroutine threadcreate; do go build -o "$BIN/$cmd" "./$cmd"; done)
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
[ -n "$(ls -A "$P" 2>/dev/null)" ] || die "no profiles in $P"

# Profiles stay small.
for f in "$P"/*; do
  [ "$(wc -c <"$f")" -lt 200000 ] || die "$f is 200 KB or more"
done

rm -rf "$FIX/golden" && mkdir -p "$FIX/golden"

# run DIR OUT ARGS...: go tool pprof -symbolize=none ARGS > DIR/OUT, its standard error to
# DIR/OUT.stderr when not empty, and a commands.tsv line "OUT<TAB>exit code<TAB>command". pprof runs
# in $SRC, where the sources are (Go 1.19's pprof -list looks for them relative to the current
# directory: from test/fixtures it prints "could not find file internal/work/work.go"), with
# profile paths relative to test/fixtures through the symlink $SRC/profiles, so the command is
# exact and stderr carries no machine path. Arguments with shell metacharacters are single-quoted.
run() {
  local dir="$1" out="$2"; shift 2
  mkdir -p "$(dirname "$dir/$out")"
  local args=() a rc=0
  for a in "$@"; do args+=("${a//$FIX\//}"); done
  (cd "$SRC" && go tool pprof -symbolize=none "${args[@]}" >"$dir/$out" 2>"$dir/$out.stderr") || rc=$?
  [ -s "$dir/$out.stderr" ] || rm -f "$dir/$out.stderr"
  local cmd="go tool pprof -symbolize=none"
  for a in "${args[@]}"; do
    case "$a" in *[\\\|\*\?\[\]\(\)\$\ \^]*) cmd+=" '$a'" ;; *) cmd+=" $a" ;; esac
  done
  printf '%s\t%s\t%s\n' "$out" "$rc" "$cmd" >>"$dir/commands.tsv"
}

sample_types() { # the -sample_index names of a profile, in order; nothing when pprof cannot read it
  (cd "$SRC" && go tool pprof -symbolize=none -raw "$1" 2>/dev/null || true) | awk '/^Samples:/{getline; for (i=1;i<=NF;i++){split($i,a,"/"); print a[1]}; exit}'
}

# Per profile and sample type: the reports pprof-lens reproduces. block.pb.gz -> golden/block,
# block.txt (the debug=1 text form) -> golden/block_text.
for f in "$P"/*; do
  name="$(basename "$f")"; case "$name" in *.txt) name="${name%.txt}_text" ;; *) name="${name%.pb.gz}" ;; esac
  dir="$FIX/golden/$name"
  mkdir -p "$dir"
  run "$dir" raw.txt -raw "$f"
  sis="$(sample_types "$f")"
  if [ -z "$sis" ]; then
    # Go 1.19's pprof cannot read every profile Go writes (threadcreate.txt: records with an empty
    # stack, "N @"): the failure of -raw is the golden.
    [ -s "$dir/raw.txt.stderr" ] || die "no sample types in $f"
    echo "gen-fixtures: go tool pprof cannot read $(basename "$f"): $(head -1 "$dir/raw.txt.stderr")" >&2
    continue
  fi
  for si in $sis; do
    run "$dir" "$si/top.txt" -sample_index="$si" -top -nodecount=1000 "$f"
    run "$dir" "$si/top_default.txt" -sample_index="$si" -top "$f"
    run "$dir" "$si/top_cum.txt" -sample_index="$si" -top -cum -nodecount=1000 "$f"
    run "$dir" "$si/top_lines.txt" -sample_index="$si" -top -lines -nodecount=1000 "$f"
    run "$dir" "$si/top_files.txt" -sample_index="$si" -top -files "$f"
    run "$dir" "$si/top_noinlines.txt" -sample_index="$si" -top -noinlines -nodecount=1000 "$f"
    # Go 1.19's pprof ignores the "#\t0x...\tfunc+0x...\tfile:line" comments of debug=1 text
    # profiles: with no function names every report above is one "<unknown>" node; by address it
    # is not.
    case "$name" in *_text) run "$dir" "$si/top_addresses.txt" -sample_index="$si" -top -addresses -nodecount=1000 "$f" ;; esac
    run "$dir" "$si/list.txt" -sample_index="$si" -list "$OURS" "$f"
    run "$dir" "$si/peek.txt" -sample_index="$si" -peek 'main\.' "$f"
    run "$dir" "$si/peek_module.txt" -sample_index="$si" -peek "$OURS" "$f"
    run "$dir" "$si/traces.txt" -sample_index="$si" -traces "$f"
    run "$dir" "$si/tags.txt" -sample_index="$si" -tags "$f"
  done
done

# Filters on the CPU profiles (default sample type, cpu).
for name in cpu labels; do
  f="$P/$name.pb.gz"; dir="$FIX/golden/$name"
  run "$dir" filters/focus_fib.txt -top -nodecount=1000 -focus=Fib "$f"
  run "$dir" filters/ignore_fib.txt -top -nodecount=1000 -ignore=Fib "$f"
  run "$dir" filters/hide_runtime.txt -top -nodecount=1000 -hide='^runtime\.' "$f"
  run "$dir" filters/show_work.txt -top -nodecount=1000 -show='work\.' "$f"
  run "$dir" filters/focus_hash_lines.txt -top -lines -nodecount=1000 -focus='work\.Hash' "$f"
  run "$dir" filters/focus_mix_inlined.txt -top -nodecount=1000 -focus='work\.mix' "$f"
  run "$dir" filters/relative_focus_fib.txt -top -nodecount=1000 -relative_percentages -focus=Fib "$f"
done
f="$P/cpu.pb.gz"; dir="$FIX/golden/cpu"
run "$dir" filters/focus_isspace_inlined.txt -top -nodecount=1000 -focus=isSpace "$f"
run "$dir" filters/hide_inlined_helpers.txt -top -nodecount=1000 '-hide=work\.mix|main\.isSpace' "$f"
run "$dir" filters/show_from_phases.txt -top -nodecount=1000 '-show_from=^main\.(hash|fib)Phase$' "$f"
run "$dir" filters/focus_ignore.txt -top -nodecount=1000 '-focus=main\.main' '-ignore=Fib|Sum' "$f"
f="$P/labels.pb.gz"; dir="$FIX/golden/labels"
run "$dir" filters/tagfocus_users.txt -top -nodecount=1000 -tagfocus=handler=/api/users "$f"
run "$dir" filters/tagignore_health.txt -top -nodecount=1000 -tagignore=handler=/healthz "$f"
run "$dir" filters/tagfocus_regexp.txt -top -nodecount=1000 '-tagfocus=handler:/api/.*' "$f"
run "$dir" filters/tagfocus_orders_list.txt -list "$OURS" -tagfocus=handler=/api/orders "$f"
run "$dir" filters/tagfocus_users_focus_hash.txt -top -nodecount=1000 -tagfocus=handler=/api/users -focus='work\.Hash' "$f"

# The leak pair: what grew between the snapshots.
dir="$FIX/golden/leak_diff"; mkdir -p "$dir"
b="$P/leak_before.pb.gz"; a="$P/leak_after.pb.gz"
for si in $(sample_types "$a"); do
  run "$dir" "$si/top_base.txt" -sample_index="$si" -top -nodecount=1000 -base "$b" "$a"
  run "$dir" "$si/top_diff_base.txt" -sample_index="$si" -top -nodecount=1000 -diff_base "$b" "$a"
  run "$dir" "$si/top_lines_base.txt" -sample_index="$si" -top -lines -nodecount=1000 -base "$b" "$a"
  run "$dir" "$si/list_base.txt" -sample_index="$si" -list "$OURS" -base "$b" "$a"
done

go version >"$FIX/golden/GO_VERSION"

# The properties the fixtures exist for; fail loudly when a run lost one of them.
G="$FIX/golden"
check() { grep -qE -- "$2" "$G/$1" || die "$1 lacks /$2/ ($3)"; }
check cpu/cpu/top.txt 'work\.mix \(inline\)$' 'an inlined function'
check cpu/cpu/top.txt 'main\.isSpace \(inline\)$' 'an inlined helper in a second file'
check cpu/cpu/top.txt 'main\.countWords$' 'a hot function in a second file'
check cpu/cpu/top.txt 'work\.Fib$' 'the recursive function'
check cpu/cpu/list.txt 'ROUTINE =+ example\.com/fixtures/internal/work\.Fib in /tmp/gopher/src/example\.com/fixtures/internal/work/work\.go' '-list found the sources'
check cpu/cpu/list.txt '^ +[0-9.]+m?s +[0-9.]+m?s +[0-9]+:' 'list lines with values'
for h in /api/users /api/orders /healthz; do check labels/cpu/tags.txt "$h" "label handler=$h"; done
[ "$(sample_types "$P/heap.pb.gz" | tr '\n' ' ')" = "alloc_objects alloc_space inuse_objects inuse_space " ] || die "heap.pb.gz: not the 4 heap sample types"
grep -qE '^heap profile: [0-9]+: [0-9]+ \[[0-9]+: [0-9]+\] @ heap/8192$' "$P/heap_legacy.txt" || die "heap_legacy.txt: unexpected header"
awk -F'[: ]+' '/^[0-9]+: [0-9]+ \[/ && $2 > 524288 {ok=1} END{exit !ok}' "$P/heap_legacy.txt" || die "heap_legacy.txt: keep()'s live buffers were not sampled"
grep -qE '^0: 0 \[[1-9][0-9]*: [1-9][0-9]*\] @' "$P/heap_legacy.txt" || die "heap_legacy.txt: no bucket with zero in-use counts"
awk '/^ +[0-9]/{print; exit}' "$G/leak_diff/inuse_space/top_base.txt" | grep -q 'main\.remember' || die "leak diff: main.remember is not the top grower"
check leak_diff/inuse_space/list_base.txt '^ +[0-9.]+[kM]?B +[0-9.]+[kM]?B +[0-9]+:\s+cache\[key\] = make' 'list -base shows the growing line'
check leak_diff/inuse_space/top_lines_base.txt 'main\.remember /tmp/gopher/src/example\.com/fixtures/leak/main\.go:[0-9]+ \(inline\)$' 'the growing line'
for p in block mutex goroutine threadcreate; do
  for form in "$p" "${p}_text"; do
    [ "$form" = threadcreate_text ] && continue # pprof cannot read it (see above)
    awk '/^Samples:/{s=1; getline; next} s&&/^Locations/{exit} s&&NF{n++} END{exit !(n>0)}' "$G/$form/raw.txt" || die "$form has no samples"
  done
done
size="$(du -sk "$FIX" | cut -f1)"
[ "$size" -lt 5120 ] || die "test/fixtures is ${size} KB (over 5 MB)"
echo "gen-fixtures: $GOVERSION, $(find "$P" -type f | wc -l) profiles, $(find "$G" -name '*.txt' | wc -l) goldens, test/fixtures ${size} KB"
