#!/bin/bash
# Two replicated ranks, seeds 1-3, at da19425 (each rank draws its own rows' dropout masks).
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cli=/tmp/mpiw/bin-da19425/Clickwise.Cli
cd /tmp/mpiw/masks
for seed in 1 2 3; do
  echo "seed $seed start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -v mpirun -np 2 --oversubscribe --bind-to none $cli train -d ../prep2m --model deepfwfm --epochs 1 --threads 1 --quiet \
    -o rep-$seed.cwm --workdir rep-$seed --batch-size 2048 --seed $seed --distributed mpi --table-sharding replicated > rep-$seed.log 2> rep-$seed.err
  grep -E "test AUC|samples/s|collectives" rep-$seed.log
done
echo "end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
