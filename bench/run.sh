#!/usr/bin/env bash
# proxy4j beside nginx and HAProxy, same backend, same load, one run. See bench/README.md.
#
#   bash bench/run.sh                 full run (3 rounds x 8 s, all scenarios, < 10 min)
#   QUICK=1 bash bench/run.sh         smoke for CI (1 round x 2 s, small scenarios, < 1 min)
#
# Knobs (environment): QUICK ROUNDS DURATION WARMUP TARGETS SCENARIOS CONNS H2_CLIENTS H2_STREAMS
# IDLE_CONNS BIG_MB PORT_BASE OUT PROXY4J_JAR PROXY4J_JAVA_OPTS PROXY4J_ARGS CACHE COMPRESS COMPRESSED_KB
# FAILOVER_DELAY_MS FAILOVER_SETTLE FAILOVER_WARMUP EDGE_RATE_LIMIT WS_CONNS WS_SIZE
# TCP_MB.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
OUT=${OUT:-$BENCH_DIR/out}

QUICK=${QUICK:-0}
if [[ $QUICK == 1 ]]; then
  ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-2} WARMUP=${WARMUP:-1}
  SCENARIOS=${SCENARIOS:-"small 64k h2c close"}
else
  ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-8} WARMUP=${WARMUP:-5}
  SCENARIOS=${SCENARIOS:-"small 64k h2c close stream idle10k"}
fi
TARGETS=${TARGETS:-"nginx haproxy proxy4j"}   # also: direct (the backend itself, no proxy), jetty (Jetty's ProxyHandler), vertx (Vert.x http-proxy)
CONNS=${CONNS:-50}                 # wrk connections (-c), 2 threads
H2_CLIENTS=${H2_CLIENTS:-10}       # h2load -c
H2_STREAMS=${H2_STREAMS:-10}       # h2load -m (concurrent streams per connection)
IDLE_CONNS=${IDLE_CONNS:-10000}
BIG_MB=${BIG_MB:-1024}             # size of the streamed file, MiB
PORT_BASE=${PORT_BASE:-18000}
PROXY4J_JAR=${PROXY4J_JAR:-$REPO_DIR/proxy-examples/target/proxy4j.jar}
PROXY4J_JAVA_OPTS=${PROXY4J_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}
PROXY4J_ARGS=${PROXY4J_ARGS:-}     # extra launcher flags, appended after --port/--upstream
CACHE=${CACHE:-0}                  # 1: nginx proxy_cache and proxy4j --cache 64m (HAProxy: none), for the cacheable scenario
# 1: nginx gzip (level 6, text and JSON, 256 bytes up) and proxy4j --compress (HAProxy: none), for the
# compressed scenario; on by default when SCENARIOS names it
COMPRESS=${COMPRESS:-$([[ " $SCENARIOS " == *" compressed "* ]] && echo 1 || echo 0)}
COMPRESSED_KB=${COMPRESSED_KB:-32}  # size of the compressed scenario's JSON body, KiB
# The jetty target: Jetty's own ProxyHandler.Reverse with its defaults (HTTP/1.1 only), the baseline
# proxy4j's handler was chosen against. Build it with: mvn -q -Pbench package -DskipTests
JETTY_BASELINE_JAR=${JETTY_BASELINE_JAR:-$REPO_DIR/bench/jmh/target/benchmarks.jar}
# The vertx target: Vert.x 5's http-proxy with its defaults, one verticle per core (HTTP/1.1 only), from
# the same jar.
VERTX_PEER_JAR=${VERTX_PEER_JAR:-$JETTY_BASELINE_JAR}

