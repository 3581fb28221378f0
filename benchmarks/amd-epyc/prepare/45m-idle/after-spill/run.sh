#!/bin/bash
# Issue 15 item 3 on the idle machine after the bounded vocabulary pass (vocab branch, merged at 7a7bbe2; build 0ca08c4):
# new against old (aa5a09f) side by side with the file in the page cache, then new cold twice, then new at a 256 MB budget.
cd /tmp/p45
old=/tmp/dlx/bin/Clickwise.Cli; new=/tmp/p45/bin/Clickwise.Cli
run() { # name binary [extra args]
  local name=$1 bin=$2; shift 2
  rm -rf out-$name
  echo "$name start $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
  /usr/bin/time -v $bin prepare -d sc45m.tsv --format criteo -o out-$name --threads 2 "$@" > $name.log 2> $name.err
  grep -E "Elapsed|Maximum resident|User time|System time" $name.err | sed 's/^\s*/  /'
  (cd out-$name && find . -type f ! -name "*.json" -o -name feature_map.json | sort | xargs sha256sum) | cut -c1-16 | tr '\n' ' '; echo
  rm -rf out-$name
}
cat sc45m.tsv > /dev/null
run new-warm-1 $new
run old-warm-1 $old
run new-warm-2 $new
run old-warm-2 $old
sync; echo 1 > /proc/sys/vm/drop_caches; run new-cold-1 $new
sync; echo 1 > /proc/sys/vm/drop_caches; run new-cold-2 $new
cat sc45m.tsv > /dev/null
run new-256mb $new --vocab-memory 256MB
echo "end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
