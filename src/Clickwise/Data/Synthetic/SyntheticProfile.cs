namespace Clickwise.Data.Synthetic;

/// <summary>
/// A dataset's shape: its columns in output order, text layout, and where the hidden teacher puts its
/// field-pair and three-way effects. Built by <see cref="CriteoProfile"/> and <see cref="AvazuProfile"/>.
/// </summary>
internal sealed class SyntheticProfile
{
    /// <summary>Cardinalities up to this are kept as they are; larger ones are scaled, not below it.</summary>
    public const long ScaleThreshold = 100_000;

    public SyntheticProfile(
        string name,
        TextLayout layout,
        IReadOnlyList<SyntheticField> fields,
        IReadOnlyList<(string A, string B)> pairs,
        IReadOnlyList<(string A, string B, string C)> triples,
        double appShare,
        double teacherLogitStd)
    {
        Name = name;
        Layout = layout;
        Fields = fields;
        AppShare = appShare;
        TeacherLogitStd = teacherLogitStd;
        Pairs = pairs.Select(p => (IndexOf(p.A), IndexOf(p.B))).ToArray();
        Triples = triples.Select(t => (IndexOf(t.A), IndexOf(t.B), IndexOf(t.C))).ToArray();
        MissingGroups = fields.Count == 0 ? 0 : fields.Max(f => f.MissingGroup) + 1;
        foreach (SyntheticField field in fields)
        {
            Validate(field);
        }
    }

    public string Name { get; }

    public TextLayout Layout { get; }

    public IReadOnlyList<SyntheticField> Fields { get; }

    public IReadOnlyList<(int A, int B)> Pairs { get; }

    public IReadOnlyList<(int A, int B, int C)> Triples { get; }

    /// <summary>Share of app (vs site) rows when fields carry a <see cref="SiteAppSide"/>; 0 otherwise.</summary>
    public double AppShare { get; }

    /// <summary>Standard deviation of the teacher's logit; sets how separable the labels are (its AUC).</summary>
    public double TeacherLogitStd { get; }

    public int MissingGroups { get; }

    public static SyntheticProfile Create(string name, double cardinalityScale) => name switch
    {
        "criteo" => CriteoProfile.Create(cardinalityScale),
        "avazu" => AvazuProfile.Create(cardinalityScale),
        _ => throw new ArgumentException($"unknown synthetic profile '{name}' (expected criteo or avazu)", nameof(name)),
    };

    /// <summary>Scales a huge real-data cardinality (from tens of millions of rows) down for smaller files.</summary>
    public static long Scale(long cardinality, double scale) =>
        cardinality <= ScaleThreshold ? cardinality : Math.Max(ScaleThreshold, (long)Math.Round(cardinality * scale));

    private int IndexOf(string fieldName)
    {
        for (int i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Name == fieldName)
            {
                return i;
            }
        }

        throw new ArgumentException($"profile {Name} has no field {fieldName}");
    }

    private static void Validate(SyntheticField field)
    {
        if (field.Kind != SyntheticFieldKind.Categorical)
        {
            return;
        }

        bool ok = field.Style switch
        {
            TokenStyle.IntList => field.IntValues.Count == field.Cardinality,
            TokenStyle.IntRange => field.Cardinality <= field.RangeSpan && field.RangeSpan % CategoryText.RangeMultiplier != 0,
            _ => field.Cardinality <= uint.MaxValue,
        };
        if (!ok || field.Cardinality < 1 || field.Head.Count > field.Cardinality)
        {
            throw new ArgumentException($"field {field.Name}: its tokens cannot encode {field.Cardinality} distinct categories");
        }
    }
}
