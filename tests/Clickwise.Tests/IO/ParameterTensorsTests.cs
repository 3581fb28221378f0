using Clickwise.IO;
using Clickwise.Layers;

namespace Clickwise.Tests.IO;

public sealed class ParameterTensorsTests
{
    private static ParameterSet Parameters(int hidden = 3)
    {
        var set = new ParameterSet();
        set.Add(Parameter.RowSparse("embedding", ParameterRole.Embedding, 4, 2).PrepareRowGradient(4));
        set.Add(Parameter.Dense("w", ParameterRole.DenseWeight, 2, hidden));
        set.Add(Parameter.Dense("b", ParameterRole.Bias, hidden));
        return set;
    }

    [Fact]
    public void SaveAndLoadThroughAFileRestoresEveryValue()
    {
        ParameterSet source = Parameters();
        var random = new Random(3);
        foreach (Parameter p in source)
        {
            for (int i = 0; i < p.Length; i++)
            {
                p.Value[i] = (float)random.NextDouble();
            }
        }

        string path = Path.Combine(Path.GetTempPath(), $"clickwise-pt-{Guid.NewGuid():N}.clkw");
        try
        {
            ModelFileWriter.Write(path, new ModelFileContent
            {
                Kind = ModelFileKind.Model,
                ConfigJson = "{}",
                Tensors = ParameterTensors.ToTensors(source),
            });
            ParameterSet target = Parameters();
            ParameterTensors.Load(target, ModelFileReader.Read(path).Tensors);
            for (int i = 0; i < source.Count; i++)
            {
                Assert.Equal(source[i].Value, target[i].Value);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AProjectionWrittenAsADenseWeightLoadsAsAnEmbeddingProjection()
    {
        var written = new ParameterSet();
        written.Add(Parameter.Dense("embedding.proj.weight", ParameterRole.DenseWeight, 2, 1, 3)).Value.AsSpan().Fill(0.5f);
        var model = new ParameterSet();
        Parameter projection = model.Add(Parameter.Dense("embedding.proj.weight", ParameterRole.EmbeddingProjection, 2, 1, 3));
        ParameterTensors.Load(model, ParameterTensors.ToTensors(written));
        Assert.All(projection.Value, v => Assert.Equal(0.5f, v));

        // Only that one way: a projection is no other role's parameter.
        var bias = new ParameterSet();
        bias.Add(Parameter.Dense("embedding.proj.weight", ParameterRole.Bias, 2, 1, 3));
        Assert.Throws<ModelFormatException>(() => ParameterTensors.Load(bias, ParameterTensors.ToTensors(model)));
    }

    [Fact]
    public void MismatchesAreNamed()
    {
        IReadOnlyList<ModelTensor> tensors = ParameterTensors.ToTensors(Parameters());

        var shape = Assert.Throws<ModelFormatException>(() => ParameterTensors.Load(Parameters(hidden: 5), tensors));
        Assert.Equal("tensor 'w' is Float32 [2, 3] in the file but the model expects Float32 [2, 5]", shape.Message);

        var missing = Assert.Throws<ModelFormatException>(() => ParameterTensors.Load(Parameters(), tensors.Skip(1).ToList()));
        Assert.Equal("model file has no tensor 'embedding' (shape [4, 2])", missing.Message);

        var extra = tensors.Append(ModelTensor.Float32("cin.weight", "DenseWeight", [1], new float[1])).ToList();
        Assert.Contains("model file has tensor 'cin.weight' that this model does not have",
            Assert.Throws<ModelFormatException>(() => ParameterTensors.Load(Parameters(), extra)).Message);

        // Optimizer and best-weight tensors live beside the parameters without disturbing a plain load.
        var withState = tensors.Append(ModelTensor.Float32("adam.m/w", "optimizer", [2, 3], new float[6])).ToList();
        ParameterTensors.Load(Parameters(), withState);
    }
}
