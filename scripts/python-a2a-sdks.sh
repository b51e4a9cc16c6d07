#!/usr/bin/env bash
# Python's a2a-sdk, 0.3 and 1.x, each in a venv under .venvs/ (from PyPI), for the test that
# checks the agent card served without A2A-Version works for both (test/a2a/card-dual.test.ts).
# Idempotent: a venv that already has its version is left as it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

make_venv() {
  local dir="$1" spec="$2"
  if [ -x "$dir/bin/python" ] && "$dir/bin/python" -c "import a2a" 2>/dev/null; then
    echo "   $dir: $("$dir/bin/pip" freeze | grep -i '^a2a-sdk')"
    return
  fi
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$spec"
  echo "   $dir: $("$dir/bin/pip" freeze | grep -i '^a2a-sdk')"
}

make_venv .venvs/a2a-py03 'a2a-sdk[http-server]==0.3.26'
make_venv .venvs/a2a-py 'a2a-sdk[http-server]==1.3.0'
