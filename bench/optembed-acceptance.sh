#!/usr/bin/env bash
# Issue 13's acceptance runs of OptEmbed (benchmarks/amd-epyc/optembed/acceptance-400k, tiny, frappe).
# Usage: bench/optembed-acceptance.sh [WORKDIR]   (default /tmp/oeacc; big data and models stay there, not in the repo)
# Each step is one `clickwise optembed` study; a step whose output directory already holds optembed.md is skipped.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/oeacc}
data=${CLICKWISE_DATA:-/work/shared/data}
mkdir -p "$work" && cd "$work"
cw() { dotnet "$repo/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll" "$@"; }
stamp() { echo "$1 $(date -u +%FT%TZ) load $(cut -d' ' -f1 /proc/loadavg)"; }

# The acceptance setup on 400k synthetic Criteo-profile rows: D = 16, MLP 400x400x400, dropout 0, the paper's search
# (10+10 a generation, 30 generations, p = 0.1, Top-15), threshold lr 1e-2, 2 epochs per phase (early stopping), 3 seeds.
acceptance=(--format criteo --embedding-dim 16 --hidden 400,400,400 --dropout 0 --epochs 2 --threshold-lr 1e-2 --threads 1)
[ -f s400k.tsv ] || cw synth --rows 400000 --seed 7 -o s400k.tsv --threads 1
study() { local out=$1; shift; [ -f "$out/optembed.md" ] && return 0; stamp "start $out"; cw optembed "$@" -o "$out" > "$out.out" 2>&1; stamp "end $out"; }

# (c), (d): full OptEmbed on DeepFM and DCN, 3 seeds, at the alpha chosen on validation (README).
study c-deepfm-dcn-a5e-2 -d s400k.tsv "${acceptance[@]}" --models deepfm,dcn --seeds 3 --alpha 5e-2 --requests 1000
# (a), (b): OptEmbed-E alone over alpha, 3 seeds each, with the teacher-rare check.
for a in 1e-1 3e-1 3e-2; do
  study "a-deepfm-E-a$a" -d s400k.tsv "${acceptance[@]}" --model deepfm --seeds 3 --alpha "$a" --variants E --synthetic-teacher criteo --requests 1000
done
# OptEmbed then DeepLight (D-90%) on one DeepFM run (seed 2019), with AUC, bytes and latency. Committed: the first run of
# `--models deepfm,dcn --seeds 3 --alpha 3e-2 --prune "D-90%"`, stopped after it when alpha 3e-2 proved to prune too few rows.
study deepfm-a3e-2-prune -d s400k.tsv "${acceptance[@]}" --model deepfm --alpha 3e-2 --prune "D-90%" --requests 2000
# FNN and IPNN.
study c-fnn-ipnn-a5e-2 -d s400k.tsv "${acceptance[@]}" --models fnn,ipnn --seeds 3 --alpha 5e-2 --requests 1000
# FNN again after the retrain's rewind was fixed (it now starts from the supernet's saved start, FM pre-training included;
# before, from a redraw of the seed): acceptance-400k/fnn-rewind.
study fnn-rewind-a5e-2 -d s400k.tsv "${acceptance[@]}" --models fnn --seeds 3 --alpha 5e-2 --requests 1000

