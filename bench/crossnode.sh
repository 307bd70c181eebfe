# The cross-node scenario, sourced by bench/run --crossnode: one redis-server and two Rendezvous
# nodes started with --redis; senders connect to node A, receivers to node B, so every message
# crosses the cluster bus. Servers and redis share core 0; the generator has core 1. Server CPU
# is the sum over both nodes and redis.

REDIS_PID=""

start_redis() {
  local port logfile="$WORK_DIR/redis.log"
  port=$(free_port)
  "${PIN_SERVER[@]}" redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --daemonize no >"$logfile" 2>&1 &
  REDIS_PID=$!
  wait_for_line "$logfile" "Ready to accept connections" 20 "$REDIS_PID"
  REDIS_URL="redis://127.0.0.1:$port"
}

crossnode_plan() {
  local mode=$1 lines=$2 status=0
  if ! command -v redis-server >/dev/null 2>&1; then
    log "FAILED: crossnode needs redis-server (apt-get install redis-server)"; return 1
  fi
  if [ -z "${CROSSNODE_SKIP_JAR_CHECK:-}" ] && ! jar tf "$SERVER_JAR" 2>/dev/null | grep -q 'dev/rendezvous/cluster/'; then
    log "FAILED: crossnode: target/rendezvous.jar has no cluster relay (package dev.rendezvous.cluster);"
    log "        --redis is accepted but ignored until the cluster branch is merged"
    return 1
  fi
  local warmup=5 duration=10 pairs=100
  if [ "$mode" = smoke ]; then warmup=0.5; duration=1.5; pairs=10; fi
  start_redis
  local row
  for row in "crossnode-rate-10k rate --rate 10000" "crossnode-flood flood --window 64"; do
    read -r label scenario flags <<<"$row"
    log "rendezvous: $label"
    SERVER_PIDS=("$REDIS_PID")
    start_rendezvous --redis "$REDIS_URL" --node-id bench-a
    local url_a=$SERVER_URL
    start_rendezvous --redis "$REDIS_URL" --node-id bench-b
    local url_b=$SERVER_URL
    # shellcheck disable=SC2086
    generator "$scenario" --label "$label" --target rendezvous --url "$url_a" --recv-url "$url_b" \
      --pairs "$pairs" --warmup "$warmup" --duration "$duration" --out "$lines" $flags >/dev/null || {
        status=1
        log "FAILED: $label (a peer-unavailable error frame means node A could not reach node B's IDs)"
      }
    SERVER_PIDS=("${SERVER_PIDS[@]:1}")
    stop_servers
  done
  kill "$REDIS_PID" 2>/dev/null || true
  REDIS_PID=""
  return $status
}
