#!/usr/bin/python3
"""Golden fixture for FinalMLP (Mao et al., AAAI 2023) with empty feature-selection context (FuxiCTR, BARS Criteo).

The case, batches, Adam rules and fixture layout are golden_models.py's (imported from it); this script adds the
model as FuxiCTR's FinalMLP computes it (model_zoo/FinalMLP: FeatureSelection with fs1_context = fs2_context = [],
two MLP_Blocks without output layer, InteractionAggregation with output_dim 1):

  e   = (embedding[ids] * values).flatten          [B, F*D]
  g_s = 2 * sigmoid(MLP_s(c_s))                     [F*D], s = 1, 2; MLP_s: D -> FS_HIDDEN (ReLU) -> F*D
  o_s = MLP_s'(e * g_s)                             mlp1: F*D -> 6 -> 4, mlp2: F*D -> 5 -> 4, ReLU after every layer
  z   = bias + o1 . w_x + o2 . w_y + sum_h o1_h^T W_h o2_h      HEADS heads, o1_h [4/HEADS], o2_h [4/HEADS]

Written independently of the C# layers: the context vector is repeated over the batch and every row runs its own
gate (as FuxiCTR does; the C# layer computes the gate once and sums the batch in backward), and the bilinear term is
one einsum "bhi,hij,bhj->b" over the head views. FuxiCTR's w_x and w_y each carry a bias; their sum is one scalar,
which Clickwise keeps as the global "bias". The context vectors start non-zero here (FuxiCTR starts them at zero,
where the gate's hidden ReLUs sit at 0 and only its last bias gets a gradient) so every gradient is exercised.

Parameters, in the order the C# model registers them:
  embedding [V, D], bias [1],
  fs1.context [D], fs1.0.weight [D, 4], fs1.0.bias [4], fs1.1.weight [4, F*D], fs1.1.bias [F*D], then fs2.* alike,
  mlp1.0.weight [F*D, 6], mlp1.0.bias [6], mlp1.1.weight [6, 4], mlp1.1.bias [4],
  mlp2.0.weight [F*D, 5], mlp2.0.bias [5], mlp2.1.weight [5, 4], mlp2.1.bias [4],
  fusion.x.weight [4, 1], fusion.y.weight [4, 1], fusion.xy.weight [HEADS, 4/HEADS, 4/HEADS].

Run:  /usr/bin/python3 tools/reference/golden_zoo_finalmlp.py   (writes tests/Clickwise.Tests/Fixtures/golden/finalmlp.json)
"""
import torch

import golden_models as g

FS_HIDDEN = [4]
MLP1 = [6, 4]
MLP2 = [5, 4]
HEADS = 2
WIDTH = g.F * g.DIM
GENERATOR_INDEX = 500    # generator seed 1000 + 500


def glorot(gen, fan_in, fan_out):
    return g.uniform(gen, (fan_in, fan_out), (6.0 / (fan_in + fan_out)) ** 0.5)


def init_params(model, gen):
    p = {"embedding": g.f32(0.3 * torch.randn(g.V, g.DIM, generator=gen)),
         "bias": g.uniform(gen, (1,), 0.1)}
    for s in ("fs1", "fs2"):
        p[f"{s}.context"] = g.uniform(gen, (g.DIM,), 0.5)
        sizes = [g.DIM] + FS_HIDDEN + [WIDTH]
        for l in range(len(sizes) - 1):
            p[f"{s}.{l}.weight"] = glorot(gen, sizes[l], sizes[l + 1])
            p[f"{s}.{l}.bias"] = g.uniform(gen, (sizes[l + 1],), 0.1)
    for s, hidden in (("mlp1", MLP1), ("mlp2", MLP2)):
        sizes = [WIDTH] + hidden
        for l in range(len(sizes) - 1):
            p[f"{s}.{l}.weight"] = g.uniform(gen, (sizes[l], sizes[l + 1]), (6.0 / sizes[l]) ** 0.5)
            p[f"{s}.{l}.bias"] = g.uniform(gen, (sizes[l + 1],), 0.1)
    x, y = MLP1[-1], MLP2[-1]
    p["fusion.x.weight"] = glorot(gen, x, 1)
    p["fusion.y.weight"] = glorot(gen, y, 1)
    p["fusion.xy.weight"] = g.uniform(gen, (HEADS, x // HEADS, y // HEADS), (6.0 / (HEADS * (x // HEADS) * (y // HEADS) + 1)) ** 0.5)
    return p


def gate(p, s, rows):
    """2 * sigmoid(MLP(c)) for every row of the batch, from the context repeated per row: [rows, F*D]."""
    a = p[f"{s}.context"].unsqueeze(0).repeat(rows, 1)
    layers = len(FS_HIDDEN) + 1
    for l in range(layers):
        a = a @ p[f"{s}.{l}.weight"] + p[f"{s}.{l}.bias"]
        a = torch.relu(a) if l < layers - 1 else 2 * torch.sigmoid(a)
    return a


def stream(p, s, layers, a):
    for l in range(layers):
        a = torch.relu(a @ p[f"{s}.{l}.weight"] + p[f"{s}.{l}.bias"])
    return a


def logits_of(model, p, batch):
    ids, values = batch["ids"], batch["values"]
    e = (p["embedding"][ids] * values.unsqueeze(-1)).reshape(g.BATCH, WIDTH)
    o1 = stream(p, "mlp1", len(MLP1), e * gate(p, "fs1", g.BATCH))
    o2 = stream(p, "mlp2", len(MLP2), e * gate(p, "fs2", g.BATCH))
    heads1 = o1.view(g.BATCH, HEADS, -1)
    heads2 = o2.view(g.BATCH, HEADS, -1)
    bilinear = torch.einsum("bhi,hij,bhj->b", heads1, p["fusion.xy.weight"], heads2)
    return p["bias"] + (o1 @ p["fusion.x.weight"])[:, 0] + (o2 @ p["fusion.y.weight"])[:, 0] + bilinear


def main():
    keys = {"mlp1_hidden_units": MLP1, "mlp2_hidden_units": MLP2, "fs_hidden_units": FS_HIDDEN, "num_heads": HEADS}
    g.write_fixture("finalmlp", g.build("finalmlp", GENERATOR_INDEX, init_params, logits_of, keys, hidden=MLP1))


if __name__ == "__main__":
    main()
