using System.Globalization;
using Clickwise.Layers;

namespace Clickwise.Models;

/// <summary>
/// The seed papers' architectures (DeepLight §5.1, Table 2 setup): Criteo — embedding 10, DNN 400×400×400,
/// dropout 0.5; Avazu — embedding 20, DNN 300×300×300, dropout 0.5; and per model, the DeepFM paper's Table III and
/// the low-rank paper's baselines. The named presets that pair them with data and optimiser settings are
/// <c>Runs/RunPresets.cs</c>.
/// </summary>
public static class ModelPresets
{
    /// <remarks>
    /// The DeepFM paper's Table III (Criteo-Random) trains FM and the DeepFMs at embedding 10 and the other deep models at 11;
    /// for its FNN the 11 is the FM's k = 10 plus the first-order weight, which fnn adds itself (D + 1), and its
    /// "FM &amp; DNN" (wdl-fm) gets 11; both with DNN 400×400×400, dropout 0.5.
    /// </remarks>
    public static ModelConfig Criteo(string model = "deepfwfm") => new()
    {
        Name = model,
        EmbeddingDim = model is "wdl-fm" ? 11 : 10,
        HiddenUnits = [400, 400, 400],
        Dropout = 0.5f,
    };

    public static ModelConfig Avazu(string model = "deepfwfm") => new()
    {
        Name = model,
        EmbeddingDim = 20,
        HiddenUnits = [300, 300, 300],
        Dropout = 0.5f,
    };

    /// <summary>
    /// DeepLight / DeepFwFM (seed 000 §5.1.4), the same for every model: embedding 10 (Avazu 20), the DNN of DeepFM, NFM,
    /// xDeepFM and DeepFwFM 400×400×400 (Avazu 300×300×300) with dropout 0.5, xDeepFM's CIN 100×100×50. Models the paper
    /// does not train get the same numbers.
    /// </summary>
    public static ModelConfig DeepLight(string model, bool avazu) => new()
    {
        Name = model,
        EmbeddingDim = avazu ? 20 : 10,
        HiddenUnits = avazu ? [300, 300, 300] : [400, 400, 400],
        Dropout = 0.5f,
    };

    /// <summary>
    /// The DeepFM paper's Table III (seed 003 §IV.A.4) as printed: "activation;dropout;layers" per model for
    /// Criteo-Random and Criteo-Sequential. The paper's dropout is the probability that a neuron is KEPT (§IV.C.2,
    /// "Dropout refers to the probability that a neuron is kept"), so keep 0.8 is a dropout rate of 0.2 and 1.0 none.
    /// </summary>
    private static readonly (string Model, string Random, string Sequential)[] TableIII =
    [
        ("dnn", "relu;0.5;400-400-400", "relu;0.8;800-800-800-800-800"),
        ("fnn", "relu;0.5;400-400-400", "relu;0.9;1100-1000-900-800-700-600-500"),
        ("ipnn", "tanh;0.5;400-400-400", "tanh;0.8;800-800-800"),
        ("opnn", "relu;0.5;400-400-400", "relu;0.9;800-800-800-800-800"),
        ("pnn", "relu;0.5;400-400-400", "relu;0.8;800-800-800-800-800"),             // PNN*
        ("wdl", "relu;0.5;400-400-400", "relu;1.0;1100-1000-900-800-700-600-500"),    // LR & DNN
        ("wdl-fm", "relu;0.5;400-400-400", "tanh;0.7;1000-900-800-700-600"),          // FM & DNN
        ("deepfm", "relu;0.5;400-400-400", "relu;0.9;800-800-800-800-800-800-800"),   // DeepFM-D
        ("deepfm-ip", "relu;0.5;400-400-400", "relu;0.8;800-800-800"),
        ("deepfm-op", "relu;0.5;400-400-400", "relu;0.9;800-800-800-800-800"),
        ("deepfm-p", "relu;0.5;400-400-400", "relu;0.8;800-800-800-800-800"),         // DeepFM-*P
    ];

    /// <summary>The models the DeepFM paper's Table III gives settings for.</summary>
    public static IReadOnlyList<string> TableIIIModels { get; } = [.. TableIII.Select(row => row.Model)];

    /// <summary>
    /// The DeepFM paper's settings for <paramref name="model"/> on Criteo-Random or Criteo-Sequential: its Table III
    /// row, embedding 10 for FM and the DeepFMs and 11 for the other deep models (FNN's 11 is the FM's k = 10 plus the
    /// first-order weight, which fnn adds itself, so its D is 10). A model not in the table gets the Criteo-Random
    /// row every model shares there (relu, dropout 0.5, 400×400×400) at embedding 10.
    /// </summary>
    public static ModelConfig DeepFMPaper(string model, bool sequential)
    {
        int index = Array.FindIndex(TableIII, row => row.Model == model);
        string setting = index < 0 ? "relu;0.5;400-400-400" : sequential ? TableIII[index].Sequential : TableIII[index].Random;
        string[] parts = setting.Split(';');
        bool elevenWide = index >= 0 && model is not ("fnn" or "deepfm" or "deepfm-ip" or "deepfm-op" or "deepfm-p");
        return new ModelConfig
        {
            Name = model,
            EmbeddingDim = elevenWide ? 11 : 10,
            Activation = Enum.Parse<Activation>(parts[0], ignoreCase: true),
            Dropout = (float)(1m - decimal.Parse(parts[1], CultureInfo.InvariantCulture)),
            HiddenUnits = [.. parts[2].Split('-').Select(u => int.Parse(u, CultureInfo.InvariantCulture))],
        };
    }

    /// <summary>
    /// The low-rank compression paper's baselines (seed 002 §4.2, FiBiNet's settings), the same for every model: embedding
    /// 16 (Avazu 50), three ReLU layers of 400 (Avazu 2000), dropout 0.5 (appendix A.2).
    /// </summary>
    public static ModelConfig LowRank(string model, bool avazu) => new()
    {
        Name = model,
        EmbeddingDim = avazu ? 50 : 16,
        HiddenUnits = avazu ? [2000, 2000, 2000] : [400, 400, 400],
        Dropout = 0.5f,
    };
}
