#!/usr/bin/python3
"""PyTorch side of the frappe parity check (benchmarks/amd-epyc/frappe-parity.md): LR, FM, FwFM, DeepFM and DeepFwFM
trained the way the seed papers' code trains them, with Clickwise's architectures and initialisations copied here.

Protocol (the Clickwise side runs the same through `clickwise compare --adam-mode dense`, see the .md):
  data       the split files of tools/reference/frappe_split.py (train/valid/test.libfm); libfm ids are global, so
             one table of max id + 1 rows (Clickwise maps the same ids through its vocabulary: a bijection on the ids
             seen in training, unseen ones to an untrained OOV row, as an id never trained here stays at its init)
  training   torch.optim.Adam(lr 1e-3, betas 0.9/0.999, eps 1e-8, weight_decay 0) over every parameter, batch 256,
             shuffled each epoch; up to 30 epochs, early stopping on validation AUC with patience 2, best epoch restored
  models     (x = 1 for every libfm feature, so e_i is the id's embedding row)
             lr        b + Σ_i w[id_i]
             fm        lr + Σ_{i<j} <e_i, e_j>
             fwfm      b + Σ_i <e_i, v_i> + Σ_{i<j} r_ij <e_i, e_j>            (no per-id first-order weights)
             deepfm    fm + MLP(e_1 ‖ … ‖ e_F)
             deepfwfm  fwfm + MLP(e_1 ‖ … ‖ e_F)
             MLP 400-400-400, h = dropout_0.5(ReLU(aW + b)), then a linear output unit
  init       (src/Clickwise/Models, Layers/Mlp.cs) embeddings and w ~ N(0, 0.01²); b = 0; v ~ U(±1/√D), r ~ U(±1/√F);
             hidden W ~ U(±√(6/fan_in)) (He), output W ~ U(±√(6/(fan_in+fan_out))) (Xavier), MLP biases 0
  embedding  D = 10

Run (from the repository root, after a Release build; DATA_DIR from tools/reference/frappe_split.py):
      /usr/bin/python3 tools/reference/frappe_parity.py DATA_DIR --work WORK --md benchmarks/amd-epyc/frappe-parity.md
It trains the PyTorch side (WORK/pytorch.json), runs the Clickwise side with `clickwise compare` over the same files,
seeds and settings (WORK/clickwise-<mode>/compare.json, kept if present), and writes the table.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import time

import torch

DIM, HIDDEN, DROPOUT, BATCH, LR, MAX_EPOCHS, PATIENCE = 10, [400, 400, 400], 0.5, 256, 1e-3, 30, 2


def load(path):
    ids, labels = [], []
    with open(path) as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                continue
            labels.append(1.0 if float(parts[0]) > 0 else 0.0)
            ids.append([int(p.split(":")[0]) for p in parts[1:]])
    return torch.tensor(ids, dtype=torch.long), torch.tensor(labels)


def auc(scores, labels):
    """Mann-Whitney AUC with tied scores sharing their average rank."""
    order = torch.argsort(scores)
    s, y = scores[order], labels[order]
    ranks = torch.empty_like(s, dtype=torch.float64)
    i, n = 0, len(s)
    while i < n:
        j = i
        while j + 1 < n and s[j + 1] == s[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    pos = y.sum().item()
    neg = n - pos
    return ((ranks[y == 1].sum().item() - pos * (pos + 1) / 2) / (pos * neg))


class Model(torch.nn.Module):
    def __init__(self, name, rows, fields):
        super().__init__()
        self.name = name
        self.bias = torch.nn.Parameter(torch.zeros(1))
        if name in ("lr", "fm", "deepfm"):
            self.first_order = torch.nn.Parameter(torch.randn(rows) * 0.01)
        if name != "lr":
            self.embedding = torch.nn.Parameter(torch.randn(rows, DIM) * 0.01)
        if name in ("fwfm", "deepfwfm"):
            self.v = torch.nn.Parameter((torch.rand(fields, DIM) * 2 - 1) / math.sqrt(DIM))
            pairs = fields * (fields - 1) // 2
            self.r = torch.nn.Parameter((torch.rand(pairs) * 2 - 1) / math.sqrt(fields))
            self.register_buffer("pair_i", torch.tensor([i for i in range(fields) for j in range(i + 1, fields)]))
            self.register_buffer("pair_j", torch.tensor([j for i in range(fields) for j in range(i + 1, fields)]))
        if name.startswith("deep"):
            sizes = [fields * DIM] + HIDDEN + [1]
            layers = []
            for k in range(len(sizes) - 1):
                linear = torch.nn.Linear(sizes[k], sizes[k + 1])
                hidden = k < len(HIDDEN)
                bound = math.sqrt(6.0 / sizes[k]) if hidden else math.sqrt(6.0 / (sizes[k] + sizes[k + 1]))
                torch.nn.init.uniform_(linear.weight, -bound, bound)
                torch.nn.init.zeros_(linear.bias)
                layers.append(linear)
                if hidden:
                    layers += [torch.nn.ReLU(), torch.nn.Dropout(DROPOUT)]
            self.mlp = torch.nn.Sequential(*layers)

    def forward(self, ids):
        z = self.bias.expand(ids.shape[0])
        if hasattr(self, "first_order"):
            z = z + self.first_order[ids].sum(dim=1)
        if self.name == "lr":
            return z
        e = self.embedding[ids]                                     # [B, F, D]
        if self.name in ("fm", "deepfm"):
            s = e.sum(dim=1)
            z = z + 0.5 * (s * s - (e * e).sum(dim=1)).sum(dim=1)   # Σ_{i<j} <e_i, e_j>
        else:
            z = z + (e * self.v).sum(dim=(1, 2))
            z = z + ((e[:, self.pair_i] * e[:, self.pair_j]).sum(dim=2) * self.r).sum(dim=1)
        if self.name.startswith("deep"):
            z = z + self.mlp(e.reshape(e.shape[0], -1))[:, 0]
        return z


def predict(model, ids):
    model.eval()
    with torch.no_grad():
        return torch.cat([model(ids[k:k + 8192]) for k in range(0, len(ids), 8192)])


def train(name, seed, data, rows, fields):
    torch.manual_seed(seed)
    model = Model(name, rows, fields)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    (train_ids, train_y), (valid_ids, valid_y), (test_ids, test_y) = data
    best, best_state, best_epoch, bad, epochs = -1.0, None, 0, 0, 0
    start = time.time()
    for epoch in range(1, MAX_EPOCHS + 1):
        model.train()
        order = torch.randperm(len(train_ids))
        for k in range(0, len(order), BATCH):
            batch = order[k:k + BATCH]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(model(train_ids[batch]), train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        epochs = epoch
        valid_auc = auc(predict(model, valid_ids), valid_y)
        if valid_auc > best:
            best, best_epoch, bad = valid_auc, epoch, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            bad += 1
            if bad >= PATIENCE:
                break
    model.load_state_dict(best_state)
    logits = predict(model, test_ids)
    logloss = torch.nn.functional.binary_cross_entropy_with_logits(logits, test_y).item()
    return {"model": name, "seed": seed, "test_auc": auc(logits, test_y), "test_logloss": logloss,
            "best_epoch": best_epoch, "epochs": epochs, "seconds": time.time() - start}


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "src", "Clickwise.Cli", "bin", "Release", "net10.0", "Clickwise.Cli")


def clickwise(data, work, seeds, models, mode):
    """The same protocol through `clickwise compare`: min count 1 (every training id its own row), L2 0, batch 256,
    up to 30 epochs with the preset's early stopping (validation AUC, patience 2, best epoch restored)."""
    out = os.path.join(work, f"clickwise-{mode}")
    if not os.path.exists(os.path.join(out, "compare.json")):
        subprocess.run([CLI, "compare", "-d", f"{data}/train.libfm", "--valid", f"{data}/valid.libfm", "--test", f"{data}/test.libfm",
                        "--format", "libsvm", "--min-count", "1", "--models", models, "--seeds", str(len(seeds)), "--seed", str(seeds[0]),
                        "--batch-size", str(BATCH), "--epochs", str(MAX_EPOCHS), "--embedding-dim", str(DIM), "--lr", str(LR),
                        "--set", "training.l2_embedding=0", "--set", "training.l2_net=0", "--set", f"training.patience={PATIENCE}",
                        "--adam-mode", mode, "--threads", "1", "--requests", "100", "--quiet", "-o", out],
                       check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "compare.json")) as fh:
        return {row["model"]: row for row in json.load(fh)["rows"]}


