#!/usr/bin/env python3
"""The sweep measurement of issue 13 on a GPU machine: one sweep of N runs (seeds of one point: 64x64 on
Fashion-MNIST, 20 epochs each, by default) through `neuralgrid serve`, once packed (--max-concurrent auto) and once
one run after another (--max-concurrent 1), in the same call; wall time from POST /api/sweeps to the last run
stored. Prints one JSON line per setting and a summary line with the ratio.

    python3 scripts/gpu-sweep.py --java JAVA --jar JAR --data DIR [--runs 32] [--epochs 20] [--grid 64x64]
                                 [--backend opencl] [--order packed,sequential]

DIR is a data folder with fashion-mnist/ in it (each setting gets a fresh folder linking to it). Every server is
started on 127.0.0.1 with port 0 (the port it prints is read back) and ended by its pid, children included.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request


def request(base, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method="GET" if body is None else "POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def start_server(args, data_dir, max_concurrent, log):
    cmd = [args.java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-jar",
           args.jar, "serve", "--port", "0", "--data-dir", data_dir, "--max-concurrent", max_concurrent]
    env = dict(os.environ, NEURALGRID_RELAUNCHED="direct")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        log.flush()
        with open(log.name) as f:
            m = re.search(r"dashboard on (http://127\.0\.0\.1:\d+)", f.read())
        if m:
            return proc, m.group(1)
        if proc.poll() is not None:
            raise RuntimeError("the server ended with %s; see %s" % (proc.returncode, log.name))
        time.sleep(0.2)
    raise RuntimeError("the server did not start in 120 s; see " + log.name)


def stop_server(proc):
    # the server and anything it started: its own process group (start_new_session)
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def one_setting(args, name, max_concurrent, out_dir):
    data_dir = tempfile.mkdtemp(prefix="sweep-" + name + "-", dir=out_dir)
    os.symlink(os.path.abspath(os.path.join(args.data, "fashion-mnist")), os.path.join(data_dir, "fashion-mnist"))
    h, w = (int(x) for x in args.grid.split("x"))
    spec = {"name": "%d seeds of %s (%s)" % (args.runs, args.grid, name), "seeds": args.runs,
            "base": {"height": h, "width": w, "epochs": args.epochs, "backend": args.backend}}
    with open(os.path.join(out_dir, "server-%s.log" % name), "w") as log:
        proc, base = start_server(args, data_dir, max_concurrent, log)
        try:
            started = time.time()
            sweep = request(base, "/api/sweeps", spec)["id"]
            most_at_once = 0
            while True:
                s = request(base, "/api/sweeps/" + sweep)
                most_at_once = max(most_at_once, s["counts"].get("running", 0))
                if s["status"] not in ("running", "queued"):
                    break
                time.sleep(0.1)
            wall = time.time() - started
            runs = s["runs"]
            return {"setting": name, "maxConcurrent": max_concurrent, "status": s["status"], "runs": len(runs),
                    "wallSeconds": wall, "mostAtOnce": most_at_once,
                    "epochSecondsSum": sum(r["seconds"] or 0 for r in runs),
                    "bestTestMean": (s["points"][0] or {}).get("bestTestMean"),
                    "bestTestStd": (s["points"][0] or {}).get("bestTestStd"),
                    "devices": sorted({r.get("device") or "?" for r in runs})}
        finally:
            stop_server(proc)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--java", default="java")
    p.add_argument("--jar", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--runs", type=int, default=32)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--grid", default="64x64")
    p.add_argument("--backend", default="opencl")
    p.add_argument("--order", default="packed,sequential")
    p.add_argument("--out", default=os.environ.get("OUT", "."))
    args = p.parse_args()
    settings = {"packed": "auto", "sequential": "1"}
    results = {}
    for name in args.order.split(","):
        results[name] = one_setting(args, name, settings[name], args.out)
        print(json.dumps(results[name]), flush=True)
    if "packed" in results and "sequential" in results:
        print(json.dumps({"speedup": results["sequential"]["wallSeconds"] / results["packed"]["wallSeconds"]}))
    return 0 if all(r["status"] == "completed" for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
