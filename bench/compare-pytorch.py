#!/usr/bin/env python3
"""Runs the DeepFwFM speed comparison side by side and writes benchmarks/<cpu>/deepfwfm-vs-pytorch.{json,md}.

Rounds alternate PyTorch and Clickwise so both see the same machine state; each side reports medians per round
and the summary takes the median over rounds. PyTorch is Debian's python3-torch (1.13) with Debian's OpenBLAS
(libopenblas0-openmp), torch.set_num_threads(2) for training and batch prediction, 1 thread for batch-1 latency.

    python3 bench/compare-pytorch.py --rounds 3
"""
import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys

from cpu_kind import cpu_slug

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def openblas_env():
    """OpenBLAS 0.3.21 (Debian 12) does not know CPUs newer than it and silently falls back to its generic
    Prescott (SSE3) kernels, 5x slower than its AVX-512 ones. Ask it which core it picked; on a fallback with
    AVX-512 present, force SkylakeX so PyTorch runs at full speed, and record the choice in the results."""
    env = dict(os.environ)
    if "OPENBLAS_CORETYPE" in env:
        return env
    probe = subprocess.run(["/usr/bin/python3", "-c", "import torch; torch.mm(torch.ones(8, 8), torch.ones(8, 8))"],
                           capture_output=True, text=True, env={**env, "OPENBLAS_VERBOSE": "2"})
    core = re.search(r"Core: (\w+)", probe.stdout + probe.stderr)
    with open("/proc/cpuinfo") as f:
        avx512 = " avx512f" in f.read()
    if core and core.group(1) == "Prescott" and avx512:
        env["OPENBLAS_CORETYPE"] = "SkylakeX"
        print("OpenBLAS fell back to Prescott kernels; running PyTorch with OPENBLAS_CORETYPE=SkylakeX", file=sys.stderr)
    return env


