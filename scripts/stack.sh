#!/usr/bin/env bash
# The hub's local stack of real components: Apache Kafka (KRaft, single node), Apicurio Registry
# (Confluent-compatible API, stored in PostgreSQL) and the machine's PostgreSQL.
#
#   scripts/stack.sh up       fetch (once, cached) and start whatever is not running; idempotent
#   scripts/stack.sh down     stop Kafka and the registry (PostgreSQL is the machine's: left running)
#   scripts/stack.sh status   what is running
#   scripts/stack.sh logs     tail the logs
#   scripts/stack.sh stop kafka|registry   stop one of them (the fault suite's restarts)
#   scripts/stack.sh reset    down, then delete Kafka's data (topics, offsets), the registry's and
#                             the hub's databases; the jar cache stays
#
# Everything lives under $WHP_STACK_HOME (default ~/.cache/whp-hub): jars from Maven Central,
# data, logs and pid files. Nothing is written into the repository.
#
# A second, private stack beside the first (the fault suite's, which restarts its parts) is named
# by WHP_STACK_INSTANCE: its data, logs and pids go under $WHP_STACK_HOME/instances/<name> (the jars
# are shared) and its ports come from WHP_KAFKA_PORT, WHP_KAFKA_CONTROLLER_PORT, WHP_REGISTRY_PORT,
# WHP_REGISTRY_MGMT_PORT (and PGPORT for its PostgreSQL).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STACK_HOME=${WHP_STACK_HOME:-$HOME/.cache/whp-hub}
KAFKA_VERSION=$(sed -n 's#.*<kafka.version>\(.*\)</kafka.version>.*#\1#p' "$here/stack/pom.xml")
APICURIO_VERSION=$(sed -n 's#.*<apicurio.version>\(.*\)</apicurio.version>.*#\1#p' "$here/stack/pom.xml")
KAFKA_HOME=$STACK_HOME/kafka-$KAFKA_VERSION
APICURIO_HOME=$STACK_HOME/apicurio-$APICURIO_VERSION
INSTANCE=${WHP_STACK_INSTANCE:-}
if [ -n "$INSTANCE" ]; then
  [[ "$INSTANCE" =~ ^[a-z0-9-]+$ ]] || { printf '[stack] WHP_STACK_INSTANCE must be lower-case letters, digits and dashes\n' >&2; exit 1; }
  DATA=$STACK_HOME/instances/$INSTANCE/data
  LOGS=$STACK_HOME/instances/$INSTANCE/logs
  RUN=$STACK_HOME/instances/$INSTANCE/run
  TAG=".$INSTANCE"
else
  DATA=$STACK_HOME/data
  LOGS=$STACK_HOME/logs
  RUN=$STACK_HOME/run
  TAG=""
fi
KAFKA_PORT=${WHP_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${WHP_KAFKA_CONTROLLER_PORT:-9093}
REGISTRY_PORT=${WHP_REGISTRY_PORT:-8081}
REGISTRY_MGMT_PORT=${WHP_REGISTRY_MGMT_PORT:-9081}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB_NAME=${WHP_DB_NAME:-whp}
REGISTRY_DB=${WHP_REGISTRY_DB:-whp_registry}

say() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] 错误 / error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# Each daemon carries -Dwhp.stack=<name> on its command line, so that `down` finds it even when
# its pid file is stale or gone.
stack_pids() { pgrep -f -- "-Dwhp.stack=$1$TAG " || true; }

# Start a daemon detached from this shell: its own session, stdin from /dev/null, output to its
# log, and none of the caller's other descriptors. An inherited pipe would keep a caller such as
# `scripts/stack.sh up | tail` waiting for an end of file that comes only when the daemon exits.
# Logs are appended across restarts (so a failed run's log survives the next start) and rotated
# once past 20 MB.
daemon() { # name log command...
  local name=$1 log=$2; shift 2
  if [ -f "$log" ] && [ "$(stat -c %s "$log")" -gt 20000000 ]; then mv -f "$log" "$log.1"; fi
  printf '\n===== whp stack: %s starting at %s =====\n' "$name" "$(date -u +%FT%TZ)" >>"$log"
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$@" </dev/null >>"$log" 2>&1
  ) &
  echo $! >"$RUN/$name.pid"
}

