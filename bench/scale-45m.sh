#!/usr/bin/env bash
# Criteo's size on one machine (issue 15): prepare, one DeepFwFM epoch and eval of 45M synthetic rows, each under
# /usr/bin/time -v (peak RSS, wall time). Run in a directory holding sc45m.tsv:
#   clickwise synth --profile criteo --rows 45000000 --seed 45 -o sc45m.tsv
set -euo pipefail
cw=${CLICKWISE:-clickwise}
/usr/bin/time -v "$cw" prepare -d sc45m.tsv --format criteo -o sc45m.prepared > prepare.log 2> prepare.time
du -sb sc45m.prepared/cache/* > cache-bytes.txt
/usr/bin/time -v "$cw" train -d sc45m.prepared -o deepfwfm.cwm --model deepfwfm --epochs 1 > train.log 2> train.time &
train=$!
sleep 1
# Anonymous memory apart from the mapped cache's file pages, every 5 s.
pid=$(pgrep -P "$train" || true)
while kill -0 "$train" 2>/dev/null; do
    [ -n "$pid" ] && grep -E '^(RssAnon|RssFile)' "/proc/$pid/status" 2>/dev/null | tr '\n' ' ' >> train-rss.txt && echo >> train-rss.txt
    sleep 5
done
wait "$train"
/usr/bin/time -v "$cw" eval -m deepfwfm.cwm -d sc45m.prepared --split test > eval.log 2> eval.time
