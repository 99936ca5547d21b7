# Shared helpers for the real-Redis scripts in this folder. Sourced, not run.
#
# Every server these scripts start binds 127.0.0.1 only, keeps its data in a
# temporary folder made by mktemp, has its output redirected (a redis-server
# that inherits a pipeline's stdout keeps the pipeline open forever), and is
# stopped by the PID recorded in that folder, never by name.

# A marker file so that stop-* only ever deletes folders that start-* made.
TXLAB_REDIS_MARKER=.txlab-redis

# port_is_free PORT: true if nothing listens on 127.0.0.1:PORT (or any address).
port_is_free() {
  local p=$1
  [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ]
}

# random_port LO HI: a pseudo-random port in [LO, HI].
random_port() {
  local lo=$1 hi=$2
  echo $(( lo + (RANDOM * 32768 + RANDOM) % (hi - lo + 1) ))
}

# wait_ping PORT PID SECONDS: waits until redis-server answers PING on PORT
# (PONG, or NOAUTH when it was started with --requirepass).
# Fails early if PID has exited (for example because the port was taken).
wait_ping() {
  local port=$1 pid=$2 secs=$3 i
  for ((i = 0; i < secs * 20; i++)); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -Eq 'PONG|NOAUTH'; then
      return 0
    fi
    alive "$pid" || return 1
    sleep 0.05
  done
  return 1
}

# alive PID: the process exists and is not a zombie (an exited server whose
# parent has not reaped it, common when the starting script has exited).
alive() {
  local pid=$1 state
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ "$state" != Z ]
}

# stop_pid PID SECONDS [LOGFILE]: SIGTERM, wait up to SECONDS, then SIGKILL.
# redis-server 7.0 takes about 1.7 s to leave after logging "ready to exit"
# (everything, including any final save, is done by then), so once LOGFILE
# shows that line the process is killed instead of waited for.
stop_pid() {
  local pid=$1 secs=$2 log=${3:-} i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < secs * 50; i++)); do
    alive "$pid" || return 0
    if [ -n "$log" ] && grep -q "ready to exit" "$log" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 0.02
  done
  kill -KILL "$pid" 2>/dev/null || true
}
