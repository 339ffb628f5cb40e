# Shared by scripts/test, scripts/demo and bench: install what a fresh machine lacks, start the stack.
# shellcheck shell=bash

step() { printf '\n==> %s\n' "$*"; }

ensure_node_modules() {
  command -v npm >/dev/null || { echo "npm is required (any Node >= 18 to bootstrap; the project runs on the Node 24 it installs)" >&2; exit 1; }
  # node_modules/.package-lock.json is newer than package-lock.json after a complete install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    # Not 'npm ci': the registry mirror lacks some other-platform optional binaries (darwin, win32) at the
    # locked versions, so the lock cannot list them and npm ci refuses; npm install follows the lock for the rest.
    step "npm install (from package-lock.json)"
    npm install --no-audit --no-fund --no-save --loglevel=error
  fi
  # npm scripts put node_modules/.bin first on PATH, and with it the pinned Node 24 runtime.
  export PATH="$PWD/node_modules/.bin:$PATH"
  # kafkajs schedules some timers with negative delays; Node 24 warns on each. Harmless noise.
  export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=TimeoutNegativeWarning"
  step "runtime: node $(node --version)"
}

ensure_stack_endpoints() {
  if [ -n "${KAFKA_BROKERS:-}" ] && [ -n "${SCHEMA_REGISTRY_URL:-}" ] && [ -n "${DATABASE_URI:-}" ] \
    && [ -n "${CLICKHOUSE_URL:-}" ] && [ -n "${MONGODB_URI:-}" ]; then
    step "using the endpoints given in the environment"
    return 0
  fi
  step "local stack"
  bash scripts/stack start
  eval "$(bash scripts/stack env)"
}
