#!/usr/bin/python3
"""Golden fixtures for Clickwise's five CTR models (lr, fm, fwfm, deepfm, deepfwfm).

For each model: a tiny fixed case (F=4 fields of sizes [3, 5, 2, 4], D=3, DNN [5, 4], B=6, three batches),
fixed initial weights, then logits, mean logloss and every gradient on batch 0, then three Adam steps
(step k uses batch k-1) with the update rules Clickwise's optimizer implements:

  dense parameters:      g = grad + l2 * w for every entry, one global step count t
  row-sparse parameters: (embedding, first_order) only the rows whose id occurs in the batch are updated;
                          g = grad + l2 * w for those rows; each row has its own step count t_row used
                          for bias correction
  update:                m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2
                          w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)

Everything is computed in float64 from float32-representable inputs, so the fixture is the exact answer the
float32 C# engine approximates. The model formulas are deliberately written differently from the C# layers
(FM by an explicit pair loop, FwFM through a full symmetric F x F matrix and an einsum, as in the DeepLight
reference code) so the fixtures are an independent check, not a transcription.

Run:  /usr/bin/python3 tools/reference/golden_models.py   (writes tests/Clickwise.Tests/Fixtures/golden/*.json)
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

FIELD_SIZES = [3, 5, 2, 4]
DIM = 3
HIDDEN = [5, 4]
BATCH = 6
STEPS = 3
ADAM = {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "l2": 1e-3}
MODELS = ["lr", "fm", "fwfm", "deepfm", "deepfwfm"]
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "tests", "Clickwise.Tests", "Fixtures", "golden")

F = len(FIELD_SIZES)
OFFSETS = [sum(FIELD_SIZES[:f]) for f in range(F)]
V = sum(FIELD_SIZES)
PAIRS = [(i, j) for i in range(F) for j in range(i + 1, F)]


def f32(t):
    """Round to float32 so C# starts from exactly the same numbers."""
    return t.float().double()


def make_batches(gen):
    batches = []
    for _ in range(STEPS):
        local = torch.stack([torch.randint(0, s, (BATCH,), generator=gen) for s in FIELD_SIZES], dim=1)
        ids = local + torch.tensor(OFFSETS)
        values = f32(0.5 + torch.rand(BATCH, F, generator=gen))
        labels = torch.randint(0, 2, (BATCH,), generator=gen).double()
        batches.append({"ids": ids, "values": values, "labels": labels})
    return batches


def uniform(gen, shape, bound):
    return f32((torch.rand(*shape, generator=gen) * 2 - 1) * bound)


def init_params(model, gen):
    """Parameter names, order and shapes match the C# models' ParameterSet."""
    p = {}
    uses_emb = model != "lr"
    uses_first_order = model in ("lr", "fm", "deepfm")
    uses_fwfm = model in ("fwfm", "deepfwfm")
    uses_mlp = model in ("deepfm", "deepfwfm")
    if uses_emb:
        p["embedding"] = f32(0.3 * torch.randn(V, DIM, generator=gen))
    if uses_fwfm:
        p["fwfm.v"] = uniform(gen, (F, DIM), 0.5)
        p["fwfm.r"] = uniform(gen, (len(PAIRS),), 0.5)
    if uses_first_order:
        p["first_order"] = f32(0.3 * torch.randn(V, 1, generator=gen))
    p["bias"] = uniform(gen, (1,), 0.1)
    if uses_mlp:
        init_mlp(p, gen, F * DIM)
    return p


def init_mlp(p, gen, input_size):
    """mlp.{l}.weight [in, out] and mlp.{l}.bias for the layers input_size -> HIDDEN -> 1."""
    sizes = [input_size] + HIDDEN + [1]
    for l in range(len(sizes) - 1):
        p[f"mlp.{l}.weight"] = uniform(gen, (sizes[l], sizes[l + 1]), (6.0 / sizes[l]) ** 0.5)
        p[f"mlp.{l}.bias"] = uniform(gen, (sizes[l + 1],), 0.1)


def mlp(p, a):
    """The DNN's output [B] for input a [B, in]: ReLU after every layer but the last."""
    layers = len(HIDDEN) + 1
    for l in range(layers):
        a = a @ p[f"mlp.{l}.weight"] + p[f"mlp.{l}.bias"]
        if l < layers - 1:
            a = torch.relu(a)
    return a[:, 0]


def logits_of(model, p, batch):
    ids, x = batch["ids"], batch["values"]
    z = p["bias"].expand(BATCH).clone()
    if "first_order" in p:
        z = z + (p["first_order"][ids, 0] * x).sum(dim=1)
    if "embedding" in p:
        e = p["embedding"][ids] * x.unsqueeze(-1)          # [B, F, D], scaled by values
    if model in ("fm", "deepfm"):
        for i, j in PAIRS:
            z = z + (e[:, i, :] * e[:, j, :]).sum(dim=1)
    if "fwfm.r" in p:
        z = z + (e * p["fwfm.v"].unsqueeze(0)).sum(dim=(1, 2))
        r_full = torch.zeros(F, F)
        for k, (i, j) in enumerate(PAIRS):
            r_full = r_full.index_put((torch.tensor([i, j]), torch.tensor([j, i])), p["fwfm.r"][k].expand(2),
                                      accumulate=True)
        outer = torch.einsum("bid,bjd->bij", e, e)           # all field pairs
        z = z + 0.5 * (outer * r_full.unsqueeze(0)).sum(dim=(1, 2))  # diagonal of r_full is zero
    if "mlp.0.weight" in p:
        z = z + mlp(p, e.reshape(BATCH, F * DIM))
    return z


