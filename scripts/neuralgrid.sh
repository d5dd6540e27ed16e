#!/usr/bin/env bash
# Builds target/neuralgrid.jar when it is missing or older than the sources, then runs it with the given arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
if [ ! -f target/neuralgrid.jar ] || [ -n "$(find src pom.xml -newer target/neuralgrid.jar -print -quit)" ]; then
  mvn -B -ntp -q package -DskipTests
fi
# libjsig: the JVM keeps its signal handlers when an OpenCL driver installs its own (see SignalChaining)
jsig="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/libjsig.so"
if [ -f "$jsig" ] && [ "${NEURALGRID_SIGNAL_CHAINING:-on}" != off ]; then export LD_PRELOAD="$jsig${LD_PRELOAD:+:$LD_PRELOAD}"; fi
exec java --add-modules jdk.incubator.vector -jar target/neuralgrid.jar "$@"