wait_for() { # name seconds command...
  local name=$1 secs=$2; shift 2
  local i
  for ((i = 0; i < secs * 2; i++)); do
    if "$@"; then return 0; fi
    if ! pid_alive "$name"; then
      say "$name exited while starting; last lines of $LOGS/$name.log:"
      tail -n 40 "$LOGS/$name.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  say "$name did not become ready in ${secs}s; last lines of $LOGS/$name.log:"
  tail -n 40 "$LOGS/$name.log" >&2 || true
  return 1
}

# Apicurio Registry 3.2+ needs Java 21; Kafka runs on the default Java 17. Pick the newest JDK
# under /usr/lib/jvm (or $WHP_REGISTRY_JAVA) whose major version is at least 21.
registry_java() {
  if [ -n "${WHP_REGISTRY_JAVA:-}" ]; then echo "$WHP_REGISTRY_JAVA"; return; fi
  local best="" best_major=0 j major
  for j in /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [ -x "$j" ] || continue
    major=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1)
    major=${major%%.*}
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if ((major >= 21 && major > best_major)); then best=$j; best_major=$major; fi
  done
  [ -n "$best" ] || die "Apicurio Registry $APICURIO_VERSION 需要 Java 21 或更高版本 (needs Java >= 21): none found under /usr/lib/jvm; set WHP_REGISTRY_JAVA"
  echo "$best"
}

# The cache is keyed on the part list: a changed pom.xml fetches again.
fetch() {
  local stamp
  stamp=$(sha256sum "$here/stack/pom.xml" | cut -c1-16)
  if [ "$(cat "$KAFKA_HOME/.complete" 2>/dev/null)" = "$stamp" ] && [ "$(cat "$APICURIO_HOME/.complete" 2>/dev/null)" = "$stamp" ]; then return; fi
  command -v mvn >/dev/null || die "mvn (Maven) not found: it fetches Kafka and the registry from Maven Central"
  say "fetching Kafka $KAFKA_VERSION and Apicurio Registry $APICURIO_VERSION with Maven into $STACK_HOME (once; cached)"
  mkdir -p "$STACK_HOME"
  rm -rf "$KAFKA_HOME" "$APICURIO_HOME" "$STACK_HOME/maven-build"
  if ! mvn -q -B -f "$here/stack/pom.xml" package -Dstack.home="$STACK_HOME" \
      >"$STACK_HOME/fetch.log" 2>&1; then
    tail -n 30 "$STACK_HOME/fetch.log" >&2
    die "Maven could not fetch the stack (full log: $STACK_HOME/fetch.log)"
  fi
  [ -f "$APICURIO_HOME/quarkus-run.jar" ] || die "Apicurio distribution unpacked without quarkus-run.jar in $APICURIO_HOME"
  echo "$stamp" >"$KAFKA_HOME/.complete"
  echo "$stamp" >"$APICURIO_HOME/.complete"
}

psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

ensure_postgres() {
  if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
    say "PostgreSQL is not answering on $PGHOST:$PGPORT; starting the machine's cluster"
    local ver
    ver=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
    [ -n "$ver" ] || die "no PostgreSQL cluster under /etc/postgresql, and nothing answers on $PGHOST:$PGPORT"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
    pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL did not start on $PGHOST:$PGPORT"
  fi
  local db
  for db in "$DB_NAME" "$REGISTRY_DB"; do
    if [ "$(psql_admin -c "select 1 from pg_database where datname='$db'")" != "1" ]; then
      psql_admin -c "create database \"$db\"" || die "could not create database $db"
      say "created database $db"
    fi
  done
}