BACKEND_PORT=$((PORT_BASE + 80)) BACKEND_H2_PORT=$((PORT_BASE + 83)) SINK_PORT=$((PORT_BASE + 79))
NGINX_PORT=$((PORT_BASE + 81)) NGINX_H2_PORT=$((PORT_BASE + 82))
HAPROXY_PORT=$((PORT_BASE + 91)) HAPROXY_H2_PORT=$((PORT_BASE + 92))
PROXY4J_PORT=$((PORT_BASE + 101))
JETTY_PORT=$((PORT_BASE + 111))
VERTX_PORT=$((PORT_BASE + 121))
BIG_FILE=$OUT/big-${BIG_MB}m.bin
SMALL_BODY='proxy4j bench: a small response body of one hundred bytes, the same for every target in this run...'

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- processes and cleanup
declare -A PID=()      # name -> pid of every long-running process this script started
cleanup() {
  local rc=$? p pids=()
  trap - EXIT INT TERM
  local parents=("${PID[@]}")
  # shellcheck disable=SC2207
  parents+=($(jobs -p))
  for p in "${parents[@]}"; do
    pids+=("$p")
    mapfile -t -O "${#pids[@]}" pids < <(pgrep -P "$p" || true)   # nginx workers, sleep in loops
  done
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && break; p=; done
      [[ -z $p ]] && break
      sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  [[ -n ${RUN:-} ]] && log "logs, configs and raw outputs: $RUN"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- tools
install_tools() {
  local -A pkg=([nginx]=nginx [haproxy]=haproxy [wrk]=wrk [h2load]=nghttp2-client [curl]=curl
                [python3]=python3 [openssl]=openssl [pgrep]=procps [ss]=iproute2)
  local missing=() cmd
  for cmd in "${!pkg[@]}"; do command -v "$cmd" >/dev/null || missing+=("${pkg[$cmd]}"); done
  ((${#missing[@]})) || return 0
  if [[ $EUID -ne 0 ]]; then
    log "missing packages: ${missing[*]} (not root: install them, then rerun)"
    return 0
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

raise_nofile() {
  local hard
  hard=$(ulimit -Hn)
  if [[ $hard == unlimited ]] || ((hard >= 65536)); then ulimit -n 65536; else ulimit -n "$hard"; fi
  NOFILE=$(ulimit -n)
  ((NOFILE > IDLE_CONNS + 1000)) || log "warning: open-file limit $NOFILE is low for $IDLE_CONNS idle connections"
}

port_free() { ! ss -Hltn "sport = :$1" | grep -q .; }

wait_http() {   # url timeout_s [pid]: until the url answers 200
  local url=$1 deadline=$((SECONDS + $2)) pid=${3:-}
  until curl -sf -o /dev/null --max-time 1 "$url"; do
    [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null && return 1
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Sum a /proc/<pid>/status field (VmRSS, VmHWM) over a process and its children (nginx workers).
mem_kb() {
  local field=$1 pid=$2 p v total=0
  for p in "$pid" $(pgrep -P "$pid" || true); do
    v=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
# Reset VmHWM to the current RSS (Linux: "5" > clear_refs), so each measurement has its own peak.
reset_peak() {
  local p
  for p in "$1" $(pgrep -P "$1" || true); do echo 5 >"/proc/$p/clear_refs" 2>/dev/null || true; done
}

# ---------------------------------------------------------------- backend and peers
nginx_common() {   # dir
  cat <<EOF
# Written by bench/run.sh. Bench only: loopback, own pid/log/temp paths.
$([[ $EUID -eq 0 ]] && echo 'user root;  # workers read bench/out wherever the checkout lives')
worker_processes 1;
worker_rlimit_nofile $NOFILE;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 20000; }
EOF
}
nginx_http_common() {   # dir
  cat <<EOF
  access_log off;
  client_body_temp_path $1/client_body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  keepalive_requests 1000000;   # also h2 (1.19.7+): no forced reconnects mid-measurement
  keepalive_timeout 120s;
  client_max_body_size 0;
EOF
}

start_nginx() {   # name conf_text
  local name=$1 dir=$RUN/$1
  mkdir -p "$dir"
  printf '%s\n' "$2" >"$dir/nginx.conf"
  nginx -t -q -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" || { log "$name: bad config, see $dir"; return 1; }
  nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' >>"$dir/stdout.log" 2>&1 &
  PID[$name]=$!
}

start_backend() {
  local dir=$RUN/backend
  head -c 65536 /dev/urandom >"$RUN/64k.bin"
  make_compressed_body "$RUN/compressed.json"
  python3 "$BENCH_DIR/sink.py" "$SINK_PORT" >"$RUN/sink.log" 2>&1 &
  PID[sink]=$!
  start_nginx backend "$(nginx_common "$dir")
http {
$(nginx_http_common "$dir")
  sendfile on;
  tcp_nopush on;
  default_type text/plain;
  upstream sink { server 127.0.0.1:$SINK_PORT; keepalive 8; }
  server {
    listen 127.0.0.1:$BACKEND_PORT backlog=4096;
    listen 127.0.0.1:$BACKEND_H2_PORT http2 backlog=4096;   # h2c for the 'direct' target
    location = /small     { return 200 \"$SMALL_BODY\"; }
    location = /cacheable { add_header Cache-Control \"max-age=60\" always; return 200 \"$SMALL_BODY\"; }
    location = /64k       { alias $RUN/64k.bin; }
    location = /compressed { alias $RUN/compressed.json; default_type application/json; }
    location = /big       { alias $BIG_FILE; default_type application/octet-stream; }
    # Upload sink: nginx would answer 'return 200' before reading the body, so the upload is
    # streamed (unbuffered) to sink.py, which reads all of it and then answers its byte count.
    location = /upload {
      proxy_pass http://sink;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_request_buffering off;
      proxy_buffering off;
    }
  }
}"
  wait_http "http://127.0.0.1:$BACKEND_PORT/small" 10 "${PID[backend]}" || die "backend did not start, see $dir"
  wait_http "http://127.0.0.1:$BACKEND_PORT/upload" 10 "${PID[sink]}" || die "upload sink did not start, see $RUN/sink.log"
}

start_target() {   # target -> 0 started, 1 skipped
  local t=$1 dir=$RUN/$1
  mkdir -p "$dir"
  case $t in
    direct) PID[direct]=${PID[backend]}; return 0 ;;
    nginx)
      command -v nginx >/dev/null || { log "skip nginx: not installed"; return 1; }
      start_nginx nginx "$(nginx_common "$dir")
http {
$(nginx_http_common "$dir")
$( ((CACHE)) && printf '  proxy_cache_path %s/cache keys_zone=bench:10m max_size=64m;\n' "$dir")
$( ((COMPRESS)) && nginx_gzip )
  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    listen 127.0.0.1:$NGINX_H2_PORT http2 backlog=4096;   # 1.22: h2c prior knowledge only
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_request_buffering off;   # stream uploads like the other two
      proxy_max_temp_file_size 0;    # never spool a download to disk
$( ((CACHE)) && printf '      proxy_cache bench;\n' )
    }
$(proto_nginx_locations)
  }
}" || return 1 ;;
    haproxy)
      command -v haproxy >/dev/null || { log "skip haproxy: not installed"; return 1; }
      cat >"$dir/haproxy.cfg" <<EOF
# Written by bench/run.sh.
global
  nbthread 1
  maxconn 20000
  # maxconn 20000 asks for ~40k fds; where the hard limit is lower (containers) run on what we have.
  no strict-limits
  pidfile $dir/haproxy.pid
defaults
  mode http
  maxconn 20000
  http-reuse always
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout http-request 10s
  timeout http-keep-alive 120s
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT backlog 4096
  bind 127.0.0.1:$HAPROXY_H2_PORT proto h2 backlog 4096
$(proto_haproxy_frontend)
  default_backend be
backend be
  server backend 127.0.0.1:$BACKEND_PORT
$(proto_haproxy_sections)
EOF
      haproxy -c -q -f "$dir/haproxy.cfg" >"$dir/check.log" 2>&1 || { log "skip haproxy: bad config, see $dir/check.log"; return 1; }
      haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
      PID[haproxy]=$! ;;
    proxy4j)
      command -v java >/dev/null || { log "skip proxy4j: no java on PATH"; return 1; }
      [[ -f $PROXY4J_JAR ]] || { log "skip proxy4j: no launcher jar at $PROXY4J_JAR (build: mvn -q package -DskipTests, or set PROXY4J_JAR)"; return 1; }
      # shellcheck disable=SC2086  # opts and args are word lists on purpose
      # Like the peers: loopback only, no access log, no request-body limit (the 1 GiB upload).
      java $PROXY4J_JAVA_OPTS -jar "$PROXY4J_JAR" run --host 127.0.0.1 --port "$PROXY4J_PORT" \
        --upstream "http://127.0.0.1:$BACKEND_PORT" --no-access-log --max-body-size 0 \
        $( ((CACHE)) && echo --cache 64m ) $( ((COMPRESS)) && echo --compress ) $(proto_proxy4j_args) $PROXY4J_ARGS \
        >"$dir/proxy4j.log" 2>&1 &
      PID[proxy4j]=$! ;;
    jetty)
      command -v java >/dev/null || { log "skip jetty: no java on PATH"; return 1; }
      [[ -f $JETTY_BASELINE_JAR ]] || { log "skip jetty: no $JETTY_BASELINE_JAR (build: mvn -q -Pbench package -DskipTests)"; return 1; }
      # shellcheck disable=SC2086  # the same JVM flags as proxy4j, so the two compare like for like
      java $PROXY4J_JAVA_OPTS -cp "$JETTY_BASELINE_JAR" dev.proxy4j.bench.JettyProxyHandlerBaseline \
        "$JETTY_PORT" "http://127.0.0.1:$BACKEND_PORT" >"$dir/jetty.log" 2>&1 &
      PID[jetty]=$! ;;
    vertx)
      command -v java >/dev/null || { log "skip vertx: no java on PATH"; return 1; }
      [[ -f $VERTX_PEER_JAR ]] || { log "skip vertx: no $VERTX_PEER_JAR (build: mvn -q -Pbench package -DskipTests)"; return 1; }
      # shellcheck disable=SC2086  # the same JVM flags as proxy4j
      java $PROXY4J_JAVA_OPTS -cp "$VERTX_PEER_JAR" dev.proxy4j.bench.VertxHttpProxyPeer \
        "$VERTX_PORT" "http://127.0.0.1:$BACKEND_PORT" >"$dir/vertx.log" 2>&1 &
      PID[vertx]=$! ;;
    *) log "skip $t: unknown target"; return 1 ;;
  esac
  if ! wait_http "http://127.0.0.1:$(h1_port "$t")/small" 60 "${PID[$t]}"; then
    log "skip $t: did not answer 200 on /small within 60 s; last lines of its log:"
    tail -n 20 "$dir"/*.log >&2 2>/dev/null || true
    kill "${PID[$t]}" 2>/dev/null || true
    unset "PID[$t]"
    return 1
  fi
}

h1_port() { case $1 in direct) echo $BACKEND_PORT ;; nginx) echo $NGINX_PORT ;; haproxy) echo $HAPROXY_PORT ;; proxy4j) echo $PROXY4J_PORT ;; jetty) echo $JETTY_PORT ;; vertx) echo $VERTX_PORT ;;
  proxy4j-rl) echo $EDGE_RL_PORT ;; proxy4j-waf) echo $EDGE_WAF_PORT ;; esac; }
h2_port() { case $1 in direct) echo $BACKEND_H2_PORT ;; nginx) echo $NGINX_H2_PORT ;; haproxy) echo $HAPROXY_H2_PORT ;; proxy4j) echo $PROXY4J_PORT ;; esac; }   # jetty, vertx: none

# ---------------------------------------------------------------- edge: rate limit and WAF cost
# The `edge` scenario (opt-in): small GETs through proxy4j three ways in the same run, with the same
# realistic request (a query, a browser's User-Agent and Accept): the plain proxy4j target, one with
# a rate limit that never triggers (EDGE_RATE_LIMIT, keyed by client address: every request counts
# against one key), and one with the WAF blocking (--waf block, paranoia 1). Each variant is its own
# JVM with the same flags; the summary's EDGE lines give each one's cost in percent of plain req/s.
EDGE_RL_PORT=$((PORT_BASE + 103)) EDGE_WAF_PORT=$((PORT_BASE + 105))
EDGE_RATE_LIMIT=${EDGE_RATE_LIMIT:-"1000000r/s,burst=1000000,nodelay"}
EDGE_PATH='/small?q=running+shoes&page=2'
EDGE_HEADERS=(-H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'
  -H 'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')

start_edge() {   # -> the variants that answered, in EDGE_ACTIVE
  EDGE_ACTIVE=()
  [[ -n ${PID[proxy4j]:-} ]] || { log "skip edge: the proxy4j target is not running"; return 0; }
  local name port extra dir=$RUN
  for name in proxy4j-rl proxy4j-waf; do
    if [[ $name == proxy4j-rl ]]; then port=$EDGE_RL_PORT extra=(--rate-limit "$EDGE_RATE_LIMIT")
    else port=$EDGE_WAF_PORT extra=(--waf block); fi
    port_free "$port" || { log "skip $name: port $port is in use"; continue; }
    # shellcheck disable=SC2086  # opts and args are word lists on purpose
    java $PROXY4J_JAVA_OPTS -jar "$PROXY4J_JAR" run --host 127.0.0.1 --port "$port" \
      --upstream "http://127.0.0.1:$BACKEND_PORT" --no-access-log --max-body-size 0 "${extra[@]}" $PROXY4J_ARGS \
      >"$dir/$name.log" 2>&1 &
    PID[$name]=$!
    if wait_http "http://127.0.0.1:$port/small" 60 "${PID[$name]}"; then
      EDGE_ACTIVE+=("$name"); log "$name up (pid ${PID[$name]})"
    else
      log "skip $name: did not answer 200 on /small within 60 s"; tail -n 20 "$dir/$name.log" >&2 || true
      kill "${PID[$name]}" 2>/dev/null || true; unset "PID[$name]"
    fi
  done
}

measure_edge() {   # round: plain, then each variant, one after the other
  local t
  for t in proxy4j "${EDGE_ACTIVE[@]}"; do
    log "round $1/$ROUNDS edge $t"; measure_wrk edge "$t" "$1" "$EDGE_PATH" "${EDGE_HEADERS[@]}"
  done
}

edge_cost() {   # summary file: each variant's req/s and p99 against plain proxy4j's
  python3 - "$1" <<'PY'
import re, sys
rows = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT scenario=edge target=(\S+) (.*)", line)
    if m:
        rows[m.group(1)] = dict(kv.split("=", 1) for kv in m.group(2).split())
plain = rows.get("proxy4j")
for name, label in (("proxy4j-rl", "rate limit (never triggers)"), ("proxy4j-waf", "WAF, blocking, paranoia 1")):
    r = rows.get(name)
    if not plain or not r:
        continue
    try:
        cost = 100.0 * (1 - float(r["rps"]) / float(plain["rps"]))
        print("EDGE %s: %s req/s vs %s plain, cost %.1f%% of req/s; p99 %s ms vs %s ms"
              % (label, r["rps"], plain["rps"], cost, r.get("p99_ms", "-"), plain.get("p99_ms", "-")))
    except (KeyError, ValueError, ZeroDivisionError):
        print("EDGE %s: no comparable numbers" % label)
PY
}

# ---------------------------------------------------------------- measurements
sample() { echo "SAMPLE $*" | tee -a "$RUN/samples.txt"; }

# CPU time (user + system, clock ticks) of a process and its children (nginx workers), all threads,
# from /proc/<pid>/stat fields 14 and 15 (after the parenthesised command name).
cpu_ticks() {
  local p total=0 v
  for p in "$1" $(pgrep -P "$1" || true); do
    v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}' || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
# CPU microseconds per request: ticks spent over the measurement divided by the requests it made.
cpu_us_per_req() {   # ticks_before ticks_after requests
  awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    if (n + 0 <= 0) { print "-"; exit } printf "%.1f\n", (b - a) * 1e6 / hz / n }'
}

# wrk prints latency as 812.00us / 1.23ms / 2.01s / 1.00m
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1;
  if (f < 0) print "-"; else printf "%.3f\n", n * f }'; }

measure_wrk() {   # scenario target round path [wrk args...]
  local s=$1 t=$2 r=$3 path=$4 raw pid=${PID[$2]}
  shift 4
  raw=$RUN/raw/$s-$t-r$r.txt
  reset_peak "$pid"
  local cpu0 cpu1
  cpu0=$(cpu_ticks "$pid")
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$@" "http://127.0.0.1:$(h1_port "$t")$path" >"$raw" 2>&1 || true
  cpu1=$(cpu_ticks "$pid")
  local rps p99 errors non2xx requests
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$raw")
  requests=$(awk '/ requests in / {print $1}' "$raw")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$raw")")
  errors=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$raw")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$raw")
  sample "scenario=$s target=$t round=$r rps=${rps:--} p99_ms=$p99 errors=${errors:-0} non2xx=${non2xx:-0} rss_kb=$(mem_kb VmHWM "$pid") cpu_us=$(cpu_us_per_req "$cpu0" "$cpu1" "${requests:-0}")"
}

measure_h2load() {   # target round
  local t=$1 r=$2 raw=$RUN/raw/h2c-$1-r$2.txt lat=$RUN/raw/h2c-$1-r$2.lat pid=${PID[$1]}
  reset_peak "$pid"
  local h2 cpu0 cpu1
  h2load -t2 -c"$H2_CLIENTS" -m"$H2_STREAMS" -D "$DURATION" --warm-up-time=1 --log-file="$lat" \
    "http://127.0.0.1:$(h2_port "$t")/small" >"$raw" 2>&1 &
  h2=$!
  sleep 1   # h2load counts requests only after its 1 s warm-up: so does the CPU figure
  cpu0=$(cpu_ticks "$pid")
  wait "$h2" || true
  cpu1=$(cpu_ticks "$pid")
  local rps p99 errors done_requests
  done_requests=$(awk '/^requests:/ {print $8}' "$raw")   # "requests: N total, N started, N done, N succeeded, ..."
  rps=$(awk '/^finished in/ {print $4}' "$raw")
  errors=$(awk '/^requests:/ {print $(NF-5) + $(NF-3) + $(NF-1)}' "$raw")   # failed + errored + timeout
  p99=$(cut -f3 "$lat" 2>/dev/null | sort -n | awk '{v[NR] = $1} END {
    if (NR == 0) { print "-"; exit } i = int(NR * 0.99 + 0.999); if (i > NR) i = NR; printf "%.3f\n", v[i] / 1000 }')
  sample "scenario=h2c target=$t round=$r rps=${rps:--} p99_ms=$p99 errors=${errors:-0} rss_kb=$(mem_kb VmHWM "$pid") cpu_us=$(cpu_us_per_req "$cpu0" "$cpu1" "${done_requests:-0}")"
  rm -f "$lat"
}

# ---------------------------------------------------------------- the compressed scenario
# A JSON body of COMPRESSED_KB KiB (an API's list answer: repeated keys, varied values), served by
# the backend in identity; the client asks for gzip; nginx (gzip on) and proxy4j (--compress)
# compress each response on the fly at gzip level 6. Only those two run it (HAProxy, direct and jetty
# do not compress here).
make_compressed_body() {   # file
  python3 - "$1" "$COMPRESSED_KB" <<'PY'
import json, random, sys
path, kib = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
words = "alpha beta gamma delta route upstream cache header body proxy stream bench".split()
items, size = [], 0
while size < kib * 1024:
    item = {"id": len(items), "name": " ".join(rnd.choice(words) for _ in range(3)),
            "price": round(rnd.uniform(1, 500), 2), "tags": rnd.sample(words, 3),
            "stock": rnd.randint(0, 1000), "active": rnd.random() < 0.8}
    items.append(item)
    size += len(json.dumps(item)) + 2
text = json.dumps({"items": items})
open(path, "w").write(text)
PY
}

nginx_gzip() {   # http-level directives matching proxy4j's --compress defaults for this body
  cat <<'NGINX'
  gzip on;
  gzip_comp_level 6;
  gzip_min_length 256;
  gzip_vary on;
  gzip_types text/plain text/css application/json application/javascript application/xml image/svg+xml;
NGINX
}

measure_compressed() {   # target round: wrk on /compressed with Accept-Encoding: gzip; checks the target gzips
  local t=$1 r=$2 enc bytes url="http://127.0.0.1:$(h1_port "$1")/compressed"
  enc=$(curl -s -o /dev/null -D - -H 'Accept-Encoding: gzip' "$url" \
    | awk -F': *' 'tolower($1) == "content-encoding" {sub(/\r$/, "", $2); print $2}')
  bytes=$(curl -s -H 'Accept-Encoding: gzip' "$url" | wc -c)
  [[ $enc == gzip ]] || log "compressed: $t answered with Content-Encoding '${enc:-none}' (no compression there)"
  measure_wrk compressed "$t" "$r" /compressed -H 'Accept-Encoding: gzip'
  # the sample just written gets the encoding and the size of one answer, for the record
  sed -i '$ s/$/ encoding='"${enc:-identity}"' body_bytes='"$bytes"'/' "$RUN/samples.txt"
}

ensure_big_file() {
  if [[ ! -f $BIG_FILE || ! -f $BIG_FILE.sha256 ]]; then
    log "generating $BIG_FILE ($BIG_MB MiB, once)"
    head -c $((BIG_MB * 1048576)) /dev/urandom >"$BIG_FILE.tmp"
    sha256 <"$BIG_FILE.tmp" >"$BIG_FILE.sha256"
    mv "$BIG_FILE.tmp" "$BIG_FILE"
  fi
  BIG_SHA=$(cat "$BIG_FILE.sha256")
  cat "$BIG_FILE" >/dev/null   # page cache: measure the proxy, not the disk
}

# OpenSSL's SHA-256 uses the CPU's SHA extensions (~1 GB/s+); coreutils sha256sum (~0.3 GB/s here)
# would cap the download measurement.
sha256() { if command -v openssl >/dev/null; then openssl dgst -sha256 -r | cut -d' ' -f1; else sha256sum | cut -d' ' -f1; fi; }
now_ns() { date +%s%N; }
mb_s() { awk -v b=$((BIG_MB * 1048576)) -v ns="$1" 'BEGIN { printf "%.1f\n", b / 1e6 / (ns / 1e9) }'; }

measure_stream() {   # target round
  local t=$1 r=$2 pid=${PID[$1]} port start ns sum rc resp
  port=$(h1_port "$t")
  reset_peak "$pid"
  start=$(now_ns)
  sum=$(curl -sS --fail --http1.1 --max-time 600 "http://127.0.0.1:$port/big" | sha256) || true
  ns=$(($(now_ns) - start))
  sample "scenario=download target=$t round=$r mb_s=$(mb_s "$ns") sha_ok=$([[ $sum == "$BIG_SHA" ]] && echo 1 || echo 0) rss_kb=$(mem_kb VmHWM "$pid")"
  reset_peak "$pid"
  start=$(now_ns)
  resp=$(curl -sS --fail --http1.1 --max-time 600 -X POST -H 'Expect:' -H 'Content-Type: application/octet-stream' \
    -T "$BIG_FILE" "http://127.0.0.1:$port/upload") || true
  ns=$(($(now_ns) - start))
  sample "scenario=upload target=$t round=$r mb_s=$(mb_s "$ns") body_ok=$([[ $resp == $((BIG_MB * 1048576)) ]] && echo 1 || echo 0) rss_kb=$(mem_kb VmHWM "$pid")"
}

heap_used_kb() {   # pid: live heap after a full GC, from jcmd GC.heap_info (sum of the generations' "used")
  jcmd "$1" GC.run >/dev/null 2>&1 || { echo -; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | awk '
    /total [0-9]+K, used [0-9]+K/ && $1 !~ /^(eden|from|to|object|Metaspace|class)$/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); s += v; found = 1 } }
    END { print found ? s : "-" }'
}

measure_idle() {   # target
  local t=$1 pid=${PID[$1]} ready=$RUN/raw/idle-$1.ready release=$RUN/raw/idle-$1.release
  local rss_before rss_after heap_before=- heap_after=- client deadline
  [[ $t == proxy4j ]] && heap_before=$(heap_used_kb "$pid")
  sleep 1
  rss_before=$(mem_kb VmRSS "$pid")
  reset_peak "$pid"
  rm -f "$ready" "$release"
  python3 "$BENCH_DIR/idle_conns.py" 127.0.0.1 "$(h1_port "$t")" "$IDLE_CONNS" "$ready" "$release" 180 \
    >"$RUN/raw/idle-$t.txt" 2>&1 &
  client=$!
  deadline=$((SECONDS + 150))
  until [[ -f $ready ]] || ((SECONDS > deadline)) || ! kill -0 "$client" 2>/dev/null; do sleep 0.5; done
  sleep 2   # let the proxy settle with every connection idle
  rss_after=$(mem_kb VmRSS "$pid")
  local peak
  peak=$(mem_kb VmHWM "$pid")
  [[ $t == proxy4j ]] && heap_after=$(heap_used_kb "$pid")
  touch "$release"
  wait "$client" || true
  local ok failed alive
  ok=$(sed -n 's/.*ok=\([0-9]*\).*/\1/p' "$ready" 2>/dev/null); ok=${ok:-0}
  failed=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' "$ready" 2>/dev/null); failed=${failed:-$IDLE_CONNS}
  alive=$(sed -n 's/^alive_at_release=//p' "$RUN/raw/idle-$t.txt"); alive=${alive:-0}
  local per_conn heap_growth=-
  per_conn=$(awk -v a="$rss_after" -v b="$rss_before" -v n="$ok" 'BEGIN { printf "%.2f\n", n ? (a - b) / n : 0 }')
  [[ $heap_before != - && $heap_after != - ]] && heap_growth=$((heap_after - heap_before))
  sample "scenario=idle10k target=$t round=1 conns_ok=$ok conns_failed=$failed alive=$alive rss_before_kb=$rss_before rss_after_kb=$rss_after kb_per_conn=$per_conn heap_before_kb=$heap_before heap_after_kb=$heap_after heap_growth_kb=$heap_growth rss_kb=$peak"
}

