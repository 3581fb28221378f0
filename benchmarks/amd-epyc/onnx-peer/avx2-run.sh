#!/bin/bash
# Issue 14, AVX2 emulation round 2 (branch onnx2): the plan before (main at 14d1411) and after the CIN fold, each beside
# ONNX Runtime in one process, with and without DOTNET_EnableAVX512=0. Models and data as in README.md (in /tmp).
BEFORE="dotnet /tmp/onnx2-before/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll"
AFTER="dotnet /work/wt-onnx2/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll"
cd /tmp/onnx2bench
$AFTER info | sed -n 3p; DOTNET_EnableAVX512=0 $AFTER info | sed -n 3p
for m in xdeepfm deepfwfm deepfm dcnv2; do
  for build in after before; do
    [ $build = before ] && [ $m != xdeepfm ] && continue
    CW=$AFTER; [ $build = before ] && CW=$BEFORE
    echo "== $m $build AVX-512 $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    $CW bench -m $m.cwm -d clicks.prepared --peer onnxruntime --requests 10000 --batch 10000 --rounds 3
    echo "== $m $build AVX2 (DOTNET_EnableAVX512=0) $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    DOTNET_EnableAVX512=0 $CW bench -m $m.cwm -d clicks.prepared --peer onnxruntime --requests 10000 --batch 10000 --rounds 3
  done
done
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
