#!/usr/bin/env python3
"""Load test of `clickwise serve` on loopback; writes benchmarks/<cpu>/serve/load.{json,md}.

The server runs pinned to one core (taskset -c 1, --threads 1), the generators (wrk, hey) to the other (taskset -c 0),
so the generator never takes the server's core. Requests are raw Criteo lines (what a caller logs) posted to the Open
Inference Protocol route of a DeepFwFM model in the Criteo preset. Measured, in alternating rounds:
  - `clickwise bench`'s batch-10,000 samples/s for the same model on the server's core (--threads 1), server idle;
  - batch-1 requests at 1, 8 and 64 connections (wrk --latency, closed loop): requests/s, p50, p99;
  - 100-row requests at 64 connections: rows/s with micro-batching.
Then, with hey at a fixed rate per connection: p99 at 70% of the measured batch-1 capacity C; 2×C against a server with
a 32-request queue (the excess must be shed with 503, nothing may time out); 60 s at 0.5×C while a new version is
published every 5 s (every answer must be 2xx and the answering version must switch); SIGTERM under load.
Needs `apt-get install -y wrk hey` and a Release build (`dotnet build Clickwise.slnx -c Release`).

    python3 bench/serve-load.py --rounds 2 --seconds 8
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from cpu_kind import cpu_slug

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = [os.path.join(ROOT, "src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli")]
SERVER_CORE, CLIENT_CORE = "1", "0"


def clickwise(*args, core=None):
    command = (["taskset", "-c", core] if core else []) + CLI + list(args)
    return subprocess.run(command, check=True, capture_output=True, text=True)


class Server:
    def __init__(self, repo, port, *extra):
        self.port = port
        self.process = subprocess.Popen(["taskset", "-c", SERVER_CORE] + CLI + ["serve", "--models", repo, "--port", str(port), "--threads", "1"]
                                        + list(extra), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                if urllib.request.urlopen(self.url("/v2/health/ready")).status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not become ready")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def wrk(url, body_file, connections, seconds):
    script = body_file + ".lua"
    with open(script, "w") as f:
        f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                f'local f = io.open("{body_file}", "r")\nwrk.body = f:read("*a")\nf:close()\n')
    out = subprocess.run(["taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script, url],
                         check=True, capture_output=True, text=True).stdout

    def micros(label):
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)]

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"connections": connections, "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_us": micros("50"), "p99_us": micros("99"), "non_2xx": int(non2xx.group(1)) if non2xx else 0}


def hey(url, body_file, connections, rate_per_connection, seconds):
    args = ["taskset", "-c", CLIENT_CORE, "hey", "-z", f"{seconds}s", "-c", str(connections), "-m", "POST", "-T", "application/json",
            "-D", body_file, "-t", "10"]
    if rate_per_connection:
        args += ["-q", f"{rate_per_connection:.2f}"]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    pct = {int(m.group(1)): float(m.group(2)) * 1e6 for m in re.finditer(r"^\s*(\d+)%+ in ([\d.]+) secs", out, re.M)}
    codes = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s*\[(\d+)\]\s+(\d+) responses", out, re.M)}
    errors = [line.strip() for line in out.split("Error distribution:", 1)[1].splitlines() if line.strip()] if "Error distribution:" in out else []
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {"connections": connections, "offered_per_s": rate_per_connection * connections if rate_per_connection else None,
            "requests_per_s": float(rps.group(1)) if rps else 0.0, "p50_us": pct.get(50), "p99_us": pct.get(99),
            "codes": codes, "errors": errors}


def publish(repo, version, model):
    staging = os.path.join(repo, f".staging-{version}")
    os.makedirs(staging)
    shutil.copy(model, os.path.join(staging, "model.cwm"))
    os.rename(staging, os.path.join(repo, "deepfwfm", str(version)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--port", type=int, default=18631)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="clickwise-serve-load-")
    data = os.path.join(work, "clicks.tsv")
    models = [os.path.join(work, f"m{seed}.cwm") for seed in (1, 2)]
    clickwise("synth", "--profile", "criteo", "--rows", str(args.rows), "--seed", "7", "-o", data)
    for seed, model in zip((1, 2), models):
        clickwise("train", "-d", data, "--model", "deepfwfm", "-o", model, "--epochs", "1", "--seed", str(seed), "--quiet")
    repo = os.path.join(work, "repo")
    os.makedirs(os.path.join(repo, "deepfwfm"))
    publish(repo, 1, models[0])
    lines = [line.split("\t", 1)[1].rstrip("\n") for line, _ in zip(open(data), range(100))]

    def body(n):
        path = os.path.join(work, f"body-{n}.json")
        with open(path, "w") as f:
            json.dump({"inputs": [{"name": "raw", "shape": [n], "datatype": "BYTES", "data": lines[:n]}]}, f)
        return path

    one, hundred = body(1), body(100)
    infer = "/v2/models/deepfwfm/infer"
    rounds = []
    server = Server(repo, args.port, "--poll-seconds", "0")
    try:
        wrk(server.url(infer), one, 8, 3)  # warm the HTTP path
        for _ in range(args.rounds):
            bench = clickwise("bench", "-m", models[0], "-d", data, "--requests", "2000", "--batch", "10000", "--threads", "1", core=SERVER_CORE).stdout
            samples = float(re.search(r"batch 10,000, \d+ threads: ([\d,]+) samples/s", bench).group(1).replace(",", ""))
            single = {str(c): wrk(server.url(infer), one, c, args.seconds) for c in (1, 8, 64)}
            batched = wrk(server.url(infer), hundred, 64, args.seconds)
            rounds.append({"bench_batch_10000_samples_per_s": samples, "batch_1": single, "rows_100_at_64": batched,
                           "micro_batched_rows_per_s": batched["requests_per_s"] * 100})
        capacity = statistics.median(r["batch_1"]["64"]["requests_per_s"] for r in rounds)
        at70 = hey(server.url(infer), one, 8, 0.7 * capacity / 8, args.seconds)
        metrics = urllib.request.urlopen(server.url("/metrics")).read().decode()
    finally:
        server.stop()

    overload_server = Server(repo, args.port, "--poll-seconds", "0", "--queue", "32")
    try:
        overload = hey(overload_server.url(infer), one, 128, 2 * capacity / 128, args.seconds)
    finally:
        overload_server.stop()

    swap_server = Server(repo, args.port, "--poll-seconds", "1")
    seen, stop = [], threading.Event()

    def watch():
        while not stop.is_set():
            with urllib.request.urlopen(urllib.request.Request(swap_server.url(infer), data=open(one, "rb").read(),
                                                               headers={"Content-Type": "application/json"})) as r:
                version = json.load(r)["model_version"]
            if not seen or seen[-1][1] != version:
                seen.append((round(time.time() - started, 1), version))
            time.sleep(0.2)

    try:
        started = time.time()
        watcher = threading.Thread(target=watch)
        watcher.start()
        result = {}
        load = threading.Thread(target=lambda: result.update(hey(swap_server.url(infer), one, 8, 0.5 * capacity / 8, 60)))
        load.start()
        for k in range(2, 13):  # a new version every 5 s through the 60 s of load
            time.sleep(5)
            publish(repo, k, models[(k - 1) % 2])  # even versions are the second model, odd ones the first
        load.join()
        stop.set()
        watcher.join()
        swap = {**result, "versions_seen": seen}
    finally:
        swap_server.stop()

    term_server = Server(repo, args.port, "--poll-seconds", "0")
    result = {}
    load = threading.Thread(target=lambda: result.update(hey(term_server.url(infer), one, 64, 0, 6)))
    load.start()
    time.sleep(3)
    exit_code = term_server.stop()
    load.join()
    sigterm = {**result, "server_exit_code": exit_code}
    shutil.rmtree(work)

    def med(f):
        return statistics.median(f(r) for r in rounds)

    summary = {
        "batch_1": {c: {k: med(lambda r: r["batch_1"][c][k]) for k in ("requests_per_s", "p50_us", "p99_us")} for c in ("1", "8", "64")},
        "bench_batch_10000_samples_per_s": med(lambda r: r["bench_batch_10000_samples_per_s"]),
        "micro_batched_rows_per_s": med(lambda r: r["micro_batched_rows_per_s"]),
        "ratio_micro_batched_to_bench": med(lambda r: r["micro_batched_rows_per_s"] / r["bench_batch_10000_samples_per_s"]),
        "capacity_batch_1_requests_per_s": capacity,
    }
    batch_sum = float(re.search(r'clickwise_batch_rows_sum\{model="deepfwfm"\} (\S+)', metrics).group(1))
    batch_count = float(re.search(r'clickwise_batch_rows_count\{model="deepfwfm"\} (\S+)', metrics).group(1))
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"), "cpu": cpu_slug(),
              "load_average": os.getloadavg(), "seconds": args.seconds, "summary": summary, "rounds": rounds,
              "mean_rows_per_plan_call": batch_sum / batch_count, "at_70_percent": at70, "overload_2x_queue_32": overload,
              "swap_every_5s": swap, "sigterm_under_load": sigterm}
    out_dir = os.path.join(ROOT, "benchmarks", result["cpu"], "serve")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "load.json"), "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    sys.exit(main())