warm_up() {   # target
  local t=$1
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:$(h1_port "$t")/small" >/dev/null 2>&1 || true
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:$(h1_port "$t")/64k" >/dev/null 2>&1 || true
  if [[ " $SCENARIOS " == *" compressed "* ]]; then
    wrk -t2 -c"$CONNS" -d"${WARMUP}s" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$(h1_port "$t")/compressed" >/dev/null 2>&1 || true
  fi
  if [[ " $SCENARIOS " == *" h2c "* && -n $(h2_port "$t") ]]; then
    h2load -t2 -c"$H2_CLIENTS" -m"$H2_STREAMS" -D "$WARMUP" "http://127.0.0.1:$(h2_port "$t")/small" >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------- failover / slow: one of three backends goes bad
# Self-contained: three backends of its own and its own nginx, HAProxy and proxy4j, each with the
# health settings an operator would use (nginx: max_fails/fail_timeout and proxy_next_upstream;
# HAProxy: check rise/fall + observe layer7 + retry-on; proxy4j: healthCheck + outlierDetection +
# its default retries). All three backends answer at first; one second into each measurement the
# third turns bad: failover = it answers 503 to everything (its health path too), slow = every
# answer waits FAILOVER_DELAY_MS (the health path too, within the checks' timeout). Reported:
# failed requests (non-2xx plus socket errors: what clients saw) and p99. Before each target the
# bad backend is made good again and the target gets FAILOVER_SETTLE seconds to take it back.
FAILOVER_A=$((PORT_BASE + 84)) FAILOVER_B=$((PORT_BASE + 85)) FAILOVER_C=$((PORT_BASE + 86)) FAILOVER_SLOW=$((PORT_BASE + 87))
FAILOVER_NGINX=$((PORT_BASE + 124)) FAILOVER_HAPROXY=$((PORT_BASE + 125)) FAILOVER_PROXY4J=$((PORT_BASE + 126))
FAILOVER_DELAY_MS=${FAILOVER_DELAY_MS:-300}
FAILOVER_SETTLE=${FAILOVER_SETTLE:-5}
# The failover targets are JVMs of their own: warmed as long as metrics-cost.sh warms (12 s), not
# WARMUP, or a 4 s warm-up measures the JIT (a fresh proxy4j did about half its warm rate there).
FAILOVER_WARMUP=${FAILOVER_WARMUP:-12}

failover_c_conf() {   # mode (good | failover | slow): the third backend's config
  local dir=$RUN/failover-c body
  case $1 in
    good) body="location / { return 200 \"$SMALL_BODY\"; }" ;;
    failover) body='location / { return 503 "down\n"; }' ;;
    slow) body="location / { proxy_pass http://127.0.0.1:$FAILOVER_SLOW; proxy_http_version 1.1; proxy_set_header Connection \"\"; }" ;;
  esac
  printf '%s\n' "$(nginx_common "$dir")
