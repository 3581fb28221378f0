#!/bin/bash
# OptEmbed's compact plan against the original at the acceptance architecture (D = 16, MLP 400x400x400), batch 1 and
# batch 10,000, for DeepFM, DCN, FNN and IPNN: three rounds, the two models alternating. Models (in /tmp, not committed):
#   clickwise synth --rows 100000 --seed 7 -o s100k.tsv
#   clickwise optembed -d s100k.tsv --format criteo --model M --epochs 1 --embedding-dim 16 --hidden 400,400,400 \
#     [--dropout 0] -o M --alpha A --threshold-lr 1e-2 --generations G --threads 1   (see README.md for A, G per model)
cw=${CLICKWISE:-clickwise}
cd "${MODELS:-/tmp/lead-oe}"
for m in deepfm dcn fnn ipnn; do
  for round in 1 2 3; do
    for v in original optembed; do
      echo "== $m $v round $round $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
      "$cw" bench -m "$m/runs/$v.cwm" --requests 10000 --batch 10000 | grep -E "^batch"
    done
  done
done
