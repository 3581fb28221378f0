#!/usr/bin/python3
"""Golden fixtures for Clickwise's AutoInt models: autoint, autoint+ and autoint without the residual projection
(fixture autoint-noresidual).

The case, batches, Adam rules and fixture layout are golden_models.py's (imported from it); this script adds the
models in the AutoInt paper's own per-head form (Song et al., CIKM 2019, eq. 5-14): e = the value-scaled embeddings
[B, F, D]; each interacting layer computes, for every head h, alpha^h = softmax_j(<W_Q^h e_i, W_K^h e_j>) (no 1/sqrt(d)
scaling) and e~^h_i = sum_j alpha^h_ij W_V^h e_j, concatenates the heads, adds the residual projection W_res e_i and
applies ReLU; the logit is w . vec(e^L) + b, plus for AutoInt+ the DNN (HIDDEN, ReLU) over vec(e). Clickwise stores
each layer's per-head matrices side by side as attention.{l}.query/.key/.value/.residual [D_in, K*d'] (head h is
columns h*d' ..), the output weight as attention.output.weight [F*K*d', 1], and the paper's output bias b is the
global "bias". The C# layer computes the projections as whole-batch GEMMs and each attention row with dot products;
here every head is sliced out and the scores and the attended values are einsums over the batch.

Run:  /usr/bin/python3 tools/reference/golden_zoo_autoint.py   (writes tests/Clickwise.Tests/Fixtures/golden/*.json)
"""
import torch

import golden_models as g

LAYERS, HEADS, HEAD_DIM = 2, 2, 2
WIDTH = HEADS * HEAD_DIM
# fixture name -> (registry name, has DNN, residual); generator seeds are 1000 + 200 + position in this list
MODELS = {
    "autoint": ("autoint", False, True),
    "autoint+": ("autoint+", True, True),
    "autoint-noresidual": ("autoint", False, False),
}


def init_params(deep, residual):
    def init(model, gen):
        p = {"embedding": g.f32(0.3 * torch.randn(g.V, g.DIM, generator=gen)),
             "bias": g.uniform(gen, (1,), 0.1)}
        parts = ["query", "key", "value"] + (["residual"] if residual else [])
        for l in range(LAYERS):
            d_in = g.DIM if l == 0 else WIDTH
            for part in parts:
                p[f"attention.{l}.{part}"] = g.uniform(gen, (d_in, WIDTH), (6.0 / (d_in + WIDTH)) ** 0.5)
        flat = g.F * WIDTH
        p["attention.output.weight"] = g.uniform(gen, (flat, 1), (6.0 / (flat + 1)) ** 0.5)
        if deep:
            g.init_mlp(p, gen, g.F * g.DIM)
        return p
    return init


def interacting_layer(p, l, e, residual):
    heads = []
    for h in range(HEADS):
        cols = slice(h * HEAD_DIM, (h + 1) * HEAD_DIM)
        q = e @ p[f"attention.{l}.query"][:, cols]                  # [B, F, d']
        k = e @ p[f"attention.{l}.key"][:, cols]
        v = e @ p[f"attention.{l}.value"][:, cols]
        alpha = torch.softmax(torch.einsum("bid,bjd->bij", q, k), dim=2)   # eq. 5-6
        heads.append(torch.einsum("bij,bjd->bid", alpha, v))         # eq. 7
    out = torch.cat(heads, dim=2)                                     # eq. 8
    if residual:
        out = out + e @ p[f"attention.{l}.residual"]                  # eq. 9
    return torch.relu(out)


def logits_of(deep, residual):
    def logits(model, p, batch):
        ids, values = batch["ids"], batch["values"]
        e = p["embedding"][ids] * values.unsqueeze(-1)               # [B, F, D]
        x = e
        for l in range(LAYERS):
            x = interacting_layer(p, l, x, residual)
        z = x.reshape(g.BATCH, g.F * WIDTH) @ p["attention.output.weight"] + p["bias"]   # eq. 14
        z = z[:, 0]
        if deep:
            z = z + g.mlp(p, e.reshape(g.BATCH, g.F * g.DIM))
        return z
    return logits


def main():
    for index, (name, (kind, deep, residual)) in enumerate(MODELS.items()):
        keys = {"hidden_units": g.HIDDEN if deep else [], "attention_layers": LAYERS, "attention_heads": HEADS,
                "attention_dim": HEAD_DIM, "attention_residual": residual}
        g.write_fixture(name, g.build(kind, 200 + index, init_params(deep, residual), logits_of(deep, residual), keys))


if __name__ == "__main__":
    main()
