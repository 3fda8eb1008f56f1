#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, combined broker + controller) on 127.0.0.1, for tests.
#
#   deploy/apache-kafka/kafka.sh fetch                  jars from Maven Central into the cache (once)
#   deploy/apache-kafka/kafka.sh start DATA_DIR PORT [CONTROLLER_PORT]
#                                                       format DATA_DIR once, start in the background,
#                                                       wait until it answers, print 127.0.0.1:PORT
#   deploy/apache-kafka/kafka.sh stop DATA_DIR          SIGTERM, then SIGKILL after a bounded wait
#   deploy/apache-kafka/kafka.sh status DATA_DIR        exit 0 while the broker of DATA_DIR runs
#   deploy/apache-kafka/kafka.sh check                  exit 0 if Java 17+ (and mvn, until fetched) exist
#
# Data in DATA_DIR survives stop/start. Environment:
#   STANCEWIRE_KAFKA_CACHE         jar cache (default: deploy/apache-kafka/cache, git-ignored)
#   STANCEWIRE_KAFKA_JVM_OPTS      replaces the default heap/GC/JIT flags
#   STANCEWIRE_KAFKA_PROPS         extra server.properties lines (newline-separated), appended last
#   STANCEWIRE_KAFKA_CDS=0         no class-data-sharing archive (see cds_flags)
#   STANCEWIRE_KAFKA_START_TIMEOUT seconds to wait for the broker to answer (default 60)
#   STANCEWIRE_PYTHON              a python with kafka-python, for the readiness probe (else python3;
#                                  without kafka-python the probe only waits for the port)
#   JAVA_HOME                      used if set; otherwise java on PATH
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pom="$here/pom.xml"
cache="${STANCEWIRE_KAFKA_CACHE:-$here/cache}"
libs="$cache/libs"
stamp="$libs/.stamp"

die() {
  echo "kafka.sh: $*" >&2
  exit 1
}

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java || true
  fi
}

# Kafka 4 brokers need Java 17 (clients run on 11); an older java fails later with an obscure error.
# Sets JAVA (the binary) and JAVA_VM (its exact build, which names the class-data archive below).
require_java() {
  local settings major
  JAVA="$(java_bin)"
  [ -n "$JAVA" ] || die "Apache Kafka needs Java 17+: java not found on PATH (install openjdk-17-jre-headless or set JAVA_HOME)"
  settings="$("$JAVA" -XshowSettings:properties -version 2>&1)"
  major="$(sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' <<<"$settings")"
  major="${major#1.}"
  major="${major%%.*}"
  if ! [ "${major:-0}" -ge 17 ] 2>/dev/null; then
    die "Apache Kafka needs Java 17+: $JAVA is Java ${major:-of unknown version}"
  fi
  JAVA_VM="$(sed -n 's/^ *java\.vm\.version = \(.*\)$/\1/p' <<<"$settings" | tr -c 'A-Za-z0-9.\n' '_')"
}

pom_hash() { sha256sum "$pom" | cut -d' ' -f1; }

fetched() { [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(pom_hash)" ]; }

cmd_fetch() {
  require_java
  fetched && return 0
  command -v mvn >/dev/null || die "Apache Kafka's jars come from Maven Central: mvn not found on PATH (install maven)"
  mkdir -p "$cache"
  # The lock's fd is open only for this call, so the broker started afterwards never inherits it.
  fetch_locked 9>"$cache/.fetch.lock"
}

fetch_locked() {
  # Parallel test runs may fetch at once: one downloads, the others wait and then find the stamp.
  if command -v flock >/dev/null; then flock 9; fi
  fetched && return 0
  local tmp
  tmp="$(mktemp -d "$cache/libs.tmp.XXXXXX")"
  echo "kafka.sh: fetching Apache Kafka jars with Maven into $libs ..." >&2
  if ! mvn -q -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" >&2; then
    rm -rf "$tmp"
    die "mvn could not fetch the jars listed in $pom"
  fi
  pom_hash >"$tmp/.stamp"
  # Swap in whole, so an interrupted fetch never leaves a half-filled libs/ that looks complete.
  rm -rf "$libs"
  mv "$tmp" "$libs"
}

# A free TCP port on 127.0.0.1 (python binds port 0; without python, probe random high ports).
free_port() {
  local py port
  for py in "${STANCEWIRE_PYTHON:-}" python3 python; do
    if [ -n "$py" ] && command -v "$py" >/dev/null &&
      port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null)"; then
      echo "$port"
      return
    fi
  done
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 30000))
    port_open "$port" || {
      echo "$port"
      return
    }
  done
  die "found no free port"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid in DATA_DIR/kafka.pid if that process is still our broker (a stale file or a reused pid is not).
