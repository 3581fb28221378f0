#!/usr/bin/env python3
"""Trains models in each adam_mode (lazy, dense, sparse) on four datasets and writes benchmarks/<cpu>/adam-modes.{json,md}.

Each (dataset, mode) is one `clickwise compare --seeds 1 --threads 1 --adam-mode MODE` run, so the modes of a dataset
share its split, vocabulary, seed and settings and differ only in how Adam updates the tables. The table lists test
AUC, test logloss and training samples/s per model and mode. Runs already in WORK/<dataset>-<mode>/compare.json are
kept (`compare --resume`), so an interrupted study continues.

    python3 bench/adam-modes.py --work /tmp/adam-modes --synthetic-rows 1000000
        [--datasets frappe,...] [--models lr,fm,...] [--zoo-datasets frappe,...]
    python3 bench/adam-modes.py --work /tmp/adam-modes --synthetic-rows 1000000 --speed-rounds 2
        (only the speed check: alternating rounds of one epoch per model and mode on the synthetic rows, one thread,
        printed as a Markdown table for the conclusions section)
"""
import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "src", "Clickwise.Cli", "bin", "Release", "net10.0", "Clickwise.Cli")
SHARED = "/work/shared/data"
MODES = ["lazy", "dense", "sparse"]
CONCLUSIONS = "## Defaults chosen from these tables"
CORE_MODELS = "lr,fm,ffm,fwfm,deepfm,deepfwfm"
# The rest of the registry (every model has a row-sparse table), trained where a run takes seconds.
ZOO_MODELS = "nfm,dnn,wdl,dcn,dcnv2,gdcn,ipnn,opnn,pnn,deepfm-ip,deepfm-op,deepfm-p,xdeepfm,fibinet,fnn,wdl-fm,autoint,autoint+,finalmlp"


def datasets(work, synthetic_rows):
    """Name → (compare arguments, how the data is described). Small sets train at batch 256 up to 20 epochs."""
    frappe = os.path.join(work, "frappe")
    synthetic = os.path.join(work, f"synthetic-{synthetic_rows}.tsv")
    small = ["--batch-size", "256", "--epochs", "20"]
    return {
        "frappe": (["-d", f"{frappe}/train.libfm", "--valid", f"{frappe}/valid.libfm", "--test", f"{frappe}/test.libfm",
                    "--format", "libsvm", "--min-count", "1", *small],
                   "frappe.test.libfm, seeded 70/10/20 split (tools/reference/frappe_split.py, seed 2019): 20,202 / 2,886 / 5,772 rows; "
                   "min count 1 (libfm ids are final; ids not in train go to the OOV row)"),
        "criteo_deeplight_tiny": (["-d", f"{SHARED}/criteo_deeplight_tiny/tiny_train_input.csv",
                                   "--test", f"{SHARED}/criteo_deeplight_tiny/tiny_test_input.csv", "--format", "deeplight", *small],
                                  "tiny_train_input.csv (10,000 rows; the preset's split of it validates) + tiny_test_input.csv (10,000)"),
        "avazu_tiny": (["-d", f"{SHARED}/avazu_kaggle2014_tiny/va.rx.csv", "--format", "avazu", "--preset", "avazu", *small],
                       "va.rx.csv (2,994 rows, the avazu preset's seeded split)"),
        "synthetic": (["-d", synthetic, "--format", "criteo", "--epochs", "2"],
                      f"`clickwise synth --rows {synthetic_rows:,} --seed 1` (Criteo-like), the criteo preset's split and batch 2048, 2 epochs"),
    }


def prepare(work, synthetic_rows, names):
    if "frappe" in names and not os.path.exists(os.path.join(work, "frappe", "test.libfm")):
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "reference", "frappe_split.py"), os.path.join(work, "frappe")], check=True)
    synthetic = os.path.join(work, f"synthetic-{synthetic_rows}.tsv")
    if "synthetic" in names and not os.path.exists(synthetic):
        subprocess.run([CLI, "synth", "--rows", str(synthetic_rows), "--seed", "1", "-o", synthetic], check=True)


def run(work, name, args, mode, models):
    out = os.path.join(work, f"{name}-{mode}")
    command = [CLI, "compare", *args, "--models", models, "--seeds", "1", "--requests", "100", "--threads", "1",
               "--adam-mode", mode, "--quiet", "--resume", "-o", out]
    print(" ".join(command), flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "compare.json")) as fh:
        return json.load(fh)


