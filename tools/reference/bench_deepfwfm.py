#!/usr/bin/python3
"""PyTorch side of the DeepFwFM speed comparison (issue 2, benchmarks).

Same model, batch and optimizer as Clickwise's `bench` run: Criteo preset, 39 fields, a 1.3M-row shared
embedding table (dim 10), DNN 390 -> 400 -> 400 -> 400 -> 1 with ReLU and dropout 0.5, FwFM linear term
sum_f <e_f, v_f> and pair term sum_{i<j} <e_i, e_j> R_ij, computed as 0.5 * sum(e * (S @ e)) with S the symmetric,
zero-diagonal form of R: one [F, F] x [F, D] product per row, 7x faster here than the [B, F, F] Gram matrix from
bmm, so PyTorch gets its fastest formulation. Training uses SparseAdam for the embedding table
(row-sparse, as Clickwise's lazy Adam) and Adam for the rest, lr 1e-3, batch 2048.

Prints one JSON object with medians. Run with Debian's python3-torch and OpenBLAS installed:
    /usr/bin/python3 tools/reference/bench_deepfwfm.py --threads 2
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

FIELDS = 39
DIM = 10
VOCAB = 1_300_000
HIDDEN = [400, 400, 400]


class DeepFwFM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, DIM, sparse=True)
        nn.init.normal_(self.embedding.weight, std=0.01)
        self.v = nn.Parameter(torch.randn(FIELDS, DIM) * 0.01)
        self.r = nn.Parameter(torch.randn(FIELDS, FIELDS) * 0.01)
        self.bias = nn.Parameter(torch.zeros(1))
        layers, width = [], FIELDS * DIM
        for h in HIDDEN:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(0.5)]
            width = h
        layers.append(nn.Linear(width, 1))
        self.mlp = nn.Sequential(*layers)
        self.register_buffer("upper", torch.triu(torch.ones(FIELDS, FIELDS), diagonal=1))

    def pair_matrix(self):
        upper = 0.5 * (self.r + self.r.t()) * self.upper
        return upper + upper.t()

    def forward(self, ids):
        e = self.embedding(ids)                       # [B, F, D]
        linear = (e * self.v).sum(dim=(1, 2))
        pairs = 0.5 * (torch.matmul(self.pair_matrix(), e) * e).sum(dim=(1, 2))
        deep = self.mlp(e.reshape(e.shape[0], -1)).squeeze(1)
        return self.bias + linear + pairs + deep


def random_ids(batch, gen):
    # Zipf-like skew so the touched-row count resembles real data: most ids come from a small head.
    head = torch.randint(0, 20_000, (batch, FIELDS), generator=gen)
    tail = torch.randint(0, VOCAB, (batch, FIELDS), generator=gen)
    pick = torch.rand(batch, FIELDS, generator=gen) < 0.7
    return torch.where(pick, head, tail)


def bench_train(model, batch, steps, warmup, gen):
    sparse = [model.embedding.weight]
    dense = [p for n, p in model.named_parameters() if n != "embedding.weight"]
    opt_sparse = torch.optim.SparseAdam(sparse, lr=1e-3)
    opt_dense = torch.optim.Adam(dense, lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    model.train()
    data = [(random_ids(batch, gen), (torch.rand(batch, generator=gen) < 0.25).float()) for _ in range(8)]
    times = []
    for step in range(warmup + steps):
        ids, y = data[step % len(data)]
        t0 = time.perf_counter()
        opt_sparse.zero_grad()
        opt_dense.zero_grad()
        loss = loss_fn(model(ids), y)
        loss.backward()
        opt_sparse.step()
        opt_dense.step()
        t1 = time.perf_counter()
        if step >= warmup:
            times.append(t1 - t0)
    med = statistics.median(times)
    return {"batch": batch, "steps": steps, "median_step_ms": med * 1e3, "samples_per_sec": batch / med}


@torch.no_grad()
def bench_predict(model, batch, reps, gen):
    model.eval()
    ids = random_ids(batch, gen)
    for _ in range(2):
        torch.sigmoid(model(ids))
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.sigmoid(model(ids))
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"batch": batch, "reps": reps, "median_ms": med * 1e3, "samples_per_sec": batch / med}


@torch.no_grad()
def bench_latency(model, requests, gen):
    model.eval()
    rows = [random_ids(1, gen) for _ in range(256)]
    for i in range(500):
        torch.sigmoid(model(rows[i % 256]))
    times = []
    for i in range(requests):
        t0 = time.perf_counter_ns()
        torch.sigmoid(model(rows[i % 256]))
        times.append((time.perf_counter_ns() - t0) / 1e3)
    times.sort()
    return {"requests": requests, "p50_us": times[len(times) // 2], "p99_us": times[int(len(times) * 0.99)]}


def blas_info():
    """The BLAS shared object actually mapped into this process (Debian's torch links the libblas.so.3
    alternative, which is OpenBLAS when libopenblas0-openmp is installed and netlib otherwise)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    return libs or ["unknown"]


def openblas_core():
    """The kernel family OpenBLAS picked (OPENBLAS_CORETYPE when set); 0.3.21 falls back to the generic
    Prescott kernels on CPUs newer than it knows, which the compare script corrects and records."""
    import os
    return os.environ.get("OPENBLAS_CORETYPE", "auto")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--train-steps", type=int, default=30)
    ap.add_argument("--predict-reps", type=int, default=10)
    ap.add_argument("--latency-requests", type=int, default=10_000)
    args = ap.parse_args()
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    model = DeepFwFM()
    out = {"torch": torch.__version__, "blas": blas_info(), "openblas_core": openblas_core(), "threads": args.threads}
    torch.set_num_threads(args.threads)
    out["train"] = bench_train(model, 2048, args.train_steps, 5, gen)
    out["predict_10k"] = bench_predict(model, 10_000, args.predict_reps, gen)
    torch.set_num_threads(1)
    out["latency_batch1_1thread"] = bench_latency(model, args.latency_requests, gen)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
