using Clickwise.Data;

namespace Clickwise.Serving;

/// <summary>A request's rows as the compiled plan reads them: global ids [N, F], values [N, F] (null: all ones), multi-hot extras.</summary>
internal sealed class EncodedRows
{
    public EncodedRows(int rows, int fieldCount)
    {
        Rows = rows;
        Ids = new int[rows * fieldCount];
    }

    public int Rows { get; }

    public int[] Ids { get; }

    public float[]? Values { get; set; }

    /// <summary>The further features of multi-hot fields (libsvm/libffm), or null when every field is one-hot.</summary>
    public ExtraFeatures? Extras { get; set; }
}