# Dense Adam with weight decay lambda on the embedding tables (--adam-mode dense: torch.optim.Adam(weight_decay) on every
# row every step, the reference code's; training.l2_net stays the preset's): acceptance-400k/dense-decay.
# Step 1: OptEmbed-E, seed 2019, over lambda and alpha (and lazy Adam at the alphas between the earlier sweep's points).
e_run() { # MODE LAMBDA ALPHA
  local extra=() out="d-lazy-a$3"
  [ "$1" = dense ] && extra=(--adam-mode dense --set "training.l2_embedding=$2") && out="d-dense-l$2-a$3"
  study "$out" -d s400k.tsv "${acceptance[@]}" --model deepfm "${extra[@]}" --alpha "$3" --variants E --synthetic-teacher criteo --requests 1000
}
for a in 3e-2 1e-1; do for l in 1e-5 1e-4 1e-3; do e_run dense $l $a; done; done
e_run dense 1e-4 5e-2
for a in 5e-2 7e-2 1e-1; do e_run lazy - $a; done
# Step 2: full OptEmbed on DeepFM and DCN, 3 seeds, dense Adam with lambda = 1e-4: alpha = 5e-2 (the lazy runs' alpha), then
# 3e-2 (5e-2 failed the validation rule in dense mode).
for a in 5e-2 3e-2; do
  for m in deepfm dcn; do
    study "c-dense-l1e-4-$m-a$a" -d s400k.tsv "${acceptance[@]}" --models $m --seeds 3 --adam-mode dense --set training.l2_embedding=1e-4 \
      --alpha "$a" --synthetic-teacher criteo --requests 1000
  done
done

# Then alpha 4e-2, between them (run by the lead, DeepFM and DCN side by side): DCN passes the rule there, DeepFM fails it.
for m in deepfm dcn; do
  study "c-dense-l1e-4-$m-a4e-2" -d s400k.tsv "${acceptance[@]}" --models $m --seeds 3 --adam-mode dense --set training.l2_embedding=1e-4 \
    --alpha 4e-2 --synthetic-teacher criteo --requests 1000
done

study c-dense-l1e-4-deepfm-a3.5e-2 -d s400k.tsv "${acceptance[@]}" --models deepfm --seeds 3 --adam-mode dense --set training.l2_embedding=1e-4 \
  --alpha 3.5e-2 --synthetic-teacher criteo --requests 1000   # DeepFM failed the rule at 4e-2

# IPNN at the lazy runs' alpha (acceptance-400k/ipnn-a5e-2), then DeepFM at other decays and IPNN in dense mode (dense-decay/).
study c-ipnn-a5e-2 -d s400k.tsv "${acceptance[@]}" --models ipnn --seeds 3 --alpha 5e-2 --synthetic-teacher criteo --requests 1000
study c-dense-l2e-4-deepfm-a3e-2 -d s400k.tsv "${acceptance[@]}" --models deepfm --seeds 3 --adam-mode dense --set training.l2_embedding=2e-4 \
  --alpha 3e-2 --synthetic-teacher criteo --requests 1000
study c-dense-l5e-5-deepfm-a5e-2 -d s400k.tsv "${acceptance[@]}" --models deepfm --seeds 3 --adam-mode dense --set training.l2_embedding=5e-5 \
  --alpha 5e-2 --synthetic-teacher criteo --requests 1000
for a in 4e-2 5e-2; do
  study "c-dense-l1e-4-ipnn-a$a" -d s400k.tsv "${acceptance[@]}" --models ipnn --seeds 3 --adam-mode dense --set training.l2_embedding=1e-4 \
    --alpha "$a" --synthetic-teacher criteo --requests 1000
done
# DeepFM with pruned rows read as their field's OOV row.
for a in 4e-2 5e-2; do
  study "c-dense-l1e-4-oov-deepfm-a$a" -d s400k.tsv "${acceptance[@]}" --models deepfm --seeds 3 --adam-mode dense --set training.l2_embedding=1e-4 \
    --set embedding_pruned_rows=oov --alpha "$a" --synthetic-teacher criteo --requests 1000
done
# DeepFM at threshold lr 2e-2, alpha 2e-2: alpha 4e-2's penalty push a step, twice the loss's pull.
study c-dense-l1e-4-deepfm-a2e-2-tlr2e-2 -d s400k.tsv "${acceptance[@]/#1e-2/2e-2}" --models deepfm --seeds 3 --adam-mode dense \
  --set training.l2_embedding=1e-4 --alpha 2e-2 --synthetic-teacher criteo --requests 1000
