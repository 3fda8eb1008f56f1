#!/usr/bin/env bash
# Apache Kafka (KRaft) on 127.0.0.1, for tests: a single node (combined broker + controller), or a cluster
# of N such nodes (see "Cluster mode" below).
#
#   deploy/apache-kafka/kafka.sh fetch                  jars from Maven Central into the cache (once)
#   deploy/apache-kafka/kafka.sh start DATA_DIR PORT [CONTROLLER_PORT]
#                                                       format DATA_DIR once, start in the background,
#                                                       wait until it answers, print 127.0.0.1:PORT
#   deploy/apache-kafka/kafka.sh stop DATA_DIR          SIGTERM, then SIGKILL after a bounded wait
#   deploy/apache-kafka/kafka.sh status DATA_DIR        exit 0 while the broker of DATA_DIR runs
#   deploy/apache-kafka/kafka.sh check                  exit 0 if Java 17+ (and mvn, until fetched) exist
#   deploy/apache-kafka/kafka.sh cluster-id             print a new cluster id (what start formats with)
#
# Cluster mode: N combined broker+controller nodes (default 3) in CLUSTER_DIR/node1..nodeN, node ids 1..N.
#   deploy/apache-kafka/kafka.sh cluster start CLUSTER_DIR [PORT,PORT,PORT]
#                                 start every node at once (formatted the first time), wait until all
#                                 are live brokers, print the bootstrap list 127.0.0.1:P1,127.0.0.1:P2,...
#                                 Without ports, free ones are chosen; both sets are kept in cluster.conf.
#   deploy/apache-kafka/kafka.sh cluster stop CLUSTER_DIR [TIMEOUT]        all nodes at once, bounded
#   deploy/apache-kafka/kafka.sh cluster status CLUSTER_DIR                "INDEX PORT CONTROLLER_PORT running PID"
#                                 or "... stopped" per node; exit 0 all run, 3 some, 1 none
#   deploy/apache-kafka/kafka.sh cluster stop-broker CLUSTER_DIR INDEX [--kill] [TIMEOUT]
#                                 SIGTERM (controlled shutdown) or SIGKILL one node
#   deploy/apache-kafka/kafka.sh cluster start-broker CLUSTER_DIR INDEX   start it again, wait until it is live
#   deploy/apache-kafka/kafka.sh cluster bootstrap CLUSTER_DIR            print the bootstrap list
# Fixed at the first start (remove CLUSTER_DIR to change): STANCEWIRE_KAFKA_BROKERS (node count when no
# ports are given, default 3), STANCEWIRE_KAFKA_REPLICATION_FACTOR (default.replication.factor and the
# internal topics', default min(3, N)), STANCEWIRE_KAFKA_MIN_ISR (min.insync.replicas, default 2) and
# STANCEWIRE_KAFKA_PROPS. STANCEWIRE_KAFKA_START_TIMEOUT defaults to 90 s there.
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

# A cluster id: 16 random bytes in URL-safe base64 without padding (22 chars), never opening with "-",
# which the storage tool would read as an option ("--cluster-id: expected one argument"); Kafka's own
# random ids avoid it the same way.
new_cluster_id() {
  local id="-"
  while [ "${id#-}" != "$id" ]; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  printf '%s\n' "$id"
}

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
    # Format once, with a new cluster id.
    local cluster_id
    cluster_id="$(new_cluster_id)"
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

# ---------------------------------------------------------------------------------------------------
# Cluster mode: N combined broker+controller nodes on 127.0.0.1 in CLUSTER_DIR/node1 .. nodeN.
# The topology (node count, ports, replication settings, extra properties) is written to
# CLUSTER_DIR/cluster.conf when the directory is first started; later starts reuse it, so a restarted
# node comes back with the same id, ports and data. Remove CLUSTER_DIR to change the topology.

conf_get() { sed -n "s/^$2=//p" "$1/cluster.conf"; }

# The N-th entry (1-based) of a comma-separated list.
nth() { cut -d, -f"$2" <<<"$1"; }

