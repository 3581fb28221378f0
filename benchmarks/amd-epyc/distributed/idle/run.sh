#!/bin/bash
# Idle machine: np=1 x 1 thread (batch 4096) and np=2 x 1 thread (batch 2048 each, replicated, one rank per core),
# seed 1, alternating, two rounds.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cli=/work/main/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli
cd /tmp/mpiw/idle
common=(-d ../prep2m --model deepfwfm --epochs 1 --threads 1 --quiet --seed 1)
for round in 1 2; do
  echo "round $round single start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  rm -rf single-$round*; /usr/bin/time -v $cli train "${common[@]}" -o single-$round.cwm --workdir single-$round --batch-size 4096 > single-$round.log 2> single-$round.err
  grep -E "test AUC|samples/s" single-$round.log
  echo "round $round replicated start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  rm -rf rep-$round*; /usr/bin/time -v mpirun -np 2 --bind-to core $cli train "${common[@]}" -o rep-$round.cwm --workdir rep-$round --batch-size 2048 --distributed mpi --table-sharding replicated > rep-$round.log 2> rep-$round.err
  grep -E "test AUC|samples/s|collectives" rep-$round.log
done
echo "end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
