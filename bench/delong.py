#!/usr/bin/env python3
"""Paired DeLong test of two models' test AUC on the same rows (DeLong, DeLong & Clarke-Pearson 1988).

usage: delong.py LABELS_FILE PRED_A PRED_B
LABELS_FILE: the labelled data file whose first column is the label, one row per prediction (e.g. the test file);
PRED_A/B: one probability per line in the same order (clickwise predict -o). Prints AUC_A, AUC_B, their difference,
its standard error and the two-sided p-value.
"""
import math
import sys

import numpy as np


def midranks(x):
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    ranks = np.empty(len(x))
    i = 0
    while i < len(xs):
        j = i
        while j < len(xs) and xs[j] == xs[i]:
            j += 1
        ranks[i:j] = 0.5 * (i + j - 1) + 1
        i = j
    out = np.empty(len(x))
    out[order] = ranks
    return out


def delong(labels, a, b):
    pos, neg = labels == 1, labels == 0
    m, n = pos.sum(), neg.sum()
    aucs, v10, v01 = [], [], []
    for s in (a, b):
        tx, ty, tz = midranks(s[pos]), midranks(s[neg]), midranks(s)
        auc = (tz[pos].sum() - m * (m + 1) / 2) / (m * n)
        aucs.append(auc)
        v10.append((tz[pos] - tx) / n)
        v01.append(1 - (tz[neg] - ty) / m)
    s10, s01 = np.cov(np.array(v10)), np.cov(np.array(v01))
    var = (s10[0, 0] + s10[1, 1] - 2 * s10[0, 1]) / m + (s01[0, 0] + s01[1, 1] - 2 * s01[0, 1]) / n
    se = math.sqrt(var)
    z = (aucs[0] - aucs[1]) / se
    return aucs[0], aucs[1], se, math.erfc(abs(z) / math.sqrt(2))


def main():
    labels = np.array([float(line.split(",")[0].split("\t")[0]) for line in open(sys.argv[1])])
    a = np.loadtxt(sys.argv[2])
    b = np.loadtxt(sys.argv[3])
    auc_a, auc_b, se, p = delong(labels, a, b)
    print(f"AUC A {auc_a:.5f}  AUC B {auc_b:.5f}  A-B {auc_a - auc_b:+.5f}  SE {se:.5f}  p {p:.3f}")


if __name__ == "__main__":
    main()