http {
$(nginx_http_common "$dir")
  default_type text/plain;
  server { listen 127.0.0.1:$FAILOVER_C backlog=4096; $body }
}" >"$dir/nginx.conf"
}

failover_c_mode() {   # mode: rewrite the third backend's config and reload it (HUP: graceful)
  failover_c_conf "$1"
  kill -HUP "${PID[failover-c]}"
}

start_failover_backends() {
  local dir=$RUN/failover-ab p
  start_nginx failover-ab "$(nginx_common "$dir")
http {
$(nginx_http_common "$dir")
  default_type text/plain;
  server { listen 127.0.0.1:$FAILOVER_A backlog=4096; location / { return 200 \"$SMALL_BODY\"; } }
  server { listen 127.0.0.1:$FAILOVER_B backlog=4096; location / { return 200 \"$SMALL_BODY\"; } }
}" || die "failover backends: bad config, see $dir"
  mkdir -p "$RUN/failover-c"
  failover_c_conf good
  nginx -e "$RUN/failover-c/error.log" -p "$RUN/failover-c" -c "$RUN/failover-c/nginx.conf" -g 'daemon off;' \
    >>"$RUN/failover-c/stdout.log" 2>&1 &
  PID[failover-c]=$!
  # The slow variant's backend: 200 after FAILOVER_DELAY_MS, a thread per connection.
  python3 -c '
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
delay = int(sys.argv[2]) / 1000.0
class Slow(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        time.sleep(delay)
        body = b"slow\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Slow).serve_forever()
' "$FAILOVER_SLOW" "$FAILOVER_DELAY_MS" >"$RUN/failover-slow.log" 2>&1 &
  PID[failover-slow]=$!
  for p in $FAILOVER_A $FAILOVER_B $FAILOVER_C $FAILOVER_SLOW; do
    wait_http "http://127.0.0.1:$p/health" 10 || die "failover backend on $p did not start, see $RUN/failover-*"
  done
}

failover_port() { case $1 in nginx) echo $FAILOVER_NGINX ;; haproxy) echo $FAILOVER_HAPROXY ;; proxy4j) echo $FAILOVER_PROXY4J ;; esac; }

start_failover_target() {   # target -> 0 started, 1 skipped
  local t=$1 dir=$RUN/failover-$1 port
  port=$(failover_port "$t")
  [[ -n $port ]] || return 1
  mkdir -p "$dir"
  case $t in
    nginx)
      command -v nginx >/dev/null || return 1
      start_nginx "failover-$t" "$(nginx_common "$dir")
http {
$(nginx_http_common "$dir")
  upstream pool {
    server 127.0.0.1:$FAILOVER_A max_fails=3 fail_timeout=10s;
    server 127.0.0.1:$FAILOVER_B max_fails=3 fail_timeout=10s;
    server 127.0.0.1:$FAILOVER_C max_fails=3 fail_timeout=10s;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port backlog=4096;
    location / {
      proxy_pass http://pool;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_next_upstream error timeout http_502 http_503 http_504;   # a 503 counts for max_fails and goes elsewhere
    }
  }
}" || return 1 ;;
    haproxy)
      command -v haproxy >/dev/null || return 1
      cat >"$dir/haproxy.cfg" <<EOF
# Written by bench/run.sh (failover scenarios).
global
  nbthread 1
  maxconn 20000
  no strict-limits
  pidfile $dir/haproxy.pid
defaults
  mode http
  maxconn 20000
  http-reuse always
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  timeout http-request 10s
  timeout http-keep-alive 120s
frontend fe
  bind 127.0.0.1:$port backlog 4096
  default_backend pool
backend pool
  option httpchk GET /health
  http-check expect status 200
  retries 2
  retry-on conn-failure empty-response response-timeout 503
  option redispatch 1
  default-server check inter 1s rise 2 fall 3 observe layer7 error-limit 3 on-error mark-down
  server a 127.0.0.1:$FAILOVER_A
  server b 127.0.0.1:$FAILOVER_B
  server c 127.0.0.1:$FAILOVER_C
EOF
      haproxy -c -q -f "$dir/haproxy.cfg" >"$dir/check.log" 2>&1 || { log "skip failover haproxy: bad config, see $dir/check.log"; return 1; }
      haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
      PID[failover-$t]=$! ;;
    proxy4j)
      command -v java >/dev/null && [[ -f $PROXY4J_JAR ]] || return 1
      cat >"$dir/proxy4j.yaml" <<EOF