def run_json(cmd, env=None):
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out[out.index("{"):])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--train-steps", type=int, default=30)
    ap.add_argument("--predict-reps", type=int, default=10)
    ap.add_argument("--latency-requests", type=int, default=10000)
    args = ap.parse_args()
    subprocess.run(["dotnet", "build", "bench/Clickwise.Benchmarks", "-c", "Release"], cwd=ROOT, check=True,
                   capture_output=True)
    common = ["--train-steps", str(args.train_steps), "--predict-reps", str(args.predict_reps),
              "--latency-requests", str(args.latency_requests)]
    torch_env = openblas_env()
    torch_runs, cw_runs = [], []
    for r in range(args.rounds):
        print(f"round {r + 1}/{args.rounds}: pytorch", file=sys.stderr)
        torch_runs.append(run_json(["/usr/bin/python3", "tools/reference/bench_deepfwfm.py", "--threads", "2"] + common,
                                   env=torch_env))
        print(f"round {r + 1}/{args.rounds}: clickwise", file=sys.stderr)
        cw_runs.append(run_json(["dotnet", "run", "-c", "Release", "--no-build", "--project", "bench/Clickwise.Benchmarks",
                                 "--", "e2e", "--threads", "2"] + common))

    def med(runs, *path):
        values = []
        for run in runs:
            v = run
            for key in path:
                v = v[key]
            values.append(v)
        return statistics.median(values)

    rows = [
        ("training samples/s (batch 2048, 2 threads)", ("train", "samples_per_sec"), True, 2.0),
        ("prediction samples/s (batch 10,000, 2 threads)", ("predict_10k", "samples_per_sec"), True, 1.1),
        ("batch-1 latency p50 µs (1 thread)", ("latency_batch1_1thread", "p50_us"), False, 3.0),
        ("batch-1 latency p99 µs (1 thread)", ("latency_batch1_1thread", "p99_us"), False, None),
    ]
    summary = {"date": datetime.date.today().isoformat(), "cpu": cpu_slug(), "rounds": args.rounds,
               "pytorch": {"torch": torch_runs[0]["torch"], "blas": torch_runs[0]["blas"],
                           "openblas_core": torch_runs[0]["openblas_core"], "threads": 2},
               "clickwise": {"simd": cw_runs[0]["simd"], "gemm": cw_runs[0]["gemm"]},
               "rows": [], "raw": {"pytorch": torch_runs, "clickwise": cw_runs}}
    lines = [f"# DeepFwFM: Clickwise vs PyTorch on {cpu_slug()}", "",
             f"{summary['date']}; {args.rounds} alternating rounds, medians of per-round medians. PyTorch "
             f"{summary['pytorch']['torch']} with {', '.join(os.path.basename(b) for b in summary['pytorch']['blas'])} "
             f"(OpenBLAS core {summary['pytorch']['openblas_core']}, 2 threads; 1 thread for batch-1); "
             f"Clickwise {summary['clickwise']['simd']}, {summary['clickwise']['gemm']}.",
             "Criteo preset: 39 fields, 1.3M-row table, embedding 10, DNN 400×400×400, dropout 0.5, Adam "
             "(row-sparse for the table), lr 1e-3. PyTorch's FwFM pair term is 0.5·Σ e⊙(S·e) with S the symmetric, "
             "zero-diagonal R (its fastest form here). Regenerate: `python3 bench/compare-pytorch.py`.", "",
             "| measure | PyTorch | Clickwise | ratio | target |", "| --- | ---: | ---: | ---: | ---: |"]
    for label, path, higher_better, target in rows:
        t, c = med(torch_runs, *path), med(cw_runs, *path)
        ratio = c / t if higher_better else t / c
        ok = "" if target is None else (f"≥ {target}× {'met' if ratio >= target else 'NOT met'}")
        summary["rows"].append({"measure": label, "pytorch": t, "clickwise": c, "ratio": ratio, "target": target})
        lines.append(f"| {label} | {t:,.1f} | {c:,.1f} | {ratio:.2f}× | {ok} |")
    floor = med(cw_runs, "memory_floor", "floor_us")
    p50 = med(cw_runs, "latency_batch1_1thread", "p50_us")
    summary["memory_floor_us"] = floor
    summary["criteo_parse_mb_per_s"] = med(cw_runs, "criteo_parse", "mb_per_s")
    lines += ["", f"Batch-1 memory floor (DNN weight bytes {cw_runs[0]['memory_floor']['dnn_weight_bytes']:,} / measured "
              f"read bandwidth {med(cw_runs, 'memory_floor', 'read_bandwidth_gb_per_s'):.0f} GB/s): {floor:.1f} µs; "
              f"Clickwise p50 is {p50 / floor:.2f}× the floor (target ≤ 1.3×).",
              f"fp32 FMA peak measured in the same run: {med(cw_runs, 'peak_gflops_1thread'):.0f} GFLOP/s (1 thread), "
              f"{med(cw_runs, 'peak_gflops_2threads'):.0f} GFLOP/s (2 threads).",
              f"Raw Criteo TSV parsing (Clickwise, one thread): {med(cw_runs, 'criteo_parse', 'mb_per_s'):.0f} MB/s, "
              f"{med(cw_runs, 'criteo_parse', 'rows_per_s') / 1e6:.2f}M rows/s (target ≥ 100 MB/s per core)."]
    out_dir = os.path.join(ROOT, "benchmarks", cpu_slug())
    os.makedirs(out_dir, exist_ok=True)
    # The GEMM kernel against the machine's measured FMA peak, every training shape, 1 and 2 threads.
    print("GEMM kernel sweep", file=sys.stderr)
    gemm = subprocess.run(["dotnet", "run", "-c", "Release", "--no-build", "--project", "bench/Clickwise.Benchmarks", "--",
                           "quick-gemm"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    with open(os.path.join(out_dir, "gemm.txt"), "w") as f:
        f.write(f"# {summary['date']}: dotnet run -c Release --project bench/Clickwise.Benchmarks -- quick-gemm\n{gemm}")
    lines += ["", "GEMM kernel (`gemm.txt`, same run):", "", "```", gemm.strip(), "```"]
    with open(os.path.join(out_dir, "deepfwfm-vs-pytorch.json"), "w") as f:
        json.dump(summary, f, indent=2)
    with open(os.path.join(out_dir, "deepfwfm-vs-pytorch.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