def loss_and_grads(model, p, batch, logits=None):
    leaves = {n: t.clone().requires_grad_(True) for n, t in p.items()}
    z = (logits or logits_of)(model, leaves, batch)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, batch["labels"])
    loss.backward()
    return z.detach(), loss.item(), {n: t.grad.detach().clone() for n, t in leaves.items()}


ROW_SPARSE = ("embedding", "first_order")


def adam_step(p, grads, state, batch):
    lr, b1, b2, eps, l2 = (ADAM[k] for k in ("lr", "beta1", "beta2", "eps", "l2"))
    state["t"] += 1
    new = {}
    for name, w in p.items():
        m, v = state["m"][name], state["v"][name]
        w = w.clone()
        if name in ROW_SPARSE:
            # a table laid out otherwise than by id (golden_qr.py) names the rows the batch reads
            touched = torch.unique(batch.get("rows", {}).get(name, batch["ids"]))
            steps = state["row_t"][name]
            for r in touched.tolist():
                steps[r] += 1
                t = steps[r]
                g = grads[name][r] + l2 * w[r]
                m[r] = b1 * m[r] + (1 - b1) * g
                v[r] = b2 * v[r] + (1 - b2) * g * g
                w[r] = w[r] - lr * (m[r] / (1 - b1 ** t)) / ((v[r] / (1 - b2 ** t)).sqrt() + eps)
        else:
            t = state["t"]
            g = grads[name] + l2 * w
            m.mul_(b1).add_((1 - b1) * g)
            v.mul_(b2).add_((1 - b2) * g * g)
            w = w - lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
        new[name] = w
    return new


def flat(t):
    return [float(x) for x in t.reshape(-1).tolist()]


def tensors(d):
    return {n: {"shape": list(t.shape), "data": flat(t)} for n, t in d.items()}


def build(model, index, init=None, logits=None, config=None, hidden=None):
    """The fixture of one model; other scripts (golden_zoo_*.py) pass their own init, logits, hidden units and
    config keys to reuse the case, Adam and the fixture format (generator seed 1000 + index)."""
    gen = torch.Generator().manual_seed(1000 + index)
    batches = make_batches(gen)
    p = (init or init_params)(model, gen)
    z, loss, grads = loss_and_grads(model, p, batches[0], logits)

    state = {"t": 0,
             "m": {n: torch.zeros_like(t) for n, t in p.items()},
             "v": {n: torch.zeros_like(t) for n, t in p.items()},
             "row_t": {n: [0] * p[n].shape[0] for n in p if n in ROW_SPARSE}}
    steps = []
    cur = p
    for k in range(STEPS):
        _, step_loss, step_grads = loss_and_grads(model, cur, batches[k], logits)
        cur = adam_step(cur, step_grads, state, batches[k])
        steps.append({"batch": k, "loss": step_loss, "parameters": tensors(cur)})

    return {
        "model": model,
        "field_sizes": FIELD_SIZES,
        "embedding_dim": DIM,
        "hidden_units": hidden if hidden is not None else HIDDEN if "mlp.0.weight" in p else [],
        **(config or {}),
        "dropout": 0.0,
        "batch_size": BATCH,
        "has_values": True,
        "batches": [{"ids": [int(i) for i in b["ids"].reshape(-1).tolist()],
                     "values": flat(b["values"]), "labels": flat(b["labels"])} for b in batches],
        "initial": tensors(p),
        "logits": flat(z),
        "loss": loss,
        "gradients": tensors(grads),
        "adam": ADAM,
        "steps": steps,
        "generator": f"torch {torch.__version__}, float64, 1 thread",
    }


def write_fixture(name, fixture):
    """Writes tests/Clickwise.Tests/Fixtures/golden/{name}.json, where GoldenFixture.Load(name) reads it."""
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f"{name}.json")
    with open(path, "w") as fh:
        json.dump(fixture, fh, indent=1)
        fh.write("\n")
    print(f"{name}: loss {fixture['loss']:.6f}, params {list(fixture['initial'])} -> {os.path.relpath(path)}")


def write(models, first_index=0, init=None, logits=None):
    """Writes one fixture per model; model k's generator seed is 1000 + first_index + k."""
    for index, model in enumerate(models, start=first_index):
        write_fixture(model, build(model, index, init, logits))



def write_fixtures(models, build_one):
    """Writes build_one(model, index) for each model to OUT_DIR/<model>.json."""
    for index, model in enumerate(models):
        write_fixture(model, build_one(model, index))


def main():
    write(MODELS)


def main():
    write_fixtures(MODELS, build)


if __name__ == "__main__":
    main()
