using System.Diagnostics;
using Clickwise.Inference;
using Clickwise.Interchange;
using Microsoft.ML.OnnxRuntime;

namespace Clickwise.Experiments;

/// <summary>
/// The exported model run by ONNX Runtime, timed the way <see cref="SpeedProbe"/> times the compiled plan: batch-1
/// probability requests on one intra-op thread after a warm-up, then logits of one large batch on the given threads,
/// with every graph optimisation on and inputs and outputs bound to preallocated buffers (no allocation per request).
/// </summary>
public static class OnnxRuntimePeer
{
    /// <summary>The ONNX Runtime build the peer runs.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    /// <summary>
    /// The compiled plan and ONNX Runtime on the same rows in alternating rounds (plan, runtime, plan, …), each measure the
    /// median over rounds: batch-1 latency on one thread for both, batch throughput on <paramref name="batchThreads"/> threads.
    /// </summary>
    public static PeerComparison Compare(CompiledModel plan, byte[] onnx, int[] ids, int rows, int requests, int batchSize, int batchThreads,
                                         int rounds)
    {
        var ours = new List<SpeedReport>();
        var theirs = new List<SpeedReport>();
        for (int round = 0; round < rounds; round++)
        {
            ours.Add(SpeedProbe.Measure(plan, ids, rows, requests, batchSize, batchThreads));
            theirs.Add(Measure(onnx, plan.FieldCount, ids, rows, requests, batchSize, batchThreads));
        }

        return new PeerComparison(Median(ours), Median(theirs), rounds);
    }

    /// <summary>Per measure, the median over rounds.</summary>
    private static SpeedReport Median(List<SpeedReport> rounds)
    {
        double Middle(IEnumerable<double> values) => values.Order().ElementAt(rounds.Count / 2);
        SpeedReport first = rounds[0];
        return first with
        {
            P50Micros = Middle(rounds.Select(r => r.P50Micros)),
            P99Micros = Middle(rounds.Select(r => r.P99Micros)),
            BatchSamplesPerSec = Middle(rounds.Select(r => r.BatchSamplesPerSec)),
        };
    }

    /// <param name="onnx">The ONNX model (<see cref="OnnxExport.ToOnnx(Runs.ModelArtifact)"/>); it must take ids alone.</param>
    public static SpeedReport Measure(byte[] onnx, int fieldCount, int[] ids, int rows, int requests = 10_000, int batchSize = 10_000,
                                      int batchThreads = 2, int batchRepetitions = 5)
    {
        double[] micros = new double[requests];
        float sink = 0f;
        using (var single = new Runner(onnx, fieldCount, 1, 1, OnnxExport.ProbabilitiesOutput))
        {
            long warmupEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency * SpeedProbe.WarmupMilliseconds / 1000;
            for (int i = 0; i < Math.Min(2000, requests) || Stopwatch.GetTimestamp() < warmupEnd; i++)
            {
                sink += single.Run(ids.AsSpan(i % rows * fieldCount, fieldCount));
            }

            double tickToMicro = 1e6 / Stopwatch.Frequency;
            for (int i = 0; i < requests; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                sink += single.Run(ids.AsSpan(i % rows * fieldCount, fieldCount));
                micros[i] = (Stopwatch.GetTimestamp() - t0) * tickToMicro;
            }
        }

        Array.Sort(micros);
        double[] seconds = new double[batchRepetitions];
        using (var batched = new Runner(onnx, fieldCount, batchSize, batchThreads, OnnxExport.LogitsOutput))
        {
            for (int r = 0; r < batchSize; r++)
            {
                for (int f = 0; f < fieldCount; f++)
                {
                    batched.Ids[(long)r * fieldCount + f] = ids[r % rows * fieldCount + f];
                }
            }

            sink += batched.Run();
            for (int k = 0; k < batchRepetitions; k++)
            {
                long t0 = Stopwatch.GetTimestamp();
                sink += batched.Run();
                seconds[k] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }
        }

        Array.Sort(seconds);
        GC.KeepAlive(sink);
        return new SpeedReport(requests, micros[requests / 2], micros[Math.Min(requests - 1, (int)(0.99 * requests))], batchSize,
            batchSize / seconds[seconds.Length / 2], batchThreads);
    }

    /// <summary>One session with its input and output bound to fixed buffers of <c>rows</c> rows.</summary>
    private sealed class Runner : IDisposable
    {
        private readonly SessionOptions _options;
        private readonly InferenceSession _session;
        private readonly RunOptions _run = new();
        private readonly long[] _ids;
        private readonly float[] _output;
        private readonly OrtValue _input;
        private readonly OrtValue _result;
        private readonly string[] _inputNames = [OnnxExport.IdsInput];
        private readonly string[] _outputNames;

        public Runner(byte[] onnx, int fieldCount, int rows, int threads, string output)
        {
            _options = new SessionOptions
            {
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            _session = new InferenceSession(onnx, _options);
            _ids = new long[(long)rows * fieldCount];
            _output = new float[rows];
            _input = OrtValue.CreateTensorValueFromMemory(_ids, [rows, fieldCount]);
            _result = OrtValue.CreateTensorValueFromMemory(_output, [rows, 1]);
            _outputNames = [output];
        }

        /// <summary>The bound ids input, [rows, F].</summary>
        public long[] Ids => _ids;

        /// <summary>Runs one row of global ids (widened to INT64 as a caller of the graph must); returns its output.</summary>
        public float Run(ReadOnlySpan<int> ids)
        {
            for (int i = 0; i < ids.Length; i++)
            {
                _ids[i] = ids[i];
            }

            return Run();
        }

        /// <summary>Runs the bound rows; returns the first row's output.</summary>
        public float Run()
        {
            _session.Run(_run, _inputNames, [_input], _outputNames, [_result]);
            return _output[0];
        }

        public void Dispose()
        {
            _input.Dispose();
            _result.Dispose();
            _run.Dispose();
            _session.Dispose();
            _options.Dispose();
        }
    }
}

/// <summary>The plan and ONNX Runtime side by side: medians over alternating rounds, and the runtime's time over the plan's.</summary>
public sealed record PeerComparison(SpeedReport Plan, SpeedReport OnnxRuntime, int Rounds)
{
    /// <summary>ONNX Runtime's batch-1 p50 over the plan's: above 1, the plan answers sooner.</summary>
    public double P50Ratio => OnnxRuntime.P50Micros / Plan.P50Micros;

    public double P99Ratio => OnnxRuntime.P99Micros / Plan.P99Micros;

    /// <summary>The plan's batch samples/s over ONNX Runtime's: above 1, the plan is faster.</summary>
    public double ThroughputRatio => Plan.BatchSamplesPerSec / OnnxRuntime.BatchSamplesPerSec;
}
