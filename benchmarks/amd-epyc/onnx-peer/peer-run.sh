#!/bin/bash
CW="dotnet /work/wt-onnx/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll"
echo "== clickwise info: default, DOTNET_EnableAVX512F=0 (ignored by .NET 10), DOTNET_EnableAVX512=0"
$CW info | sed -n 3p; DOTNET_EnableAVX512F=0 $CW info | sed -n 3p; DOTNET_EnableAVX512=0 $CW info | sed -n 3p
for m in deepfwfm deepfm dcnv2 xdeepfm; do
  echo "== $m AVX-512 $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  $CW bench -m $m.cwm -d clicks.prepared --peer onnxruntime --requests 10000 --batch 10000 --rounds 3
  echo "== $m AVX2 (DOTNET_EnableAVX512=0) $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  DOTNET_EnableAVX512=0 $CW bench -m $m.cwm -d clicks.prepared --peer onnxruntime --requests 10000 --batch 10000 --rounds 3
done
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
