#!/usr/bin/python3
"""Golden fixtures for Clickwise's cross-network models: dcn, dcnv2 (full rank, and the low-rank mixture as
dcnv2-lowrank) and gdcn, each in the parallel cross + deep structure.

The case, batches, Adam rules and fixture layout are golden_models.py's (imported from it); this script adds the
models: x0 = the flattened value-scaled embeddings [B, F*D]; a cross network of CROSS_LAYERS layers and the DNN
(HIDDEN, ReLU) both read x0; the combination layer is ONE linear unit over the concatenation [x_L, h_top], as in
the DCN paper's eq. 5, written here literally as torch.cat(...) @ w + b. Clickwise stores that unit's weight as
two tensors, cross.output.weight [X, 1] (the x_L half) and mlp.{H}.weight [H, 1] (the h_top half, the DNN's output
layer) with the DNN's mlp.{H}.bias, plus the global "bias" every Clickwise model has. The cross layers are written
in each paper's own form (DCN's x0 x_l^T w as an outer product, the mixture as FuxiCTR's CrossNetMix stacks and
gates its experts), not as the C# layers compute them.

Run:  /usr/bin/python3 tools/reference/golden_zoo_cross.py   (writes tests/Clickwise.Tests/Fixtures/golden/*.json)
"""
import torch

import golden_models as g

CROSS_LAYERS = 2
LOW_RANK = {"cross_rank": 2, "cross_experts": 3}
# fixture name -> (registry name, config keys); generator seeds are 1000 + 100 + position in this list
MODELS = {
    "dcn": ("dcn", {}),
    "dcnv2": ("dcnv2", {}),
    "dcnv2-lowrank": ("dcnv2", LOW_RANK),
    "gdcn": ("gdcn", {}),
}

X = g.F * g.DIM


def init_params(kind, config):
    def init(model, gen):
        p = {"embedding": g.f32(0.3 * torch.randn(g.V, g.DIM, generator=gen)),
             "bias": g.uniform(gen, (1,), 0.1)}
        square = (6.0 / (2 * X)) ** 0.5
        for l in range(CROSS_LAYERS):
            c = f"cross.{l}"
            if kind == "dcn":
                p[f"{c}.weight"] = g.uniform(gen, (X,), (6.0 / (X + 1)) ** 0.5)
            elif "cross_rank" in config:
                r, m = config["cross_rank"], config["cross_experts"]
                for i in range(m):
                    p[f"{c}.expert.{i}.v"] = g.uniform(gen, (X, r), (6.0 / (X + r)) ** 0.5)
                    p[f"{c}.expert.{i}.c"] = g.uniform(gen, (r, r), (3.0 / r) ** 0.5)
                    p[f"{c}.expert.{i}.u"] = g.uniform(gen, (r, X), (6.0 / (X + r)) ** 0.5)
                p[f"{c}.gate"] = g.uniform(gen, (X, m), 1.0)
            else:
                p[f"{c}.weight"] = g.uniform(gen, (X, X), square)
            if kind == "gdcn":
                p[f"{c}.gate"] = g.uniform(gen, (X, X), square)
            p[f"{c}.bias"] = g.uniform(gen, (X,), 0.1)
        p["cross.output.weight"] = g.uniform(gen, (X, 1), (6.0 / (X + g.HIDDEN[-1] + 1)) ** 0.5)
        sizes = [X] + g.HIDDEN + [1]
        for l in range(len(sizes) - 1):
            p[f"mlp.{l}.weight"] = g.uniform(gen, (sizes[l], sizes[l + 1]), (6.0 / sizes[l]) ** 0.5)
            p[f"mlp.{l}.bias"] = g.uniform(gen, (sizes[l + 1],), 0.1)
        return p
    return init


def cross_layer(kind, config, p, l, x0, xl):
    c = f"cross.{l}"
    if kind == "dcn":
        # eq. 3: x_{l+1} = x_0 x_l^T w_l + b_l + x_l, with the outer product spelt out
        outer = torch.bmm(x0.unsqueeze(2), xl.unsqueeze(1))             # [B, X, X]
        return torch.matmul(outer, p[f"{c}.weight"]) + p[f"{c}.bias"] + xl
    if kind == "gdcn":
        cross = torch.nn.functional.linear(xl, p[f"{c}.weight"].t(), p[f"{c}.bias"])
        gate = torch.sigmoid(torch.nn.functional.linear(xl, p[f"{c}.gate"].t()))
        return x0 * cross * gate + xl
    if "cross_rank" in config:
        experts = []
        for i in range(config["cross_experts"]):
            v = torch.tanh(xl @ p[f"{c}.expert.{i}.v"])
            v = torch.tanh(v @ p[f"{c}.expert.{i}.c"])
            experts.append(x0 * (v @ p[f"{c}.expert.{i}.u"] + p[f"{c}.bias"]))
        stacked = torch.stack(experts, dim=2)                            # [B, X, M]
        gating = torch.softmax(xl @ p[f"{c}.gate"], dim=1)              # [B, M]
        return torch.bmm(stacked, gating.unsqueeze(2)).squeeze(2) + xl
    return x0 * torch.nn.functional.linear(xl, p[f"{c}.weight"].t(), p[f"{c}.bias"]) + xl


def logits_of(kind, config):
    def logits(model, p, batch):
        ids, values = batch["ids"], batch["values"]
        x0 = (p["embedding"][ids] * values.unsqueeze(-1)).reshape(g.BATCH, X)
        xl = x0
        for l in range(CROSS_LAYERS):
            xl = cross_layer(kind, config, p, l, x0, xl)
        h = x0
        for l in range(len(g.HIDDEN)):
            h = torch.relu(h @ p[f"mlp.{l}.weight"] + p[f"mlp.{l}.bias"])
        top = len(g.HIDDEN)
        w = torch.cat([p["cross.output.weight"], p[f"mlp.{top}.weight"]], dim=0)   # the one combination unit
        z = torch.cat([xl, h], dim=1) @ w + p[f"mlp.{top}.bias"] + p["bias"]
        return z[:, 0]
    return logits


def main():
    for index, (name, (kind, config)) in enumerate(MODELS.items()):
        keys = {"hidden_units": g.HIDDEN, "cross_layers": CROSS_LAYERS, **config}
        g.write_fixture(name, g.build(kind, 100 + index, init_params(kind, config), logits_of(kind, config), keys))


if __name__ == "__main__":
    main()
