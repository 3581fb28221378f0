namespace Clickwise.Data.Synthetic;

/// <summary>
/// The hidden model that labels synthetic rows:
/// logit = bias + scale · (Σ_f w_f(x_f) + Σ_(i,j) ρ_ij ⟨u_i(x_i), u_j(x_j)⟩ + Σ_(a,b,c) γ h_a(x_a) h_b(x_b) h_c(x_c)),
/// label ~ Bernoulli(sigmoid(logit)).
/// </summary>
/// <remarks>
/// The teacher sees each field through an id (<see cref="IdOf"/>): the frequent categories (rank below
/// <see cref="EffectCap"/>) have their own effects, all rarer ones share one "rare" effect and missing has its
/// own, which is what a model with a min-count vocabulary and OOV/missing ids can learn. Counts are seen
/// through Criteo winners' buckets (⌊ln(x)²⌋ for x &gt; 2), and their first-order effect is a smooth nonlinear
/// curve (tanh plus a bump) of log(1 + x). Every number is a hash of (seed, field, id, purpose), so the
/// tables are only a cache of the head. w: first-order (a field importance times a normal draw), u: rank-4
/// vectors for a handful of field pairs (what FM/FwFM can represent), h: ±1 signs on the 32 most frequent
/// ids for a few field triples (a parity-like three-way effect that only a deep part can fit).
/// </remarks>
internal sealed class Teacher
{
    public const int EffectCap = 2048;
    public const int CountBuckets = 256;
    public const int VectorRank = 4;
    public const int SignCap = 32;
    private const double PairWeight = 0.5;
    private const double TripleWeight = 0.35;

    private readonly SyntheticField[] _fields;
    private readonly float[][] _first;
    private readonly float[]?[] _vectors;
    private readonly sbyte[]?[] _signs;
    private readonly (int A, int B, float Weight)[] _pairs;
    private readonly (int A, int B, int C, float Weight)[] _triples;
    private double _scale = 1;

    public Teacher(SyntheticProfile profile, ulong seed)
    {
        _fields = profile.Fields.ToArray();
        int n = _fields.Length;
        _first = new float[n][];
        _vectors = new float[n][];
        _signs = new sbyte[n][];
        var inPair = new bool[n];
        var inTriple = new bool[n];
        foreach ((int a, int b) in profile.Pairs)
        {
            inPair[a] = inPair[b] = true;
        }

        foreach ((int a, int b, int c) in profile.Triples)
        {
            inTriple[a] = inTriple[b] = inTriple[c] = true;
        }

        for (int f = 0; f < n; f++)
        {
            _first[f] = FirstOrder(seed, f);
            if (inPair[f])
            {
                _vectors[f] = Vectors(seed, f);
            }

            if (inTriple[f])
            {
                _signs[f] = Signs(seed, f);
            }
        }

        _pairs = profile.Pairs
            .Select((p, i) => (p.A, p.B, (float)(PairWeight * (0.5 + Mix.Uniform(Mix.Hash(seed, -1, i, 20))))))
            .ToArray();
        _triples = profile.Triples
            .Select((t, i) => (t.A, t.B, t.C, (float)TripleWeight))
            .ToArray();
    }

    /// <summary>The logit offset chosen by <see cref="Calibrate"/>.</summary>
    public double Bias { get; private set; }

    /// <summary>The multiplier chosen by <see cref="Calibrate"/> (1 before).</summary>
    public double Scale => _scale;

    /// <summary>The id through which the teacher sees a field's value (table index).</summary>
    public int IdOf(int field, long value)
    {
        SyntheticField spec = _fields[field];
        switch (spec.Kind)
        {
            case SyntheticFieldKind.Categorical:
            {
                int cap = CapOf(spec);
                return value == SyntheticRow.Missing ? cap + 1 : (int)Math.Min(value, cap);
            }

            case SyntheticFieldKind.Count:
                return CountBucket(value);
            default:
                return (int)(value % 24);
        }
    }

    /// <summary>Criteo winners' bucket: 0 missing, 1 negative, 2..4 for 0..2, then 5 + ⌊ln(x)²⌋ (capped).</summary>
    public static int CountBucket(long value)
    {
        if (value == SyntheticRow.Missing)
        {
            return 0;
        }

        if (value < 0)
        {
            return 1;
        }

        if (value <= 2)
        {
            return 2 + (int)value;
        }

        double log = Math.Log(value);
        return (int)Math.Min(5 + Math.Floor(log * log), CountBuckets - 1);
    }

    /// <summary>The teacher's logit without bias; fills <see cref="SyntheticRow.TeacherIds"/>.</summary>
    public double RawLogit(SyntheticRow row)
    {
        long[] values = row.Values;
        int[] ids = row.TeacherIds;
        double sum = 0;
        for (int f = 0; f < _fields.Length; f++)
        {
            int id = IdOf(f, values[f]);
            ids[f] = id;
            sum += _first[f][id];
        }

        foreach ((int a, int b, float weight) in _pairs)
        {
            ReadOnlySpan<float> u = _vectors[a].AsSpan(ids[a] * VectorRank, VectorRank);
            ReadOnlySpan<float> v = _vectors[b].AsSpan(ids[b] * VectorRank, VectorRank);
            sum += weight * (u[0] * v[0] + u[1] * v[1] + u[2] * v[2] + u[3] * v[3]);
        }

        foreach ((int a, int b, int c, float weight) in _triples)
        {
            sum += weight * _signs[a]![ids[a]] * _signs[b]![ids[b]] * _signs[c]![ids[c]];
        }

        return _scale * sum;
    }

