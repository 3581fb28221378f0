#!/usr/bin/python3
"""A seeded 70/10/20 split of frappe.test.libfm into train/valid/test files, shared by Clickwise and PyTorch runs.

Lines are shuffled with Python's random.Random(seed) and cut at 70% and 80%; the files keep libfm's text, whose
feature indices are already global ids (one id space for both sides).

Run:  /usr/bin/python3 tools/reference/frappe_split.py OUT_DIR [--source FILE] [--seed 2019]
"""
import argparse
import os
import random


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--source", default="/work/shared/data/frappe/frappe.test.libfm")
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    with open(args.source) as fh:
        lines = [line for line in fh if line.strip()]
    random.Random(args.seed).shuffle(lines)
    cut1, cut2 = int(0.7 * len(lines)), int(0.8 * len(lines))
    os.makedirs(args.out, exist_ok=True)
    for name, part in (("train", lines[:cut1]), ("valid", lines[cut1:cut2]), ("test", lines[cut2:])):
        with open(os.path.join(args.out, f"{name}.libfm"), "w") as fh:
            fh.writelines(part)
        print(f"{name}: {len(part)} rows")


if __name__ == "__main__":
    main()
