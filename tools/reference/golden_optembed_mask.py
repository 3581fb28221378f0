#!/usr/bin/python3
"""Golden fixture for OptEmbed's masked embedding (seed 004; the reference code's supernet `all` mode, `mode_oov zero`).

V = 10 rows in F = 3 fields, D = 4, a batch of B = 4 samples whose ids repeat, non-unit feature values. Per lookup the
row mask is BinaryStep(||v||_1 - t), with the reference code's BinaryStep (forward 1[x > 0], backward the long-tail
estimator: 2 - 4|x| within 0.4, 0.4 within 1, 0 beyond), times a nested dimension mask that keeps the first k dims
(given here, drawn per sample and field in training), times the scaled row x * v. L = sum(out * r); autograd gives
dL/dtable and dL/dthreshold. Two cases: one threshold per field and one per feature row. Thresholds are chosen so the
margins fall in every piece of the estimator, pruned rows included. Float64 from float32-representable inputs.

Run:  /usr/bin/python3 tools/reference/golden_optembed_mask.py
      (writes tests/Clickwise.Tests/Fixtures/optembed/mask.json)
"""
import os

import torch

import fixtures
from fixtures import float32_values

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

FIELD_SIZES = [3, 4, 3]
DIM = 4
IDS = [[0, 3, 7], [2, 4, 9], [0, 6, 8], [1, 3, 7]]   # global ids, field offsets 0, 3, 7
KEPT = [[4, 2, 1], [3, 4, 4], [1, 3, 2], [4, 1, 3]]  # sampled widths k in 1..D
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                   "tests", "Clickwise.Tests", "Fixtures", "optembed", "mask.json")


class BinaryStep(torch.autograd.Function):
    """As models/layer.py of fuyuanlyu/OptEmbed: a unit step with the long-tail straight-through backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x > 0.).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        a = x.abs()
        h = torch.where(a <= 0.4, 2 - 4 * a, torch.where(a <= 1, torch.full_like(a, 0.4), torch.zeros_like(a)))
        return grad * h


def case(table0, values, r, thresholds0, per_feature):
    table = torch.nn.Parameter(table0.clone())
    thresholds = torch.nn.Parameter(thresholds0.clone())
    ids = torch.tensor(IDS)
    xv = table[ids]                                               # [B, F, D]
    tv = thresholds[ids] if per_feature else thresholds[None, :]  # [B, F]
    mask_f = BinaryStep.apply(xv.abs().sum(dim=2) - tv).unsqueeze(2)
    dims = torch.arange(DIM)[None, None, :]
    mask_e = (dims < torch.tensor(KEPT)[:, :, None]).to(xv.dtype)
    out = mask_f * (mask_e * (xv * values[:, :, None]))
    (out * r).sum().backward()
    return {
        "thresholds": thresholds0.tolist(),
        "out": out.detach().reshape(-1).tolist(),
        "table_grad": table.grad.reshape(-1).tolist(),
        "threshold_grad": thresholds.grad.tolist(),
    }


def main():
    gen = torch.Generator().manual_seed(4004)
    rows = sum(FIELD_SIZES)
    table = float32_values(torch.rand(rows, DIM, generator=gen) - 0.5)
    values = float32_values(torch.rand(len(IDS), len(FIELD_SIZES), generator=gen) + 0.5)
    r = float32_values(torch.rand(len(IDS), len(FIELD_SIZES), DIM, generator=gen) * 2 - 1)
    norms = table.abs().sum(dim=1)
    # Margins n - t spread over (-1.2, 1.2) in the per-feature case; per field, thresholds near the fields' norms.
    feature_t = float32_values(norms - torch.linspace(-1.2, 1.2, rows)[torch.randperm(rows, generator=gen)])
    field_t = float32_values(torch.tensor([0.9, 1.1, 0.7]))
    fixture = {
        "field_sizes": FIELD_SIZES,
        "dim": DIM,
        "ids": [i for row in IDS for i in row],
        "kept": [k for row in KEPT for k in row],
        "values": values.reshape(-1).tolist(),
        "r": r.reshape(-1).tolist(),
        "table": table.reshape(-1).tolist(),
        "field": case(table, values, r, field_t, per_feature=False),
        "feature": case(table, values, r, feature_t, per_feature=True),
        "torch": torch.__version__,
    }
    fixtures.write(OUT, fixture)


if __name__ == "__main__":
    main()
