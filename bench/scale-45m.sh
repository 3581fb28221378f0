#!/usr/bin/env bash
set -euo pipefail
cd /work/big
/usr/bin/time -v ./bin/Clickwise.Cli prepare -d sc45m.tsv --format criteo -o sc45m.prepared > prepare.log 2> prepare.time
du -sb sc45m.prepared/cache/* > cache-bytes.txt
/usr/bin/time -v ./bin/Clickwise.Cli train -d sc45m.prepared -o deepfwfm.cwm --model deepfwfm --epochs 1 > train.log 2> train.time
/usr/bin/time -v ./bin/Clickwise.Cli eval -m deepfwfm.cwm -d sc45m.prepared --split test > eval.log 2> eval.time
