namespace Clickwise.Models;

/// <summary>
/// The seed papers' architectures (DeepLight §5.1, Table 2 setup): Criteo — embedding 10, DNN 400×400×400,
/// dropout 0.5; Avazu — embedding 20, DNN 300×300×300, dropout 0.5. The optimiser numbers that go
/// with them (Adam lr 1e-3, L2 3e-7 / 6e-7, batch 2048) live in the training configs under configs/.
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
}
