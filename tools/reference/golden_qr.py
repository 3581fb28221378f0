#!/usr/bin/python3
"""Golden fixtures for quotient-remainder embeddings (Shi et al., KDD'20): DeepFM whose largest fields' rows are
compositional, as `deepfm-qr` (product, m = 2, the two largest fields) and `deepfm-qr-add` (sum, m = 3, the largest).

The case, batches, Adam rules and fixture layout are golden_models.py's (imported from it). The stored `embedding`
tensor is laid out as Clickwise's table is: field by field, a plain field's V_f rows, a quotient-remainder field's
ceil(V_f / m_f) quotient rows then its m_f remainder rows (m_f = min(m, V_f)). Here the whole [V, D] table is rebuilt
from it with index tensors (Q[i // m] * R[i % m], or +) and DeepFM's golden logits read that table, so autograd gives
the compact table's gradient; Clickwise instead joins the two rows per lookup. Adam's row-sparse update touches the
table rows a batch reads: the quotient and remainder rows of the compositional fields, the own rows of the others.

Run:  /usr/bin/python3 tools/reference/golden_qr.py   (writes tests/Clickwise.Tests/Fixtures/golden/deepfm-qr*.json)
"""
import torch

import golden_models as g

# fixture name -> (collisions m, how many of the largest fields, operation); generator seeds 1000 + 200 + position
CASES = {
    "deepfm-qr": (2, 2, "multiply"),
    "deepfm-qr-add": (3, 1, "add"),
}


def layout(m, count):
    """Per global id its table row (own or quotient) and its remainder row (-1 for plain fields), and the table's rows."""
    largest = sorted(sorted(range(g.F), key=lambda f: -g.FIELD_SIZES[f])[:count])
    own, remainder, rows = [], [], 0
    for f, size in enumerate(g.FIELD_SIZES):
        if f in largest:
            mf = min(m, size)
            quotients = -(-size // mf)
            own += [rows + i // mf for i in range(size)]
            remainder += [rows + quotients + i % mf for i in range(size)]
            rows += quotients + mf
        else:
            own += [rows + i for i in range(size)]
            remainder += [-1] * size
            rows += size
    return torch.tensor(own), torch.tensor(remainder), rows


def case(m, count, operation):
    own, remainder, rows = layout(m, count)
    compositional = remainder >= 0

    def init(model, gen):
        p = g.init_params(model, gen)
        p["embedding"] = g.f32(0.3 * torch.randn(rows, g.DIM, generator=gen))
        return p

    def full_table(table):
        first = table[own]
        second = table[remainder.clamp(min=0)]
        joined = first * second if operation == "multiply" else first + second
        return torch.where(compositional.unsqueeze(1), joined, first)

    def logits(model, p, batch):
        return g.logits_of(model, {**p, "embedding": full_table(p["embedding"])}, batch)

    def touched_rows(batch):
        ids = batch["ids"].reshape(-1)
        extra = remainder[ids]
        return torch.cat([own[ids], extra[extra >= 0]])

    return init, logits, touched_rows


def main():
    plain_step = g.adam_step
    for index, (name, (m, count, operation)) in enumerate(CASES.items(), start=200):
        init, logits, touched_rows = case(m, count, operation)
        # build() steps through g.adam_step: the embedding's touched rows are table rows here, not ids
        g.adam_step = lambda p, grads, state, batch, rows=touched_rows: plain_step(p, grads, state, {**batch, "rows": {"embedding": rows(batch)}})
        config = {"embedding_qr_collisions": m, "embedding_qr_fields": count, "embedding_qr_op": operation}
        g.write_fixture(name, g.build("deepfm", index, init, logits, config))
    g.adam_step = plain_step


if __name__ == "__main__":
    main()
