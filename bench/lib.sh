# Shared by bench/run, bench/compare and bench/profile: build, start and stop the servers under test,
# run the generator. Servers run pinned to core 0, the generator to core 1 (taskset), all on 127.0.0.1.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT_DIR=$(dirname "$BENCH_DIR")
SERVER_JAR="$ROOT_DIR/target/rendezvous.jar"
BENCH_JAR="$BENCH_DIR/target/rendezvous-bench.jar"
PEERJS_BIN="$BENCH_DIR/node_modules/peer/dist/bin/peerjs.js"
WORK_DIR=""
SERVER_PIDS=()
SERVER_URL=""
SERVER_URL_B=""
FLOOR_BIN=""

# Under set -e a failing command ends the script; name it instead of exiting without a word (a
# compare run once stopped that way between two runs). Functions inherit the trap (set -E).
set -E
trap 'status=$?; echo "bench: stopped: \"$BASH_COMMAND\" failed with status $status at ${BASH_SOURCE[0]##*/}:$LINENO" >&2' ERR

# Rendezvous starts exactly as a user starts it: through the checkout's launcher ./rendezvous, so
# with the JVM options it gives (deploy/jvm.options, its class-data archive) and nothing else.
# For an experiment, BENCH_SERVER_JAVA_OPTS reaches the launcher as JAVA_OPTS (after the options
# file, so it wins) and BENCH_SERVER_JAVA_HOME puts another JDK first on the launcher's PATH; both
# are empty by default, every run that sets them says so, and a user's own JAVA_OPTS never leaks in.
BENCH_SERVER_JAVA_OPTS=${BENCH_SERVER_JAVA_OPTS:-}
BENCH_SERVER_JAVA_HOME=${BENCH_SERVER_JAVA_HOME:-}
# The generator: a large young generation keeps its own GC pauses out of most latency samples.
GENERATOR_JVM_OPTS=${GENERATOR_JVM_OPTS:-"-Xms1g -Xmx1g -Xmn512m -XX:+UseSerialGC"}

if command -v taskset >/dev/null 2>&1 && [ "$(nproc)" -ge 2 ]; then
  PIN_SERVER=(taskset -c 0)
  PIN_GENERATOR=(taskset -c 1)
else
  echo "bench: taskset or a second core missing, running unpinned (figures are not comparable)" >&2
  PIN_SERVER=()
  PIN_GENERATOR=()
fi

log() { echo "bench: $*" >&2; }

build_all() {
  log "building target/rendezvous.jar and bench/target/rendezvous-bench.jar"
  (cd "$ROOT_DIR" && mvn -B -q -Dmaven.test.skip=true package)
  (cd "$BENCH_DIR" && mvn -B -q -DskipTests package)
}

