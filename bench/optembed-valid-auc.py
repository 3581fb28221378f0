#!/usr/bin/env python3
"""Validation AUC of every model an `clickwise optembed` study trained (its best epoch, which training restores), per
model, row and seed, with the mean over seeds: what issue 13's alpha choices are made on (never the test AUC).
Usage: bench/optembed-valid-auc.py STUDY_DIR [STUDY_DIR ...]  (prints Markdown)"""
import glob, json, os, statistics, sys

for study in sys.argv[1:]:
    table = {}
    # A study over --models/--seeds keeps runs/MODEL-seedS/ROW/; one model at one seed keeps runs/ROW/.
    seeded = sorted(glob.glob(os.path.join(study, "runs", "*-seed*", "*", "metrics.jsonl")))
    for metrics in seeded or sorted(glob.glob(os.path.join(study, "runs", "*", "metrics.jsonl"))):
        run, row = metrics.split(os.sep)[-3:-1] if seeded else ("—-seed—", metrics.split(os.sep)[-2])
        model, seed = run.rsplit("-seed", 1)
        epochs = [json.loads(line) for line in open(metrics) if line.strip()]
        if epochs:
            table.setdefault((model, row), {})[seed] = max(e["valid_auc"] for e in epochs)
    print(f"### {os.path.basename(os.path.normpath(study))}\n")
    print("| model | row | validation AUC per seed | mean | Δ vs original (same seeds) |")
    print("| --- | --- | --- | ---: | ---: |")
    for (model, row), seeds in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1] != "original", kv[0][1])):
        mean = statistics.mean(seeds.values())
        base = table.get((model, "original"))
        # Against the original of the same seeds (an interrupted study may hold an original without its OptEmbed rows).
        delta = mean - statistics.mean(base[s] for s in seeds) if base and row != "original" and all(s in base for s in seeds) else None
        cells = ", ".join(f"{s}: {v:.5f}" for s, v in sorted(seeds.items()))
        print(f"| {model} | {row} | {cells} | {mean:.5f} | {'' if delta is None else f'{delta:+.5f}'} |")
    print()
