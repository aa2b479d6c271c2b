#!/usr/bin/env bash
# Records the goldens of pprof's reports and flags beyond scripts/gen-fixtures.sh's set
# (-tagroot/-tagleaf, -prune_from, -drop_negative, -mean, several profiles merged, -proto read
# back, bool flags with =false, -symbolize warnings, bad inputs) on the EXISTING profiles in
# test/fixtures/profiles, and pprof's source search on a small program of its own
# (test/fixtures/parity/parityapp) built under another root. It writes only
# test/fixtures/golden-parity and test/fixtures/parity/profiles; it never rebuilds or removes
# the existing profiles, goldens or /tmp/gopher.
#
#   scripts/gen-parity-goldens.sh
#
# Each golden directory has commands.tsv: <output>\t<exit code>\t<cwd, relative to
# test/fixtures>\t<exact command>. pprof's standard error goes to <output>.stderr when there is
# any. A "-proto" command is recorded as pprof writing the profile and `go tool pprof -top
# -nodecount=1000` reading it back: the golden is what the read-back prints.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$(pwd)"
FIX="$REPO/test/fixtures"
OUT="$FIX/golden-parity"
ROOT=/tmp/pprof-lens-parity
die() { echo "gen-parity-goldens: $*" >&2; exit 1; }
command -v go >/dev/null || die "go is not installed"
case "$(go env GOVERSION)" in go1.19*) ;; *) [ "${ALLOW_ANY_GO:-}" = 1 ] || die "the goldens are Go 1.19's pprof (ALLOW_ANY_GO=1 to go on)" ;; esac
export TZ=UTC GOWORK=off GO111MODULE=on GOFLAGS= CGO_ENABLED=0
unset PPROF_BINARY_PATH PPROF_TOOLS PPROF_TMPDIR PPROF_NO_BROWSER 2>/dev/null || true

# The fixture programs' sources where their profiles say they are, for go tool pprof -list (copied
# only when absent; /tmp/gopher is shared. The unit tests map it to a private copy instead).
SRC=/tmp/gopher/src/example.com/fixtures
[ -d "$SRC" ] || { mkdir -p "$SRC" && cp -R "$FIX/go/." "$SRC/"; }

# parityapp: built and run under $ROOT/build/a/parityapp, so its profile records
# /tmp/pprof-lens-parity/build/a/parityapp/main.go; the build copy is removed afterwards, so the
# recorded paths do not exist and only pprof's search finds the checkout test/fixtures/parity/parityapp.
PP="$FIX/parity/profiles"
mkdir -p "$PP"
if [ ! -s "$PP/parityapp.pb.gz" ]; then
  B="$ROOT/build/a/parityapp"
  rm -rf "$ROOT/build" && mkdir -p "$B" "$ROOT/bin"
  cp -R "$FIX/parity/parityapp/." "$B/"
  (cd "$B" && go vet ./... && go build -o "$ROOT/bin/parityapp" . && "$ROOT/bin/parityapp" -o "$PP/parityapp.pb.gz")
  rm -rf "$ROOT/build"
fi
[ ! -e "$ROOT/build/a/parityapp/main.go" ] || die "the recorded sources must not exist"

rm -rf "$OUT" && mkdir -p "$OUT"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

