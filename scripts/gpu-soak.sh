#!/usr/bin/env bash
# Soak test for a GPU machine: runs `neuralgrid check` and short `neuralgrid train` runs on an OpenCL device many
# times in a row, each in a JVM of its own, and counts how each one ended: exit codes, deaths by a signal (exit code
# 128+N), JVM crash logs (hs_err_pid*.log) and core files. Prints a summary; exits 0 only when every run was clean
# (exit code 0, no crash log, no core file).
#
#   bash scripts/gpu-soak.sh [JAR]            # JAR: target/neuralgrid.jar by default
#
# Environment: SOAK_RUNS (30: runs of each command), SOAK_BACKEND (opencl; opencl:N names a device),
# SOAK_TIMEOUT (600: seconds one command may take), SOAK_DIR (where logs and run folders go; a new temporary
# folder by default), SOAK_CORES=1 (raise the core-file limit, so that a crash leaves a core file to count),
# SOAK_GUARD=1 (-Dneuralgrid.opencl.guard=true: every device buffer gets a guard zone checked after every kernel,
# so a write past a buffer's end fails with the buffer and kernel named instead of corrupting memory),
# SOAK_JVM_OPTS (more JVM options, e.g. "-XX:UseAVX=2" to bisect a crash; not -Xcheck:jni, under which JOCL's
# device queries read zeros), NEURALGRID_SIGNAL_CHAINING=off (run without libjsig.so: the JVM the launcher starts
# otherwise preloads it, so that the driver's kernel compiler cannot take the JVM's signal handlers; each check
# prints which it was, and the summary counts the checks that found the JVM's handlers taken).
set -uo pipefail

jar="${1:-target/neuralgrid.jar}"
runs="${SOAK_RUNS:-30}"
backend="${SOAK_BACKEND:-opencl}"
limit="${SOAK_TIMEOUT:-600}"

if [ ! -f "$jar" ]; then
  echo "gpu-soak: no jar at $jar (build it with: mvn -B package -DskipTests)" >&2
  exit 2
fi
case "$runs" in ''|*[!0-9]*) echo "gpu-soak: SOAK_RUNS must be a whole number, got '$runs'" >&2; exit 2 ;; esac
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"

# the JDK the other scripts prefer (JDK 25 where it is installed), without needing Maven
java_bin=java
for jdk in "${NEURALGRID_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}"; do
  if [ -n "$jdk" ] && [ -x "$jdk/bin/java" ]; then java_bin="$jdk/bin/java"; break; fi
done
# the Vector API module given up front, so the jar runs in this JVM instead of relaunching itself
jvm_opts=()
if [ "${SOAK_GUARD:-0}" = 1 ]; then jvm_opts+=(-Dneuralgrid.opencl.guard=true); fi
# shellcheck disable=SC2206 # the options are words on purpose
if [ -n "${SOAK_JVM_OPTS:-}" ]; then jvm_opts+=(${SOAK_JVM_OPTS}); fi
java_cmd=("$java_bin" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED "${jvm_opts[@]}" -jar "$jar")

work="${SOAK_DIR:-$(mktemp -d /tmp/neuralgrid-soak.XXXXXX)}"
mkdir -p "$work"
if [ "${SOAK_CORES:-0}" = 1 ]; then
  ulimit -c unlimited 2>/dev/null || echo "gpu-soak: could not raise the core-file limit (ulimit -c $(ulimit -c))" >&2
fi

echo "gpu-soak: $runs x check and $runs x train on --backend $backend with $("$java_bin" -version 2>&1 | head -1)${jvm_opts[*]:+, JVM options ${jvm_opts[*]}}"
echo "gpu-soak: jar $jar; logs in $work; core files: ulimit -c $(ulimit -c), $(cat /proc/sys/kernel/core_pattern 2>/dev/null)"

declare -A clean=() failed=() signalled=() crashed=() cores=() timedout=()
problems=()

