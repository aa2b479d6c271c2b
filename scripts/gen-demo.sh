#!/usr/bin/env bash
# Regenerates demo/profiles/ from the demo program demo/*.go with the real Go toolchain.
# The program is copied to and built under another root (a CI runner's checkout of this repository,
# /home/runner/work/pprof-lens/pprof-lens/demo),
# so the profiles carry paths that are not the workspace's: pprof-lens maps them back to demo/.
#   cpu.pb.gz          CPU profile of 4000 requests driven through the handler in-process
#   heap.pb.gz         heap profile after the 4000 requests (MemProfileRate 4096)
#   heap-before.pb.gz  heap profile after 2000 of them: compare heap.pb.gz with it to see the leak
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_ROOT=${DEMO_BUILD_ROOT:-/home/runner/work/pprof-lens/pprof-lens/demo}
command -v go >/dev/null || { echo "gen-demo: go is not installed (bash scripts/setup.sh)" >&2; exit 1; }
rm -rf "$BUILD_ROOT"
mkdir -p "$BUILD_ROOT" demo/profiles
cp demo/go.mod demo/*.go "$BUILD_ROOT/"
(cd "$BUILD_ROOT" && go vet . && go test -count=1 . >/dev/null && go build -o shop . \
  && ./shop -requests 4000 -cpuprofile cpu.pb.gz -heapprofile heap.pb.gz -heapbefore heap-before.pb.gz)
for f in cpu.pb.gz heap.pb.gz heap-before.pb.gz; do
  cp "$BUILD_ROOT/$f" demo/profiles/$f
done
# The profiles must point at the build root and stay small.
for f in demo/profiles/*.pb.gz; do
  size=$(stat -c %s "$f")
  [ "$size" -lt 200000 ] || { echo "gen-demo: $f is $size bytes (> 200 KB)" >&2; exit 1; }
done
go tool pprof -raw demo/profiles/heap.pb.gz 2>/dev/null | grep -q "$BUILD_ROOT/cache.go\|$BUILD_ROOT/catalog.go" \
  || { echo "gen-demo: heap.pb.gz does not name $BUILD_ROOT" >&2; exit 1; }
ls -l demo/profiles
