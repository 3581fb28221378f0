#!/usr/bin/python3
"""Golden fixtures for the PNN family (ipnn, opnn, pnn = PNN*) and DeepFM-P (deepfm-ip, deepfm-op, deepfm-p = DeepFM-*P:
the same product DNN plus DeepFM's first-order and FM terms), on golden_models.py's case and Adam.

Parameters (names and shapes as the C# ParameterSet): embedding [V, D], first_order [V, 1] (DeepFM-P only), product.kernels [D, H, D] (OPNN and PNN*
only; H = P = F(F-1)/2 kernels, W[d1, n, d2] = W_n[d1, d2]), bias [1], mlp.{l}.weight [in, out], mlp.{l}.bias,
where the DNN input is [e (F*D) | inner products (P, IPNN and PNN*) | outer-product signals (H, OPNN and PNN*)].

Written differently from the C# layers on purpose: inner products are read off the full F x F Gram matrix, and the
outer-product signals are the paper's explicit sum of pairwise outer products p = sum_i sum_j e_i e_j^T (including
i = j, as Qu et al. 2016 section 3.3) read by each kernel as <W_n, p>, not through s = sum_f e_f.

Run:  /usr/bin/python3 tools/reference/golden_zoo_pnn.py   (writes tests/Clickwise.Tests/Fixtures/golden/<model>.json)
"""
import torch

import golden_models as gm

MODELS = ["ipnn", "opnn", "pnn", "deepfm-ip", "deepfm-op", "deepfm-p"]
SEED_BASE = 100  # golden_models.py uses indices 0..4; these fixtures use 100 + index
H = len(gm.PAIRS)


def inner(model):
    return model in ("ipnn", "pnn", "deepfm-ip", "deepfm-p")


def outer(model):
    return model in ("opnn", "pnn", "deepfm-op", "deepfm-p")


def fm(model):
    return model.startswith("deepfm-")


def init_params(model, gen):
    p = {"embedding": gm.f32(0.3 * torch.randn(gm.V, gm.DIM, generator=gen))}
    if fm(model):
        p["first_order"] = gm.f32(0.3 * torch.randn(gm.V, 1, generator=gen))
    if outer(model):
        p["product.kernels"] = gm.uniform(gen, (gm.DIM, H, gm.DIM), 0.5)
    p["bias"] = gm.uniform(gen, (1,), 0.1)
    width = gm.F * gm.DIM + (len(gm.PAIRS) if inner(model) else 0) + (H if outer(model) else 0)
    sizes = [width] + gm.HIDDEN + [1]
    for l in range(len(sizes) - 1):
        p[f"mlp.{l}.weight"] = gm.uniform(gen, (sizes[l], sizes[l + 1]), (6.0 / sizes[l]) ** 0.5)
        p[f"mlp.{l}.bias"] = gm.uniform(gen, (sizes[l + 1],), 0.1)
    return p


def logits_of(model, p, batch):
    ids, x = batch["ids"], batch["values"]
    e = p["embedding"][ids] * x.unsqueeze(-1)                      # [B, F, D]
    parts = [e.reshape(gm.BATCH, gm.F * gm.DIM)]
    if inner(model):
        gram = torch.einsum("bid,bjd->bij", e, e)                   # [B, F, F]
        rows, cols = zip(*gm.PAIRS)
        parts.append(gram[:, list(rows), list(cols)])
    if outer(model):
        pmat = torch.zeros(gm.BATCH, gm.DIM, gm.DIM)
        for i in range(gm.F):
            for j in range(gm.F):
                pmat = pmat + torch.einsum("bd,bk->bdk", e[:, i, :], e[:, j, :])
        w = p["product.kernels"].permute(1, 0, 2)                   # [H, D, D], W_n[d1, d2]
        parts.append(torch.einsum("ndk,bdk->bn", w, pmat))
    a = torch.cat(parts, dim=1)
    layers = len(gm.HIDDEN) + 1
    for l in range(layers):
        a = a @ p[f"mlp.{l}.weight"] + p[f"mlp.{l}.bias"]
        if l < layers - 1:
            a = torch.relu(a)
    z = p["bias"].expand(gm.BATCH) + a[:, 0]
    if fm(model):
        z = z + (p["first_order"][ids, 0] * x).sum(dim=1)
        for i, j in gm.PAIRS:
            z = z + (e[:, i, :] * e[:, j, :]).sum(dim=1)
    return z


def main():
    gm.write_fixtures(MODELS, lambda model, index: gm.build(model, SEED_BASE + index, init=init_params,
                                                            logits=logits_of, hidden=gm.HIDDEN))


if __name__ == "__main__":
    main()
