#!/usr/bin/env bash
# The engine benchmarks recorded in BENCHMARKS.md: each line of output is bench's closing JSON line.
#   bash scripts/bench-engine.sh [java|opencl ...]     (default: java)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
[ -f target/neuralgrid.jar ] || mvn -B -ntp -q package -DskipTests
backends=("${@:-java}")
run() { java --add-modules jdk.incubator.vector -jar target/neuralgrid.jar bench "$@" 2>/dev/null | tail -1; }
for b in "${backends[@]}"; do
  run --backend "$b" --grid 128x128 --batch 256 --samples 60000 --epochs 4
  run --backend "$b" --grid 64x64 --batch 256 --samples 60000 --epochs 4
  run --backend "$b" --grid 128x128 --batch 64 --samples 60000 --epochs 3
  run --backend "$b" --grid-type 3d --layers 64 --batch 256 --samples 60000 --epochs 3
done