install_peerjs() {
  if [ ! -f "$PEERJS_BIN" ]; then
    log "installing the PeerJS server (peer, pinned in bench/package-lock.json) with npm ci"
    (cd "$BENCH_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

free_port() { java -cp "$BENCH_JAR" dev.rendezvous.bench.FreePort; }

# new_log NAME: a new, empty log file for one server start. Made here, before the server is started
# in the background: that start's own redirection runs later, so a reused name could still show the
# previous server's "listening on" line (and port) to wait_for_line.
new_log() {
  mktemp "$WORK_DIR/$1-XXXXXX.log"
}

# wait_for_line FILE PATTERN SECONDS PID
wait_for_line() {
  local file=$1 pattern=$2 seconds=$3 pid=$4 i
  for ((i = 0; i < seconds * 10; i++)); do
    if grep -q "$pattern" "$file" 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  log "server did not start; its log:"; tail -20 "$file" >&2
  return 1
}

wait_for_port() {
  local port=$1 seconds=$2 i
  for ((i = 0; i < seconds * 10; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  log "nothing listens on 127.0.0.1:$port"
  return 1
}

# server_experiment: one line naming the experiment settings in force, or nothing.
server_experiment() {
  local parts=()
  if [ -n "$BENCH_SERVER_JAVA_OPTS" ]; then parts+=("JAVA_OPTS=$BENCH_SERVER_JAVA_OPTS"); fi
  if [ -n "$BENCH_SERVER_JAVA_HOME" ]; then parts+=("JDK $BENCH_SERVER_JAVA_HOME"); fi
  if [ ${#parts[@]} -gt 0 ]; then echo "experiment: ${parts[*]}"; fi
}

# start_rendezvous [extra server flags...]: the checkout's own build; sets SERVER_URL and appends
# the pid to SERVER_PIDS. SERVER_FLAGS (e.g. --metrics=off) go to every Rendezvous node, for A/B
# runs.
start_rendezvous() {
  start_build "$ROOT_DIR" "$@"
}

# start_build HOME [extra server flags...]: a Rendezvous build started by HOME/rendezvous (the
# launcher of that checkout), or, for a lone jar (HOME/rendezvous.jar, no launcher), plain java -jar.
start_build() {
  local home=$1
  shift
  local logfile path=$PATH command
  logfile=$(new_log rendezvous)
  if [ -n "$BENCH_SERVER_JAVA_HOME" ]; then path="$BENCH_SERVER_JAVA_HOME/bin:$PATH"; fi
  if [ -x "$home/rendezvous" ]; then
    command=("$home/rendezvous")
  else
    command=(java -jar "$home/rendezvous.jar")
  fi
  # shellcheck disable=SC2086
  # exec: the pid is the JVM's (taskset and the launcher exec it), so /proc and jcmd see the server.
  PATH=$path JAVA_OPTS=$BENCH_SERVER_JAVA_OPTS \
    "${PIN_SERVER[@]}" "${command[@]}" --host 127.0.0.1 --port 0 ${SERVER_FLAGS:-} "$@" >"$logfile" 2>&1 &
  local pid=$!
  SERVER_PIDS+=("$pid")
  wait_for_line "$logfile" "listening on" 60 "$pid"
  local port
  port=$(grep -o 'listening on [^ ]*' "$logfile" | head -1 | sed 's/.*://')
  SERVER_URL="ws://127.0.0.1:$port"
}

# start_rendezvous_tls: start_rendezvous serving wss:// with a self-signed EC P-256 pair for
# 127.0.0.1 made once per run in WORK_DIR; sets TLS_CERT for the generator's --tls-trust.
start_rendezvous_tls() {
  TLS_CERT="$WORK_DIR/tls.crt"
  if [ ! -f "$TLS_CERT" ]; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$WORK_DIR/tls.key" -out "$TLS_CERT" 2>/dev/null
  fi
  start_rendezvous --tls-cert "$TLS_CERT" --tls-key "$WORK_DIR/tls.key" "$@"
  SERVER_URL="wss://${SERVER_URL#ws://}"
}

# build_commit REV: builds commit REV of this repository (git archive, so no worktree is registered)
# into bench/target/against/<sha>, once, and prints that folder.
build_commit() {
  local sha dir
  sha=$(git -C "$ROOT_DIR" rev-parse --short=7 "$1^{commit}") || { log "no commit $1"; return 1; }
  dir="$BENCH_DIR/target/against/$sha"
  if [ ! -f "$dir/target/rendezvous.jar" ]; then
    log "building commit $sha into $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    git -C "$ROOT_DIR" archive "$sha" | tar -x -C "$dir"
    (cd "$dir" && mvn -B -q -Dmaven.test.skip=true package >&2)
  fi
  echo "$dir"
}

# build_home_of_jar JAR: the checkout whose target/ holds JAR (started by its launcher), or a
# folder holding only a link to JAR (started with plain java -jar).
build_home_of_jar() {
  local jar
  jar=$(realpath "$1") || return 1
  [ -f "$jar" ] || { log "no jar $1"; return 1; }
  local checkout
  checkout=$(dirname "$(dirname "$jar")")
  if [ "$(basename "$(dirname "$jar")")" = target ] && [ -x "$checkout/rendezvous" ] \
      && [ "$(basename "$jar")" = rendezvous.jar ]; then
    echo "$checkout"
    return
  fi
  mkdir -p "$WORK_DIR/jar"
  ln -sf "$jar" "$WORK_DIR/jar/rendezvous.jar"
  echo "$WORK_DIR/jar"
}

# build_label HOME: the commit a build was made from (+changes when its sources differ from it).
build_label() {
  local home=$1
  if [ "$(dirname "$home")" = "$BENCH_DIR/target/against" ]; then basename "$home"; return; fi
  if git -C "$home" rev-parse --git-dir >/dev/null 2>&1 && [ -x "$home/rendezvous" ]; then
    local sha
    sha=$(git -C "$home" rev-parse --short=7 HEAD)
    if [ -n "$(git -C "$home" status --porcelain -- src pom.xml deploy rendezvous 2>/dev/null)" ]; then
      sha="$sha+changes"
    fi
    echo "$sha"
    return
  fi
  basename "$(readlink -f "$home/rendezvous.jar")"
}

# The floor (issue 13): the C epoll relay in ../shared/floor, found beside the repository root, or
# beside the main checkout when this is a git worktree elsewhere; RENDEZVOUS_FLOOR_DIR overrides.
floor_dir() {
  if [ -n "${RENDEZVOUS_FLOOR_DIR:-}" ]; then echo "$RENDEZVOUS_FLOOR_DIR"; return; fi
  local common
  if [ -d "$ROOT_DIR/../shared/floor" ]; then (cd "$ROOT_DIR/../shared/floor" && pwd); return; fi
  common=$(git -C "$ROOT_DIR" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  if [ -n "$common" ] && [ -d "$(dirname "$common")/../shared/floor" ]; then
    (cd "$(dirname "$common")/../shared/floor" && pwd)
    return
  fi
  echo "$ROOT_DIR/../shared/floor"
}

# build_floor: sets FLOOR_BIN; returns 1 with a message when the folder or gcc is missing.
build_floor() {
  local dir
  dir=$(floor_dir)
  if [ ! -x "$dir/build.sh" ]; then
    log "skipping the floor: no $dir/build.sh (the C relay of issue 13; set RENDEZVOUS_FLOOR_DIR)"
    return 1
  fi
  if ! command -v gcc >/dev/null 2>&1; then
    log "skipping the floor: gcc is not installed (needed to build $dir/relay.c)"
    return 1
  fi
  FLOOR_BIN=$("$dir/build.sh" "${WORK_DIR:-${TMPDIR:-/tmp}}/floor/relay") || {
    log "skipping the floor: $dir/build.sh failed"
    return 1
  }
}

start_floor() {
  local port logfile
  logfile=$(new_log floor)
  port=$(free_port)
  "${PIN_SERVER[@]}" "$FLOOR_BIN" --host 127.0.0.1 --port "$port" >"$logfile" 2>&1 &
  local pid=$!
  SERVER_PIDS+=("$pid")
  wait_for_line "$logfile" "listening on" 10 "$pid"
  SERVER_URL="ws://127.0.0.1:$port"
}

start_peerjs() {
  local port logfile
  logfile=$(new_log peerjs)
  port=$(free_port)
  # concurrent_limit defaults to 5000 sockets; alive_timeout to 60 s without a HEARTBEAT.
  "${PIN_SERVER[@]}" node "$PEERJS_BIN" --host 127.0.0.1 --port "$port" --path / \
    --concurrent_limit 1000000 --alive_timeout 600000 >"$logfile" 2>&1 &
  local pid=$!
  SERVER_PIDS+=("$pid")
  wait_for_line "$logfile" "Started PeerServer" 30 "$pid"
  # It logs that line before the socket is listening.
  wait_for_port "$port" 10
  SERVER_URL="ws://127.0.0.1:$port"
}

stop_servers() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${SERVER_PIDS[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
}

# generator ARGS...: runs one scenario against the servers in SERVER_PIDS; returns its status.
generator() {
  local pids
  pids=$(IFS=,; echo "${SERVER_PIDS[*]}")
  # shellcheck disable=SC2086
  timeout 900 "${PIN_GENERATOR[@]}" java $GENERATOR_JVM_OPTS -jar "$BENCH_JAR" "$@" --server-pid "$pids"
}

# A scenario plan: one line per run, "label scenario generator-flags...".
plan_for() {
  local mode=$1
  if [ "$mode" = smoke ]; then
    cat <<'PLAN'
idle idle --sockets 200 --checkpoints 200 --open-rate 1000
cold coldstart --sockets 300 --open-rate 1000 --concurrency 64
storm coldstart --sockets 300 --open-rate 0 --concurrency 256
pingpong pingpong --pairs 10 --warmup 0.5 --duration 1.5
rate-2k rate --rate 2000 --pairs 10 --warmup 0.5 --duration 1.5 --busy-poll
flood flood --pairs 10 --warmup 0.5 --duration 1.5
connect connect --concurrency 8 --warmup 0.5 --duration 1.5
PLAN
  else
    cat <<'PLAN'
idle idle --sockets 19000 --checkpoints 5000,10000,19000 --open-rate 2000
cold-10k coldstart --sockets 10000 --open-rate 2000 --concurrency 256
storm-10k coldstart --sockets 10000 --open-rate 0 --concurrency 1024
pingpong pingpong --pairs 100 --warmup 5 --duration 10
rate-5k rate --rate 5000 --pairs 100 --warmup 5 --duration 10 --busy-poll
rate-20k rate --rate 20000 --pairs 100 --warmup 5 --duration 10 --busy-poll
flood flood --pairs 100 --window 64 --warmup 5 --duration 10
connect connect --concurrency 32 --warmup 5 --duration 10
PLAN
  fi
}

# The same scenarios over wss:// (bench/run only: the PeerJS comparison has no TLS). Rows are
# labelled tls-*; bench/run starts their server with --tls-cert/--tls-key.
tls_plan_for() {
  local mode=$1
  if [ "$mode" = smoke ]; then
    cat <<'PLAN'
tls-rate-2k rate --rate 2000 --pairs 10 --warmup 0.5 --duration 1.5 --busy-poll
tls-connect connect --concurrency 8 --warmup 0.5 --duration 1.5
PLAN
  else
    cat <<'PLAN'
tls-rate-5k rate --rate 5000 --pairs 100 --warmup 5 --duration 10 --busy-poll
tls-rate-20k rate --rate 20000 --pairs 100 --warmup 5 --duration 10 --busy-poll
tls-connect connect --concurrency 32 --warmup 5 --duration 10
PLAN
  fi
}

select_tls_plan() {
  local mode=$1 wanted=$2 line
  tls_plan_for "$mode" | while read -r line; do
    if [ -z "$wanted" ] || [[ " $wanted " == *" ${line%% *} "* ]]; then echo "$line"; fi
  done
}

# The mailbox's cost per held message (bench/run only: PeerJS has no bounded mailbox to compare);
# bench/run starts the server of held-* rows with --mailbox-ttl.
mailbox_plan_for() {
  if [ "$1" = smoke ]; then
    echo "held held --pairs 10 --sockets 2000 --size 256"
  else
    echo "held held --pairs 10 --sockets 100000 --size 256"
  fi
}

select_mailbox_plan() {
  local mode=$1 wanted=$2 line
  mailbox_plan_for "$mode" | while read -r line; do
    if [ -z "$wanted" ] || [[ " $wanted " == *" ${line%% *} "* ]]; then echo "$line"; fi
  done
}

# select_plan MODE "label1 label2..." : the plan lines whose label is listed (all when empty).
select_plan() {
  local mode=$1 wanted=$2 line
  plan_for "$mode" | while read -r line; do
    if [ -z "$wanted" ] || [[ " $wanted " == *" ${line%% *} "* ]]; then echo "$line"; fi
  done
}

cleanup() {
  stop_servers
  if [ -n "${REDIS_PID:-}" ]; then kill "$REDIS_PID" 2>/dev/null || true; fi
}