    public double Logit(SyntheticRow row) => Bias + RawLogit(row);

    /// <summary>
    /// Tunes the teacher on a pilot sample of raw logits (taken at scale 1): the scale makes their standard
    /// deviation <paramref name="logitStd"/>, which fixes how separable the labels are whatever the seed's
    /// draws of field importances; then the bias makes the mean probability <paramref name="positiveRate"/>
    /// (bisection; the mean is monotone in the bias).
    /// </summary>
    public void Calibrate(ReadOnlySpan<double> rawLogits, double logitStd, double positiveRate)
    {
        double mean = 0;
        foreach (double z in rawLogits)
        {
            mean += z;
        }

        mean /= rawLogits.Length;
        double variance = 0;
        foreach (double z in rawLogits)
        {
            variance += (z - mean) * (z - mean);
        }

        double std = Math.Sqrt(variance / rawLogits.Length);
        _scale = std > 0 ? logitStd / std : 1;

        double low = -40, high = 40;
        for (int iteration = 0; iteration < 80; iteration++)
        {
            double mid = (low + high) / 2;
            double rate = 0;
            foreach (double z in rawLogits)
            {
                rate += Metrics.LogLoss.Sigmoid(mid + _scale * z);
            }

            if (rate / rawLogits.Length < positiveRate)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        Bias = (low + high) / 2;
    }

    /// <summary>
    /// How many of a categorical field's ranks have their own effects (and, in a pair, their own vectors); every rank from
    /// here on shares the one rare id.
    /// </summary>
    internal static int CapOf(SyntheticField spec) => (int)Math.Min(spec.Cardinality, EffectCap);

    private int TableLength(int f) => _fields[f].Kind switch
    {
        SyntheticFieldKind.Categorical => CapOf(_fields[f]) + 2,
        SyntheticFieldKind.Count => CountBuckets,
        _ => 24,
    };

    private float[] FirstOrder(ulong seed, int f)
    {
        SyntheticField spec = _fields[f];
        var table = new float[TableLength(f)];
        double importance = spec.Importance * (0.5 + Mix.Uniform(Mix.Hash(seed, f, -1, 1)));
        switch (spec.Kind)
        {
            case SyntheticFieldKind.Categorical:
                for (int id = 0; id < table.Length; id++)
                {
                    table[id] = (float)(importance * Mix.Gaussian(Mix.Hash(seed, f, id, 2)));
                }

                break;
            case SyntheticFieldKind.Count:
            {
                // A smooth curve of log(1 + x): a tanh step around a jittered median plus a Gaussian bump.
                double amplitude = (Mix.Uniform(Mix.Hash(seed, f, -1, 3)) < 0.5 ? -1 : 1) * (0.6 + 0.8 * Mix.Uniform(Mix.Hash(seed, f, -1, 4)));
                double center = Math.Log(spec.Median + 1) + 0.5 * Mix.Gaussian(Mix.Hash(seed, f, -1, 5));
                double width = Math.Max(0.3, 0.7 * spec.Sigma);
                double bump = 0.5 * Mix.Gaussian(Mix.Hash(seed, f, -1, 6));
                double bumpCenter = center + spec.Sigma * Mix.Gaussian(Mix.Hash(seed, f, -1, 7));
                table[0] = (float)(importance * Mix.Gaussian(Mix.Hash(seed, f, 0, 2)));
                table[1] = (float)(importance * Mix.Gaussian(Mix.Hash(seed, f, 1, 2)));
                for (int id = 2; id < table.Length; id++)
                {
                    double x = id <= 4 ? id - 2 : Math.Exp(Math.Sqrt(id - 5 + 0.5));
                    double t = Math.Log(1 + x);
                    double curve = amplitude * Math.Tanh((t - center) / width) + bump * Math.Exp(-(t - bumpCenter) * (t - bumpCenter));
                    table[id] = (float)(importance * curve);
                }

                break;
            }

            default:
            {
                double phase = 24 * Mix.Uniform(Mix.Hash(seed, f, -1, 3));
                for (int hour = 0; hour < 24; hour++)
                {
                    table[hour] = (float)(importance * 0.5 * Math.Sin(2 * Math.PI * (hour - phase) / 24));
                }

                break;
            }
        }

        return table;
    }

    private float[] Vectors(ulong seed, int f)
    {
        int length = TableLength(f);
        var table = new float[length * VectorRank];

        // Rare and missing categories have no interaction (zero vectors); buckets and hours all do.
        int withVectors = _fields[f].Kind == SyntheticFieldKind.Categorical ? length - 2 : length;
        double norm = 1 / Math.Sqrt(VectorRank);
        for (int id = 0; id < withVectors; id++)
        {
            for (int r = 0; r < VectorRank; r++)
            {
                table[id * VectorRank + r] = (float)(norm * Mix.Gaussian(Mix.Hash(seed, f, id, 10 + r)));
            }
        }

        return table;
    }

    private sbyte[] Signs(ulong seed, int f)
    {
        int length = TableLength(f);
        var table = new sbyte[length];
        int withSigns = Math.Min(SignCap, _fields[f].Kind == SyntheticFieldKind.Categorical ? length - 2 : length);
        for (int id = 0; id < withSigns; id++)
        {
            table[id] = (sbyte)((Mix.Hash(seed, f, id, 30) & 1) == 0 ? -1 : 1);
        }

        return table;
    }
}
