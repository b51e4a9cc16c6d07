#!/usr/bin/env bash
# Runs the official A2A TCK (https://github.com/a2aproject/a2a-tck, branch 1.0-dev, for A2A v1.0)
# against the A2A front end, over JSON-RPC, HTTP+JSON and gRPC (`dev --grpc-port`; every binding the
# card declares is tested, unless --transport grpc,jsonrpc,http_json says fewer).
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
#   SUT_RUNNING=1 test/tck/run-tck.sh ...     # use a `dev` server already on $PORT and $GRPC_PORT
#                                             # (its gRPC then reaches the first team only; see below)
#
# Why several passes: the TCK's own SUTs pick their behaviour from the message id's prefix
# ("tck-complete-task-..." completes, "tck-input-required-..." waits for input, "tck-artifact-data-..."
# answers with data, "tck-message-response-..." with a Message). A team run never sees message ids, so the behaviours are fixture teams instead:
#   tck           (test/tck/tck-team.yaml)           every new task completes after one text reply
#   tck-input     (test/tck/tck-input-team.yaml)     every new task waits for input (input-required)
#   tck-data      (test/tck/tck-data-team.yaml)      the answer is data (structured output)
#   tck-file      (test/tck/tck-file-team.yaml)      the answer is a file, inline
#   tck-file-url  (test/tck/tck-file-url-team.yaml)  the answer is a file, by URL
#   tck-message   (test/tck/tck-message-team.yaml)   the answer is a bare Message (a2a: { reply: message })
# Each pass points --sut-host at one team's card. The first two run every test but those of the
# answer-shape scenarios (tck-input not even the text artifact's: its tasks never end); a test whose
# prerequisite task needs the other behaviour skips in that pass ("Expected task state ... but got
# ..."), so read the two together. The artifact passes run only the test their team stands in for.
#
# gRPC: one endpoint serves every team, the request's `tenant` naming the team (the card's GRPC
# interface carries it; the SDK's JS client sends it). The TCK's gRPC client sends no tenant, so its
# calls reach the first team served; each pass therefore starts its own `dev` with its team first.
#
# Reports (compatibility.json/html, junitreport.xml, tck_report.html) and logs go to $OUT_DIR.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TCK_DIR="${TCK_DIR:-/tmp/a2a-tck}"
TCK_PYTHON="${TCK_PYTHON:-/tmp/tck-venv/bin/python}"
PORT="${PORT:-41300}"
GRPC_PORT="${GRPC_PORT:-41301}"
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

# Starts `dev` with these team files (the first is the root card's team and gRPC's default tenant),
# and waits for both cards.
start_dev() {
  [ -f "$ROOT/dist/src/cli/main.js" ] || { echo "build first: npm run build" >&2; exit 2; }
  # Its own process group, so the Temporal dev server and everything else stop with it. The TCK's
  # push receiver listens on this machine, which push URLs may reach only when allowlisted. Its
  # configs on completed tasks name https://example.com/...: allowlisted too, so that a machine
  # with no DNS does not refuse them as unresolvable (a config on an ended task never fires).
  DURABLE_TEAMS_WEBHOOK_ALLOW="${DURABLE_TEAMS_WEBHOOK_ALLOW:-127.0.0.1,::1,localhost,example.com}" setsid node "$ROOT/dist/src/cli/main.js" dev \
    "$@" --script "$ROOT/test/tck/tck-script.yaml" --port "$PORT" --grpc-port "$GRPC_PORT" >>"$OUT_DIR/dev.log" 2>&1 &
  DEV_PGID=$!
  echo "dev server (process group $DEV_PGID) starting on $BASE, gRPC on 127.0.0.1:$GRPC_PORT; log: $OUT_DIR/dev.log"
  wait_for_cards
}

wait_for_cards() {
  for _ in $(seq 1 120); do
    curl -sf "$BASE/teams/tck-input/.well-known/agent-card.json" >/dev/null && curl -sf "$BASE/teams/tck/.well-known/agent-card.json" >/dev/null && break
    sleep 1
  done
  curl -sf "$BASE/.well-known/agent-card.json" >/dev/null || { echo "no agent card at $BASE" >&2; exit 1; }
}

: >"$OUT_DIR/dev.log"
if [ -n "${SUT_RUNNING:-}" ]; then wait_for_cards; fi

status=0
# Each pass: a fixture team, and the TCK tests it stands in for (all of them, or a pytest -k
# expression for the scenarios only that team's answers can satisfy: its artifact's first part).
SCENARIOS="TestDataArtifact or TestFileArtifact or TestFileUrlArtifact or TestMessageResponse"
PASSES=(
  "tck=not ($SCENARIOS)"
  "tck-input=not ($SCENARIOS or TestTextArtifact)"
  "tck-data=TestDataArtifact"
  "tck-file=TestFileArtifact"
  "tck-file-url=TestFileUrlArtifact"
  "tck-message=TestMessageResponse"
)
TEAMS=()
for pass in "${PASSES[@]}"; do TEAMS+=("$ROOT/test/tck/${pass%%=*}-team.yaml"); done
for pass in "${PASSES[@]}"; do
  name="${pass%%=*}"
  only="${pass#*=}"
  host="$BASE/teams/$name"
  if [ -z "${SUT_RUNNING:-}" ]; then
    stop_dev
    DEV_PGID=""
    # This pass's team first: it is the root card's, and gRPC's when a request names no tenant.
    others=()
    for team in "${TEAMS[@]}"; do [ "$team" = "$ROOT/test/tck/$name-team.yaml" ] || others+=("$team"); done
    start_dev "$ROOT/test/tck/$name-team.yaml" "${others[@]}"
  fi
  args=("$@")
  if [ -n "$only" ]; then
    case " $* " in *" -- "*) args+=(-k "$only") ;; *) args+=(-- -k "$only") ;; esac
  fi
  echo "=== TCK pass '$name': --sut-host $host ${args[*]}"
  rm -rf "$TCK_DIR/reports"
  (cd "$TCK_DIR" && "$TCK_PYTHON" run_tck.py --sut-host "$host" -v "${args[@]}") \
    >"$OUT_DIR/$name.log" 2>&1 || status=1
  rm -rf "$OUT_DIR/$name"
  cp -r "$TCK_DIR/reports" "$OUT_DIR/$name"
  grep -E '^=+ .*(passed|failed|skipped).* =+$' "$OUT_DIR/$name.log" || tail -5 "$OUT_DIR/$name.log"
done
echo "reports and logs in $OUT_DIR"
exit "$status"
