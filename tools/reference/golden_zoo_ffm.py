#!/usr/bin/python3
"""Golden fixtures for the zoo's FFM, FNN and Wide & Deep in its FM & DNN form: ffm, fnn, wdl-fm.

Same case, Adam rules and fixture format as golden_models.py (whose helpers this script reuses); only the
parameters and the logits are new. Parameters (names and shapes as the C# ParameterSet):

  ffm:    ffm.embedding [V, F*D] (row id = the F field-aware vectors of feature id), first_order [V, 1], bias
          w0 + sum_f w[id_f] x_f + sum_{i<j} <v_{i,f_j}, v_{j,f_i}> x_i x_j
  fnn:    embedding [V, D], first_order [V, 1], bias, mlp.* with input F*(D+1)
          w0 + MLP(z), z_i = x_i * (w[id_i], e[id_i]) field by field
  wdl-fm: embedding [V, D] (deep), wide.embedding [V, D] (the FM's own), first_order [V, 1], bias, mlp.* with input F*D
          w0 + sum_f w[id_f] x_f + sum_{i<j} <x_i u_i, x_j u_j> + MLP(flatten(x e))

Written differently from the C# layers: the FFM pair term is read off the full F x F matrix of field-aware dot products
einsum('bijd,bjid->bij') above its diagonal (the C# layer loops over pairs); the FM of wdl-fm is the explicit pair loop
(the C# layer uses the sum-square form); FNN's z is a concatenation along a new last axis.

The lookup tables ffm.embedding and wide.embedding are row-sparse like embedding and first_order: the Adam rule
updates only the rows a batch touches, with a step count per row.

Run:  /usr/bin/python3 tools/reference/golden_zoo_ffm.py   (writes tests/Clickwise.Tests/Fixtures/golden/{ffm,fnn,wdl-fm}.json)
"""
import torch

import golden_models as gm

MODELS = ["ffm", "fnn", "wdl-fm"]
FIRST_INDEX = 300  # generator seeds 1300..
gm.ROW_SPARSE = gm.ROW_SPARSE + ("ffm.embedding", "wide.embedding")


def init_params(model, gen):
    p = {}
    if model == "ffm":
        p["ffm.embedding"] = gm.f32(0.3 * torch.randn(gm.V, gm.F * gm.DIM, generator=gen))
    else:
        p["embedding"] = gm.f32(0.3 * torch.randn(gm.V, gm.DIM, generator=gen))
    if model == "wdl-fm":
        p["wide.embedding"] = gm.f32(0.3 * torch.randn(gm.V, gm.DIM, generator=gen))
    p["first_order"] = gm.f32(0.3 * torch.randn(gm.V, 1, generator=gen))
    p["bias"] = gm.uniform(gen, (1,), 0.1)
    if model == "fnn":
        gm.init_mlp(p, gen, gm.F * (gm.DIM + 1))
    elif model == "wdl-fm":
        gm.init_mlp(p, gen, gm.F * gm.DIM)
    return p


def logits_of(model, p, batch):
    ids, x = batch["ids"], batch["values"]
    z = p["bias"].expand(gm.BATCH).clone()
    first = p["first_order"][ids, 0] * x                                   # [B, F]
    if model == "ffm":
        v = p["ffm.embedding"][ids].reshape(gm.BATCH, gm.F, gm.F, gm.DIM)  # v[b, i, f] = vector of field i's feature for field f
        v = v * x.reshape(gm.BATCH, gm.F, 1, 1)
        dots = torch.einsum("bijd,bjid->bij", v, v)                        # <v[b,i,j], v[b,j,i]> for every field pair
        upper = torch.triu(torch.ones(gm.F, gm.F), diagonal=1)
        return z + first.sum(dim=1) + (dots * upper).sum(dim=(1, 2))
    e = p["embedding"][ids] * x.unsqueeze(-1)                              # [B, F, D]
    if model == "fnn":
        zin = torch.cat([first.unsqueeze(-1), e], dim=-1)                  # [B, F, D+1]: (w_i, e_i) per field
        return z + gm.mlp(p, zin.reshape(gm.BATCH, gm.F * (gm.DIM + 1)))
    u = p["wide.embedding"][ids] * x.unsqueeze(-1)
    z = z + first.sum(dim=1)
    for i, j in gm.PAIRS:
        z = z + (u[:, i, :] * u[:, j, :]).sum(dim=1)
    return z + gm.mlp(p, e.reshape(gm.BATCH, gm.F * gm.DIM))


if __name__ == "__main__":
    gm.write(MODELS, FIRST_INDEX, init_params, logits_of)
