#!/usr/bin/env bash
# Peak RSS and wall of `prepare` with the vocabulary pass's memory unbounded and bounded (spilling), and of the build
# before the budget existed, alternating on one file; every output's cache and feature map hashed.
# Usage: bench/vocab-spill.sh DATA.tsv OUT_DIR ROUNDS "label=dll [prepare options]" ...
#   e.g. bench/vocab-spill.sh /tmp/s10m.tsv /tmp/vocab-bench 2 "old=/tmp/old/Clickwise.Cli.dll" \
#        "unbounded=src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll --vocab-memory unbounded" ...
# Writes OUT_DIR/results.tsv (label, round, UTC start, load average, wall s, user s, sys s, peak RSS KB, peak RSS KB
# sampled every 0.2 s before the cache file appears (pass 1: the vocabulary), spill runs, largest spill bytes seen at
# once, sha256 of cache and map) and OUT_DIR/<label>-<round>.time (the /usr/bin/time -v output).
set -euo pipefail
data=$1 out=$2 rounds=$3
shift 3
mkdir -p "$out"
results=$out/results.tsv
[[ -f $results ]] || printf 'label\tround\tutc\tload\twall_s\tuser_s\tsys_s\tpeak_rss_kb\tpass1_rss_kb\tspill_runs\tspill_bytes_max\tcache_sha256\tmap_sha256\n' > "$results"
for round in $(seq 1 "$rounds"); do
  for config in "$@"; do
    label=${config%%=*}
    read -r -a command <<< "${config#*=}"
    prepared=$out/prepared-$label
    rm -rf "$prepared" "$out/spill.log"
    utc=$(date -u +%H:%M:%S) load=$(cut -d' ' -f1 /proc/loadavg)
    # Watch the spill runs while they exist (they are deleted by the merge): the highest run number and the bytes on disk;
    # and the process's RSS until pass 2 starts writing the cache.
    ( set +e +o pipefail
      while sleep 0.2; do
        pid=$(pgrep -f -- "^dotnet .* -o $prepared " | head -1 || true)
        rss=0
        if [[ -n $pid ]] && ! find "$out" -path "*prepared-$label*" -name '*data.cwcache*' 2>/dev/null | grep -q .; then
          rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
        fi
        find "$out" -name 'run-*.cwcr' -printf '%f %s\n' 2>/dev/null \
          | awk -v rss="${rss:-0}" '{ sub(/run-/, "", $1); sub(/\.cwcr/, "", $1); if ($1 + 0 > n) n = $1 + 0; s += $2 } END { print n + 0, s + 0, rss }'
      done > "$out/spill.log" ) &
    watcher=$!
    /usr/bin/time -v -o "$out/$label-$round.time" dotnet "${command[0]}" prepare -d "$data" --format criteo -o "$prepared" --threads 2 \
      "${command[@]:1}" > "$out/$label-$round.out" 2> /dev/null
    kill "$watcher" 2> /dev/null || true
    wait "$watcher" 2> /dev/null || true
    runs=$(awk 'BEGIN { n = 0 } { if ($1 + 0 > n) n = $1 + 0 } END { print n }' "$out/spill.log")
    bytes=$(awk 'BEGIN { n = 0 } { if ($2 + 0 > n) n = $2 + 0 } END { print n }' "$out/spill.log")
    pass1=$(awk 'BEGIN { n = 0 } { if ($3 + 0 > n) n = $3 + 0 } END { print n }' "$out/spill.log")
    t=$out/$label-$round.time
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$t")
    user=$(awk -F': ' '/User time/ { print $2 }' "$t") sys=$(awk -F': ' '/System time/ { print $2 }' "$t")
    rss=$(awk -F': ' '/Maximum resident/ { print $2 }' "$t")
    cache=$(sha256sum "$prepared/cache/data.cwcache" | cut -c1-16) map=$(sha256sum "$prepared/cache/feature_map.json" | cut -c1-16)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$round" "$utc" "$load" "$wall" "$user" "$sys" "$rss" "$pass1" "$runs" "$bytes" "$cache" "$map" | tee -a "$results"
    rm -rf "$prepared"
  done
done
