#!/bin/bash
# Issue 15 item 3: inputs hashed beside the passes (main 01c1c54, bin2) against after them (0ca08c4, bin), side by side,
# file in the page cache; then 01c1c54 cold twice. Idle machine.
cd /tmp/p45
old=/tmp/p45/bin/Clickwise.Cli; new=/tmp/p45/bin2/Clickwise.Cli
run() { # name binary [extra args]
  local name=$1 bin=$2; shift 2
  rm -rf out-$name
  echo "$name start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -v $bin prepare -d sc45m.tsv --format criteo -o out-$name --threads 2 "$@" > $name.log 2> $name.err
  grep -E "Elapsed|Maximum resident|User time|System time" $name.err | sed 's/^\s*/  /'
  (cd out-$name && find . -type f ! -name "*.json" -o -name feature_map.json | sort | xargs sha256sum) | cut -c1-16 | tr '\n' ' '; echo
  grep -o '"sha256": *"[0-9a-f]*"' out-$name/cache/prepared.json | head -1
  rm -rf out-$name
}
cat sc45m.tsv > /dev/null
run hashbeside-warm-1 $new
run hashafter-warm-1 $old
run hashbeside-warm-2 $new
run hashafter-warm-2 $old
sync; echo 1 > /proc/sys/vm/drop_caches; run hashbeside-cold-1 $new
sync; echo 1 > /proc/sys/vm/drop_caches; run hashbeside-cold-2 $new
echo "end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
