#!/usr/bin/env bash
# Runs the whole test suite (unit, numerical, server and browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
java -version 2>&1 | head -1
mvn -B -ntp verify "$@"
