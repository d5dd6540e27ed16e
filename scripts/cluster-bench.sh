#!/usr/bin/env bash
# What training on worker nodes costs, on one machine, with real JVMs on 127.0.0.1 (BENCHMARKS.md, "Cluster:
# training on worker nodes"):
#   1. per-epoch overhead: the same Fashion-MNIST run on plain `serve` (local) and on a dashboard (`serve --cluster`)
#      with one worker, rounds alternating; the median epoch "seconds", the wall time from POST to completed and
#      the CPU seconds of the run's JVMs (/proc/PID/stat);
#   2. bytes on the bus per epoch of that run (the worker's "sent the dashboard N reports, B bytes" line);
#   3. fail-over: a dashboard and two workers (--max-concurrent 1 each), a run with a checkpoint every epoch; once
#      epoch >= 1 is stored (and --kill-after seconds more) the worker holding it is killed with SIGKILL, and
#      GET /api/runs/{id} is polled every 100 ms for the time until the dashboard marks it lost (interrupted, or
#      already queued / on another node), until it is running on the other worker, and until that worker stores
#      the next epoch.
#
# usage: scripts/cluster-bench.sh [--jar target/neuralgrid.jar] [--data /work/data/fashion-mnist] [--rounds 3]
#            [--failovers 3] [--grid 128x128] [--epochs 3] [--failover-grid 128x128] [--failover-epochs 6]
#            [--kill-after 1.0] [--copy-data] [--heap 1g] [--work DIR] [--skip-overhead] [--skip-failover]
#
# Every JVM is started directly (java --add-modules jdk.incubator.vector ... -jar, with NEURALGRID_RELAUNCHED=direct
# so that Main does not start a second JVM, and libjsig.so preloaded as Main's relaunch would), so its pid is the
# training JVM itself and SIGKILL kills it, not a launcher whose child would then stop gracefully. Every process
# is ended by its pid at the end, also on failure. Logs and the nodes' data folders stay under --work (printed).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=java-env.sh
. scripts/java-env.sh

