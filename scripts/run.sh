#!/usr/bin/env bash
# Entry point behind the npm scripts: installs what is missing, brings the stack up, then runs
#   demo   the main job (scripts/demo.ts)
#   test   type check + every test (unit and integration, against the real stack), then the fault suite
#   start  every service of the hub in the foreground (Ctrl-C stops them)
# demo, test and start build the console first when its build is missing or stale (scripts/build-console.sh).
#   bench  the benchmarks (not part of the tests)
#   faults the fault suite on a private stack of its own (scripts/faults/index.ts)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ensure_deps() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "[run] installing Node dependencies (npm ci)" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

cmd=${1:-}
shift || true
case "$cmd" in
  test)
    ensure_deps
    bash scripts/ensure-system-packages.sh
    bash scripts/stack.sh up
    # In CI nothing may outlive the run: stop the stack we brought up when the tests end.
    if [ "${CI:-}" = "true" ]; then trap 'bash scripts/stack.sh down' EXIT; fi
    echo "[run] type check (tsc --noEmit)" >&2
    npx --no-install tsc --noEmit -p .
    # The console's browser tests open the built console.
    bash scripts/build-console.sh
    results=$(mktemp)
    set +e
    # --forceExit: a Kafka or database handle left open by a failing test must not hang CI.
    WHP_SKIP_STACK=1 npx --no-install jest --forceExit --json --outputFile="$results" "$@"
    rc=$?
    set -e
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
    ' "$results" || true
    rm -f "$results"
    # The fault suite (README "The fault suite"): ~7 minutes on a private stack of its own.
    if [ $rc -eq 0 ] && [ "${WHP_SKIP_FAULTS:-}" != "1" ]; then
      echo "[run] fault suite (npm run faults; WHP_SKIP_FAULTS=1 skips it)" >&2
      set +e
      npx --no-install tsx scripts/faults/index.ts
      rc=$?
      set -e
    fi
    if [ $rc -ne 0 ]; then
      # What the stack said while the tests ran, for whoever reads a failed CI log.
      for log in "${WHP_STACK_HOME:-$HOME/.cache/whp-hub}"/logs/{kafka,registry}.log; do
        [ -f "$log" ] || continue
        echo "[run] last warnings and errors in $log:" >&2
        grep -E 'WARN|ERROR|Exception|=====' "$log" | tail -n 25 | cut -c1-300 >&2 || true
      done
    fi
    exit $rc
    ;;
  demo)
    ensure_deps
    bash scripts/ensure-system-packages.sh
    bash scripts/stack.sh up
    bash scripts/build-console.sh
    exec npx --no-install tsx scripts/demo.ts "$@"
    ;;
  start)
    ensure_deps
    bash scripts/stack.sh up
    bash scripts/build-console.sh
    exec npx --no-install tsx scripts/start.ts "$@"
    ;;
  bench)
    ensure_deps
    bash scripts/stack.sh up
    # Ingest, correlation, alert latency, sweep, weekly list and the console's API, beside Kafka's own tools.
    exec npx --no-install tsx scripts/bench/index.ts "$@"
    ;;
  faults)
    ensure_deps
    bash scripts/ensure-system-packages.sh
    exec npx --no-install tsx scripts/faults/index.ts "$@"
    ;;
  risk-list)
    ensure_deps
    bash scripts/stack.sh up
    exec npx --no-install tsx scripts/risk-list.ts "$@"
    ;;
  *)
    echo "usage: scripts/run.sh demo|test|start|bench|faults|risk-list" >&2
    exit 2
    ;;
esac
