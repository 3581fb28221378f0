#!/usr/bin/env bash
# End-to-end `clickwise prepare` throughput (issue 15 item 3): MB/s of text, CPU time per MB (user+sys, steadier than
# wall time on a shared machine), peak RSS, and whether every run wrote the same cache and vocabulary byte for byte.
#
#   bench/prepare-throughput.sh DATA OUTDIR "label=CLI:THREADS" ...
#
# DATA is a text file (make one with `clickwise synth --rows 45000000 -o DATA`); OUTDIR receives the prepared
# directories (each deleted once its digest is taken). Each run is one "label=CLI:THREADS" spec, run in the order given, e.g.
#   bench/prepare-throughput.sh /data/c45m.txt /data/prep "main=/work/main/.../Clickwise.Cli:2" "new=./Clickwise.Cli:2"
# Prints a markdown table with the CPU and the load average before each run.
set -euo pipefail
data=$1; outdir=$2; shift 2
bytes=$(stat -c %s "$data")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
cpu=$(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "input: $data, $mb MB; CPU: $cpu, $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| run | threads | load avg (1 min) | wall s | MB/s | user s | sys s | CPU ms/MB | peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
mkdir -p "$outdir"
first=""
same=yes
for spec in "$@"; do
  label=${spec%%=*}; rest=${spec#*=}; cli=${rest%:*}; threads=${rest##*:}
  out="$outdir/$label-t$threads"
  rm -rf "$out"
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$outdir/time.txt" "$cli" prepare -d "$data" -o "$out" --threads "$threads" > "$outdir/$label-t$threads.log" 2>&1
  read -r wall user sys rss < "$outdir/time.txt"
  awk -v l="$label" -v t="$threads" -v load="$load" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v mb="$mb" \
    'BEGIN { printf "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.0f |\n", l, t, load, w, mb / w, u, s, (u + s) * 1000 / mb, r / 1024 }'
  # Compared by digest and deleted at once: a 45M-row cache is 7 GB.
  digest=$(cat "$out/cache/data.cwcache" "$out/cache/feature_map.json" | sha256sum | cut -c1-16)
  rm -rf "$out"
  if [ -z "$first" ]; then
    first=$digest
  elif [ "$digest" != "$first" ]; then
    same=no
  fi
done
echo
echo "caches and vocabularies byte-identical across runs (sha256 of cache + feature map $first): $same"
rm -f "$outdir/time.txt"
