#!/bin/bash
# Idle machine, continued: seeds 2 and 3 (single, replicated) and seed 1 with row-sharded tables.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cli=/work/main/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli
cd /tmp/mpiw/idle
common=(-d ../prep2m --model deepfwfm --epochs 1 --threads 1 --quiet)
for seed in 2 3; do
  echo "seed $seed single start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  rm -rf single-s$seed*; /usr/bin/time -v $cli train "${common[@]}" --seed $seed -o single-s$seed.cwm --workdir single-s$seed --batch-size 4096 > single-s$seed.log 2> single-s$seed.err
  grep -E "test AUC|samples/s" single-s$seed.log
  echo "seed $seed replicated start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  rm -rf rep-s$seed*; /usr/bin/time -v mpirun -np 2 --bind-to core $cli train "${common[@]}" --seed $seed -o rep-s$seed.cwm --workdir rep-s$seed --batch-size 2048 --distributed mpi --table-sharding replicated > rep-s$seed.log 2> rep-s$seed.err
  grep -E "test AUC|samples/s|collectives" rep-s$seed.log
done
echo "seed 1 rows start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
rm -rf rows-1*; /usr/bin/time -v mpirun -np 2 --bind-to core $cli train "${common[@]}" --seed 1 -o rows-1.cwm --workdir rows-1 --batch-size 2048 --distributed mpi --table-sharding rows > rows-1.log 2> rows-1.err
grep -E "test AUC|samples/s|collectives" rows-1.log
echo "end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
