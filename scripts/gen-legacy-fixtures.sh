#!/usr/bin/env bash
# Regenerates test/fixtures/legacy: Go's legacy debug=1 text profiles (heap, allocs, block, mutex,
# goroutine, threadcreate), goroutine dumps (debug=2, a panic and a SIGQUIT traceback with
# GOTRACEBACK=all) and the goldens: what `go tool pprof` prints GIVEN THE BINARY, which
# symbolizes every address of the texts. pprof-lens reads the names from the texts' "#" lines
# instead and must print the same numbers for every function the text names.
#
#   scripts/gen-legacy-fixtures.sh                 programs, profiles and goldens (about 2.5 minutes:
#                                                  the leak dumps are 65 s apart, to show waits in minutes)
#   scripts/gen-legacy-fixtures.sh --goldens-only  goldens from the checked-in profiles (rebuilds the
#                                                  binary; the addresses must not have moved)
#
# The programs in test/fixtures/legacy/go are built under /tmp/pprof-lens-legacy (another machine's
# paths, as real profiles carry) with -gcflags=all=-l: Go 1.19's pprof symbolizes an address with
# Go's line table only (cmd/pprof's SourceLine), which names an inlined call after the function it
# was inlined into, while the text names the inlined function. Without inlining both name the same
# function, so every number can be compared. The binary lives only while the goldens are made.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
FIX="$REPO/test/fixtures/legacy"
ROOT=/tmp/pprof-lens-legacy
MODULE=example.com/legacy
SRC="$ROOT/src/$MODULE"
BIN="$ROOT/bin"
MODE="${1:-all}"
case "$MODE" in all|--goldens-only) ;; *) echo "usage: $0 [--goldens-only]" >&2; exit 2 ;; esac

die() { echo "gen-legacy-fixtures: $*" >&2; exit 1; }
command -v go >/dev/null || die "go is not installed"
GOVERSION="$(go env GOVERSION)"
case "$GOVERSION" in go1.19*) ;; *) [ "${ALLOW_ANY_GO:-}" = 1 ] || die "the goldens are Go 1.19's pprof, this is $GOVERSION (ALLOW_ANY_GO=1 to go on)" ;; esac
export TZ=UTC GOWORK=off GO111MODULE=on GOFLAGS= CGO_ENABLED=0
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_TMPDIR PPROF_NO_BROWSER GOTRACEBACK 2>/dev/null || true

rm -rf "$ROOT" && mkdir -p "$SRC" "$BIN"
trap 'rm -rf "$ROOT"' EXIT
cp -R "$FIX/go/." "$SRC/"
(cd "$SRC" && go vet ./... && for cmd in textprof leak crash; do go build -gcflags=all=-l -o "$BIN/$cmd" "./$cmd"; done)

P="$FIX/profiles"
if [ "$MODE" = all ]; then
  rm -rf "$P" && mkdir -p "$P"
  (cd "$SRC" && "$BIN/textprof" -heap "$P/heap.txt" -allocs "$P/allocs.txt")
  (cd "$SRC" && "$BIN/textprof" -block "$P/block.txt")
  (cd "$SRC" && "$BIN/textprof" -mutex "$P/mutex.txt")
  (cd "$SRC" && "$BIN/textprof" -goroutine "$P/goroutine.txt" -dump "$P/goroutine_dump.txt")
  (cd "$SRC" && "$BIN/textprof" -threadcreate "$P/threadcreate.txt")
  # A panic with every goroutine (exit status 2), then a SIGQUIT dump of the same program.
  rc=0; (cd "$SRC" && GOTRACEBACK=all "$BIN/crash" 2>"$P/panic.txt") || rc=$?
  [ "$rc" = 2 ] || die "crash exited $rc, not 2 (a panic)"
  (cd "$SRC" && GOTRACEBACK=all exec "$BIN/crash" -hang 2>"$P/sigquit.txt") & pid=$!
  for _ in $(seq 50); do grep -q ready "$P/sigquit.txt" 2>/dev/null && break; sleep 0.1; done
  kill -QUIT "$pid"; wait "$pid" || true
  sed -i '/^ready$/d' "$P/sigquit.txt"
  (cd "$SRC" && "$BIN/leak" -interval 65s -before "$P/leak_before.txt" -after "$P/leak_after.txt")
