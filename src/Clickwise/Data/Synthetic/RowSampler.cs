namespace Clickwise.Data.Synthetic;

/// <summary>
/// Draws a row's visible values: Zipf categories, lognormal counts, missing values, site/app traffic.
/// Immutable after construction and shared by all chunk workers; each worker passes its own generator.
/// </summary>
internal sealed class RowSampler
{
    /// <summary>Avazu's ten days, 2014-10-21 00h to 2014-10-30 23h.</summary>
    public const int HourSpan = 240;

    private readonly SyntheticProfile _profile;
    private readonly SyntheticField[] _fields;
    private readonly ZipfSampler?[] _zipf;
    private readonly double[] _logMedian;

    public RowSampler(SyntheticProfile profile, double zipfExponent)
    {
        _profile = profile;
        _fields = profile.Fields.ToArray();
        _zipf = new ZipfSampler?[_fields.Length];
        _logMedian = new double[_fields.Length];
        for (int f = 0; f < _fields.Length; f++)
        {
            SyntheticField field = _fields[f];
            if (field.Kind == SyntheticFieldKind.Categorical)
            {
                // Site/app fields keep rank 0 for the placeholder and draw the rest from the other ranks.
                long drawn = field.Side == SiteAppSide.None ? field.Cardinality : field.Cardinality - 1;
                _zipf[f] = new ZipfSampler(Math.Max(drawn, 1), zipfExponent);
            }

            _logMedian[f] = Math.Log(field.Median + 1);
        }
    }

    public ZipfSampler? Zipf(int field) => _zipf[field];

    public void Sample(ref Xoshiro256 rng, long rowIndex, long totalRows, SyntheticRow row)
    {
        row.RowId = rng.NextUInt64();
        double[] groups = row.GroupDraws;
        for (int g = 0; g < groups.Length; g++)
        {
            groups[g] = rng.NextDouble();
        }

        bool app = _profile.AppShare > 0 && rng.NextDouble() < _profile.AppShare;
        long[] values = row.Values;
        for (int f = 0; f < _fields.Length; f++)
        {
            SyntheticField field = _fields[f];
            if (field.MissingRate > 0)
            {
                double u = field.MissingGroup >= 0 ? groups[field.MissingGroup] : rng.NextDouble();
                if (u < field.MissingRate)
                {
                    values[f] = SyntheticRow.Missing;
                    continue;
                }
            }

            values[f] = field.Kind switch
            {
                SyntheticFieldKind.Categorical => SampleCategory(ref rng, f, field, app),
                SyntheticFieldKind.Count => SampleCount(ref rng, f, field),
                _ => rowIndex * HourSpan / Math.Max(totalRows, 1),
            };
        }
    }

    private long SampleCategory(ref Xoshiro256 rng, int f, SyntheticField field, bool app)
    {
        if (field.Side != SiteAppSide.None)
        {
            bool active = field.Side == SiteAppSide.App ? app : !app;
            return active ? 1 + _zipf[f]!.Sample(ref rng) : 0;
        }

        if (field.TopShare > 0 && rng.NextDouble() < field.TopShare)
        {
            return 0;
        }

        return _zipf[f]!.Sample(ref rng);
    }

    private long SampleCount(ref Xoshiro256 rng, int f, SyntheticField field)
    {
        if (field.NegativeRate > 0)
        {
            double u = rng.NextDouble();
            if (u < field.NegativeRate)
            {
                // Mostly -1, now and then -2 or -3, as in Criteo's I2.
                double v = u / field.NegativeRate;
                return v < 0.9 ? -1 : v < 0.98 ? -2 : -3;
            }
        }

        double x = Math.Exp(_logMedian[f] + field.Sigma * rng.NextGaussian()) - 1;
        return x < 0 ? 0 : (long)Math.Min(x, 1e15);
    }
}
