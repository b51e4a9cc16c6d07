#!/usr/bin/env bash
# Prints the folder holding a production-shaped Temporal server, building it once into
# .temporal-server/: bin/server (frontend, history, matching and worker services, one per process
# when asked), bin/temporal-sql-tool (creates and upgrades the schemas, as auto-setup does) and
# schema/postgresql/v12 (the schema files that tool reads). Same version as the compose file pins.
#
# DURABLE_TEAMS_SERVER_BUILD=release (the default: Go's optimized build, as production runs it) or
# quick (no optimization, inlining or debug info: about half the compiling, into
# .temporal-server-quick/), which the cluster tests use: they prove how our runs survive a
# cluster's faults, not how fast Temporal is; the benchmarks and `npm run cluster` use release.
#
# The build shares the Temporal CLI's module graph (the CLI embeds this server version for its dev
# server), so after scripts/temporal-cli.sh has built the CLI from source, the Go build cache
# already holds nearly every package and this takes seconds, not minutes. Alone, it is a few
# minutes of compiling: .ci/run starts it in the background, before the tests.
set -euo pipefail

VERSION="${TEMPORAL_SERVER_VERSION:-1.29.1}"
CLI_VERSION="${TEMPORAL_CLI_VERSION:-1.5.1}" # its go.mod requires go.temporal.io/server v1.29.1
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${DURABLE_TEAMS_SERVER_BUILD:-release}"
case "$BUILD" in
  release) CACHE="${DURABLE_TEAMS_SERVER_DIR:-$ROOT/.temporal-server}" GCFLAGS="" ;;
  quick) CACHE="${DURABLE_TEAMS_SERVER_DIR:-$ROOT/.temporal-server-quick}" GCFLAGS="all=-N -l -dwarf=false" ;;
  *)
    echo "temporal-server: DURABLE_TEAMS_SERVER_BUILD=$BUILD: use release or quick" >&2
    exit 2
    ;;
esac

log() { echo "temporal-server: $*" >&2; }
ready() {
  [ -x "$CACHE/bin/server" ] && [ -x "$CACHE/bin/temporal-sql-tool" ] &&
    [ -f "$CACHE/schema/postgresql/v12/temporal/schema.sql" ] &&
    [ "$(cat "$CACHE/VERSION" 2>/dev/null)" = "$VERSION $BUILD" ]
}

if ready; then
  echo "$CACHE"
  exit 0
fi
mkdir -p "$CACHE"
# CI builds it in the background while the tests run; the cluster test that needs it waits here.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/.lock"
  flock 9
  if ready; then
    echo "$CACHE"
    exit 0
  fi
fi
if ! command -v go >/dev/null 2>&1; then
  log "Go is needed to build the Temporal server v$VERSION (go install through the Go module proxy)"
  exit 3
fi

log "building the Temporal server v$VERSION ($BUILD) and its SQL schema tool (once)"
started=$SECONDS
build="$CACHE/build"
rm -rf "$build" && mkdir -p "$build" "$CACHE/bin"
cat >"$build/go.mod" <<EOF
module durable-teams.local/temporal-server

go 1.24
EOF
# Importing the CLI too keeps the module graph the CLI was built with: same versions, cached packages.
cat >"$build/tools.go" <<'EOF'
//go:build tools

package tools

import (
	_ "github.com/temporalio/cli/cmd/temporal"
	_ "go.temporal.io/server/cmd/server"
	_ "go.temporal.io/server/cmd/tools/sql"
)
EOF
(
  cd "$build"
  go get "github.com/temporalio/cli@v$CLI_VERSION" "go.temporal.io/server@v$VERSION" >&2
  go mod tidy >&2
  selected="$(go list -m -f '{{.Version}}' go.temporal.io/server)"
  if [ "$selected" != "v$VERSION" ]; then
    log "the module graph selected go.temporal.io/server $selected, not v$VERSION; set TEMPORAL_CLI_VERSION to a CLI that requires it"
    exit 1
  fi
  GOBIN="$CACHE/bin" GOFLAGS="${GOFLAGS:-} -trimpath" go install -ldflags "-s -w" -gcflags "$GCFLAGS" \
    go.temporal.io/server/cmd/server go.temporal.io/server/cmd/tools/sql >&2
  mv "$CACHE/bin/sql" "$CACHE/bin/temporal-sql-tool"
  source_dir="$(go list -m -f '{{.Dir}}' go.temporal.io/server)"
  rm -rf "$CACHE/schema" && mkdir -p "$CACHE/schema/postgresql"
  cp -R "$source_dir/schema/postgresql/v12" "$CACHE/schema/postgresql/v12"
  chmod -R u+w "$CACHE/schema"
)
echo "$VERSION $BUILD" >"$CACHE/VERSION"
log "built $CACHE in $((SECONDS - started))s"
echo "$CACHE"
