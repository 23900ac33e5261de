#!/usr/bin/env bash
# Exam hall benchmark (issue 10 §6–7), release build, loopback only:
#  1. Academy: `academy hall serve` (one process) with OFFICERS (500) concurrent asyncssh officers,
#     each logging in with an exam code and answering a whole paper in line mode: logins/s, login
#     latency p50/p99, answer-acknowledgement latency p50/p99, server CPU, peak RSS and PSS, RSS per
#     session.
#  2. The same crowd again, with the server killed (SIGKILL) in the middle and restarted; every
#     client reconnects; acknowledged answers are counted against stored ones (0 lost) and
#     `academy audit verify` runs at the end.
#  3. The alternative: Debian's sshd on another loopback port with
#     `ForceCommand academy exam take --plain` (one sshd + one academy process per officer),
#     at 100 and 500 officers, measured the same way (all its processes summed).
#
# Usage: Benchmarks/hall.sh   (OFFICERS=500 SSHD_OFFICERS="100 500" THINK=1 to change the crowd;
#        THINK is the mean seconds an officer reads each question before answering, 0 = flat out;
#        ACADEMY_BIN=path uses an already built release binary; HALL_MODES="clean" or "" and
#        SSHD_OFFICERS="" skip parts)
set -euo pipefail
cd "$(dirname "$0")/.."
OFFICERS="${OFFICERS:-500}"
SSHD_OFFICERS="${SSHD_OFFICERS:-100 500}"
THINK="${THINK:-1}"

