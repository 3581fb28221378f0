#!/usr/bin/python3
"""Golden fixture for the tensor-train embedding (seed 002's TTD baseline; FBTT's core layout).

One train field of V = 20 rows, D = 6 = 1*2*3, cores G_k of shape [p_k, r_{k-1}, q_k, r_k] with p = (3, 3, 3) (27 >= 20,
the tail padded) and ranks (1, 3, 3, 1). Unlike Clickwise, which contracts only the batch's rows, this script
re-materialises the whole table with one einsum (the TTD reference code's way), looks the batch's ids up in it, scales
them by the feature values and takes L = sum(out * r); autograd gives the cores' gradients. Ids repeat (rows 0 and 3)
so a slice sums two rows' gradients. Computed in float64 from float32-representable inputs.

Run:  /usr/bin/python3 tools/reference/golden_tt_embedding.py
      (writes tests/Clickwise.Tests/Fixtures/lowrank/tt-embedding.json)
"""
import os

import torch

import fixtures
from fixtures import float32_values

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

VOCABULARY = 20
P, Q, RANKS = [3, 3, 3], [1, 2, 3], [1, 3, 3, 1]
IDS = [4, 19, 0, 4, 13, 9]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "tests", "Clickwise.Tests", "Fixtures", "lowrank", "tt-embedding.json")


def main():
    gen = torch.Generator().manual_seed(2024)
    cores = [torch.nn.Parameter(float32_values(torch.randn(P[k], RANKS[k], Q[k], RANKS[k + 1], generator=gen) * 0.7)) for k in range(3)]
    values = float32_values(torch.rand(len(IDS), generator=gen) + 0.5)
    r = float32_values(torch.rand(len(IDS), Q[0] * Q[1] * Q[2], generator=gen) * 2 - 1)

    # full[i1, i2, i3, j1, j2, j3] = sum_{a, b} G1[i1, 0, j1, a] G2[i2, a, j2, b] G3[i3, b, j3, 0]
    full = torch.einsum("iajb,kblc,mcnd->ikmjln", *cores)
    table = full.reshape(P[0] * P[1] * P[2], Q[0] * Q[1] * Q[2])[:VOCABULARY]
    out = table[torch.tensor(IDS)] * values[:, None]
    (out * r).sum().backward()

    fixture = {
        "vocabulary": VOCABULARY,
        "row_factors": P,
        "dim_factors": Q,
        "ranks": RANKS,
        "ids": IDS,
        "values": values.tolist(),
        "r": r.reshape(-1).tolist(),
        "cores": torch.cat([c.detach().reshape(-1) for c in cores]).tolist(),
        "rows": out.detach().reshape(-1).tolist(),
        "core_grads": torch.cat([c.grad.reshape(-1) for c in cores]).tolist(),
        "torch": torch.__version__,
    }
    fixtures.write(OUT, fixture)


if __name__ == "__main__":
    main()
