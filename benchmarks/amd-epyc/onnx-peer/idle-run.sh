#!/bin/bash
# Issue 14 on an idle machine (nothing else running): the plan beside ONNX Runtime in one process, the machine's default
# (AVX-512) and DOTNET_EnableAVX512=0, the four models of the done-when. Models and data as in README.md (in /tmp).
CW="dotnet ${CW_DLL:-/work/main/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll}"
cd "${BENCH_DIR:-/tmp/onnx2bench}"
git -C /work/main log -1 --format='build %h %s' ; $CW info | sed -n 3p; DOTNET_EnableAVX512=0 $CW info | sed -n 3p
for m in deepfwfm deepfm dcnv2 xdeepfm; do
  echo "== $m AVX-512 $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  $CW bench -m $m.cwm -d clicks.prepared --peer onnxruntime --requests 10000 --batch 10000 --rounds 3
  echo "== $m AVX2 (DOTNET_EnableAVX512=0) $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  DOTNET_EnableAVX512=0 $CW bench -m $m.cwm -d clicks.prepared --peer onnxruntime --requests 10000 --batch 10000 --rounds 3
done
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
