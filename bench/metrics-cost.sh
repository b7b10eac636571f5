#!/bin/bash
# The cost of metrics on a small GET: the launcher with metrics off (no --admin-port) and on
# (--admin-port: proxy-micrometer, Prometheus), alternating in one run, 3 rounds, wrk -t1 -c32 for
# 8 s after a WARMUP (12 s) warm-up each, with bench/run.sh's JVM flags (PROXY4J_JAVA_OPTS). Needs a backend answering /small on 127.0.0.1:18580 (bench/run.sh's
# nginx, or any) and the launcher jar (mvn -q package -DskipTests). Prints requests/s per round and,
# with metrics on, the requests the scrape counted.
set -u
JAR=${JAR:-proxy-examples/target/proxy4j.jar}
WARMUP=${WARMUP:-12}   # seconds of wrk before each measurement: the JIT needs more than a few
JAVA_OPTS=${PROXY4J_JAVA_OPTS:--Xms256m -Xmx256m -XX:+UseParallelGC}   # bench/run.sh's proxy4j flags
for round in 1 2 3; do
  for mode in off on; do
    if [ $mode = on ]; then extra="--admin-port 18590"; else extra=""; fi
    java $JAVA_OPTS -jar $JAR run --host 127.0.0.1 --port 18581 --upstream http://127.0.0.1:18580 --no-access-log $extra > ${OUT:-/tmp}/proxy4j-metrics-$mode.log 2>&1 &
    pid=$!
    for i in $(seq 50); do curl -s -o /dev/null 127.0.0.1:18581/small && break; sleep 0.2; done
    wrk -t1 -c32 -d${WARMUP}s http://127.0.0.1:18581/small > /dev/null
    rps=$(wrk -t1 -c32 -d8s http://127.0.0.1:18581/small | awk '/Requests\/sec/ {print $2}')
    if [ $mode = on ]; then count=$(curl -s 127.0.0.1:18590/metrics | awk '/^http_server_requests_seconds_count/ {s+=$2} END {print s}'); else count=-; fi
    echo "round=$round metrics=$mode rps=$rps counted=$count"
    kill $pid; wait $pid 2>/dev/null
  done
done