# (b): one threshold per feature row (acceptance-400k/per-feature), and step 1 again with the "any field" bound (dense-decay/any-field).
for a in 1e-2 1e-1 3e-1 1; do
  study "pf-E-a$a" -d s400k.tsv "${acceptance[@]}" --model deepfm --per-feature --alpha "$a" --variants E --synthetic-teacher criteo --requests 1000
done
for a in 3e-2 1e-1 3e-1; do
  study "pf-dense-E-a$a" -d s400k.tsv "${acceptance[@]}" --model deepfm --per-feature --adam-mode dense --set training.l2_embedding=1e-4 \
    --alpha "$a" --variants E --synthetic-teacher criteo --requests 1000
done
for a in 3e-2 5e-2 1e-1; do
  study "g-dense-l1e-4-E-a$a" -d s400k.tsv "${acceptance[@]}" --model deepfm --adam-mode dense --set training.l2_embedding=1e-4 --alpha "$a" \
    --variants E --synthetic-teacher criteo --requests 1000
done
for a in 5e-2 7e-2 1e-1; do
  study "g-lazy-E-a$a" -d s400k.tsv "${acceptance[@]}" --model deepfm --alpha "$a" --variants E --synthetic-teacher criteo --requests 1000
done

# Validation AUCs (the alpha choices): bench/optembed-valid-auc.py STUDY_DIR. Committed per study: optembed.md/json, the
# figure and valid-auc.md under benchmarks/amd-epyc/optembed/{acceptance-400k,tiny,frappe}/ (README.md there names each).

# criteo_deeplight_tiny: its 10k train then 10k test rows, split sequentially 45/5/50 (configs/lowrank-tiny-study.json).
[ -f tiny_all.csv ] || cat "$data"/criteo_deeplight_tiny/tiny_{train,test}_input.csv > tiny_all.csv
for a in 1e-2 3e-2; do
  study "t-all-a$a" -d tiny_all.csv --config "$repo/configs/lowrank-tiny-study.json" --models deepfm,dcn,fnn,ipnn --seeds 3 \
    --embedding-dim 16 --hidden 400,400,400 --dropout 0 --alpha "$a" --threshold-lr 1e-2 --requests 1000 --threads 1
done

# FNN again: retraining from the supernet's draw with the FM pre-training rerun under the found mask and widths (tiny/fnn-draw-*),
# and alpha 3e-3 for all four models (tiny/a3e-3).
for a in 1e-2 3e-2; do
  study "t-fnn-draw-a$a" -d tiny_all.csv --config "$repo/configs/lowrank-tiny-study.json" --models fnn --seeds 3 --embedding-dim 16 \
    --hidden 400,400,400 --dropout 0 --alpha "$a" --threshold-lr 1e-2 --requests 1000 --threads 1 --retrain-start draw
done
study t-all-a3e-3 -d tiny_all.csv --config "$repo/configs/lowrank-tiny-study.json" --models deepfm,dcn,fnn,ipnn --seeds 3 \
  --embedding-dim 16 --hidden 400,400,400 --dropout 0 --alpha 3e-3 --threshold-lr 1e-2 --requests 1000 --threads 1

# frappe (the NFM libFM test split, CRLF stripped), random 80/10/10.
[ -f frappe.libfm ] || tr -d '\r' < "$data/frappe/frappe.test.libfm" > frappe.libfm
for a in 1e-2 3e-2; do
  study "f-all-a$a" -d frappe.libfm --format libsvm --fields 10 --min-count 1 --set preprocessing.split.train=0.8 \
    --set preprocessing.split.valid=0.1 --set preprocessing.split.test=0.1 --models deepfm,dcn,fnn,ipnn --seeds 3 \
    --embedding-dim 16 --hidden 400,400,400 --dropout 0 --epochs 10 --batch-size 256 --alpha "$a" --threshold-lr 1e-2 --requests 1000 --threads 1
done
