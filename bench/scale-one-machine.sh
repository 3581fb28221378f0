#!/usr/bin/env bash
# A full-size dataset on one machine (issue 15): prepare, one DeepFwFM epoch and eval, each under /usr/bin/time -v (peak
# RSS, wall time), with the training run's anonymous memory sampled apart from the mapped cache. Run in a directory
# holding NAME.tsv:
#   clickwise synth --profile criteo --rows 45000000 --seed 45 -o sc45m.tsv && bench/scale-one-machine.sh sc45m criteo
#   clickwise synth --profile avazu --rows 40000000 --seed 40 -o sa40m.tsv && bench/scale-one-machine.sh sa40m avazu
set -euo pipefail
name="$1"; format="$2"
cw=${CLICKWISE:-clickwise}
/usr/bin/time -v "$cw" prepare -d "$name.tsv" --format "$format" -o "$name.prepared" > prepare.log 2> prepare.time
du -sb "$name.prepared"/cache/* > cache-bytes.txt
/usr/bin/time -v "$cw" train -d "$name.prepared" -o deepfwfm.cwm --model deepfwfm --epochs 1 > train.log 2> train.time &
train=$!
sleep 1
# Anonymous memory apart from the mapped cache's file pages, every 5 s.
pid=$(pgrep -P "$train" || true)
while kill -0 "$train" 2>/dev/null; do
    [ -n "$pid" ] && grep -E '^(RssAnon|RssFile)' "/proc/$pid/status" 2>/dev/null | tr '\n' ' ' >> train-rss.txt && echo >> train-rss.txt
    sleep 5
done
wait "$train"
/usr/bin/time -v "$cw" eval -m deepfwfm.cwm -d "$name.prepared" --split test > eval.log 2> eval.time