start_kafka() {
  if port_open $KAFKA_PORT; then return; fi
  mkdir -p "$DATA" "$LOGS" "$RUN"
  local conf=$RUN/kafka.properties
  sed -e "s#@DATA@#$DATA#g" -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" "$here/stack/kafka.properties" >"$conf"
  local cp="$KAFKA_HOME/libs/*"
  local jvm=(java -Dwhp.stack=kafka$TAG -Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$here/stack/log4j2.yaml" -cp "$cp")
  if [ ! -f "$DATA/kafka/meta.properties" ]; then
    local cluster_id
    cluster_id=$("${jvm[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    "${jvm[@]}" kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$conf" >"$LOGS/kafka-format.log" 2>&1 \
      || { cat "$LOGS/kafka-format.log" >&2; die "formatting Kafka storage failed"; }
    say "formatted Kafka storage (cluster $cluster_id)"
  fi
  say "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
  local from
  from=1
  if [ -f "$LOGS/kafka.log" ]; then from=$(($(wc -l <"$LOGS/kafka.log") + 1)); fi
  daemon kafka "$LOGS/kafka.log" "${jvm[@]}" kafka.Kafka "$conf"
  wait_for kafka 120 kafka_started "$from" || die "Kafka did not start"
}

# The port opens before the broker serves requests (log recovery, controller activation); the
# broker says when it has started.
kafka_started() { # first line of this start in kafka.log
  port_open $KAFKA_PORT && tail -n +"$1" "$LOGS/kafka.log" | grep -q 'Kafka Server started'
}

registry_ready() { curl -fsS -o /dev/null "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects" 2>/dev/null; }

start_registry() {
  if registry_ready; then return; fi
  if port_open "$REGISTRY_PORT"; then die "port $REGISTRY_PORT is taken by something that is not the schema registry"; fi
  mkdir -p "$LOGS" "$RUN"
  local java
  java=$(registry_java)
  say "starting Apicurio Registry $APICURIO_VERSION on 127.0.0.1:$REGISTRY_PORT (storage: PostgreSQL $REGISTRY_DB)"
  cd "$APICURIO_HOME"
  daemon registry "$LOGS/registry.log" "$java" -Dwhp.stack=registry$TAG -Xms128m -Xmx768m \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port=$REGISTRY_MGMT_PORT \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=postgresql \
    -Dapicurio.datasource.url="jdbc:postgresql://$PGHOST:$PGPORT/$REGISTRY_DB" \
    -Dapicurio.datasource.username="$PGUSER" -Dapicurio.datasource.password=unused-trust-auth \
    -Dapicurio.datasource.jdbc.initial-size=2 -Dapicurio.datasource.jdbc.min-size=2 \
    -Dapicurio.datasource.jdbc.max-size=10 \
    -Dquarkus.otel.enabled=false -Dquarkus.log.level=WARN \
    -jar quarkus-run.jar
  cd - >/dev/null
  wait_for registry 180 registry_ready || die "the schema registry did not start"
}

stop_one() {
  local name=$1 pids pid
  pids=$( { pid_alive "$name" && cat "$RUN/$name.pid"; stack_pids "$name"; } | sort -u)
  for pid in $pids; do
    say "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
  done
  for pid in $pids; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -f "$RUN/$name.pid"
}

status() {
  local k r p
  port_open $KAFKA_PORT && k="up" || k="down"
  registry_ready && r="up" || r="down"
  pg_isready -q -h "$PGHOST" -p "$PGPORT" && p="up" || p="down"
  printf 'kafka      %-5s 127.0.0.1:%s   (Apache Kafka %s, KRaft)\n' "$k" $KAFKA_PORT "$KAFKA_VERSION"
  printf 'registry   %-5s 127.0.0.1:%s   (Apicurio Registry %s, /apis/ccompat/v7)\n' "$r" "$REGISTRY_PORT" "$APICURIO_VERSION"
  printf 'postgresql %-5s %s:%s\n' "$p" "$PGHOST" "$PGPORT"
  [ "$k" = up ] && [ "$r" = up ] && [ "$p" = up ]
}

case "${1:-up}" in
  up)
    started=$(date +%s)
    fetch
    ensure_postgres
    start_kafka
    start_registry
    say "stack up in $(($(date +%s) - started))s (logs: $LOGS)"
    ;;
  down)
    stop_one registry
    stop_one kafka
    ;;
  stop)
    case "${2:-}" in
      kafka | registry) stop_one "$2" ;;
      *) die "usage: scripts/stack.sh stop kafka|registry" ;;
    esac
    ;;
  status) status ;;
  logs) tail -n 50 -F "$LOGS"/kafka.log "$LOGS"/registry.log ;;
  reset)
    stop_one registry
    stop_one kafka
    rm -rf "$DATA/kafka"
    # The hub's database holds the correlator's Kafka offsets and the gateway's record of what it
    # took: kept against emptied topics they would skip the new offsets 0, 1, 2, ... as already seen.
    psql_admin -c "drop database if exists \"$REGISTRY_DB\" with (force)" || true
    psql_admin -c "drop database if exists \"$DB_NAME\" with (force)" || true
    say "Kafka data, the registry database and the hub database ($DB_NAME) removed"
    ;;
  *) die "usage: scripts/stack.sh up|down|stop kafka|registry|status|logs|reset" ;;
esac
