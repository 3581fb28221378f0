#!/usr/bin/env bash
# np=2 × 1 thread (batch 2048 per rank) against np=1 × 1 thread (batch 4096): the same global batch, DeepFwFM, one
# epoch of 2M synthetic Criteo rows, seeds 1-3, and once with row-sharded tables; one rank per core (run it on an idle
# machine: ranks that share cores with other work wait for each other in every collective). Writes run-*.log (the train report,
# with the bytes and time per step in collectives), run-*.err (/usr/bin/time -v) and run-*/metrics.jsonl under $1.
# Usage: bench/distributed-2m.sh WORKDIR [CLICKWISE]   (CLICKWISE: the built Clickwise.Cli executable)
set -euo pipefail
work="$1"; cli="${2:-$PWD/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli}"
mkdir -p "$work" && cd "$work"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
[ -d prep2m ] || { "$cli" synth --rows 2000000 -o s2m.txt --threads 1 && "$cli" prepare -d s2m.txt -o prep2m --threads 1; }
common=(-d prep2m --model deepfwfm --epochs 1 --threads 1 --quiet)
for seed in 1 2 3; do
  for mode in single replicated rows; do
    [ "$mode" = rows ] && [ "$seed" != 1 ] && continue
    out="run-$mode-$seed"; rm -rf "$out" "$out.cwm"
    if [ "$mode" = single ]; then
      /usr/bin/time -v "$cli" train "${common[@]}" -o "$out.cwm" --workdir "$out" --batch-size 4096 --seed "$seed" > "$out.log" 2> "$out.err"
    else
      /usr/bin/time -v mpirun -np 2 --bind-to core "$cli" train "${common[@]}" -o "$out.cwm" --workdir "$out" \
        --batch-size 2048 --seed "$seed" --distributed mpi --table-sharding "$mode" > "$out.log" 2> "$out.err"
    fi
  done
done