def speed(work, synthetic_rows, rounds, models=("fm", "deepfwfm", "ffm")):
    """Training samples/s of one epoch, modes alternating within each round so they see the same machine state."""
    rates = {(model, mode): [] for model in models for mode in MODES}
    for _ in range(rounds):
        for model in models:
            for mode in MODES:
                out = subprocess.run([CLI, "train", "-d", os.path.join(work, f"synthetic-{synthetic_rows}.tsv"), "--model", model,
                                      "--epochs", "1", "--threads", "1", "--adam-mode", mode, "--quiet",
                                      "-o", os.path.join(work, "speed", f"{model}-{mode}.cwm")],
                                     check=True, capture_output=True, text=True).stdout
                rate = float(re.search(r"train ([0-9,]+) samples/s", out).group(1).replace(",", ""))
                print(model, mode, rate, flush=True)
                rates[(model, mode)].append(rate)
    lines = ["| model | " + " | ".join(f"samples/s {m}" for m in MODES) + " | dense / lazy | sparse / lazy |",
             "| --- | " + " | ".join("---:" for _ in MODES) + " | ---: | ---: |"]
    for model in models:
        median = {m: statistics.median(rates[(model, m)]) for m in MODES}
        lines.append(f"| {model} | " + " | ".join(f"{median[m]:,.0f}" for m in MODES)
                     + f" | {median['dense'] / median['lazy']:.2f} | {median['sparse'] / median['lazy']:.2f} |")
    print("\n".join(lines))


def render(results, described, synthetic_rows):
    md = ["# Adam's table modes: lazy, dense, sparse", "",
          f"{datetime.date.today()}; one seed (the presets' 2019), `--threads 1`, runs of a dataset back to back. The machine is "
          "2 cores shared with other jobs (load average far above 2 during the runs): **samples/s are noisy**, compare them "
          "within a dataset only, as rough ratios. Regenerate: "
          f"`python3 bench/adam-modes.py --work /tmp/adam-modes --synthetic-rows {synthetic_rows}` (after a Release build; "
          "the rest of the zoo on the three small datasets). Bold: the best AUC of the row.", ""]
    for name, by_mode in results.items():
        md += [f"## {name}", "", described[name], "",
               "| model | AUC lazy | AUC dense | AUC sparse | logloss lazy | logloss dense | logloss sparse | samples/s lazy | samples/s dense | samples/s sparse |",
               "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        rows = {mode: {r["model"]: r for r in report["rows"]} for mode, report in by_mode.items()}
        for model in rows[MODES[0]]:
            cells = [rows[m].get(model) for m in MODES]
            if any(c is None for c in cells):
                continue
            best_auc = max(c["auc_mean"] for c in cells)
            auc = [f"**{c['auc_mean']:.4f}**" if c["auc_mean"] == best_auc else f"{c['auc_mean']:.4f}" for c in cells]
            md.append(f"| {model} | " + " | ".join(auc) + " | "
                      + " | ".join(f"{c['log_loss_mean']:.4f}" for c in cells) + " | "
                      + " | ".join(f"{c['train_samples_per_sec']:,.0f}" for c in cells) + " |")
        md.append("")
    return "\n".join(md)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", default="/tmp/adam-modes")
    parser.add_argument("--synthetic-rows", type=int, default=1_000_000)
    parser.add_argument("--datasets", default="frappe,criteo_deeplight_tiny,avazu_tiny,synthetic")
    parser.add_argument("--models", default=CORE_MODELS)
    parser.add_argument("--zoo-datasets", default="frappe,criteo_deeplight_tiny,avazu_tiny",
                        help="datasets that also train the rest of the registry")
    parser.add_argument("--speed-rounds", type=int, default=0, help="only run the speed check, this many rounds")
    parser.add_argument("--out", default=os.path.join(ROOT, "benchmarks", "amd-epyc", "adam-modes"))
    args = parser.parse_args()
    names = args.datasets.split(",")
    if args.speed_rounds > 0:
        prepare(args.work, args.synthetic_rows, ["synthetic"])
        os.makedirs(os.path.join(args.work, "speed"), exist_ok=True)
        speed(args.work, args.synthetic_rows, args.speed_rounds)
        return
    prepare(args.work, args.synthetic_rows, names)
    all_sets = datasets(args.work, args.synthetic_rows)
    results = {}
    for name in names:
        models = args.models + ("," + ZOO_MODELS if name in args.zoo_datasets.split(",") else "")
        results[name] = {mode: run(args.work, name, all_sets[name][0], mode, models) for mode in MODES}
    with open(args.out + ".json", "w") as fh:
        json.dump(results, fh, indent=1)
    # The hand-written conclusions below the tables survive a regeneration; reread them against the new numbers.
    kept = ""
    if os.path.exists(args.out + ".md"):
        with open(args.out + ".md") as fh:
            text = fh.read()
        if CONCLUSIONS in text:
            kept = "\n" + text[text.index(CONCLUSIONS):]
    with open(args.out + ".md", "w") as fh:
        fh.write(render(results, {n: d for n, (_, d) in all_sets.items()}, args.synthetic_rows) + kept)
    print("wrote", args.out + ".md")


if __name__ == "__main__":
    main()
