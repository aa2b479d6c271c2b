#!/usr/bin/env bash
# Regenerates test/fixtures/showfrom: builds the Go program in test/fixtures/showfrom/go under its
# own root (/tmp/pprof-lens-showfrom/src/example.com/showfrom, so the profile carries another
# machine's paths), runs it to write a heap profile (every allocation sampled: the counts are
# exact and the same on every run), and records what `go tool pprof` prints for it with and
# without -show_from, into test/fixtures/showfrom/golden with the exact commands in commands.tsv
# (`<output>\t<exit code>\t<command>`, run in the build root with the profile reachable as
# profiles/heap.pb.gz, as scripts/gen-fixtures.sh does). test/unit/showFromInline.test.ts and
# test/unit/sandwichShowFrom.test.ts compare with them. Needs Go 1.19 (grow's inlining cost is 79
# of the 80 budget in Go 1.19; the goldens are its pprof; ALLOW_ANY_GO=1 to go on).
set -euo pipefail
cd "$(dirname "$0")/.."
FIX="$(pwd)/test/fixtures/showfrom"
ROOT=/tmp/pprof-lens-showfrom
SRC="$ROOT/src/example.com/showfrom"
die() { echo "gen-showfrom-fixture: $*" >&2; exit 1; }
command -v go >/dev/null || die "go is not installed"
case "$(go env GOVERSION)" in go1.19*) ;; *) [ "${ALLOW_ANY_GO:-}" = 1 ] || die "the goldens are Go 1.19's pprof, this is $(go env GOVERSION)" ;; esac
export TZ=UTC GOWORK=off GO111MODULE=on GOFLAGS= CGO_ENABLED=0
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_TMPDIR PPROF_NO_BROWSER 2>/dev/null || true

rm -rf "$ROOT" && mkdir -p "$SRC" "$ROOT/bin"
trap 'rm -rf "$ROOT"' EXIT
cp -R "$FIX/go/." "$SRC/"
(cd "$SRC" && go vet . && go build -gcflags=-m -o "$ROOT/bin/showfrom" . 2>"$ROOT/m.txt")
grep -q 'inlining call to grow' "$ROOT/m.txt" || die "grow is not inlined into build: $(grep grow "$ROOT/m.txt")"
rm -rf "$FIX/profiles" && mkdir -p "$FIX/profiles"
(cd "$SRC" && "$ROOT/bin/showfrom" -o "$FIX/profiles/heap.pb.gz")
ln -s "$FIX/profiles" "$SRC/profiles"

G="$FIX/golden"
rm -rf "$G" && mkdir -p "$G"
# run OUT ARGS...: go tool pprof -symbolize=none ARGS > golden/OUT (standard error to OUT.stderr
# when there is any) and its commands.tsv line; arguments with shell metacharacters single-quoted.
run() {
  local out="$1" rc=0 a; shift
  mkdir -p "$(dirname "$G/$out")"
  (cd "$SRC" && go tool pprof -symbolize=none "$@" >"$G/$out" 2>"$G/$out.stderr") || rc=$?
  [ -s "$G/$out.stderr" ] || rm -f "$G/$out.stderr"
  local cmd="go tool pprof -symbolize=none"
  for a in "$@"; do
    case "$a" in *[\\\|\*\?\[\]\(\)\$\ \^]*) cmd+=" '$a'" ;; *) cmd+=" $a" ;; esac
  done
  printf '%s\t%s\t%s\n' "$out" "$rc" "$cmd" >>"$G/commands.tsv"
}
P=profiles/heap.pb.gz
run raw.txt -raw "$P"
for si in alloc_objects alloc_space inuse_objects inuse_space; do
  run "$si/traces.txt" -sample_index="$si" -traces "$P"
  # grow alone: its outermost Location is cut inside (build's Line goes), and so is every deeper one.
  run "$si/grow_traces.txt" -sample_index="$si" -traces '-show_from=^main\.grow$' "$P"
  run "$si/grow_top.txt" -sample_index="$si" -top -nodecount=1000 '-show_from=^main\.grow$' "$P"
  # run matches above grow: the stacks are cut at run, and every grow Location below loses build's Line.
  run "$si/run_grow_traces.txt" -sample_index="$si" -traces '-show_from=^main\.(run|grow)$' "$P"
  run "$si/run_grow_top.txt" -sample_index="$si" -top -nodecount=1000 '-show_from=^main\.(run|grow)$' "$P"
  # grow by its file name (pprof's lastMatchedLineIndex matches a Line's function name or file).
  run "$si/grow_file_traces.txt" -sample_index="$si" -traces '-show_from=/grow\.go$' "$P"
  run "$si/grow_file_top.txt" -sample_index="$si" -top -nodecount=1000 '-show_from=/grow\.go$' "$P"
  # The sandwich of grow and of build (core/sandwich): its callees are what -focus=^f$
  # -show_from=^f$ keeps, its callers' direct edges -peek's.
  for f in grow build; do
    run "$si/sandwich_${f}_traces.txt" -sample_index="$si" -traces "-focus=^main\.$f\$" "-show_from=^main\.$f\$" "$P"
    run "$si/sandwich_${f}_top.txt" -sample_index="$si" -top -nodecount=1000 "-focus=^main\.$f\$" "-show_from=^main\.$f\$" "$P"
    run "$si/sandwich_${f}_peek.txt" -sample_index="$si" -peek "^main\.$f\$" "$P"
  done
done

# The properties the fixture exists for; fail loudly when a run lost one of them.
check() { grep -qzP -- "$2" "$G/$1" || die "$1 lacks /$2/ ($3)"; }
check inuse_objects/traces.txt 'main\.grow \(inline\)\n +main\.build\n +main\.grow \(inline\)\n +main\.build\n' 'grow inlined into build at two depths of one stack'
check inuse_objects/grow_traces.txt 'main\.build\n +main\.grow\n +main\.grow\n +main\.grow\n' 'pprof drops build at every depth'
check inuse_objects/run_grow_traces.txt 'main\.grow\n +main\.grow\n +main\.run\n' 'pprof drops build below run'
check inuse_objects/sandwich_grow_traces.txt 'main\.build\n +main\.grow\n +main\.grow\n +main\.grow\n' 'the sandwich of grow: build dropped at every depth'
traces() { sed -n '/^-----/,$p' "$G/inuse_objects/$1"; }
[ -n "$(traces grow_file_traces.txt)" ] && [ "$(traces grow_file_traces.txt)" = "$(traces grow_traces.txt)" ] || die "grow by its file: not grow by its name's traces"
for f in "$FIX"/profiles/*; do
  [ "$(wc -c <"$f")" -lt 200000 ] || die "$f is 200 KB or more"
done
go version >"$G/GO_VERSION"
echo "gen-showfrom-fixture: wrote $FIX/profiles and $G ($(du -sk "$FIX" | cut -f1) KB)"
