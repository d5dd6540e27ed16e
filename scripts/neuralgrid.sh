#!/usr/bin/env bash
# Builds target/neuralgrid.jar when it is missing or older than the sources, then runs it with the given arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
if [ ! -f target/neuralgrid.jar ] || [ -n "$(find src pom.xml -newer target/neuralgrid.jar -print -quit)" ]; then
  mvn -B -ntp -q package -DskipTests
fi
exec java --add-modules jdk.incubator.vector -jar target/neuralgrid.jar "$@"
