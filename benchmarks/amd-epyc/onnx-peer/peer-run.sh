#!/bin/bash
# Run 1 and 2 of README.md (peer-run.txt, peer-run-2.txt): the loop of idle-run.sh on the onnx branch's build. Those runs
# also printed `DOTNET_EnableAVX512F=0 clickwise info`, which .NET 10 ignores (Vector512 stays on).
CW_DLL=/work/wt-onnx/src/Clickwise.Cli/bin/Release/net10.0/Clickwise.Cli.dll BENCH_DIR="$PWD" bash "$(dirname "$0")/idle-run.sh"