fi
for f in "$P"/*; do [ "$(wc -c <"$f")" -lt 200000 ] || die "$f is 200 KB or more"; done

G="$FIX/golden"
rm -rf "$G" && mkdir -p "$G"
# run DIR OUT ARGS...: go tool pprof ARGS in $SRC (where the sources are) with the binary, into
# DIR/OUT (stderr to DIR/OUT.stderr when any), and "OUT<TAB>exit code<TAB>command" in commands.tsv.
run() {
  local dir="$1" out="$2"; shift 2
  mkdir -p "$(dirname "$dir/$out")"
  local args=() a rc=0
  for a in "$@"; do a="${a//$FIX\//}"; args+=("${a//$TMPP\//}"); done
  (cd "$SRC" && go tool pprof "${args[@]}" >"$dir/$out" 2>"$dir/$out.stderr") || rc=$?
  sed -i "/^Local symbolization failed/d" "$dir/$out.stderr"
  [ -s "$dir/$out.stderr" ] || rm -f "$dir/$out.stderr"
  local cmd="go tool pprof"
  for a in "${args[@]}"; do
    case "$a" in *[\\\|\*\?\[\]\(\)\$\ \^]*) cmd+=" '$a'" ;; *) cmd+=" $a" ;; esac
  done
  printf '%s\t%s\t%s\n' "$out" "$rc" "$cmd" >>"$dir/commands.tsv"
}
# pprof runs in $SRC with the profiles reachable as profiles/… (as in the commands) and the
# binary as bin/<name>.
ln -s "$P" "$SRC/profiles"; ln -s "$BIN" "$SRC/bin"
TMPP="$ROOT/oracle"; mkdir -p "$TMPP"; ln -s "$TMPP" "$SRC/oracle"
sample_types() { (cd "$SRC" && go tool pprof -raw "$@" 2>/dev/null || true) | awk '/^Samples:/{getline; for (i=1;i<=NF;i++){split($i,a,"/"); print a[1]}; exit}'; }

for name in heap allocs block mutex goroutine threadcreate; do
  f="profiles/$name.txt"
  if [ "$name" = threadcreate ]; then
    # Go 1.19's pprof refuses records with no stack ("5 @": threads the runtime started before
    # any Go code ran), with or without the binary. The oracle reads the text without them;
    # test/unit/legacyText.test.ts accounts for them separately.
    grep -q '^[0-9]* @$' "$P/$name.txt" || die "$name.txt: expected records with an empty stack"
    awk '/^[0-9]+ @$/{skip=1; next} skip&&/^#/{next} {skip=0; print}' "$P/$name.txt" >"$TMPP/threadcreate.txt"
    f="oracle/threadcreate.txt"
  fi
  dir="$G/$name"; mkdir -p "$dir"
  sis="$(sample_types "bin/textprof" "$f")"
  [ -n "$sis" ] || die "go tool pprof cannot read $f with the binary"
  for si in $sis; do
    run "$dir" "$si/top.txt" -sample_index="$si" -top -nodecount=1000 "bin/textprof" "$f"
    run "$dir" "$si/top_cum.txt" -sample_index="$si" -top -cum -nodecount=1000 "bin/textprof" "$f"
    run "$dir" "$si/top_lines.txt" -sample_index="$si" -top -lines -nodecount=1000 "bin/textprof" "$f"
    run "$dir" "$si/list.txt" -sample_index="$si" -list '^main\.' "bin/textprof" "$f"
    run "$dir" "$si/traces.txt" -sample_index="$si" -traces "bin/textprof" "$f"
  done
  run "$dir" raw.txt -raw "bin/textprof" "$f"
done
go version >"$G/GO_VERSION"

# The properties the fixtures exist for; fail loudly when a run lost one of them.
check() { grep -qE -- "$2" "$1" || die "$1 lacks /$2/ ($3)"; }
grep -qE '^heap profile: [0-9]+: [0-9]+ \[[0-9]+: [0-9]+\] @ heap/8192$' "$P/heap.txt" || die "heap.txt: unexpected header"
grep -qE '^0: 0 \[[1-9][0-9]*: [1-9][0-9]*\] @' "$P/heap.txt" || die "heap.txt: no bucket with zero in-use counts"
for f in heap allocs block mutex goroutine threadcreate; do
  # The shape of the bug: stacks end in runtime.goexit, which the binary names and the text does not.
  ! grep -q 'runtime\.goexit' "$P/$f.txt" || die "$f.txt names runtime.goexit"
  si="$(ls "$G/$f" | grep -v '\.' | tail -1)"
  check "$G/$f/$si/top.txt" 'runtime\.goexit$' 'the binary names runtime.goexit'
done
check "$G/heap/inuse_space/top.txt" 'main\.newBuffers$' 'the retained buffers'
check "$G/heap/inuse_space/top.txt" 'runtime\.goexit$' 'the binary names runtime.goexit'
check "$G/heap/alloc_space/top.txt" 'main\.churn$' 'the freed allocations'
check "$G/allocs/alloc_space/top.txt" 'main\.churn$' 'allocs'
check "$G/block/delay/top.txt" 'main\.consumer$' 'the blocked consumers'
check "$G/mutex/delay/top.txt" 'main\.hold$' 'the contended mutex'
for fn in receiver locker selector sleeper acceptor waiter; do check "$G/goroutine/goroutine/top.txt" "main\\.$fn\$" "goroutine in $fn"; done
check "$G/threadcreate/threadcreate/top.txt" 'main\.pinned$' 'threads started by LockOSThread'
check "$G/heap/inuse_space/list.txt" '^ROUTINE =+ main\.newBuffers in ' 'list finds main.*'
for s in 'chan receive' 'semacquire' 'select' 'sleep' 'IO wait' 'sync.Cond.Wait'; do
  grep -q "^goroutine [0-9]* \[$s" "$P/goroutine_dump.txt" || die "goroutine_dump.txt: no goroutine in [$s]"
done
grep -q '^panic: runtime error: index out of range' "$P/panic.txt" || die "panic.txt: not an index panic"
grep -q '^SIGQUIT: quit' "$P/sigquit.txt" || die "sigquit.txt: not a SIGQUIT dump"
[ "$(grep -c '^goroutine [0-9]* \[' "$P/panic.txt")" -ge 7 ] || die "panic.txt: GOTRACEBACK=all should list every goroutine"
nb="$(grep -c '^main\.fetch\.func1' "$P/leak_before.txt")"; na="$(grep -c '^main\.fetch\.func1' "$P/leak_after.txt")"
[ "$nb" = 30 ] && [ "$na" = 75 ] || die "leak: $nb then $na leaked goroutines (want 30 then 75)"
grep -q '^goroutine [0-9]* \[chan send, 1 minutes\]:' "$P/leak_before.txt" || die "leak_before.txt: no wait of 1 minute"
grep -q '^goroutine [0-9]* \[chan send, 2 minutes\]:' "$P/leak_after.txt" || die "leak_after.txt: no wait of 2 minutes"
size="$(du -sk "$FIX" | cut -f1)"
[ "$size" -lt 1024 ] || die "test/fixtures/legacy is ${size} KB (over 1 MB)"
echo "gen-legacy-fixtures: $GOVERSION, $(find "$P" -type f | wc -l) profiles, $(find "$G" -name '*.txt' | wc -l) goldens, ${size} KB"
