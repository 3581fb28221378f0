#!/bin/bash
# before (81e1970 + bench header) / after (Wide256 band) alternating, AVX2 path
B="dotnet /tmp/onnx-before/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll"
A="dotnet /work/wt-onnx/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll"
export DOTNET_EnableAVX512=0
for round in 1 2 3; do
  for m in deepfwfm deepfm; do
    echo "== round $round $m before $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"; $B bench -m $m.cwm -d clicks.prepared --requests 10000 --batch 10000 | head -1
    echo "== round $round $m after"; $A bench -m $m.cwm -d clicks.prepared --requests 10000 --batch 10000 | head -1
  done
done
echo "== ops before"; $B bench -m deepfwfm.cwm -d clicks.prepared --requests 2000 --batch 1000 --ops | grep -A8 "plan ops"
echo "== ops after"; $A bench -m deepfwfm.cwm -d clicks.prepared --requests 2000 --batch 1000 --ops | grep -A8 "plan ops"