running_pid() {
  local pidfile="$1/kafka.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

log_tail() {
  local data="$1"
  echo "--- $data/logs/server.log (tail) ---" >&2
  tail -n 40 "$data/logs/server.log" >&2 2>/dev/null || true
  echo "--- $data/kafka.out (JVM stdout/stderr) ---" >&2
  tail -n 20 "$data/kafka.out" >&2 2>/dev/null || true
}

write_config() {
  local data="$1" port="$2" cport="$3"
  cat >"$data/server.properties" <<EOF
# Written by deploy/apache-kafka/kafka.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/kraft-logs
num.partitions=1
# one broker: every internal topic has a single replica
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# fewer internal partitions than the default 50: the first consumer group or transaction is ready sooner
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
# tests start consumer groups and expect them to get partitions at once
group.initial.rebalance.delay.ms=0
# After a SIGKILL the restarted broker cannot register until the controller expires its old session
# (default 9 s); 5 s halves that wait and still leaves a loaded 2-core machine room for heartbeats.
broker.session.timeout.ms=5000
broker.heartbeat.interval.ms=1000
EOF
  if [ -n "${STANCEWIRE_KAFKA_PROPS:-}" ]; then
    # extra lines win: for duplicate keys the last one counts
    printf '# from STANCEWIRE_KAFKA_PROPS\n%s\n' "$STANCEWIRE_KAFKA_PROPS" >>"$data/server.properties"
  fi
  cat >"$data/log4j2.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by deploy/apache-kafka/kafka.sh: broker logs go to a file, never to the console. -->
<Configuration status="warn">
  <Appenders>
    <RollingFile name="file" fileName="$data/logs/server.log" filePattern="$data/logs/server.log.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <SizeBasedTriggeringPolicy size="20MB"/>
      <DefaultRolloverStrategy max="3"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Root level="INFO"><AppenderRef ref="file"/></Root>
    <Logger name="org.apache.kafka.clients" level="WARN"/>
    <Logger name="state.change.logger" level="WARN"/>
  </Loggers>
</Configuration>
EOF
}

# Ready = a metadata round trip lists this broker (the port opens a little before the broker can serve).
wait_ready() {
  local data="$1" port="$2" pid="$3" timeout="$4" py="" candidate
  for candidate in "${STANCEWIRE_PYTHON:-}" python3; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null && "$candidate" -c 'import kafka' 2>/dev/null; then
      py="$candidate"
      break
    fi
  done
  local deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$pid" 2>/dev/null || {
      log_tail "$data"
      die "the broker exited during startup"
    }
    if port_open "$port"; then
      [ -z "$py" ] && return 0
      "$py" - "127.0.0.1:$port" <<'EOF' 2>/dev/null && return 0
import sys
from kafka import KafkaAdminClient

admin = KafkaAdminClient(bootstrap_servers=sys.argv[1], request_timeout_ms=3000, bootstrap_timeout_ms=3000)
try:
    sys.exit(0 if admin.describe_cluster().get("brokers") else 1)
finally:
    admin.close()
EOF
    fi
    sleep 0.2
  done
  log_tail "$data"
  die "the broker did not answer on 127.0.0.1:$port within ${timeout}s (still running as pid $pid; '$0 stop $data' ends it)"
}