missing=()
command -v sshd >/dev/null || [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if ((${#missing[@]})); then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
python3 -c 'import asyncssh' 2>/dev/null || python3 -m pip install -q asyncssh

if [[ -n "${ACADEMY_BIN:-}" ]]; then
  # Absolute: sshd runs the ForceCommand from the user's home directory.
  bin="$(cd "$(dirname "$ACADEMY_BIN")" && pwd)/$(basename "$ACADEMY_BIN")"
else
  swift build -c release --product academy >&2
  bin="$(swift build -c release --show-bin-path)/academy"
fi
work="$PWD/Benchmarks/work/hall"
rm -rf "$work"
mkdir -p "$work"
ulimit -n 65536 2>/dev/null || true
export ACADEMY_CACHE_DIR="$work/cache"

# One database template: N officers in one open cycle of the shipped course, codes issued.
max=$OFFICERS
for n in $SSHD_OFFICERS; do ((n > max)) && max=$n || true; done
python3 - "$work/staff.csv" "$max" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("执法证号,姓名,所属部门,人员类别,状态\n")
    for i in range(1, int(sys.argv[2]) + 1):
        f.write(f"HB{i:04d},考生{i},基准局/第{(i - 1) // 50 + 1}中队,执法人员,在岗\n")
PY
y=$(date +%Y)
export ACADEMY_DB="$work/template.sqlite"
"$bin" staff import "$work/staff.csv" >/dev/null
"$bin" cycle create bench --title 考场基准 --course strict-enforcement-2018 --blueprint all-staff-2018 \
  --opens "$((y - 1))-01-01" --due "$((y + 1))-12-31" >/dev/null
"$bin" hall codes issue --cycle bench -o "$work/codes.csv" --address 127.0.0.1:2322 >/dev/null
unset ACADEMY_DB

# Samples memory (RSS and PSS, summed over the matching processes) and CPU every 0.5 s until
# the file "$1.stop" appears; prints peak_rss_kb, peak_pss_kb, cpu_seconds, peak_processes.
cat > "$work/sample.py" <<'PY'
import os, sys, time, json
out, pattern = sys.argv[1], sys.argv[2]
tick = os.sysconf("SC_CLK_TCK")
peak_rss = peak_pss = peak_n = 0
cpu = {}
def procs():
    for pid in os.listdir("/proc"):
        if not pid.isdigit(): continue
        try:
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
        except OSError: continue
        if pattern in cmd and "sample.py" not in cmd: yield pid
while not os.path.exists(out + ".stop"):
    rss = pss = n = 0
    for pid in procs():
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Rss:"): rss += int(line.split()[1])
                elif line.startswith("Pss:"): pss += int(line.split()[1])
            f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            cpu[pid] = max(cpu.get(pid, 0), (int(f[11]) + int(f[12])) / tick)
            n += 1
        except (OSError, IndexError, ValueError): pass
    peak_rss, peak_pss, peak_n = max(peak_rss, rss), max(peak_pss, pss), max(peak_n, n)
    time.sleep(0.5)
json.dump({"peak_rss_kb": peak_rss, "peak_pss_kb": peak_pss, "cpu_seconds": round(sum(cpu.values()), 1),
           "peak_processes": peak_n}, open(out, "w"))
PY

stored_vs_acked() {  # db results.json → "lost=N acked=A stored=S"
  python3 - "$1" "$2" <<'PY'
import json, sqlite3, sys
db, res = sys.argv[1], json.load(open(sys.argv[2]))
rows = dict(sqlite3.connect(db).execute(
    "SELECT a.badge, count(*) FROM answers JOIN attempts a ON a.id = answers.attempt_id GROUP BY a.badge"))
acked = res["acked"]
lost = sum(max(0, n - rows.get(b, 0)) for b, n in acked.items())
print(f"lost={lost} acked={sum(acked.values())} stored={sum(rows.values())}")
PY
}

summary() {  # label results.json sample.json idle_kb sessions
  python3 - "$@" <<'PY'
import json, sys
label, res, smp, n = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3])), int(sys.argv[5])
idle_rss, idle_pss = (int(x) for x in sys.argv[4].split(":"))
# Memory per session: the peak above the idle server, divided by the officers connected.
per = (smp["peak_rss_kb"] - idle_rss) / max(1, n)
per_pss = (smp["peak_pss_kb"] - idle_pss) / max(1, n)
print(f"{label}: officers={res['officers']} submitted={res['submitted']} logins/s={res['logins_per_second']} "
      f"login p50={res['login_ms_p50']}ms p99={res['login_ms_p99']}ms ack p50={res['ack_ms_p50']}ms "
      f"p99={res['ack_ms_p99']}ms (after the last login p50={res.get('ack_ms_p50_after_logins')}ms "
      f"p99={res.get('ack_ms_p99_after_logins')}ms) acks={res['acks']} wall={res['wall_seconds']}s cpu={smp['cpu_seconds']}s "
      f"peak_rss={smp['peak_rss_kb'] // 1024}MiB peak_pss={smp['peak_pss_kb'] // 1024}MiB "
      f"rss/session={per:.0f}KiB pss/session={per_pss:.0f}KiB processes={smp['peak_processes']} errors={res['error_count']}")
PY
}

wait_port() { for _ in $(seq 1 200); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# 1 & 2. Academy's hall: a clean run for the figures, then a run with SIGKILL + restart.
for mode in ${HALL_MODES-clean kill}; do
  db="$work/hall-$mode.sqlite"
  cp "$work/template.sqlite" "$db"
  cp "$work/template.sqlite.hall_ed25519_key" "$db.hall_ed25519_key"
  export ACADEMY_DB="$db"
  "$bin" hall serve --listen 127.0.0.1:2322 --max-connections 2000 >"$work/serve-$mode.out" 2>"$work/serve-$mode.log" &
  pid=$!
  wait_port 2322
  sleep 1
  idle=$(awk '/^Rss:/ {r=$2} /^Pss:/ {p=$2} END {print r ":" p}' /proc/$pid/smaps_rollup)
  rm -f "$work/sample-$mode.json.stop"
  python3 "$work/sample.py" "$work/sample-$mode.json" "hall serve --listen 127.0.0.1:2322" &
  sampler=$!
  python3 Benchmarks/hall_load.py --port 2322 --codes "$work/codes.csv" --officers "$OFFICERS" --think "$THINK" \
    --timeout 900 --out "$work/load-$mode.json" >/dev/null &
  load=$!
  if [[ $mode == kill ]]; then
    # Kill once 40% of the answers are stored, restart at once; the clients reconnect.
    target=$((OFFICERS * 47 * 4 / 10))
    until (($(sqlite3 "$db" 'SELECT count(*) FROM answers' 2>/dev/null || echo 0) >= target)); do sleep 0.2; done
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true
    echo "server killed (SIGKILL) with $(sqlite3 "$db" 'SELECT count(*) FROM answers') answers stored; restarting" >&2
    "$bin" hall serve --listen 127.0.0.1:2322 --max-connections 2000 >>"$work/serve-$mode.out" 2>>"$work/serve-$mode.log" &
    pid=$!
  fi
  wait "$load" || echo "hall_load.py: not every officer submitted ($mode)" >&2
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  touch "$work/sample-$mode.json.stop"; wait "$sampler"
  summary "academy hall ($mode)" "$work/load-$mode.json" "$work/sample-$mode.json" "$idle" "$OFFICERS"
  echo "academy hall ($mode): $(stored_vs_acked "$db" "$work/load-$mode.json") audit: $("$bin" audit verify 2>&1 | head -1)"
  unset ACADEMY_DB
done

# 3. sshd + ForceCommand, one process per officer.
ssh-keygen -q -t ed25519 -N '' -f "$work/sshd_host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/client_key"
cp "$work/client_key.pub" "$work/authorized_keys"
chmod 600 "$work/authorized_keys"
cat > "$work/force.sh" <<SH
#!/bin/sh
exec env ACADEMY_DB="\$ACADEMY_BENCH_DB" ACADEMY_CACHE_DIR="$work/cache" "$bin" exam take --plain --officer "\$LC_ACADEMY_OFFICER" --content "$PWD/Courses" --content "$PWD/QuestionBank"
SH
chmod 755 "$work/force.sh"
for n in $SSHD_OFFICERS; do
  db="$work/sshd-$n.sqlite"
  cp "$work/template.sqlite" "$db"
  cat > "$work/sshd_config" <<CFG
ListenAddress 127.0.0.1:2323
HostKey $work/sshd_host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/authorized_keys
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AcceptEnv LANG LC_*
SetEnv ACADEMY_BENCH_DB=$db
ForceCommand $work/force.sh
MaxStartups 2000:30:2000
MaxSessions 10
LogLevel ERROR
CFG
  mkdir -p /run/sshd
  /usr/sbin/sshd -D -f "$work/sshd_config" -E "$work/sshd-$n.log" &
  spid=$!
  wait_port 2323
  sleep 1
  idle=$(awk '/^Rss:/ {r=$2} /^Pss:/ {p=$2} END {print r ":" p}' /proc/$spid/smaps_rollup)
  rm -f "$work/sample-sshd-$n.json.stop"
  # Every process of this run: the sshd master and its per-connection children, and academy.
  python3 "$work/sample.py" "$work/sample-sshd-$n.json" "sshd" &
  sampler=$!
  python3 "$work/sample.py" "$work/sample-sshd-academy-$n.json" "exam take --plain" &
  sampler2=$!
  python3 Benchmarks/hall_load.py --port 2323 --codes "$work/codes.csv" --officers "$n" --think "$THINK" \
    --timeout 900 --key "$work/client_key" --user "$(id -un)" --env-badge --out "$work/load-sshd-$n.json" >/dev/null ||
    echo "hall_load.py: not every officer submitted (sshd $n)" >&2
  kill -TERM "$spid"; wait "$spid" 2>/dev/null || true
  touch "$work/sample-sshd-$n.json.stop" "$work/sample-sshd-academy-$n.json.stop"; wait "$sampler" "$sampler2"
  python3 - "$work/sample-sshd-$n.json" "$work/sample-sshd-academy-$n.json" "$work/sample-sshd-sum-$n.json" <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
json.dump({k: a[k] + b[k] for k in a}, open(sys.argv[3], "w"))
PY
  summary "sshd ForceCommand ($n)" "$work/load-sshd-$n.json" "$work/sample-sshd-sum-$n.json" "$idle" "$n"
  echo "sshd ForceCommand ($n): $(stored_vs_acked "$db" "$work/load-sshd-$n.json")"
done