WORK=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = "--work" ] && [ $((i + 1)) -lt ${#args[@]} ]; then WORK="${args[$((i + 1))]}"; fi
done
if [ -z "$WORK" ]; then
  WORK=$(mktemp -d /tmp/cluster-bench.XXXXXX)
  set -- "$@" --work "$WORK"
fi
mkdir -p "$WORK"
PIDFILE="$WORK/pids"
: > "$PIDFILE"

# Whatever happens to the Python driver: every JVM it started (listed in $PIDFILE) goes, by its pid.
cleanup() {
  local pid
  while read -r pid; do
    [ -n "$pid" ] || continue
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'neuralgrid'; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done < "$PIDFILE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 - "$@" <<'PY'
import argparse, json, os, re, secrets, signal, socket, statistics, subprocess, sys, time, urllib.request, urllib.error

p = argparse.ArgumentParser()
p.add_argument("--jar", default="target/neuralgrid.jar")
p.add_argument("--data", default="/work/data/fashion-mnist")
p.add_argument("--work", required=True)
p.add_argument("--rounds", type=int, default=3)
p.add_argument("--failovers", type=int, default=3)
p.add_argument("--grid", default="128x128")
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--failover-grid", default="128x128")
p.add_argument("--failover-epochs", type=int, default=6)
p.add_argument("--kill-after", type=float, default=1.0, help="seconds after epoch >= 1 is stored")
p.add_argument("--copy-data", action="store_true", help="workers copy Fashion-MNIST from the dashboard (else a link)")
p.add_argument("--heap", default="1g")
p.add_argument("--skip-overhead", action="store_true")
p.add_argument("--skip-failover", action="store_true")
a = p.parse_args()

WORK = os.path.abspath(a.work)
JAR = os.path.abspath(a.jar)
DATA = os.path.abspath(a.data)
PIDFILE = os.path.join(WORK, "pids")
LOGS = os.path.join(WORK, "logs")
os.makedirs(LOGS, exist_ok=True)
if not os.path.isfile(JAR):
    sys.exit(f"no jar at {JAR}: build it (mvn -o -q package -DskipTests) or give --jar")
for f in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
    if not os.path.isfile(os.path.join(DATA, f)):
        sys.exit(f"no Fashion-MNIST in {DATA} ({f} missing)")

JAVA_HOME = os.environ.get("JAVA_HOME", "")
JAVA = os.path.join(JAVA_HOME, "bin", "java") if JAVA_HOME else "java"
JVM = ["-Xmx" + a.heap, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
       "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
       "--add-opens", "java.base/java.lang=ALL-UNNAMED",
       "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
       "--add-opens", "java.management/sun.management=ALL-UNNAMED",
       "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"]
ENV = dict(os.environ)
ENV.pop("NEURALGRID_TOKEN", None)          # loopback dashboards without a token
ENV.pop("NEURALGRID_CLUSTER_TOKEN", None)  # the token is given on the command line
ENV["NEURALGRID_RELAUNCHED"] = "direct"    # no second JVM: this pid is the one that trains
jsig = os.path.join(JAVA_HOME, "lib", "libjsig.so")
if JAVA_HOME and os.path.isfile(jsig):
    ENV["LD_PRELOAD"] = jsig + (":" + ENV["LD_PRELOAD"] if ENV.get("LD_PRELOAD") else "")
TOKEN = "cluster-bench-" + secrets.token_hex(16)
POLL = 0.1

started = []   # every Node started, for the cleanup
used_ports = set()


def free_port():
    while True:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if port not in used_ports:
            used_ports.add(port)
            return port


CLK = os.sysconf("SC_CLK_TCK")


def cpu(node):
    """CPU seconds (user + system) the node's JVM has used so far."""
    with open(f"/proc/{node.proc.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def load():
    return "%.2f" % os.getloadavg()[0]


class Node:
    def __init__(self, name, args):
        self.name = name
        self.out = os.path.join(LOGS, name + ".out")
        self.err = os.path.join(LOGS, name + ".err")
        cmd = [JAVA] + JVM + ["-jar", JAR] + args
        with open(self.out, "wb") as o, open(self.err, "wb") as e:
            self.proc = subprocess.Popen(cmd, stdout=o, stderr=e, stdin=subprocess.DEVNULL, env=ENV,
                                         start_new_session=True)
        with open(PIDFILE, "a") as f:
            f.write(f"{self.proc.pid}\n")
        started.append(self)
        with open(os.path.join(LOGS, name + ".cmd"), "w") as f:
            f.write(" ".join(cmd).replace(TOKEN, "$TOKEN") + "\n")

    def log(self):
        text = ""
        for path in (self.out, self.err):
            try:
                with open(path, errors="replace") as f:
                    text += f.read()
            except OSError:
                pass
        return text

    def alive(self):
        return self.proc.poll() is None

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self, wait=40):
        if not self.alive():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def stop_all(nodes):
    # workers first (they leave the cluster), then the dashboard
    for n in sorted(nodes, key=lambda n: n.name.startswith("dashboard")):
        n.stop()


def http(method, url, body=None, timeout=10):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def wait_until(what, check, seconds, nodes=()):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        for n in nodes:
            if not n.alive():
                raise SystemExit(f"{n.name} ended while waiting for {what}:\n{n.log()[-3000:]}")
        try:
            last = check()
            if last:
                return last
        except (urllib.error.URLError, ConnectionError, OSError, ValueError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"timed out after {seconds} s waiting for {what}; logs in {LOGS}")


def data_dir(path, link=True):
    os.makedirs(path, exist_ok=True)
    if link:
        os.symlink(DATA, os.path.join(path, "fashion-mnist"))
    return path


def start_dashboard(name, cluster):
    port = free_port()
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir(os.path.join(WORK, name)),
            "--max-concurrent", "1"]
    cport = None
    if cluster:
        cport = free_port()
        args += ["--cluster", "--cluster-host", "127.0.0.1", "--cluster-port", str(cport), "--cluster-token", TOKEN]
    n = Node(name, args)
    n.url = f"http://127.0.0.1:{port}"
    n.cluster_port = cport
    wait_until(name + " /health", lambda: http("GET", n.url + "/health")["status"] == "ok", 120, [n])
    return n


def start_worker(name, dashboard):
    n = Node(name, ["worker", "--cluster", "--cluster-host", "127.0.0.1", "--cluster-port", str(free_port()),
                    "--cluster-members", f"127.0.0.1:{dashboard.cluster_port}", "--cluster-token", TOKEN,
                    "--data-dir", data_dir(os.path.join(WORK, name), link=not a.copy_data), "--max-concurrent", "1"])
    m = wait_until(name + " joined", lambda: re.search(r"NeuralGrid worker node (\S+) on", n.log()), 120, [n])
    n.node_id = m.group(1)
    return n


def start_cluster(tag, workers):
    d = start_dashboard("dashboard-" + tag, True)
    ws = [start_worker(f"worker-{tag}-{i + 1}", d) for i in range(workers)]
    ids = {w.node_id for w in ws}
    wait_until(f"{workers} worker(s) in /api/nodes",
               lambda: ids <= {x["node"] for x in http("GET", d.url + "/api/nodes")["nodes"]}, 120, [d] + ws)
    return d, ws


def grid(s):
    h, w = s.lower().split("x")
    return int(h), int(w)


def post_run(d, name, config):
    return http("POST", d.url + "/api/runs", {"name": name, "config": config})["id"]


def get_run(d, rid):
    return http("GET", f"{d.url}/api/runs/{rid}", timeout=5)


def bytes_line(worker, rid, wait=60):
    pat = re.compile(r"run " + rid + r": sent the dashboard (\d+) reports, (\d+) bytes")
    m = wait_until(f"{worker.name}'s report count of run {rid}", lambda: pat.findall(worker.log()), wait, [worker])
    n, b = m[-1]
    return int(n), int(b)


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, nd=2):
    return "-" if x is None else f"{x:.{nd}f}"


results = {"jar": JAR, "java": JAVA, "jvm": JVM, "data": DATA, "workersCopyData": a.copy_data,
           "overhead": [], "failover": []}


def overhead():
    h, w = grid(a.grid)
    config = {"dataset": "fashion-mnist", "height": h, "width": w, "epochs": a.epochs, "backend": "java"}
    print(f"== 1+2. local vs clustered: {a.grid}, {a.epochs} epochs, {a.rounds} rounds, config {json.dumps(config)}",
          flush=True)
    for r in range(1, a.rounds + 1):
        order = ["local", "cluster"] if r % 2 else ["cluster", "local"]
        for mode in order:
            if mode == "local":
                d, ws = start_dashboard(f"local-{r}", False), []
            else:
                d, ws = start_cluster(f"c{r}", 1)
            try:
                la = load()
                cpu0 = {n.name: cpu(n) for n in [d] + ws}
                rid = post_run(d, f"{mode}-{r}", config)
                t0 = time.monotonic()
                while True:
                    s = get_run(d, rid)
                    if s["status"] in ("completed", "failed", "cancelled", "interrupted"):
                        break
                    if time.monotonic() - t0 > 1800:
                        raise SystemExit(f"run {rid} did not finish in 1800 s")
                    time.sleep(POLL)
                wall = time.monotonic() - t0
                if s["status"] != "completed":
                    raise SystemExit(f"run {rid} ended {s['status']}: {s.get('message')}")
                m = http("GET", f"{d.url}/api/runs/{rid}/metrics")
                secs = [e["seconds"] for e in m["epochs"]]
                sps = [e["samplesPerSecond"] for e in m["epochs"]]
                row = {"round": r, "mode": mode, "run": rid, "loadAtStart": la, "loadAtEnd": load(),
                       "wallSeconds": round(wall, 2), "epochSeconds": secs, "samplesPerSecond": sps,
                       "created": s.get("created"), "started": s.get("started"), "finished": s.get("finished")}
                if ws:
                    n, b = bytes_line(ws[0], rid)
                    row.update(reports=n, bytes=b, bytesPerEpoch=b / a.epochs)
                used = {n.name: round(cpu(n) - cpu0[n.name], 2) for n in [d] + ws}
                row.update(cpuSeconds=used, cpuSecondsTotal=round(sum(used.values()), 2))
                results["overhead"].append(row)
                print(f"round {r} {mode:7s}: wall {wall:6.2f} s, epoch seconds {', '.join(fmt(x) for x in secs)}"
                      + (f", sent {row['reports']} reports, {row['bytes']:,} bytes" if ws else "")
                      + f"; CPU s {' + '.join(f'{v:.1f}' for v in used.values())}"
                      + f" (load {la} -> {row['loadAtEnd']})", flush=True)
            finally:
                stop_all([d] + ws)


def failover():
    h, w = grid(a.failover_grid)
    E = a.failover_epochs
    config = {"dataset": "fashion-mnist", "height": h, "width": w, "epochs": E, "backend": "java",
              "checkpointEvery": 1}
    print(f"== 3. fail-over: {a.failover_grid}, {E} epochs, checkpoint every epoch, kill -9 {a.kill_after} s after"
          f" epoch >= 1 is stored; {a.failovers} repeats", flush=True)
    for r in range(1, a.failovers + 1):
        d, ws = start_cluster(f"f{r}", 2)
        try:
            la = load()
            rid = post_run(d, f"failover-{r}", config)
            t_post = time.monotonic()
            s = wait_until(f"epoch 1 of run {rid}",
                           lambda: (lambda x: x if x["status"] == "running" and x["epoch"] >= 1 else None)(get_run(d, rid)),
                           1800, [d] + ws)
            time.sleep(a.kill_after)
            holders = [x for x in ws if f"run {rid} (attempt" in x.log()]
            if len(holders) != 1:
                raise SystemExit(f"expected one worker to hold run {rid}, found {[x.name for x in holders]}")
            victim = holders[0]
            other = [x for x in ws if x is not victim][0]
            before = get_run(d, rid)
            shown = (before.get("node") or {}).get("id")
            if shown != victim.node_id:
                raise SystemExit(f"run {rid} shows node {shown}, the log says {victim.name} ({victim.node_id})")
            epoch_at_kill = before["epoch"]
            victim.kill9()
            t_kill = time.monotonic()
            timeline, last = [], None
            t_lost = t_interrupted = t_running = t_next = None
            e_resume = None
            deadline = t_kill + 600
            nxt = t_kill
            while time.monotonic() < deadline:
                try:
                    s = get_run(d, rid)
                except (urllib.error.URLError, OSError) as e:
                    s = None
                now = time.monotonic() - t_kill
                if s is not None:
                    node = (s.get("node") or {}).get("id")
                    key = (s["status"], node, s["epoch"])
                    if key != last:
                        timeline.append({"t": round(now, 3), "status": s["status"], "node": node, "epoch": s["epoch"]})
                        last = key
                    if t_lost is None and (s["status"] != "running" or node != victim.node_id):
                        t_lost = now
                    if t_interrupted is None and s["status"] == "interrupted":
                        t_interrupted = now
                    if t_running is None and s["status"] == "running" and node == other.node_id:
                        t_running, e_resume = now, s["epoch"]
                    if t_running is not None and t_next is None and node == other.node_id and s["epoch"] > e_resume:
                        t_next = now
                    if s["status"] in ("completed", "failed", "cancelled"):
                        break
                nxt += POLL
                time.sleep(max(0.0, nxt - time.monotonic()))
            if s is None or s["status"] != "completed":
                raise SystemExit(f"run {rid} did not complete after the fail-over: {s}; logs in {LOGS}")
            mets = http("GET", f"{d.url}/api/runs/{rid}/metrics")["epochs"]
            epochs = [e["epoch"] for e in mets]
            secs = {e["epoch"]: e["seconds"] for e in mets}
            n, b = bytes_line(other, rid)
            trained = E - (e_resume or 0)
            row = {"repeat": r, "run": rid, "loadAtStart": la, "epochAtKill": epoch_at_kill,
                   "resumedFromEpoch": e_resume, "lostSeconds": t_lost, "interruptedSeenSeconds": t_interrupted,
                   "runningElsewhereSeconds": t_running, "nextEpochSeconds": t_next,
                   "resumedEpochSeconds": secs.get((e_resume or 0) + 1),
                   "laterEpochSeconds": [secs[e] for e in sorted(secs) if e > (e_resume or 0) + 1],
                   "metricEpochs": epochs, "everyEpochOnce": epochs == list(range(1, E + 1)),
                   "survivorReports": n, "survivorBytes": b, "survivorEpochs": trained,
                   "survivorBytesPerEpoch": b / trained if trained else None,
                   "postToKillSeconds": round(t_kill - t_post, 2), "timeline": timeline}
            results["failover"].append(row)
            print(f"repeat {r}: killed {victim.name} at epoch {epoch_at_kill} ({row['postToKillSeconds']} s after POST,"
                  f" load {la}); lost {fmt(t_lost)} s, interrupted seen {fmt(t_interrupted)} s, running on"
                  f" {other.name} {fmt(t_running)} s (from epoch {e_resume}), next epoch stored {fmt(t_next)} s"
                  f" (its 'seconds' {fmt(row['resumedEpochSeconds'])}, later epochs"
                  f" {', '.join(fmt(x) for x in row['laterEpochSeconds'])});"
                  f" epochs {epochs} {'each once' if row['everyEpochOnce'] else 'NOT each once'};"
                  f" survivor sent {n} reports, {b:,} bytes for {trained} epochs", flush=True)
            print("  timeline (s after kill, status, node, epoch): "
                  + "; ".join(f"{x['t']:.2f} {x['status']} {(x['node'] or '-')[:8]} {x['epoch']}" for x in timeline),
                  flush=True)
        finally:
            stop_all([d] + ws)


def summary():
    print("== summary (medians)")
    ov = results["overhead"]
    if ov:
        for mode in ("local", "cluster"):
            rows = [x for x in ov if x["mode"] == mode]
            allsec = [s for x in rows for s in x["epochSeconds"]]
            later = [s for x in rows for s in x["epochSeconds"][1:]]
            print(f"{mode:7s}: epoch seconds median {fmt(med(allsec))} (all {len(allsec)} epochs),"
                  f" {fmt(med(later))} (epochs after the first); wall median {fmt(med([x['wallSeconds'] for x in rows]))} s"
                  f" ({', '.join(fmt(x['wallSeconds']) for x in rows)}); CPU seconds of the run (all its JVMs) median"
                  f" {fmt(med([x['cpuSecondsTotal'] for x in rows]), 1)}"
                  f" ({', '.join(fmt(x['cpuSecondsTotal'], 1) for x in rows)})")
        L = [x for x in ov if x["mode"] == "local"]
        C = [x for x in ov if x["mode"] == "cluster"]
        es = lambda rows, k: med([s for x in rows for s in x["epochSeconds"][k:]])
        div = lambda x, y: None if x is None or not y else x / y
        if L and C:
            R = results["ratios"] = {
                "epochSeconds": div(es(C, 0), es(L, 0)), "epochSecondsAfterFirst": div(es(C, 1), es(L, 1)),
                "wall": div(med([x["wallSeconds"] for x in C]), med([x["wallSeconds"] for x in L])),
                "cpu": div(med([x["cpuSecondsTotal"] for x in C]), med([x["cpuSecondsTotal"] for x in L]))}
            print(f"ratio clustered/local: epoch seconds {fmt(R['epochSeconds'], 3)} (after the first epoch"
                  f" {fmt(R['epochSecondsAfterFirst'], 3)}), wall {fmt(R['wall'], 3)}, CPU seconds {fmt(R['cpu'], 3)}")
            dash = [x["cpuSeconds"][k] for x in C for k in x["cpuSeconds"] if k.startswith("dashboard")]
            print(f"of which the dashboard JVM (clustered): median {fmt(med(dash), 1)} CPU s"
                  f" ({', '.join(fmt(x, 1) for x in dash)})")
            bpe = [x["bytesPerEpoch"] for x in C]
            print(f"bus bytes per epoch (worker's total / {a.epochs}): median {med(bpe):,.0f}"
                  f" ({', '.join(f'{x:,.0f}' for x in bpe)}); reports {[x['reports'] for x in C]}")
    fo = results["failover"]
    if fo:
        for k, label in (("lostSeconds", "kill -> lost (interrupted/queued/elsewhere)"),
                         ("interruptedSeenSeconds", "kill -> 'interrupted' seen by a 100 ms poll"),
                         ("runningElsewhereSeconds", "kill -> running on the other worker"),
                         ("nextEpochSeconds", "kill -> next epoch stored")):
            xs = [x[k] for x in fo]
            print(f"{label}: median {fmt(med(xs))} s ({', '.join(fmt(x) for x in xs)})")
        print(f"'seconds' of the first epoch on the survivor: median {fmt(med([x['resumedEpochSeconds'] for x in fo]))};"
              f" of its later epochs: median {fmt(med([y for x in fo for y in x['laterEpochSeconds']]))}")
        print("epochs lost to the kill (epoch at kill - epoch resumed from): "
              + ", ".join(str(x["epochAtKill"] - (x["resumedFromEpoch"] or 0)) for x in fo))
        print("survivor bytes per epoch (checkpoint every epoch): "
              + ", ".join(fmt(x["survivorBytesPerEpoch"], 0) for x in fo))


try:
    print(f"work dir {WORK}; jar {JAR}; java {JAVA}; load {load()}", flush=True)
    if not a.skip_overhead:
        overhead()
    if not a.skip_failover:
        failover()
    summary()
finally:
    for n in started:
        try:
            n.stop(20)
        except Exception:
            pass
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"results: {os.path.join(WORK, 'results.json')}; logs: {LOGS}", flush=True)
PY