cmd_start() {
  [ $# -ge 2 ] || die "usage: $0 start DATA_DIR PORT [CONTROLLER_PORT]"
  local data port cport pid
  mkdir -p "$1"
  data="$(cd "$1" && pwd)"
  port="$2"
  require_java
  if pid="$(running_pid "$data")"; then
    die "a broker already runs for $data (pid $pid); stop it first"
  fi
  rm -f "$data/kafka.pid"
  cmd_fetch
  port_open "$port" && die "port $port on 127.0.0.1 is in use"
  # Reuse the last controller port when it is free, so a restart looks like the same node.
  cport="${3:-}"
  if [ -z "$cport" ] && [ -f "$data/server.properties" ]; then
    cport="$(sed -n 's/^controller\.quorum\.voters=1@127\.0\.0\.1:\([0-9]*\)$/\1/p' "$data/server.properties")"
    { [ -n "$cport" ] && [ "$cport" != "$port" ] && ! port_open "$cport"; } || cport=""
  fi
  [ -n "$cport" ] || cport="$(free_port)"
  mkdir -p "$data/logs"
  write_config "$data" "$port" "$cport"

  # shellcheck disable=SC2206 # the override is a flag list on purpose
  local jvm=(${STANCEWIRE_KAFKA_JVM_OPTS:--Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1})
  jvm+=(-Djava.awt.headless=true "-Dlog4j2.configurationFile=$data/log4j2.xml" "-Dkafka.logs.dir=$data/logs")
  if [ ! -f "$data/kraft-logs/meta.properties" ]; then
    # Format once; a cluster id is 16 random bytes in URL-safe base64 without padding (22 chars).
    local cluster_id
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    local share=()
    [ "${STANCEWIRE_KAFKA_CDS:-1}" = 0 ] || [ ! -f "$libs/kafka-$JAVA_VM.jsa" ] ||
      share=("-XX:SharedArchiveFile=$libs/kafka-$JAVA_VM.jsa")
    "$JAVA" "${jvm[@]}" "${share[@]}" -cp "$libs/*" kafka.tools.StorageTool format \
      --cluster-id "$cluster_id" --config "$data/server.properties" >"$data/format.log" 2>&1 || {
      cat "$data/format.log" >&2
      die "formatting $data/kraft-logs failed"
    }
  fi

  cds_adopt "$data" killed # an archive left by a broker that was never stopped by this script is suspect
  cds_flags "$data"

  # nohup + no inherited stdio: the broker outlives this script and never holds the caller's pipes.
  nohup "$JAVA" "${jvm[@]}" -cp "$libs/*" kafka.Kafka "$data/server.properties" \
    >"$data/kafka.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$data/kafka.pid"
  wait_ready "$data" "$port" "$pid" "${STANCEWIRE_KAFKA_START_TIMEOUT:-60}"
  echo "127.0.0.1:$port"
}

# Application class-data sharing: the first broker to stop cleanly dumps the classes it loaded into an
# archive beside the jars, and later starts map it instead of loading ~6000 classes (about 1.5 s of the
# ~4 s start on 2 cores). The archive is named after the exact JVM build and lives in libs/, which a
# new fetch replaces whole, so a stale archive is never used. STANCEWIRE_KAFKA_CDS=0 turns it off.
cds_flags() {
  local data="$1" jsa="$libs/kafka-$JAVA_VM.jsa"
  [ "${STANCEWIRE_KAFKA_CDS:-1}" = 0 ] && return
  if [ -f "$jsa" ]; then
    jvm+=("-XX:SharedArchiveFile=$jsa")
  else
    # a name of its own, so brokers starting in parallel never write the same file
    local tmp="$jsa.$$.$RANDOM.tmp"
    echo "$tmp" >"$data/cds.pending"
    jvm+=("-XX:ArchiveClassesAtExit=$tmp" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
}

# After a clean exit, the archive the broker dumped becomes the shared one (rename: atomic, same dir).
cds_adopt() {
  local data="$1" tmp
  [ -f "$data/cds.pending" ] || return 0
  tmp="$(cat "$data/cds.pending")"
  rm -f "$data/cds.pending"
  if [ "$2" = clean ] && [ -s "$tmp" ]; then
    mv -f "$tmp" "${tmp%.*.*.tmp}"
  else
    rm -f "$tmp"
  fi
}

cmd_stop() {
  [ $# -ge 1 ] || die "usage: $0 stop DATA_DIR [TIMEOUT_SECONDS]"
  local data="$1" timeout="${2:-30}" pid
  pid="$(running_pid "$data")" || {
    rm -f "$data/kafka.pid"
    return 0
  }
  # SIGTERM runs Kafka's controlled shutdown, which flushes and closes every log cleanly.
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.1
  done
  local how=clean
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka.sh: broker pid $pid did not stop within ${timeout}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    how=killed
  fi
  rm -f "$data/kafka.pid"
  cds_adopt "$data" "$how"
}

cmd_status() {
  [ $# -ge 1 ] || die "usage: $0 status DATA_DIR"
  running_pid "$1"
}

cmd_check() {
  require_java
  fetched || command -v mvn >/dev/null ||
    die "Apache Kafka's jars come from Maven Central: mvn not found on PATH (install maven)"
}

sub="${1:-}"
[ $# -gt 0 ] && shift
case "$sub" in
  fetch) cmd_fetch ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  check) cmd_check ;;
  *) die "usage: $0 {fetch|start DATA_DIR PORT [CONTROLLER_PORT]|stop DATA_DIR|status DATA_DIR|check}" ;;
esac