# runs one command in a folder of its own; records how it ended
soak_one() {
  local kind="$1" i="$2"; shift 2
  local dir="$work/$kind-$i"
  mkdir -p "$dir"
  local started=$SECONDS
  (cd "$dir" && exec timeout --signal=KILL "$limit" "${java_cmd[@]}" "$@") >"$dir/stdout.log" 2>"$dir/stderr.log"
  local rc=$?
  local seconds=$((SECONDS - started))
  local crash_logs core_files what
  crash_logs=$(find "$dir" -maxdepth 1 -name 'hs_err_pid*.log' | wc -l)
  core_files=$(find "$dir" -maxdepth 1 -name 'core*' -type f | wc -l)
  if [ "$rc" -eq 0 ] && [ "$crash_logs" -eq 0 ] && [ "$core_files" -eq 0 ]; then
    clean[$kind]=$(( ${clean[$kind]:-0} + 1 ))
    what="ok"
  else
    if [ "$rc" -eq 137 ] && [ "$seconds" -ge "$limit" ]; then
      timedout[$kind]=$(( ${timedout[$kind]:-0} + 1 ))
      what="timed out after ${limit}s"
    elif [ "$rc" -gt 128 ]; then
      signalled[$kind]=$(( ${signalled[$kind]:-0} + 1 ))
      what="killed by signal $((rc - 128)) (SIG$(kill -l $((rc - 128)) 2>/dev/null || echo '?'), exit code $rc)"
    elif [ "$rc" -ne 0 ]; then
      failed[$kind]=$(( ${failed[$kind]:-0} + 1 ))
      what="exit code $rc"
    else
      what="exit code 0"
    fi
    if [ "$crash_logs" -gt 0 ]; then
      crashed[$kind]=$(( ${crashed[$kind]:-0} + 1 ))
      what="$what, JVM crash log $(find "$dir" -maxdepth 1 -name 'hs_err_pid*.log' | head -1)"
    fi
    if [ "$core_files" -gt 0 ]; then
      cores[$kind]=$(( ${cores[$kind]:-0} + 1 ))
      what="$what, core file in $dir"
    fi
    problems+=("$kind #$i: $what; last line of stderr: $(grep -v '^WARNING: Using incubator' "$dir/stderr.log" | tail -1)")
  fi
  printf '%-5s %3d/%d  %-8s %4ds\n' "$kind" "$i" "$runs" "$what" "$seconds"
}

for i in $(seq 1 "$runs"); do
  soak_one check "$i" check --backend "$backend"
done
for i in $(seq 1 "$runs"); do
  soak_one train "$i" train --backend "$backend" --dataset synthetic --samples 1024 --test-samples 256 \
    --grid 32x16 --batch 64 --epochs 2 --lr 0.003 --checkpoint-every 1 --seed "$i" --out "$work/train-$i/run"
done

taken=$(grep -l "native code replaced the JVM's signal handlers" "$work"/check-*/stdout.log 2>/dev/null | wc -l)
chained=$(grep -l "chained through libjsig.so" "$work"/check-*/stdout.log 2>/dev/null | wc -l)
echo
echo "gpu-soak summary (backend $backend, $runs runs of each):"
echo "  signal handlers: $chained check(s) ran chained through libjsig.so, $taken found the JVM's handlers taken"
total_clean=0
for kind in check train; do
  printf '  %-5s clean %d, failed %d, killed by a signal %d, timed out %d, JVM crash logs %d, core files %d\n' \
    "$kind" "${clean[$kind]:-0}" "${failed[$kind]:-0}" "${signalled[$kind]:-0}" "${timedout[$kind]:-0}" \
    "${crashed[$kind]:-0}" "${cores[$kind]:-0}"
  total_clean=$((total_clean + ${clean[$kind]:-0}))
done
for p in "${problems[@]}"; do
  echo "  $p"
done
if [ "$total_clean" -eq $((2 * runs)) ]; then
  echo "gpu-soak: all $((2 * runs)) runs clean"
  exit 0
fi
echo "gpu-soak: $((2 * runs - total_clean)) of $((2 * runs)) runs were not clean (logs in $work)"
exit 1
