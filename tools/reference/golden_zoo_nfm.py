#!/usr/bin/python3
"""Golden fixtures for the zoo's NFM, DNN and Wide & Deep (LR & DNN) models: nfm, dnn, wdl.

Same case, Adam rules and fixture format as golden_models.py (whose helpers this script reuses); only the
parameters and the logits are new. As there, the formulas are written differently from the C# layers: NFM's
bi-interaction vector is an explicit loop over field pairs Σ_{i<j} e_i ⊙ e_j, not the sum-square trick.

  nfm: w0 + Σ_f w[id_f] x_f + MLP(Σ_{i<j} e_i ⊙ e_j)        MLP input D
  dnn: w0 + MLP(flatten(e))                                  MLP input F·D
  wdl: w0 + Σ_f w[id_f] x_f + MLP(flatten(e))                MLP input F·D
  dnn-tanh: dnn with tanh instead of ReLU after every hidden layer (model dnn, "activation": "tanh"; the DeepFM
            paper's Table III), written as (e^{2z} − 1) / (e^{2z} + 1)

Run:  /usr/bin/python3 tools/reference/golden_zoo_nfm.py   (writes tests/Clickwise.Tests/Fixtures/golden/{nfm,dnn,wdl,dnn-tanh}.json)
"""
import torch

import golden_models as g
from golden_models import BATCH, DIM, F, HIDDEN, PAIRS, V, f32, init_mlp, mlp, uniform, write

MODELS = ["nfm", "dnn", "wdl"]
FIRST_INDEX = 100  # generator seeds 1100.., apart from golden_models.py's 1000..1004


def init_params(model, gen):
    """Parameter names, order and shapes match the C# models' ParameterSet."""
    p = {"embedding": f32(0.3 * torch.randn(V, DIM, generator=gen))}
    if model in ("nfm", "wdl"):
        p["first_order"] = f32(0.3 * torch.randn(V, 1, generator=gen))
    p["bias"] = uniform(gen, (1,), 0.1)
    init_mlp(p, gen, DIM if model == "nfm" else F * DIM)
    return p


def logits_of(model, p, batch):
    ids, x = batch["ids"], batch["values"]
    z = p["bias"].expand(BATCH).clone()
    if "first_order" in p:
        z = z + (p["first_order"][ids, 0] * x).sum(dim=1)
    e = p["embedding"][ids] * x.unsqueeze(-1)                # [B, F, D], scaled by values
    if model == "nfm":
        a = sum(e[:, i, :] * e[:, j, :] for i, j in PAIRS)   # [B, D]
    else:
        a = e.reshape(BATCH, F * DIM)
    return z + mlp(p, a)


def tanh_logits_of(model, p, batch):
    """dnn-tanh: w0 + MLP_tanh(flatten(e)), tanh spelt out through exp."""
    ids, x = batch["ids"], batch["values"]
    a = (p["embedding"][ids] * x.unsqueeze(-1)).reshape(BATCH, F * DIM)
    layers = len(HIDDEN) + 1
    for l in range(layers):
        a = a @ p[f"mlp.{l}.weight"] + p[f"mlp.{l}.bias"]
        if l < layers - 1:
            e2 = torch.exp(2 * a)
            a = (e2 - 1) / (e2 + 1)
    return p["bias"].expand(BATCH) + a[:, 0]


if __name__ == "__main__":
    write(MODELS, FIRST_INDEX, init_params, logits_of)
    g.write_fixture("dnn-tanh", g.build("dnn", FIRST_INDEX + len(MODELS), init_params, tanh_logits_of,
                                        config={"activation": "tanh"}))
