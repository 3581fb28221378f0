using System.Runtime.InteropServices;

namespace Clickwise.Interchange;

/// <summary>
/// An ONNX graph under construction, fed by a plan's ops in order. It mirrors the plan's scratch tape: an op reads and
/// writes [N, width] column ranges of the tape by offset, and the graph maps each range to the tensor that holds it
/// (slicing or concatenating where an op reads across what others wrote). Contributions to the logit are collected
/// and summed at the end with the plan's starting logit. Inputs: <c>ids</c> INT64 [N, F] (global rows); or, when the model's
/// data carries values (libsvm, libffm, whose fields may be multi-hot), <c>ids</c> INT64 and <c>values</c> FP32 [N, F, K]:
/// K features per field, padded with value 0, pooled as Σ_k v_k·T[id_k]. Outputs: <c>logits</c> and <c>probabilities</c> [N, 1].
/// </summary>
internal sealed class OnnxGraph
{
    public const string IdsInput = "ids";
    public const string ValuesInput = "values";
    public const string LogitsOutput = "logits";
    public const string ProbabilitiesOutput = "probabilities";

    /// <summary>The operator set the graph is written against (every op used here has had its current form since 13).</summary>
    public const int OpsetVersion = 17;

    // ONNX IR version 8 goes with opset 17; TensorProto.DataType.
    private const int IrVersion = 8;
    private const int FloatType = 1;
    private const int Int64Type = 7;

    private readonly ProtoWriter _graph = new();
    private readonly SortedDictionary<int, (int Width, string Name)> _tape = [];
    private readonly List<string> _logits = [];

    // Kept by reference until the model is written, when each goes inline or to the external data file.
    private readonly List<(string Name, int Type, long[] Dims, Array Data)> _initializers = [];
    private int _names;
    private string? _valuesPerRow;

    public OnnxGraph(int fieldCount, bool hasValues)
    {
        FieldCount = fieldCount;
        Values = hasValues ? ValuesInput : null;
    }

    public int FieldCount { get; }

    /// <summary>The values input [N, F, K], or null when the model's data has none (every value is 1, one feature per field).</summary>
    public string? Values { get; }

    /// <summary>A constant FP32 tensor of the given shape (the graph's initializer), by name.</summary>
    public string Weight(string hint, float[] values, params long[] dims) => Initializer(hint, FloatType, values, dims);

    /// <summary>A constant INT64 vector (shapes, axes, slice bounds), by name.</summary>
    public string Int64s(params long[] values) => Initializer("const", Int64Type, values, values.Length);

    /// <summary>Bytes of every initializer: what decides whether they are written outside the model (<see cref="OnnxExternalData"/>).</summary>
    public long InitializerBytes => _initializers.Sum(i => (long)Bytes(i.Data).Length);

    /// <summary>Adds a node with one output and returns the output's name (<paramref name="output"/> or a new one).</summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string? output = null, params OnnxAttribute[] attributes)
    {
        output ??= NewName(opType.ToLowerInvariant());
        _graph.Message(1, node =>
        {
            foreach (string input in inputs)
            {
                node.String(1, input);
            }

            node.String(2, output);
            node.String(3, output);
            node.String(4, opType);
            foreach (OnnxAttribute attribute in attributes)
            {
                node.Message(5, attribute.WriteTo);
            }
        });
        return output;
    }

    public string Reshape(string input, params long[] shape) => Node("Reshape", [input, Int64s(shape)]);

    /// <summary>Σ over <paramref name="axes"/>, those axes kept as size 1.</summary>
    public string ReduceSum(string input, params long[] axes) => Node("ReduceSum", [input, Int64s(axes)], null, OnnxAttribute.Of("keepdims", 1L));

    /// <summary>Indices [start, end) of <paramref name="axis"/>.</summary>
    public string Slice(string input, long start, long end, long axis) => Node("Slice", [input, Int64s(start), Int64s(end), Int64s(axis)]);