def render(pytorch, dense, lazy, seeds):
    md = ["# frappe: Clickwise vs PyTorch", "",
          "Same split files (tools/reference/frappe_split.py, seed 2019: 20,202 / 2,886 / 5,772 rows), same protocol: "
          f"Adam lr {LR}, batch {BATCH}, no weight decay / L2, embedding {DIM}, DNN 400-400-400 with dropout 0.5, up to "
          f"{MAX_EPOCHS} epochs with early stopping on validation AUC (patience {PATIENCE}, best epoch restored), test AUC "
          f"as the mean over seeds {', '.join(map(str, seeds))} (± sample std). PyTorch {pytorch['torch']}, 1 thread, "
          "`torch.optim.Adam` over every parameter (dense tables); Clickwise with `--adam-mode dense` (the same update), "
          "and lazy for reference. Initialisations follow Clickwise's (see the script); the random numbers differ. Regenerate: "
          "`python3 tools/reference/frappe_split.py /tmp/frappe && python3 tools/reference/frappe_parity.py /tmp/frappe "
          "--work /tmp/frappe-parity --md benchmarks/amd-epyc/frappe-parity.md`.", "",
          "| model | PyTorch AUC | Clickwise dense AUC | Δ (dense − PyTorch) | target \|Δ\| ≤ 0.002 | Clickwise lazy AUC | PyTorch logloss | Clickwise dense logloss |",
          "| --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: |"]
    for model, cw in dense.items():
        runs = [r for r in pytorch["results"] if r["model"] == model]
        aucs = [r["test_auc"] for r in runs]
        mean, std = statistics.mean(aucs), statistics.stdev(aucs) if len(aucs) > 1 else 0.0
        delta = cw["auc_mean"] - mean
        md.append(f"| {model} | {mean:.5f} ± {std:.5f} | {cw['auc_mean']:.5f} ± {cw['auc_std']:.5f} | {delta:+.5f} | "
                  f"{'met' if abs(delta) <= 0.002 else 'missed'} | {lazy[model]['auc_mean']:.5f} ± {lazy[model]['auc_std']:.5f} | "
                  f"{statistics.mean(r['test_logloss'] for r in runs):.5f} | {cw['log_loss_mean']:.5f} |")
    return "\n".join(md) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--seeds", default="2019,2020,2021")
    parser.add_argument("--models", default="lr,fm,fwfm,deepfm,deepfwfm")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--work", default="/tmp/frappe-parity")
    parser.add_argument("--md", help="write the comparison table here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    seeds = [int(s) for s in args.seeds.split(",")]
    os.makedirs(args.work, exist_ok=True)
    pytorch_json = os.path.join(args.work, "pytorch.json")
    if not os.path.exists(pytorch_json):
        data = [load(f"{args.data}/{part}.libfm") for part in ("train", "valid", "test")]
        rows = max(int(ids.max()) for ids, _ in data) + 1
        fields = data[0][0].shape[1]
        results = []
        for name in args.models.split(","):
            for seed in seeds:
                result = train(name, seed, data, rows, fields)
                print(json.dumps(result), flush=True)
                results.append(result)
        with open(pytorch_json, "w") as fh:
            json.dump({"torch": torch.__version__, "rows": rows, "fields": fields, "results": results}, fh, indent=1)
    if args.md:
        with open(pytorch_json) as fh:
            pytorch = json.load(fh)
        dense = clickwise(args.data, args.work, seeds, args.models, "dense")
        lazy = clickwise(args.data, args.work, seeds, args.models, "lazy")
        with open(args.md, "w") as fh:
            fh.write(render(pytorch, dense, lazy, seeds))
        print("wrote", args.md)


if __name__ == "__main__":
    main()