# Written by bench/run.sh (failover scenarios).
listeners: [{host: 127.0.0.1, port: $port}]
accessLog: false
upstreams:
  pool:
    endpoints: [http://127.0.0.1:$FAILOVER_A, http://127.0.0.1:$FAILOVER_B, http://127.0.0.1:$FAILOVER_C]
    healthCheck: {path: /health, interval: 1s, timeout: 1s, rise: 2, fall: 3}
    outlierDetection: {consecutive5xx: 3, consecutiveGatewayFailures: 3, interval: 1s, baseEjectionTime: 10s, maxEjectionPercent: 34}
routes:
  - pathPrefix: /
    upstream: pool
EOF
      # shellcheck disable=SC2086  # opts are a word list on purpose
      java $PROXY4J_JAVA_OPTS -jar "$PROXY4J_JAR" run --config "$dir/proxy4j.yaml" >"$dir/proxy4j.log" 2>&1 &
      PID[failover-$t]=$! ;;
    *) return 1 ;;
  esac
  if ! wait_http "http://127.0.0.1:$port/small" 60 "${PID[failover-$t]}"; then
    log "skip failover $t: did not answer 200 on /small within 60 s, see $dir"
    kill "${PID[failover-$t]}" 2>/dev/null || true
    unset "PID[failover-$t]"
    return 1
  fi
}