    /// <summary>x·W + b for x [N, in] and W stored [in, out] (the plan's layout) as one Gemm node.</summary>
    public string Dense(string input, float[] weight, float[] bias, int inputSize, int outputSize) =>
        Node("Gemm", [input, Weight("weight", weight, inputSize, outputSize), Weight("bias", bias, outputSize)]);

    /// <summary>x·w for x [N, in] and w [in]: [N, 1].</summary>
    public string Dot(string input, float[] weight) => Node("MatMul", [input, Weight("weight", weight, weight.Length, 1)]);

    /// <summary>
    /// The rows of <paramref name="table"/> at every field's id: [N, F, rowWidth], or [N, F] for a table of single weights
    /// (<paramref name="rowWidth"/> 0). With values, each field's K rows are scaled by their values and summed, the pooling
    /// of a multi-hot field (the embedding kernel's first feature plus <c>GatherExtra</c>); padding, valued 0, adds nothing.
    /// </summary>
    public string Lookup(string hint, float[] table, int rowWidth = 0)
    {
        long[] dims = rowWidth == 0 ? [table.Length] : [table.Length / rowWidth, rowWidth];
        string rows = Node("Gather", [Weight(hint, table, dims), IdsInput]);
        if (Values is null)
        {
            return rows;
        }

        string scale = rowWidth == 0 ? Values : _valuesPerRow ??= Node("Unsqueeze", [Values, Int64s(3)]);
        return Node("ReduceSum", [Node("Mul", [rows, scale]), Int64s(2)], null, OnnxAttribute.Of("keepdims", 0L));
    }

    /// <summary>½((Σ_f e)² − Σ_f e²) of [N, F, D] embeddings, [N, 1, D]: NFM's bi-interaction, whose sum over D is FM's term.</summary>
    public string BiInteraction(string embeddings)
    {
        string sum = ReduceSum(embeddings, 1);
        string sumOfSquares = ReduceSum(Node("Mul", [embeddings, embeddings]), 1);
        string difference = Node("Sub", [Node("Mul", [sum, sum]), sumOfSquares]);
        return Node("Mul", [difference, Weight("half", [0.5f], 1)]);
    }

    /// <summary>The tensor holding tape columns [offset, offset + width) of every row, [N, width].</summary>
    public string Read(int offset, int width)
    {
        var pieces = new List<string>();
        for (int position = offset, end = offset + width; position < end;)
        {
            (int start, (int segmentWidth, string? name)) = _tape.LastOrDefault(s => s.Key <= position);
            if (name is null || start + segmentWidth <= position)
            {
                throw new InvalidOperationException($"tape columns from {position} are read before an op writes them");
            }

            int take = Math.Min(end, start + segmentWidth) - position;
            pieces.Add(position == start && take == segmentWidth
                ? name
                : Slice(name, position - start, position - start + take, 1));
            position += take;
        }

        return pieces.Count == 1 ? pieces[0] : Node("Concat", pieces, null, OnnxAttribute.Of("axis", 1L));
    }

    /// <summary>Records that <paramref name="name"/> [N, width] now holds tape columns [offset, offset + width).</summary>
    public void Write(int offset, int width, string name)
    {
        foreach (int start in _tape.Keys.Where(s => s < offset + width && offset < s + _tape[s].Width).ToArray())
        {
            _tape.Remove(start);
        }

        _tape[offset] = (width, name);
    }

    /// <summary>Adds an [N, 1] tensor to every row's logit.</summary>
    public void AddToLogits(string name) => _logits.Add(name);

    /// <summary>Ends the graph: the logits are the collected contributions plus <paramref name="startLogit"/>, the probabilities their sigmoid.</summary>
    public void Finish(float startLogit)
    {
        if (_logits.Count == 0)
        {
            throw new InvalidOperationException("the plan adds nothing to the logits");
        }

        string sum = _logits.Count == 1 ? _logits[0] : Node("Sum", _logits);
        Node("Add", [sum, Weight("start_logit", [startLogit], 1)], LogitsOutput);
        Node("Sigmoid", [LogitsOutput], ProbabilitiesOutput);
    }

