# Sourced by the other scripts: prefer JDK 25 (faster Vector API code) where it is installed, else the default JDK.
for jdk in "${NEURALGRID_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  if [ -n "$jdk" ] && [ -x "$jdk/bin/java" ]; then export JAVA_HOME="$jdk"; export PATH="$jdk/bin:$PATH"; break; fi
done
if ! command -v mvn >/dev/null 2>&1; then
  echo "Maven is missing: install it (apt-get install maven) and run again" >&2
  exit 1
fi
