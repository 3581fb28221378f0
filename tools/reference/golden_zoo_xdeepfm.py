#!/usr/bin/python3
"""Golden fixtures for Clickwise's xDeepFM: xdeepfm (CIN with split-half, the authors' default) and
xdeepfm-nosplit (every CIN row both pooled and fed on).

The case, batches, Adam rules and fixture layout are golden_models.py's (imported from it); this script adds the
model: logit = bias + sum_f first_order[id_f] * x_f + p+ @ cin.output.weight + DNN(flattened e), with the shared
value-scaled embeddings e [B, F, D]. The CIN is written as the authors' code and DeepCTR write it, not as the C#
layer computes it: per layer the outer product z = einsum('bhd,bmd->bhmd', x_{k-1}, x0) reshaped to
[B, H*m, D], then a 1x1 conv1d with H_k filters (the stored [H*m, H_k] weight transposed) and a bias; with
split-half the first H_k/2 channels go on and the rest are sum-pooled over D. The paper's single output unit over
[a, x_dnn, p+] is split into first_order (the linear part), mlp.{H} (the DNN half) and cin.output.weight.

Run:  /usr/bin/python3 tools/reference/golden_zoo_xdeepfm.py   (writes tests/Clickwise.Tests/Fixtures/golden/*.json)
"""
import torch

import golden_models as g

# fixture name -> (cin_layers, cin_split_half); generator seeds are 1000 + 400 + position in this list
MODELS = {
    "xdeepfm": ([4, 4, 3], True),
    "xdeepfm-nosplit": ([3, 2], False),
}


def fed_and_pooled(sizes, split):
    """Rows fed to the next layer and pooled rows of each layer."""
    out = []
    for k, h in enumerate(sizes):
        half = split and k < len(sizes) - 1
        out.append((h // 2 if half else h, h - h // 2 if half else h))
    return out


def init_params(sizes, split):
    def init(model, gen):
        p = {"embedding": g.f32(0.3 * torch.randn(g.V, g.DIM, generator=gen)),
             "first_order": g.f32(0.3 * torch.randn(g.V, 1, generator=gen)),
             "bias": g.uniform(gen, (1,), 0.1)}
        previous = g.F
        for k, (h, (fed, _)) in enumerate(zip(sizes, fed_and_pooled(sizes, split))):
            fan_in = previous * g.F
            p[f"cin.{k}.weight"] = g.uniform(gen, (fan_in, h), (6.0 / (fan_in + h)) ** 0.5)
            p[f"cin.{k}.bias"] = g.uniform(gen, (h,), 0.1)
            previous = fed
        pooled = sum(n for _, n in fed_and_pooled(sizes, split))
        p["cin.output.weight"] = g.uniform(gen, (pooled, 1), 0.5)
        g.init_mlp(p, gen, g.F * g.DIM)
        return p
    return init


def logits_of(sizes, split):
    def logits(model, p, batch):
        ids, values = batch["ids"], batch["values"]
        e = p["embedding"][ids] * values.unsqueeze(-1)                   # [B, F, D]
        z = p["bias"].expand(g.BATCH) + (p["first_order"][ids, 0] * values).sum(dim=1)
        x0, xk, pooled = e, e, []
        for k, (fed, n) in enumerate(fed_and_pooled(sizes, split)):
            outer = torch.einsum("bhd,bmd->bhmd", xk, x0).reshape(g.BATCH, -1, g.DIM)   # [B, H*m, D]
            filters = p[f"cin.{k}.weight"].t().unsqueeze(-1)                            # [H_k, H*m, 1]
            out = torch.nn.functional.conv1d(outer, filters, p[f"cin.{k}.bias"])        # [B, H_k, D]
            if n == sizes[k]:
                xk, kept = out, out
            else:
                xk, kept = torch.split(out, [fed, n], dim=1)
            pooled.append(kept.sum(dim=2))
        z = z + (torch.cat(pooled, dim=1) @ p["cin.output.weight"])[:, 0]
        return z + g.mlp(p, e.reshape(g.BATCH, g.F * g.DIM))
    return logits


def main():
    for index, (name, (sizes, split)) in enumerate(MODELS.items()):
        keys = {"cin_layers": sizes, "cin_split_half": split}
        g.write_fixture(name, g.build("xdeepfm", 400 + index, init_params(sizes, split), logits_of(sizes, split), keys,
                                      hidden=g.HIDDEN))


if __name__ == "__main__":
    main()
