#!/usr/bin/env bash
# Full shuffling against block shuffling on a prepared cache larger than the memory a training run may use.
# Needs root (a cgroup v1 memory group and dropping the cache file's pages before each run).
#   bench/out-of-core.sh CLICKWISE PREPARED_DIR LIMIT_MB OUT_DIR [extra train flags…]
# e.g. clickwise synth --profile criteo --rows 5000000 --seed 7 -o sc5m.tsv
#      clickwise prepare -d sc5m.tsv --format criteo -o sc5m.prepared
#      bench/out-of-core.sh "$(command -v clickwise)" sc5m.prepared 400 out-of-core --model deepfwfm --epochs 1
set -euo pipefail
cw=$1 prepared=$2 limit_mb=$3 out=$4
shift 4
group=/sys/fs/cgroup/memory/clickwise-out-of-core
mkdir -p "$group" "$out"
echo $((limit_mb * 1024 * 1024)) > "$group/memory.limit_in_bytes"
cache_bytes=$(stat -c %s "$prepared/cache/data.cwcache")
echo "cache $((cache_bytes / 1048576)) MiB, limit $limit_mb MiB" | tee "$out/setup.txt"

for mode in block full; do
  case $mode in
    block) order=(--set training.shuffle_block_rows=65536) ;;
    full) order=() ;;
  esac
  # Evict the cache file's pages, so the run reads what it needs from disk under the group's limit.
  python3 -c "import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)" "$prepared/cache/data.cwcache"
  echo 0 > "$group/memory.max_usage_in_bytes" 2>/dev/null || true
  start=$(date +%s.%N)
  sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' _ "$group" /usr/bin/time -v "$cw" train -d "$prepared" -o "$out/$mode.cwm" "${order[@]}" "$@" \
    > "$out/$mode.log" 2> "$out/$mode.time"
  end=$(date +%s.%N)
  echo "$mode: $(echo "$end - $start" | bc) s, peak group memory $(( $(cat "$group/memory.max_usage_in_bytes") / 1048576 )) MiB" | tee -a "$out/setup.txt"
done