measure_failover() {   # scenario(failover|slow) target round
  local s=$1 t=$2 r=$3 raw=$RUN/raw/$1-$2-r$3.txt pid=${PID[failover-$2]} flip
  failover_c_mode good
  sleep "$FAILOVER_SETTLE"   # the previous measurement's bad backend is good again: let this target see it
  reset_peak "$pid"
  ( sleep 1; failover_c_mode "$s" ) &
  flip=$!
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$(failover_port "$t")/small" >"$raw" 2>&1 || true
  wait "$flip" || true
  failover_c_mode good
  local rps p99 socket non2xx
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$raw")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$raw")")
  socket=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$raw")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$raw")
  # Not "errors"/"non2xx": failed requests are this scenario's measurement, not a failed check.
  sample "scenario=$s target=$t round=$r failed=$((${socket:-0} + ${non2xx:-0})) rps=${rps:--} p99_ms=$p99 socket_errors=${socket:-0} rss_kb=$(mem_kb VmHWM "$pid")"
}

run_failover_scenarios() {   # those of failover, slow that SCENARIOS names, after the main rounds
  local wanted=() active=() s t r
  for s in failover slow; do [[ " $SCENARIOS " == *" $s "* ]] && wanted+=("$s"); done
  ((${#wanted[@]})) || return 0
  log "failover backends on $FAILOVER_A $FAILOVER_B $FAILOVER_C (slow: $FAILOVER_SLOW, ${FAILOVER_DELAY_MS}ms)"
  start_failover_backends
  for t in $TARGETS; do
    if start_failover_target "$t"; then active+=("$t"); log "failover $t up on $(failover_port "$t")"; fi
  done
  for t in "${active[@]}"; do   # the JVM warm like the main targets; all three backends good
    log "warm-up failover $t (${FAILOVER_WARMUP}s)"
    wrk -t2 -c"$CONNS" -d"${FAILOVER_WARMUP}s" "http://127.0.0.1:$(failover_port "$t")/small" >/dev/null 2>&1 || true
  done
  for r in $(seq "$ROUNDS"); do
    for s in "${wanted[@]}"; do
      for t in "${active[@]}"; do
        log "round $r/$ROUNDS $s $t"
        measure_failover "$s" "$t" "$r"
      done
    done
  done
}

# ---------------------------------------------------------------- protocol scenarios (wsecho, tcpstream)
# wsecho: WebSocket echo round trips through each proxy to ProtoBench's echo backend (nginx: a /ws
# location passing Upgrade; HAProxy: a /ws backend; proxy4j: --route /ws=...). tcpstream: TCP_MB MiB
# through each proxy's TCP listener to ProtoBench's sink, which answers the byte count (nginx: a
# second nginx with the stream module; HAProxy: a mode tcp listener; proxy4j: --tcp). Both opt-in.
WS_PORT=$((PORT_BASE + 131)) TCP_SINK_PORT=$((PORT_BASE + 132)) NGINX_TCP_PORT=$((PORT_BASE + 133))
HAPROXY_TCP_PORT=$((PORT_BASE + 93)) PROXY4J_TCP_PORT=$((PORT_BASE + 102))
WS_CONNS=${WS_CONNS:-10}           # WebSockets, each doing one round trip at a time
WS_SIZE=${WS_SIZE:-128}            # bytes per echoed text message
TCP_MB=${TCP_MB:-1024}             # MiB per tcpstream measurement
PROTO_CLASSES=$OUT/protobench
proto_on() { [[ " $SCENARIOS " == *" $1 "* ]]; }
proto_nginx_locations() {   # inside nginx's server block
  proto_on wsecho || return 0
  cat <<EOF
    location /ws {
      proxy_pass http://127.0.0.1:$WS_PORT;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 1h;
    }
EOF
}
proto_haproxy_frontend() {   # inside HAProxy's frontend
  proto_on wsecho || return 0
  printf '  use_backend ws if { path_beg /ws }\n'
}
proto_haproxy_sections() {   # after HAProxy's backend
  if proto_on wsecho; then printf 'backend ws\n  timeout tunnel 1h\n  server ws 127.0.0.1:%s\n' "$WS_PORT"; fi
  if proto_on tcpstream; then
    printf 'listen tcp\n  mode tcp\n  bind 127.0.0.1:%s\n  timeout tunnel 1h\n  server sink 127.0.0.1:%s\n' \
      "$HAPROXY_TCP_PORT" "$TCP_SINK_PORT"
  fi
  return 0
}
proto_proxy4j_args() {
  if proto_on wsecho; then echo "--route /ws=http://127.0.0.1:$WS_PORT"; fi
  if proto_on tcpstream; then echo "--tcp $PROXY4J_TCP_PORT=127.0.0.1:$TCP_SINK_PORT"; fi
  return 0
}
proto_wait_port() { local deadline=$((SECONDS + 30)); while port_free "$1"; do ((SECONDS < deadline)) || return 1; sleep 0.2; done; }
proto_start() {   # the echo backend and the sink (ProtoBench.java, compiled once per run)
  proto_on wsecho || proto_on tcpstream || return 0
  mkdir -p "$PROTO_CLASSES"
  javac -d "$PROTO_CLASSES" "$BENCH_DIR/ProtoBench.java" || die "ProtoBench.java did not compile"
  if proto_on wsecho; then
    java -cp "$PROTO_CLASSES" ProtoBench ws-echo-server "$WS_PORT" >"$RUN/ws-echo.log" 2>&1 &
    PID[ws-echo]=$!
    proto_wait_port "$WS_PORT" || die "the WebSocket echo backend did not start, see $RUN/ws-echo.log"
  fi
  if proto_on tcpstream; then
    java -cp "$PROTO_CLASSES" ProtoBench tcp-sink "$TCP_SINK_PORT" >"$RUN/tcp-sink.log" 2>&1 &
    PID[tcp-sink]=$!
    proto_wait_port "$TCP_SINK_PORT" || die "the TCP sink did not start, see $RUN/tcp-sink.log"
  fi
  return 0
}
proto_start_target() {   # target: nginx's TCP side is a second nginx, with the stream module
  if [[ $1 != nginx ]] || ! proto_on tcpstream; then return 0; fi
  local module=/usr/lib/nginx/modules/ngx_stream_module.so dir=$RUN/nginx-stream
  if [[ ! -f $module && $EUID -eq 0 ]]; then
    log "installing libnginx-mod-stream (nginx's stream module, for tcpstream)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libnginx-mod-stream >/dev/null || true
  fi
  [[ -f $module ]] || { log "nginx tcpstream skipped: no $module (apt-get install libnginx-mod-stream)"; return 0; }
  mkdir -p "$dir"
  start_nginx nginx-stream "load_module $module;
$(nginx_common "$dir")
stream {
  server {
    listen 127.0.0.1:$NGINX_TCP_PORT backlog=4096;
    proxy_pass 127.0.0.1:$TCP_SINK_PORT;
    proxy_timeout 1h;
    proxy_half_close on;   # 1.21.4+: the client's end of input reaches the sink, whose count comes back
  }
}" || return 0
  proto_wait_port "$NGINX_TCP_PORT" || log "nginx stream did not start, see $dir"
  return 0
}
measure_wsecho() {   # target round
  local t=$1 r=$2 port raw=$RUN/raw/wsecho-$1-r$2.txt pid=${PID[$1]} line
  port=$(h1_port "$t"); [[ $t == direct ]] && port=$WS_PORT
  reset_peak "$pid"
  java -cp "$PROTO_CLASSES" ProtoBench ws-client "ws://127.0.0.1:$port/ws/echo" "$WS_CONNS" "$DURATION" "$WS_SIZE" \
    >"$raw" 2>&1 || true
  line=$(grep '^round_trips=' "$raw" || echo 'rps=- errors=1')
  sample "scenario=wsecho target=$t round=$r $line rss_kb=$(mem_kb VmHWM "$pid")"
}
measure_tcpstream() {   # target round
  local t=$1 r=$2 port pid raw=$RUN/raw/tcpstream-$1-r$2.txt line
  case $t in
    nginx) port=$NGINX_TCP_PORT pid=${PID[nginx-stream]:-} ;;
    haproxy) port=$HAPROXY_TCP_PORT pid=${PID[haproxy]} ;;
    proxy4j) port=$PROXY4J_TCP_PORT pid=${PID[proxy4j]} ;;
    direct) port=$TCP_SINK_PORT pid=${PID[tcp-sink]} ;;
    *) return 0 ;;
  esac
  [[ -n $pid ]] || return 0
  reset_peak "$pid"
  java -cp "$PROTO_CLASSES" ProtoBench tcp-send 127.0.0.1 "$port" "$TCP_MB" >"$raw" 2>&1 || true
  line=$(grep '^mb_s=' "$raw" || echo 'mb_s=- body_ok=0')
  sample "scenario=tcpstream target=$t round=$r $line rss_kb=$(mem_kb VmHWM "$pid")"
}

