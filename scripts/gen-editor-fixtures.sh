#!/usr/bin/env bash
# Builds the editor fixtures (test/integration/editor/fixture) as another machine would: the
# program in fixture/myapp (module example.com/heapdemo, with the dependency example.com/dep
# fetched through a module cache) is copied to /build/pprof-lens-editor/prog and built and run
# there, so its profiles say /build/pprof-lens-editor/prog/main.go while the checkout the tests
# open is called "myapp". Variants of the same program: -trimpath, vendor/, and a go.work with
# the dependency as a second workspace module. go tool pprof -list goldens are recorded where the
# sources are. Needs Go 1.19 (its pprof is the reference). Only /build/pprof-lens-editor is
# rebuilt; test/fixtures and /tmp/gopher are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
FIX="$(pwd)/test/integration/editor/fixture"
ROOT=/build/pprof-lens-editor
OUT="$FIX/profiles"
GOLD="$FIX/golden"
die() { echo "gen-editor-fixtures: $*" >&2; exit 1; }
case "$(go env GOVERSION)" in go1.19*) ;; *) [ "${ALLOW_ANY_GO:-}" = 1 ] || die "the goldens are Go 1.19's pprof" ;; esac
export TZ=UTC GO111MODULE=on GOFLAGS= CGO_ENABLED=0 GOSUMDB=off GONOSUMDB=example.com GOPRIVATE=
export GOMODCACHE="$ROOT/gomodcache" GOPROXY="file://$ROOT/proxy"
rm -rf "$ROOT" && mkdir -p "$ROOT/proxy/example.com/dep/@v" "$ROOT/bin" "$OUT" "$GOLD"

# A file module proxy serving example.com/dep v1.0.0 from fixture/depsrc.
V="$ROOT/proxy/example.com/dep/@v"
echo v1.0.0 >"$V/list"
echo '{"Version":"v1.0.0","Time":"2026-01-01T00:00:00Z"}' >"$V/v1.0.0.info"
cp "$FIX/depsrc/go.mod" "$V/v1.0.0.mod"
mkdir -p "$ROOT/zip/example.com/dep@v1.0.0" && cp "$FIX/depsrc/"* "$ROOT/zip/example.com/dep@v1.0.0/"
(cd "$ROOT/zip" && zip -qr -D "$V/v1.0.0.zip" example.com)

run() { # dir binary-name profile-prefix
  (cd "$1" && go build -o "$ROOT/bin/$2" "${@:4}" . && "$ROOT/bin/$2" -cpu "$ROOT/$3cpu.pb.gz" -heap1 "$ROOT/$3heap1.pb.gz" -heap2 "$ROOT/$3heap2.pb.gz" -goroutine "$ROOT/$3goroutine.pb.gz")
}

# 1. The plain build, GOWORK off, dependency from the module cache.
mkdir -p "$ROOT/prog" && cp -R "$FIX/myapp/." "$ROOT/prog/"
(cd "$ROOT/prog" && GOWORK=off GOFLAGS=-mod=mod go mod tidy && cp go.sum "$FIX/myapp/go.sum")
GOWORK=off run "$ROOT/prog" heapdemo ""
for p in cpu heap1 heap2 goroutine; do cp "$ROOT/$p.pb.gz" "$OUT/$p.pb.gz"; done
# The module cache's copy of the dependency, for the tests' pprofLens.gomodcache.
rm -rf "$FIX/gomodcache" && mkdir -p "$FIX/gomodcache/example.com" && cp -R "$GOMODCACHE/example.com/dep@v1.0.0" "$FIX/gomodcache/example.com/" && chmod -R u+w "$FIX/gomodcache"

# 2. -trimpath.
GOWORK=off run "$ROOT/prog" heapdemo-trim trim- -trimpath
cp "$ROOT/trim-cpu.pb.gz" "$OUT/cpu-trimpath.pb.gz"

# 3. vendor/.
mkdir -p "$ROOT/vendored" && cp -R "$FIX/myapp/." "$ROOT/vendored/" && cp "$FIX/myapp/go.sum" "$ROOT/vendored/"
(cd "$ROOT/vendored" && GOWORK=off go mod vendor)
GOWORK=off run "$ROOT/vendored" heapdemo-vendor vendor- -mod=vendor
cp "$ROOT/vendor-cpu.pb.gz" "$OUT/cpu-vendor.pb.gz"

# 4. go.work: the dependency is a second module of the workspace.
mkdir -p "$ROOT/work/app" "$ROOT/work/dep" && cp -R "$FIX/myapp/." "$ROOT/work/app/" && cp -R "$FIX/depsrc/." "$ROOT/work/dep/"
printf 'go 1.19\n\nuse (\n\t./app\n\t./dep\n)\n' >"$ROOT/work/go.work"
GOWORK="$ROOT/work/go.work" run "$ROOT/work/app" heapdemo-work work-
cp "$ROOT/work-cpu.pb.gz" "$OUT/cpu-gowork.pb.gz"

# go tool pprof -list of our functions, where the sources are (Go 1.19's -list needs that).
OURS='^main\.|^example\.com/heapdemo/'
cd "$ROOT/prog"
for spec in cpu:cpu heap2:inuse_space heap2:alloc_space goroutine:goroutine; do
  p="${spec%%:*}"; si="${spec#*:}"
  go tool pprof -symbolize=none -sample_index="$si" -list "$OURS" "$OUT/$p.pb.gz" >"$GOLD/$p.$si.list.txt" 2>/dev/null
  go tool pprof -symbolize=none -sample_index="$si" -top -nodecount=200 "$OUT/$p.pb.gz" >"$GOLD/$p.$si.top.txt" 2>/dev/null
done
go tool pprof -symbolize=none -sample_index=inuse_space -base "$OUT/heap1.pb.gz" -list "$OURS" "$OUT/heap2.pb.gz" >"$GOLD/heap2-base.inuse_space.list.txt" 2>/dev/null
go tool pprof -symbolize=none -sample_index=inuse_space -base "$OUT/heap1.pb.gz" -top "$OUT/heap2.pb.gz" >"$GOLD/heap2-base.inuse_space.top.txt" 2>/dev/null
go tool pprof -symbolize=none -sample_index=inuse_space -diff_base "$OUT/heap1.pb.gz" -top "$OUT/heap2.pb.gz" >"$GOLD/heap2-diffbase.inuse_space.top.txt" 2>/dev/null
go version >"$GOLD/GO_VERSION"
ls -l "$OUT"