# Every node knows every voter: 1@127.0.0.1:C1,2@127.0.0.1:C2,...
cluster_voters() {
  local cports="$1" n="$2" i out=""
  for i in $(seq "$n"); do out="$out${out:+,}$i@127.0.0.1:$(nth "$cports" "$i")"; done
  echo "$out"
}

cluster_bootstrap() {
  local ports="$1" n="$2" i out=""
  for i in $(seq "$n"); do out="$out${out:+,}127.0.0.1:$(nth "$ports" "$i")"; done
  echo "$out"
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

# First start of CLUSTER_DIR: choose the ports, check the replication settings, record them.
cluster_init() {
  local dir="$1" ports="${2:-}" n rf min_isr cports="" i p
  if [ -n "$ports" ]; then
    n="$(tr ',' '\n' <<<"$ports" | grep -c .)"
  else
    n="${STANCEWIRE_KAFKA_BROKERS:-3}"
  fi
  { is_uint "$n" && [ "$n" -ge 1 ] && [ "$n" -le 9 ]; } || die "a cluster has 1 to 9 nodes (got '$n')"
  rf="${STANCEWIRE_KAFKA_REPLICATION_FACTOR:-$((n < 3 ? n : 3))}"
  { is_uint "$rf" && [ "$rf" -ge 1 ] && [ "$rf" -le "$n" ]; } ||
    die "STANCEWIRE_KAFKA_REPLICATION_FACTOR must be 1..$n for $n nodes (got '$rf')"
  min_isr="${STANCEWIRE_KAFKA_MIN_ISR:-$((rf < 2 ? 1 : 2))}"
  { is_uint "$min_isr" && [ "$min_isr" -ge 1 ] && [ "$min_isr" -le "$rf" ]; } ||
    die "STANCEWIRE_KAFKA_MIN_ISR must be 1..$rf (got '$min_isr')"
  if [ -z "$ports" ]; then
    for i in $(seq "$n"); do
      p="$(free_port)"
      while grep -qw "$p" <<<"$ports"; do p="$(free_port)"; done
      ports="$ports${ports:+,}$p"
    done
  fi
  local all="$ports"
  for i in $(seq "$n"); do
    p="$(free_port)"
    # free_port binds and releases port 0 each time: skip the (unlikely) repeats
    while grep -qw "$p" <<<"$all"; do p="$(free_port)"; done
    cports="$cports${cports:+,}$p"
    all="$all,$p"
  done
  for p in $(tr ',' ' ' <<<"$all"); do
    { is_uint "$p" && [ "$p" -ge 1 ] && [ "$p" -le 65535 ]; } || die "not a port: '$p'"
  done
  [ "$(tr ',' '\n' <<<"$all" | sort -u | wc -l)" -eq "$((2 * n))" ] || die "ports must all differ: $all"
  mkdir -p "$dir"
  {
    echo "# Written by deploy/apache-kafka/kafka.sh when this cluster was first started; do not edit."
    echo "nodes=$n"
    echo "ports=$ports"
    echo "controller_ports=$cports"
    echo "replication_factor=$rf"
    echo "min_insync_replicas=$min_isr"
    echo "cluster_id=$(new_cluster_id)"
  } >"$dir/cluster.conf.tmp"
  printf '%s\n' "${STANCEWIRE_KAFKA_PROPS:-}" >"$dir/extra.properties"
  mv "$dir/cluster.conf.tmp" "$dir/cluster.conf"
}

cluster_dir() {
  [ -n "${1:-}" ] || die "usage: $0 cluster SUBCOMMAND CLUSTER_DIR ..."
  mkdir -p "$1"
  (cd "$1" && pwd)
}

require_cluster() {
  [ -f "$1/cluster.conf" ] || die "$1 is not a cluster directory (no cluster.conf); '$0 cluster start $1' makes one"
}

node_index() {
  local dir="$1" idx="${2:-}" n
  n="$(conf_get "$dir" nodes)"
  { is_uint "$idx" && [ "$idx" -ge 1 ] && [ "$idx" -le "$n" ]; } || die "broker index must be 1..$n (got '$idx')"
  echo "$idx"
}

write_node_config() {
  local dir="$1" i="$2" data="$1/node$2" n ports cports rf min_isr
  n="$(conf_get "$dir" nodes)"
  ports="$(conf_get "$dir" ports)"
  cports="$(conf_get "$dir" controller_ports)"
  rf="$(conf_get "$dir" replication_factor)"
  min_isr="$(conf_get "$dir" min_insync_replicas)"
  cat >"$data/server.properties" <<EOF
# Written by deploy/apache-kafka/kafka.sh (cluster mode) on every start of this node; edits are overwritten.
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$(cluster_voters "$cports" "$n")
listeners=PLAINTEXT://127.0.0.1:$(nth "$ports" "$i"),CONTROLLER://127.0.0.1:$(nth "$cports" "$i")
advertised.listeners=PLAINTEXT://127.0.0.1:$(nth "$ports" "$i")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data/kraft-logs
num.partitions=1
default.replication.factor=$rf
min.insync.replicas=$min_isr
# a replica that fell out of sync never becomes leader, so no acknowledged record is lost
unclean.leader.election.enable=false
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr
offsets.topic.num.partitions=4
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
# a killed node is fenced (its partitions get new leaders) after 5 s instead of 9 s
broker.session.timeout.ms=5000
broker.heartbeat.interval.ms=1000
EOF
  if grep -q . "$dir/extra.properties" 2>/dev/null; then
    # extra lines win: for duplicate keys the last one counts
    printf '# from STANCEWIRE_KAFKA_PROPS at the first start\n' >>"$data/server.properties"
    cat "$dir/extra.properties" >>"$data/server.properties"
  fi
}

# Start node I in the background (formatting its storage the first time); does not wait for it.
node_launch() {
  local dir="$1" i="$2" data="$1/node$2" port cport pid
  port="$(nth "$(conf_get "$dir" ports)" "$i")"
  cport="$(nth "$(conf_get "$dir" controller_ports)" "$i")"
  if pid="$(running_pid "$data")"; then
    echo "kafka.sh: broker $i already runs (pid $pid)" >&2
    return 0
  fi
  rm -f "$data/kafka.pid"
  port_open "$port" && die "port $port on 127.0.0.1 (broker $i) is in use"
  port_open "$cport" && die "controller port $cport on 127.0.0.1 (broker $i) is in use"
  mkdir -p "$data/logs"
  # write_config also writes the node's log4j2.xml; its single-node properties are replaced at once
  write_config "$data" "$port" "$cport"
  write_node_config "$dir" "$i"
  # shellcheck disable=SC2206 # the override is a flag list on purpose
  local jvm=(${STANCEWIRE_KAFKA_JVM_OPTS:--Xms256m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1})
  jvm+=(-Djava.awt.headless=true "-Dlog4j2.configurationFile=$data/log4j2.xml" "-Dkafka.logs.dir=$data/logs")
  if [ ! -f "$data/kraft-logs/meta.properties" ]; then
    # every node is formatted with the cluster's one id
    "$JAVA" "${jvm[@]}" -cp "$libs/*" kafka.tools.StorageTool format \
      --cluster-id "$(conf_get "$dir" cluster_id)" --config "$data/server.properties" >"$data/format.log" 2>&1 || {
      cat "$data/format.log" >&2
      die "formatting $data/kraft-logs failed"
    }
  fi
  cds_adopt "$data" killed
  cds_flags "$data"
  nohup "$JAVA" "${jvm[@]}" -cp "$libs/*" kafka.Kafka "$data/server.properties" \
    >"$data/kafka.out" 2>&1 </dev/null &
  echo "$!" >"$data/kafka.pid"
}

# Wait until every node in IDS (comma-separated) answers on its own port and the cluster's metadata
# lists it as an unfenced broker; fail early if one of those nodes exits.
cluster_wait() {
  local dir="$1" ids="$2" timeout="$3" pairs="" py="" candidate i
  for i in $(tr ',' ' ' <<<"$ids"); do pairs="$pairs${pairs:+,}$i:$(nth "$(conf_get "$dir" ports)" "$i")"; done
  for candidate in "${STANCEWIRE_PYTHON:-}" python3; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null && "$candidate" -c 'import kafka' 2>/dev/null; then
      py="$candidate"
      break
    fi
  done
  local deadline=$((SECONDS + timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    for i in $(tr ',' ' ' <<<"$ids"); do
      running_pid "$dir/node$i" >/dev/null || {
        log_tail "$dir/node$i"
        die "broker $i exited during startup"
      }
    done
    if [ -z "$py" ]; then
      local all=1
      for i in $(tr ',' ' ' <<<"$ids"); do
        port_open "$(nth "$(conf_get "$dir" ports)" "$i")" || all=0
      done
      [ "$all" = 1 ] && return 0
    else
      "$py" - "$pairs" <<'EOF' 2>/dev/null && return 0
import sys
from kafka import KafkaAdminClient

# Each node is asked through its own port alone: its answer proves it serves, and after a SIGKILL the
# controller may still list the dead incarnation as unfenced until its session expires.
for pair in sys.argv[1].split(","):
    node_id, port = (int(x) for x in pair.split(":"))
    admin = KafkaAdminClient(
        bootstrap_servers=f"127.0.0.1:{port}", request_timeout_ms=3000, bootstrap_timeout_ms=3000
    )
    try:
        brokers = admin.describe_cluster().get("brokers", [])
    finally:
        admin.close()
    if not any(b["broker_id"] == node_id and not b.get("is_fenced") for b in brokers):
        sys.exit(1)
EOF
    fi
    sleep 0.5
  done
  for i in $(tr ',' ' ' <<<"$ids"); do log_tail "$dir/node$i"; done
  die "brokers $ids did not all join within ${timeout}s (still running; '$0 cluster stop $dir' ends them)"
}

cluster_start() {
  [ $# -ge 1 ] || die "usage: $0 cluster start CLUSTER_DIR [PORT,PORT,...]"
  local dir n ids="" i p
  dir="$(cluster_dir "$1")"
  require_java
  cmd_fetch
  if [ -f "$dir/cluster.conf" ]; then
    [ -z "${2:-}" ] || [ "$2" = "$(conf_get "$dir" ports)" ] ||
      die "$dir was created with ports $(conf_get "$dir" ports); remove it to use other ports"
  else
    cluster_init "$dir" "${2:-}"
  fi
  n="$(conf_get "$dir" nodes)"
  # Every port is checked before any node starts, so a busy port leaves nothing running behind.
  for i in $(seq "$n"); do
    running_pid "$dir/node$i" >/dev/null && continue
    for p in "$(nth "$(conf_get "$dir" ports)" "$i")" "$(nth "$(conf_get "$dir" controller_ports)" "$i")"; do
      port_open "$p" && die "port $p on 127.0.0.1 (broker $i) is in use"
    done
  done
  # All nodes at once: a combined node cannot serve until a majority of the controller quorum runs.
  for i in $(seq "$n"); do
    node_launch "$dir" "$i"
    ids="$ids${ids:+,}$i"
  done
  cluster_wait "$dir" "$ids" "${STANCEWIRE_KAFKA_START_TIMEOUT:-90}"
  cluster_bootstrap "$(conf_get "$dir" ports)" "$n"
}

cluster_start_broker() {
  [ $# -ge 2 ] || die "usage: $0 cluster start-broker CLUSTER_DIR INDEX"
  local dir i
  dir="$(cluster_dir "$1")"
  require_cluster "$dir"
  i="$(node_index "$dir" "$2")"
  require_java
  cmd_fetch
  node_launch "$dir" "$i"
  cluster_wait "$dir" "$i" "${STANCEWIRE_KAFKA_START_TIMEOUT:-90}"
  echo "127.0.0.1:$(nth "$(conf_get "$dir" ports)" "$i")"
}

# SIGTERM (controlled shutdown: leadership moves away first) or, with --kill, SIGKILL of one node.
cluster_stop_broker() {
  [ $# -ge 2 ] || die "usage: $0 cluster stop-broker CLUSTER_DIR INDEX [--kill] [TIMEOUT_SECONDS]"
  local dir i kill=0 timeout=30 pid arg
  dir="$(cluster_dir "$1")"
  require_cluster "$dir"
  i="$(node_index "$dir" "$2")"
  shift 2
  for arg in "$@"; do
    case "$arg" in
      --kill) kill=1 ;;
      *)
        is_uint "$arg" || die "not a timeout in seconds: '$arg'"
        timeout="$arg"
        ;;
    esac
  done
  if [ "$kill" = 0 ]; then
    cmd_stop "$dir/node$i" "$timeout"
    return
  fi
  pid="$(running_pid "$dir/node$i")" || {
    rm -f "$dir/node$i/kafka.pid"
    return 0
  }
  kill -KILL "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && die "broker $i (pid $pid) still runs 10 s after SIGKILL"
  rm -f "$dir/node$i/kafka.pid"
  cds_adopt "$dir/node$i" killed
}

# Every node at once: stopped one by one, the last ones would wait for a controller quorum that is gone.
cluster_stop() {
  [ $# -ge 1 ] || die "usage: $0 cluster stop CLUSTER_DIR [TIMEOUT_SECONDS]"
  local dir timeout="${2:-30}" n i pid pids=() failed=0
  [ -f "$1/cluster.conf" ] || return 0
  dir="$(cd "$1" && pwd)"
  n="$(conf_get "$dir" nodes)"
  for i in $(seq "$n"); do
    cmd_stop "$dir/node$i" "$timeout" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || die "some brokers of $dir did not stop"
}

# One line per node: INDEX PORT CONTROLLER_PORT running PID | stopped.
# Exit 0 if every node runs, 3 if only some do, 1 if none does.
cluster_status() {
  [ $# -ge 1 ] || die "usage: $0 cluster status CLUSTER_DIR"
  local dir n i pid up=0 ports cports
  [ -d "$1" ] || die "$1 does not exist"
  dir="$(cd "$1" && pwd)"
  require_cluster "$dir"
  n="$(conf_get "$dir" nodes)"
  ports="$(conf_get "$dir" ports)"
  cports="$(conf_get "$dir" controller_ports)"
  for i in $(seq "$n"); do
    if pid="$(running_pid "$dir/node$i")"; then
      echo "$i $(nth "$ports" "$i") $(nth "$cports" "$i") running $pid"
      up=$((up + 1))
    else
      echo "$i $(nth "$ports" "$i") $(nth "$cports" "$i") stopped"
    fi
  done
  [ "$up" -eq "$n" ] && return 0
  [ "$up" -eq 0 ] && return 1
  return 3
}

cmd_cluster() {
  local what="${1:-}"
  [ $# -gt 0 ] && shift
  case "$what" in
    start) cluster_start "$@" ;;
    stop) cluster_stop "$@" ;;
    status) cluster_status "$@" ;;
    start-broker) cluster_start_broker "$@" ;;
    stop-broker) cluster_stop_broker "$@" ;;
    bootstrap)
      [ $# -ge 1 ] || die "usage: $0 cluster bootstrap CLUSTER_DIR"
      require_cluster "$1"
      cluster_bootstrap "$(conf_get "$1" ports)" "$(conf_get "$1" nodes)"
      ;;
    *) die "usage: $0 cluster {start CLUSTER_DIR [PORT,...]|stop CLUSTER_DIR [TIMEOUT]|status CLUSTER_DIR|start-broker CLUSTER_DIR INDEX|stop-broker CLUSTER_DIR INDEX [--kill] [TIMEOUT]|bootstrap CLUSTER_DIR}" ;;
  esac
}

sub="${1:-}"
[ $# -gt 0 ] && shift
case "$sub" in
  fetch) cmd_fetch ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  check) cmd_check ;;
  cluster) cmd_cluster "$@" ;;
  cluster-id) new_cluster_id ;;
  *) die "usage: $0 {fetch|start DATA_DIR PORT [CONTROLLER_PORT]|stop DATA_DIR|status DATA_DIR|check|cluster ...|cluster-id}" ;;
esac