# ---------------------------------------------------------------- main
main() {
  install_tools
  raise_nofile
  mkdir -p "$OUT"
  RUN=$OUT/run-$(date +%Y%m%d-%H%M%S)
  mkdir -p "$RUN/raw"
  ln -sfn "$(basename "$RUN")" "$OUT/latest"
  command -v nginx >/dev/null || die "nginx is needed for the backend"
  for p in $SINK_PORT $BACKEND_PORT $BACKEND_H2_PORT $NGINX_PORT $NGINX_H2_PORT $HAPROXY_PORT $HAPROXY_H2_PORT $PROXY4J_PORT $JETTY_PORT $VERTX_PORT \
      $FAILOVER_A $FAILOVER_B $FAILOVER_C $FAILOVER_SLOW $FAILOVER_NGINX $FAILOVER_HAPROXY $FAILOVER_PROXY4J \
      $WS_PORT $TCP_SINK_PORT $NGINX_TCP_PORT $HAPROXY_TCP_PORT $PROXY4J_TCP_PORT; do
    port_free "$p" || die "port $p is in use (set PORT_BASE to move every port)"
  done
  [[ " $SCENARIOS " == *" stream "* ]] && ensure_big_file
  : "${BIG_SHA:=}"

  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host: nproc=$(nproc) $(uname -sr) load:$(uptime | sed 's/.*load average://')"
    echo "java: $(java -version 2>&1 | head -1 || echo none)"
    echo "nginx: $(nginx -v 2>&1 | sed 's/.*version: //')"
    echo "haproxy: $(haproxy -v 2>/dev/null | head -1 | awk '{print $3}')"
    echo "wrk: $(wrk -v 2>&1 | head -1 | awk '{print $2}') h2load: $(h2load --version | awk '{print $2}')"
    echo "config: QUICK=$QUICK ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS H2=${H2_CLIENTS}x$H2_STREAMS IDLE_CONNS=$IDLE_CONNS BIG_MB=$BIG_MB"
    echo "scenarios: $SCENARIOS"
    echo "proxy4j: jar=$PROXY4J_JAR opts=$PROXY4J_JAVA_OPTS args=$PROXY4J_ARGS cache=$CACHE compress=$COMPRESS"
  } | tee "$RUN/env.txt" >&2

  # Other work on the machine (e.g. Maven builds) skews a run: sample it every 5 s for the record.
  while sleep 5; do
    echo "$(date +%T) load=$(cut -d' ' -f1 /proc/loadavg) maven_jvms=$(pgrep -fc 'plexus-classworlds|surefirebooter' || true)"
  done >"$RUN/machine.txt" 2>/dev/null &

  log "starting backend (nginx, 1 worker) on $BACKEND_PORT, upload sink on $SINK_PORT"
  start_backend
  proto_start
  local active=() t
  for t in $TARGETS; do
    if start_target "$t"; then active+=("$t"); log "$t up (pid ${PID[$t]})"; proto_start_target "$t"; fi
  done
  ((${#active[@]})) || die "no target started"

  EDGE_ACTIVE=()
  [[ " $SCENARIOS " == *" edge "* ]] && start_edge
  for t in "${active[@]}" "${EDGE_ACTIVE[@]}"; do log "warm-up $t (${WARMUP}s per load)"; warm_up "$t"; done

  local r s
  for r in $(seq "$ROUNDS"); do
    for s in $SCENARIOS; do
      for t in "${active[@]}"; do
        case $s in
          small | 64k | cacheable) log "round $r/$ROUNDS $s $t"; measure_wrk "$s" "$t" "$r" "/$s" ;;
          compressed) [[ $t == nginx || $t == proxy4j ]] || continue   # the others do not compress
            log "round $r/$ROUNDS compressed $t"; measure_compressed "$t" "$r" ;;
          close) log "round $r/$ROUNDS close $t"; measure_wrk close "$t" "$r" /small -H 'Connection: close' ;;
          h2c) [[ -n $(h2_port "$t") ]] || continue; log "round $r/$ROUNDS h2c $t"; measure_h2load "$t" "$r" ;;
          stream) log "round $r/$ROUNDS stream $t"; measure_stream "$t" "$r" ;;
          edge) [[ $t == proxy4j ]] && measure_edge "$r" ;;   # proxy4j and its variants, in a row
          wsecho) [[ $t == jetty ]] && continue; log "round $r/$ROUNDS wsecho $t"; measure_wsecho "$t" "$r" ;;
          tcpstream) log "round $r/$ROUNDS tcpstream $t"; measure_tcpstream "$t" "$r" ;;
          idle10k) ;;   # once, after the rounds: it leaves memory behind
          failover | slow) ;;   # run_failover_scenarios: backends and targets of their own
          *) log "unknown scenario $s, ignored" ;;
        esac
      done
    done
  done
  run_failover_scenarios
  if [[ " $SCENARIOS " == *" idle10k "* ]]; then
    for t in "${active[@]}"; do log "idle: $IDLE_CONNS keep-alive connections to $t"; measure_idle "$t"; done
  fi

  echo
  local status=0
  python3 "$BENCH_DIR/summarize.py" "$RUN/samples.txt" | tee "$RUN/summary.txt" || status=$?
  [[ " $SCENARIOS " == *" edge "* ]] && edge_cost "$RUN/summary.txt" | tee -a "$RUN/summary.txt"
  log "load during the run: $(uptime | sed 's/.*load average://')"
  local busy total
  total=$(wc -l <"$RUN/machine.txt")
  busy=$(grep -vc 'maven_jvms=0$' "$RUN/machine.txt" || true)
  log "other Maven JVMs were running in $busy of $total 5-second samples ($RUN/machine.txt)"
  ((status == 0)) || log "some checks failed (errors, non-2xx, a wrong checksum or byte count): exit $status"
  return "$status"
}

main "$@"
