#!/usr/bin/env bash
# Prints the path of an executable that starts Temporal's time-skipping test server (the Java one
# from the Java SDK, io.temporal:temporal-test-server on Maven Central), fetching it into
# .temporal-cli/java-test-server/ the first time. The executable takes what the Temporal SDKs pass
# to a test server: `<port> [--enable-time-skipping]`, and is java itself once started (the SDK
# stops the server by killing that process). Use it as
#   TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })
#
# Order: $TEMPORAL_TEST_SERVER_PATH, the cached install, a fetch with Maven (the jar and its
# runtime dependencies, through scripts/java-test-server/pom.xml, into a Maven local repository
# under the cache, not ~/.m2). Exit 3 when Java or Maven is missing. Progress goes to stderr, the
# path alone to stdout.
#
# Environment: TEMPORAL_TEST_SERVER_VERSION (default: the version pinned in the pom),
# DURABLE_TEAMS_CLI_DIR (cache root, default .temporal-cli), TEMPORAL_TEST_SERVER_M2 (Maven local
# repository, default <cache>/java-test-server/m2), TEMPORAL_TEST_SERVER_JAVA_OPTS (extra JVM
# options, read by the launcher when it runs), JAVA_HOME.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POM="$ROOT/scripts/java-test-server/pom.xml"
PINNED="$(sed -n 's:.*<temporal.test-server.version>\(.*\)</temporal.test-server.version>.*:\1:p' "$POM")"
VERSION="${TEMPORAL_TEST_SERVER_VERSION:-$PINNED}"
CACHE="${DURABLE_TEAMS_CLI_DIR:-$ROOT/.temporal-cli}"
DIR="$CACHE/java-test-server"
LAUNCHER="$DIR/bin/temporal-test-server"
M2="${TEMPORAL_TEST_SERVER_M2:-$DIR/m2}"

log() { echo "time-skipping-server: $*" >&2; }
found() { echo "$1"; exit 0; }

if [ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]; then
  [ -f "$TEMPORAL_TEST_SERVER_PATH" ] && [ -x "$TEMPORAL_TEST_SERVER_PATH" ] && found "$TEMPORAL_TEST_SERVER_PATH"
  log "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file; unset it or fix the path"
  exit 1
fi

# The launcher looks for java the same way when it runs: $JAVA_HOME/bin/java, else java on PATH.
java="${JAVA_HOME:+$JAVA_HOME/bin/java}"
[ -n "$java" ] && [ -x "$java" ] || java="$(command -v java 2>/dev/null || true)"
if [ -z "$java" ] || ! "$java" -version >/dev/null 2>&1; then
  log "no Java runtime found: install Java 8 or newer (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
  exit 3
fi

installed() {
  [ -x "$LAUNCHER" ] && [ "$(cat "$DIR/version" 2>/dev/null)" = "$VERSION" ] &&
    [ -f "$DIR/lib/temporal-test-server-$VERSION.jar" ]
}
installed && found "$LAUNCHER"

if ! command -v mvn >/dev/null 2>&1; then
  log "Maven is needed once, to fetch the test server $VERSION: install it (Debian: apt-get install maven)"
  log "or set TEMPORAL_TEST_SERVER_PATH to an executable that runs the test server"
  exit 3
fi

mkdir -p "$DIR/bin"
# Test files running in parallel may all ask at once: one fetches, the others wait and reuse it.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DIR/.lock"
  flock 9
  installed && found "$LAUNCHER"
fi

log "fetching io.temporal:temporal-test-server:$VERSION and its dependencies with Maven into $DIR (once)"
started=$SECONDS
staging="$(mktemp -d "$DIR/lib.XXXXXX")"
trap 'rm -rf "$staging" "$LAUNCHER.tmp"' EXIT
# -q keeps Maven to its errors; sed drops the colour codes Debian's mvn prints even with -B.
if ! mvn -B -q -f "$POM" -Dmaven.repo.local="$M2" -Dtemporal.test-server.version="$VERSION" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$staging" 2>&1 |
    sed 's/\x1b\[[0-9;]*m//g' >&2; then
  log "mvn failed to fetch io.temporal:temporal-test-server:$VERSION (see above); is Maven Central reachable?"
  exit 1
fi
if [ ! -f "$staging/temporal-test-server-$VERSION.jar" ]; then
  log "mvn ran but temporal-test-server-$VERSION.jar is not among the fetched files"
  exit 1
fi

cat >"$LAUNCHER.tmp" <<EOF
#!/bin/sh
# Written by scripts/time-skipping-server.sh: Temporal's Java test server $VERSION.
# Usage: temporal-test-server <port> [--enable-time-skipping]
# exec matters: the Temporal SDK stops the server by killing this process, so it must be java.
dir="\$(cd "\$(dirname "\$0")/.." && pwd)"
java="\${JAVA_HOME:+\$JAVA_HOME/bin/java}"
[ -n "\$java" ] && [ -x "\$java" ] || java=java
# Short-lived test servers: quick start (C1 only, serial GC) matters more than peak speed.
# shellcheck disable=SC2086
exec "\$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \\
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \${TEMPORAL_TEST_SERVER_JAVA_OPTS:-} \\
  -cp "\$dir/lib/*" io.temporal.testserver.TestServer "\$@"
EOF
chmod +x "$LAUNCHER.tmp"

rm -rf "${DIR:?}/lib" "${DIR:?}/version"
mv "$staging" "$DIR/lib"
mv "$LAUNCHER.tmp" "$LAUNCHER"
# Without arguments the server prints its usage and exits: proves that java loads the classes.
if ! "$LAUNCHER" 2>&1 | grep -q 'Usage'; then
  log "the installed launcher does not run: $("$LAUNCHER" 2>&1 | head -n 5)"
  exit 1
fi
echo "$VERSION" >"$DIR/version"
log "installed the test server $VERSION in $((SECONDS - started))s: $(du -sh "$DIR/lib" | cut -f1) of jars in $DIR/lib, Maven's repository in $M2 ($(du -sh "$M2" 2>/dev/null | cut -f1))"
found "$LAUNCHER"
