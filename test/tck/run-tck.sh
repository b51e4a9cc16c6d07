#!/usr/bin/env bash
# Runs the official A2A TCK (https://github.com/a2aproject/a2a-tck, branch 1.0-dev, for A2A v1.0)
# against the A2A front end, over JSON-RPC and HTTP+JSON (the card declares no gRPC interface).
#
# The TCK is not part of this repository. Once:
#   git clone -b 1.0-dev https://github.com/a2aproject/a2a-tck /tmp/a2a-tck   # tested at 357c4a87
#   python3 -m venv /tmp/tck-venv
#   /tmp/tck-venv/bin/pip install -e /tmp/a2a-tck
#   # the versions of the TCK's uv.lock (its generated protobuf code wants protobuf 6):
#   /tmp/tck-venv/bin/pip install protobuf==6.33.5 grpcio==1.78.0 pytest==9.0.2 pytest-asyncio==1.3.0
#
# Then, from the repository root (after `npm run build`):
#   test/tck/run-tck.sh                       # every level
#   test/tck/run-tck.sh --level must          # only MUST (or should, may); other flags go to run_tck.py
#   SUT_RUNNING=1 test/tck/run-tck.sh ...     # use a `dev` server already on $PORT (same team files)
#
# Why three passes: the TCK's own SUTs pick their behaviour from the message id's prefix
# ("tck-complete-task-..." completes, "tck-input-required-..." waits for input). A team run never
# sees message ids, so the behaviours are three fixture teams instead:
#   tck        (test/tck/tck-team.yaml, the root card)   every new task completes after one reply
#   tck-input  (test/tck/tck-input-team.yaml)            every new task waits for input (input-required)
#   tck-message (test/tck/tck-message-team.yaml)         every new task is answered with a bare Message
# Each pass points --sut-host at one team's card. A test whose prerequisite task needs the other
# behaviour skips in that pass ("Expected task state ... but got ..."); read them together.
#
# Reports (compatibility.json/html, junitreport.xml, tck_report.html) and logs go to $OUT_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TCK_DIR="${TCK_DIR:-/tmp/a2a-tck}"
TCK_PYTHON="${TCK_PYTHON:-/tmp/tck-venv/bin/python}"
PORT="${PORT:-41300}"
OUT_DIR="${OUT_DIR:-/tmp/tck-reports}"
BASE="http://127.0.0.1:${PORT}"

[ -f "$TCK_DIR/run_tck.py" ] || { echo "no TCK at $TCK_DIR (set TCK_DIR); see the top of $0" >&2; exit 2; }
[ -x "$TCK_PYTHON" ] || { echo "no Python at $TCK_PYTHON (set TCK_PYTHON); see the top of $0" >&2; exit 2; }
mkdir -p "$OUT_DIR"

DEV_PGID=""
stop_dev() {
  if [ -n "$DEV_PGID" ]; then
    kill -TERM -- "-$DEV_PGID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$DEV_PGID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$DEV_PGID" 2>/dev/null || true
  fi
}
trap stop_dev EXIT

if [ -z "${SUT_RUNNING:-}" ]; then
  [ -f "$ROOT/dist/src/cli/main.js" ] || { echo "build first: npm run build" >&2; exit 2; }
  # Its own process group, so the Temporal dev server and everything else stop with it. The TCK's
  # push receiver listens on this machine, which push URLs may reach only when allowlisted. Its
  # configs on completed tasks name https://example.com/...: allowlisted too, so that a machine
  # with no DNS does not refuse them as unresolvable (a config on an ended task never fires).
  DURABLE_TEAMS_WEBHOOK_ALLOW="${DURABLE_TEAMS_WEBHOOK_ALLOW:-127.0.0.1,::1,localhost,example.com}" setsid node "$ROOT/dist/src/cli/main.js" dev \
    "$ROOT/test/tck/tck-team.yaml" "$ROOT/test/tck/tck-input-team.yaml" "$ROOT/test/tck/tck-message-team.yaml" \
    --script "$ROOT/test/tck/tck-script.yaml" --port "$PORT" >"$OUT_DIR/dev.log" 2>&1 &
  DEV_PGID=$!
  echo "dev server (process group $DEV_PGID) starting on $BASE; log: $OUT_DIR/dev.log"
fi

for _ in $(seq 1 120); do
  curl -sf "$BASE/teams/tck-message/.well-known/agent-card.json" >/dev/null && break
  sleep 1
done
curl -sf "$BASE/.well-known/agent-card.json" >/dev/null || { echo "no agent card at $BASE" >&2; exit 1; }

status=0
for pass in "tck=$BASE" "tck-input=$BASE/teams/tck-input" "tck-message=$BASE/teams/tck-message"; do
  name="${pass%%=*}"
  host="${pass#*=}"
  echo "=== TCK pass '$name': --sut-host $host $*"
  rm -rf "$TCK_DIR/reports"
  (cd "$TCK_DIR" && "$TCK_PYTHON" run_tck.py --sut-host "$host" -v "$@") \
    >"$OUT_DIR/$name.log" 2>&1 || status=1
  rm -rf "$OUT_DIR/$name"
  cp -r "$TCK_DIR/reports" "$OUT_DIR/$name"
  grep -E '^=+ .*(passed|failed|skipped).* =+$' "$OUT_DIR/$name.log" || tail -5 "$OUT_DIR/$name.log"
done
echo "reports and logs in $OUT_DIR"
exit "$status"