# run DIR OUT CWD ARGS...: go tool pprof -symbolize=none ARGS in test/fixtures/CWD.
quote() {
  local a cmd=""
  for a in "$@"; do
    case "$a" in *[\\\|\*\?\[\]\(\)\$\ \^\'\<\>\;\&]*|'') cmd+=" '$a'" ;; *) cmd+=" $a" ;; esac
  done
  printf '%s' "${cmd# }"
}
run() {
  local dir="$OUT/$1" out="$2" cwd="$3"; shift 3
  mkdir -p "$(dirname "$dir/$out")"
  local rc=0
  (cd "$FIX/$cwd" && go tool pprof "$@" >"$dir/$out" 2>"$dir/$out.stderr") || rc=$?
  [ -s "$dir/$out.stderr" ] || rm -f "$dir/$out.stderr"
  printf '%s\t%s\t%s\t%s\n' "$out" "$rc" "$cwd" "go tool pprof $(quote "$@")" >>"$dir/commands.tsv"
}
# proto DIR OUT ARGS...: pprof -proto ARGS, then -top of what it wrote.
proto() {
  local dir="$OUT/$1" out="$2"; shift 2
  mkdir -p "$dir"
  (cd "$FIX" && go tool pprof -symbolize=none -proto "$@" >"$TMP/p.pb.gz" 2>/dev/null)
  (cd "$FIX" && go tool pprof -symbolize=none -top -nodecount=1000 "$TMP/p.pb.gz" >"$dir/$out")
  printf '%s\t0\t.\t%s\n' "$out" "go tool pprof $(quote -symbolize=none -proto "$@")" >>"$dir/commands.tsv"
}

P=profiles
S=-symbolize=none
# Label pseudo frames.
run labels tagroot_top.txt . $S -top -nodecount=1000 -tagroot=handler $P/labels.pb.gz
run labels tagleaf_top.txt . $S -top -nodecount=1000 -tagleaf=handler $P/labels.pb.gz
run labels tagroot_traces.txt . $S -traces -tagroot=handler $P/labels.pb.gz
run labels tagroot_focus.txt . $S -top -nodecount=1000 -tagroot=handler -focus=/api/orders $P/labels.pb.gz
run labels tagroot_nokey.txt . $S -top -nodecount=1000 -tagroot=nokey $P/labels.pb.gz
run heap tagleaf_bytes.txt . $S -top -nodecount=1000 -sample_index=inuse_space -tagleaf=bytes $P/heap.pb.gz
# prune_from, drop_negative, mean.
run cpu prune_hash.txt . $S -top -nodecount=1000 '-prune_from=work\.Hash' $P/cpu.pb.gz
run cpu prune_fib_traces.txt . $S -traces -prune_from=Fib $P/cpu.pb.gz
run cpu prune_nomatch.txt . $S -top -nodecount=1000 -prune_from=NoSuchFunction $P/cpu.pb.gz
run leak drop_negative.txt . $S -top -nodecount=1000 -sample_index=inuse_space -drop_negative -base $P/leak_before.pb.gz $P/leak_after.pb.gz
run leak drop_negative_off.txt . $S -top -nodecount=1000 -sample_index=inuse_space -drop_negative=false -base $P/leak_before.pb.gz $P/leak_after.pb.gz
run block mean_delay.txt . $S -top -nodecount=1000 -mean -sample_index=delay $P/block.pb.gz
run block mean_delay_flag.txt . $S -top -nodecount=1000 -mean_delay $P/block.pb.gz
run mutex mean_delay.txt . $S -top -nodecount=1000 -mean -sample_index=delay $P/mutex.pb.gz
run mutex mean_traces.txt . $S -traces -mean -sample_index=delay $P/mutex.pb.gz
run block mean_list.txt go $S -list '^main\.' -mean -sample_index=delay ../$P/block.pb.gz  # from go/: the sources are found at their recorded paths, no checkout path in the output
run labels tagroot_raw.txt . $S -raw -tagroot=handler $P/labels.pb.gz
# Label frames come before the filters: a sample whose frames are all hidden stays under its label.
run labels tagroot_hide.txt . $S -top -nodecount=1000 -tagroot=handler -hide=runtime $P/labels.pb.gz
run labels tagleaf_hide.txt . $S -top -nodecount=1000 -tagleaf=handler -hide=runtime $P/labels.pb.gz
run labels tagroot_hide_all.txt . $S -top -nodecount=1000 -tagroot=handler -hide=. $P/labels.pb.gz
run labels tagroot_show_from.txt . $S -top -nodecount=1000 -tagroot=handler -show_from=main $P/labels.pb.gz
run labels tagroot_ignore.txt . $S -top -nodecount=1000 -tagroot=handler -ignore=runtime $P/labels.pb.gz
run labels tagroot_hide_focus.txt . $S -top -nodecount=1000 -tagroot=handler -hide=runtime -focus=main $P/labels.pb.gz
run labels tagroot_hide_code.txt . $S -top -nodecount=1000 -tagroot=handler '-hide=runtime|main|work' $P/labels.pb.gz
run cpu traces_relative_focus.txt . $S -traces -relative_percentages -focus=Fib $P/cpu.pb.gz
run cpu raw_hide.txt . $S -raw '-hide=^runtime\.' $P/cpu.pb.gz
run mutex total_delay.txt . $S -top -nodecount=1000 -total_delay $P/mutex.pb.gz
# Several profiles on one command line: merged.
M3=("$P/leak_before.pb.gz" "$P/leak_after.pb.gz" "$P/heap.pb.gz")
run merge3 top.txt . $S -top -nodecount=1000 -sample_index=inuse_space "${M3[@]}"
run merge3 top_alloc.txt . $S -top -nodecount=1000 -sample_index=alloc_objects "${M3[@]}"
run merge3 traces.txt . $S -traces -sample_index=inuse_space "${M3[@]}"
run merge3 tags.txt . $S -tags -sample_index=alloc_space "${M3[@]}"
run merge3 raw.txt . $S -raw "${M3[@]}"
run merge3 base.txt . $S -top -nodecount=1000 -base $P/leak_before.pb.gz $P/leak_after.pb.gz $P/heap.pb.gz
run merge3 base_twice.txt . $S -top -nodecount=1000 -base $P/heap.pb.gz -base $P/leak_before.pb.gz $P/leak_after.pb.gz
run merge3 incompatible.txt . $S -top $P/cpu.pb.gz $P/heap.pb.gz
# -proto: the written profile read back by pprof.
proto proto base_top.txt -base $P/leak_before.pb.gz $P/leak_after.pb.gz
proto proto diff_base_top.txt -diff_base $P/leak_before.pb.gz $P/leak_after.pb.gz
proto proto focus_top.txt -focus=Fib $P/cpu.pb.gz
proto proto hide_top.txt '-hide=^runtime\.' $P/cpu.pb.gz
proto proto merge3_top.txt -sample_index=inuse_space "${M3[@]}"
proto proto tagfocus_top.txt -tagfocus=handler=/api/users $P/labels.pb.gz
# Bool flags with a value, -symbolize values.
run flags cum_false.txt . $S -top -nodecount=1000 -cum=false $P/cpu.pb.gz
run flags cum_true.txt . $S -top -nodecount=1000 -cum=true $P/cpu.pb.gz
run flags noinlines_false.txt . $S -top -nodecount=1000 -noinlines=false $P/cpu.pb.gz
run flags noinlines_true.txt . $S -top -nodecount=1000 -noinlines=true $P/cpu.pb.gz
run flags symbolize_bogus.txt . -symbolize=bogus -top -nodecount=1000 $P/cpu.pb.gz
run flags symbolize_force.txt . -symbolize=local:force:demangle=full -top -nodecount=1000 $P/cpu.pb.gz
run flags bad_bool.txt . $S -top -cum=maybe $P/cpu.pb.gz
# Bad input.
run errors directory.txt . $S -top profiles
run errors missing.txt . $S -top profiles/no-such.pb.gz
run errors one_missing.txt . $S -top -nodecount=1000 profiles/no-such.pb.gz $P/cpu.pb.gz
run errors focus_regexp.txt . $S -top '-focus=(' $P/cpu.pb.gz
run errors list_regexp.txt . $S -list 'main\.(' $P/cpu.pb.gz
run errors tagfocus_regexp.txt . $S -top '-tagfocus=handler=[' $P/labels.pb.gz
run errors prune_regexp.txt . $S -top '-prune_from=a)' $P/cpu.pb.gz
run errors two_formats.txt . $S -top -traces $P/cpu.pb.gz
# pprof's source search: the checkout parity/parityapp, the profile recorded under another root.
PA=profiles/parityapp.pb.gz
run source checkout_cwd.txt parity/parityapp $S -list '^main\.|^parityapp/' ../$PA
run source source_path.txt . $S -list '^main\.|^parityapp/' -source_path=parity/parityapp parity/$PA
run source source_path_list.txt . $S -list '^main\.|^parityapp/' -source_path=go:parity/parityapp parity/$PA
run source trim_path.txt parity $S -list '^main\.|^parityapp/' -trim_path=/tmp/pprof-lens-parity/build/a $PA
run source trim_path_list.txt parity $S -list '^main\.|^parityapp/' -trim_path=/nowhere:/tmp/pprof-lens-parity/build/a/ $PA
run source not_found.txt . $S -list '^main\.fill$' parity/$PA

# Checks: the goldens show what they are for.
grep -q '/api/orders' "$OUT/labels/tagroot_top.txt" || die "tagroot top has no label frames"
grep -q 'TagRoot expression matched no samples' "$OUT/labels/tagroot_nokey.txt.stderr" || die "tagroot nokey warning missing"
grep -q 'Type: mean_delay' "$OUT/block/mean_delay.txt" || die "mean header missing"
grep -q 'ROUTINE.*main.fill in /tmp/pprof-lens-parity/build/a/parityapp/main.go' "$OUT/source/checkout_cwd.txt" || die "source search header"
grep -q 'rows = append(rows, make' "$OUT/source/checkout_cwd.txt" || die "source search did not find the checkout"
grep -q 'no such file or directory' "$OUT/source/not_found.txt" || die "not_found should fail to open"
grep -q 'is a directory' "$OUT/errors/directory.txt.stderr" || die "directory message"
[ "$(awk -F'\t' '$1=="incompatible.txt"{print $2}' "$OUT/merge3/commands.tsv")" != 0 ] || die "merging cpu and heap should fail"
! grep -rlF "$REPO" "$OUT" || die "a golden holds this checkout's path: record it where the output does not depend on the checkout"
grep -q 'main.consume in /tmp/gopher' "$OUT/block/mean_list.txt" || die "mean list did not find the block sources"
for f in "$PP"/*; do [ "$(wc -c <"$f")" -lt 200000 ] || die "$f is 200 KB or more"; done
echo "gen-parity-goldens: $(cat "$OUT"/*/commands.tsv | wc -l) goldens in $OUT"
