#!/bin/bash
# Issue 14: both runtimes on their AVX2 kernels. bench/cpuid-mask/mask-avx512.so hides AVX-512 from CPUID for the whole
# process (the .NET JIT, ONNX Runtime's MLAS and cpuinfo alike), so the plan and ONNX Runtime each pick the kernels they
# would pick on an AVX2-only CPU. Models and data as in README.md (in /tmp).
set -e
here="$(cd "$(dirname "$0")/../../.." && pwd)"
gcc -O2 -Wall -Wextra -shared -fPIC -o /tmp/mask-avx512.so "$here/bench/cpuid-mask/mask-avx512.c" -ldl
CW="dotnet ${CW_DLL:-$here/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll}"
cd "${BENCH_DIR:-/tmp/onnx2bench}"
git -C "$here" log -1 --format='build %h %s'
LD_PRELOAD=/tmp/mask-avx512.so $CW info | sed -n 3p
for m in deepfwfm deepfm dcnv2 xdeepfm; do
  echo "== $m CPUID without AVX-512 $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  LD_PRELOAD=/tmp/mask-avx512.so $CW bench -m $m.cwm -d clicks.prepared --peer onnxruntime --requests 10000 --batch 10000 --rounds 3
  echo "== $m AVX-512 $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  $CW bench -m $m.cwm -d clicks.prepared --peer onnxruntime --requests 10000 --batch 10000 --rounds 3
done
echo "== end $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