    /// <summary>
    /// The ModelProto of the finished graph, its initializers inline or, with <paramref name="external"/>, the large ones
    /// written there (once: the graph writes its initializers as it serialises).
    /// </summary>
    public byte[] ToModel(string producerVersion, OnnxExternalData? external)
    {
        var graph = new ProtoWriter();
        graph.Append(_graph);
        foreach ((string name, int type, long[] dims, Array data) in _initializers)
        {
            graph.Message(5, tensor => WriteTensor(tensor, name, type, Bytes(data), dims, external));
        }

        graph.String(2, "clickwise");
        WriteValueInfo(graph, 11, IdsInput, Int64Type, InputShape);
        if (Values is not null)
        {
            WriteValueInfo(graph, 11, ValuesInput, FloatType, InputShape);
        }

        WriteValueInfo(graph, 12, LogitsOutput, FloatType, OutputShape);
        WriteValueInfo(graph, 12, ProbabilitiesOutput, FloatType, OutputShape);

        var model = new ProtoWriter();
        model.Int(1, IrVersion);
        model.String(2, "clickwise");
        model.String(3, producerVersion);
        model.Message(7, graph);
        model.Message(8, opset =>
        {
            opset.String(1, "");
            opset.Int(2, OpsetVersion);
        });
        return model.ToArray();
    }

    private string Initializer(string hint, int type, Array data, params long[] dims)
    {
        string name = NewName(hint);
        _initializers.Add((name, type, dims, data));
        return name;
    }

    private static ReadOnlySpan<byte> Bytes(Array data) => data switch
    {
        float[] floats => MemoryMarshal.AsBytes(floats.AsSpan()),
        long[] longs => MemoryMarshal.AsBytes(longs.AsSpan()),
        _ => throw new ArgumentException($"no ONNX tensor type for {data.GetType()}"),
    };

    private string NewName(string hint) => $"{hint}_{_names++}";

    /// <summary>The shape of the inputs: [N, F], or [N, F, K] with values; a string names a symbolic dimension.</summary>
    public object[] InputShape => Values is null ? ["N", FieldCount] : ["N", FieldCount, "K"];

    /// <summary>The shape of both outputs, [N, 1].</summary>
    public static object[] OutputShape => ["N", 1];

    /// <summary>A graph input (11) or output (12) of element type <paramref name="type"/> and <paramref name="shape"/>.</summary>
    private static void WriteValueInfo(ProtoWriter graph, int field, string name, int type, object[] shape) => graph.Message(field, info =>
    {
        info.String(1, name);
        info.Message(2, typeProto => typeProto.Message(1, tensor =>
        {
            tensor.Int(1, type);
            tensor.Message(2, shapeProto =>
            {
                foreach (object dim in shape)
                {
                    shapeProto.Message(1, d =>
                    {
                        if (dim is string symbol)
                        {
                            d.String(2, symbol);
                        }
                        else
                        {
                            d.Int(1, (int)dim);
                        }
                    });
                }
            });
        }));
    });

    /// <summary>TensorProto: dims 1, data_type 2, name 8, then raw_data 9 (little-endian, as this machine stores them) or a reference to the external file.</summary>
    private static void WriteTensor(ProtoWriter tensor, string name, int type, ReadOnlySpan<byte> data, long[] dims, OnnxExternalData? external)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian");
        }

        foreach (long dim in dims)
        {
            tensor.Int(1, dim);
        }

        tensor.Int(2, type);
        tensor.String(8, name);
        if (external is not null && OnnxExternalData.Holds(data.Length))
        {
            external.Write(tensor, data);
        }
        else
        {
            tensor.Bytes(9, data);
        }
    }
}
