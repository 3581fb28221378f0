#!/usr/bin/python3
"""Golden fixture for Adam's table modes: PyTorch's own optimizers over three steps on one embedding table.

  dense  = torch.optim.Adam(weight_decay=L2) on the table with a dense gradient (untouched rows zero)
  sparse = torch.optim.SparseAdam on the same table with a sparse gradient of the touched rows only
           (SparseAdam takes no weight_decay; the C# sparse mode with L2 = 0 is this)

A bias [1] rides along in the dense run, so a dense parameter and a table share one optimizer as in a model.
Rows are touched in some steps and not others (rows 1 and 7 never), so the global step count, the decay of
untouched moments and a late first touch all show. Computed in float64 from float32-representable inputs.

Run:  /usr/bin/python3 tools/reference/golden_adam_modes.py
      (writes tests/Clickwise.Tests/Fixtures/optimizers/adam-modes.json)
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

ROWS, DIM = 8, 3
TOUCHED = [[0, 2, 5], [2, 3], [6, 0, 2]]
LR, BETAS, EPS, L2 = 0.01, (0.9, 0.999), 1e-8, 0.01
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "tests", "Clickwise.Tests", "Fixtures", "optimizers", "adam-modes.json")


def f32(t):
    return t.float().double()


def flat(t):
    return [float(x) for x in t.reshape(-1)]


def run(mode, table0, bias0, grads, bias_grads):
    table = torch.nn.Parameter(table0.clone())
    bias = torch.nn.Parameter(bias0.clone())
    if mode == "dense":
        opt = torch.optim.Adam([table, bias], lr=LR, betas=BETAS, eps=EPS, weight_decay=L2)
    else:
        opt = torch.optim.SparseAdam([table], lr=LR, betas=BETAS, eps=EPS)
    steps = []
    for rows, g, gb in zip(TOUCHED, grads, bias_grads):
        index = torch.tensor(rows)
        if mode == "dense":
            dense = torch.zeros(ROWS, DIM)
            dense[index] = g
            table.grad = dense
            bias.grad = gb.clone()
        else:
            table.grad = torch.sparse_coo_tensor(index.unsqueeze(0), g, (ROWS, DIM))
        opt.step()
        step = {"embedding": flat(table.detach())}
        if mode == "dense":
            step["bias"] = flat(bias.detach())
        steps.append(step)
    state = opt.state[table]
    return {"l2": L2 if mode == "dense" else 0.0, "steps": steps,
            "m": flat(state["exp_avg"]), "v": flat(state["exp_avg_sq"])}


def main():
    gen = torch.Generator().manual_seed(4242)
    table0 = f32(0.3 * torch.randn(ROWS, DIM, generator=gen))
    bias0 = f32(torch.randn(1, generator=gen))
    grads = [f32(torch.randn(len(rows), DIM, generator=gen)) for rows in TOUCHED]
    bias_grads = [f32(torch.randn(1, generator=gen)) for _ in TOUCHED]
    fixture = {
        "torch": torch.__version__,
        "rows": ROWS, "dim": DIM, "lr": LR, "beta1": BETAS[0], "beta2": BETAS[1], "eps": EPS,
        "embedding": flat(table0), "bias": flat(bias0),
        "touched": TOUCHED, "grads": [flat(g) for g in grads], "bias_grads": [flat(g) for g in bias_grads],
        "modes": {mode: run(mode, table0, bias0, grads, bias_grads) for mode in ("dense", "sparse")},
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(fixture, fh, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
