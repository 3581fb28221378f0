#!/usr/bin/python3
"""Golden fixtures for FiBiNet: fibinet (field_interaction, the default), fibinet-all and fibinet-each.

The case, batches, Adam rules and fixture layout are golden_models.py's (imported from it); this script adds the
model (Huang et al., RecSys 2019, deep FiBiNET):

  e  = embedding[ids] * values                       [B, F, D]
  a  = ReLU(ReLU(mean_d(e) @ W1) @ W2)               SENET, W1 [F, R], W2 [R, F], R = max(1, F // r)
  v  = e * a                                         [B, F, D]
  p  = bilinear_e(e), q = bilinear_v(v)              [B, P, D] each, two layers with their own weights
  z  = w0 + sum_f first_order[id_f] x_f + MLP([p, q] flattened per row)

The bilinear function is written per pair as one einsum over (e_i, W_m, e_j), p_ij[d] = sum_k e_i[k] W_m[k, d] e_j[d],
not as the C# layer's "project each left field once, then Hadamard". W_m is W (field_all), W_i (field_each, one per
left field 0..F-2) or W_ij (field_interaction, one per pair); the weight tensor is [matrices, D, D], each [in, out].

Run:  /usr/bin/python3 tools/reference/golden_zoo_fibinet.py   (writes tests/Clickwise.Tests/Fixtures/golden/fibinet*.json)
"""
import torch

import golden_models as g

# fixture name -> config keys; generator seeds are 1000 + 200 + position in this list
MODELS = {
    "fibinet": {"bilinear_type": "field_interaction", "senet_reduction": 3},
    "fibinet-all": {"bilinear_type": "field_all", "senet_reduction": 2},
    "fibinet-each": {"bilinear_type": "field_each", "senet_reduction": 2},
}


def matrices(kind):
    return {"field_all": 1, "field_each": g.F - 1, "field_interaction": len(g.PAIRS)}[kind]


def init_params(config):
    reduced = max(1, g.F // config["senet_reduction"])
    kind = config["bilinear_type"]

    def init(model, gen):
        p = {"embedding": g.f32(0.3 * torch.randn(g.V, g.DIM, generator=gen)),
             "first_order": g.f32(0.3 * torch.randn(g.V, 1, generator=gen)),
             "bias": g.uniform(gen, (1,), 0.1),
             # SENET weights mostly positive, so the tiny case keeps most excitations alive through both ReLUs
             "senet.squeeze": g.f32(0.2 + torch.rand(g.F, reduced, generator=gen)),
             "senet.excite": g.f32(0.2 + torch.rand(reduced, g.F, generator=gen))}
        bound = (6.0 / (2 * g.DIM)) ** 0.5
        p["bilinear.e.weight"] = g.uniform(gen, (matrices(kind), g.DIM, g.DIM), bound)
        p["bilinear.v.weight"] = g.uniform(gen, (matrices(kind), g.DIM, g.DIM), bound)
        g.init_mlp(p, gen, 2 * len(g.PAIRS) * g.DIM)
        return p
    return init


def bilinear(kind, w, e):
    out = []
    for k, (i, j) in enumerate(g.PAIRS):
        m = {"field_all": 0, "field_each": i, "field_interaction": k}[kind]
        out.append(torch.einsum("bk,kd,bd->bd", e[:, i, :], w[m], e[:, j, :]))
    return torch.stack(out, dim=1)                                       # [B, P, D]


def logits_of(config):
    kind = config["bilinear_type"]

    def logits(model, p, batch):
        ids, x = batch["ids"], batch["values"]
        z = p["bias"].expand(g.BATCH).clone() + (p["first_order"][ids, 0] * x).sum(dim=1)
        e = p["embedding"][ids] * x.unsqueeze(-1)                        # [B, F, D]
        a = torch.relu(torch.relu(e.mean(dim=2) @ p["senet.squeeze"]) @ p["senet.excite"])   # [B, F]
        v = e * a.unsqueeze(-1)
        pq = torch.cat([bilinear(kind, p["bilinear.e.weight"], e).reshape(g.BATCH, -1),
                        bilinear(kind, p["bilinear.v.weight"], v).reshape(g.BATCH, -1)], dim=1)
        return z + g.mlp(p, pq)
    return logits


def main():
    for index, (name, config) in enumerate(MODELS.items()):
        keys = {"hidden_units": g.HIDDEN, **config}
        g.write_fixture(name, g.build("fibinet", 200 + index, init_params(config), logits_of(config), keys))


if __name__ == "__main__":
    main()
