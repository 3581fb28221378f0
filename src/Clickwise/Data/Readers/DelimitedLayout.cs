using System.Globalization;

namespace Clickwise.Data.Readers;

/// <summary>A <see cref="DelimitedSpec"/> bound to the file's actual columns: one action and field slot per column.</summary>
internal sealed class DelimitedLayout
{
    public const string HourOfDayField = "hour_of_day";
    public const string WeekdayField = "weekday";

    private DelimitedLayout(ColumnAction[] actions, int[] fields, string[] names, DataSchema schema)
    {
        Actions = actions;
        Fields = fields;
        Schema = schema;
        NotNumber = names.Select(n => $"not a number in {n}").ToArray();
        NonFinite = names.Select(n => $"non-finite number in {n}").ToArray();
        BadHour = names.Select(n => $"bad hour in {n} (expected YYMMDDHH)").ToArray();
    }

    public ColumnAction[] Actions { get; }

    /// <summary>The schema field a column fills (the first of two for <see cref="ColumnAction.Hour"/>).</summary>
    public int[] Fields { get; }

    public DataSchema Schema { get; }

    public int ColumnCount => Actions.Length;

    // Reasons are built once per column so a bad line costs no formatting.
    public string[] NotNumber { get; }

    public string[] NonFinite { get; }

    public string[] BadHour { get; }

    /// <summary>Binds <paramref name="columns"/> (header cells or configured names) to the spec; fields follow file order.</summary>
    public static DelimitedLayout Create(IReadOnlyList<string> columns, DelimitedSpec spec, string source)
    {
        var wanted = new Dictionary<string, ColumnAction>(StringComparer.OrdinalIgnoreCase);
        if (spec.Labeled)
        {
            wanted[spec.LabelColumn] = ColumnAction.Label;
        }

        foreach (string name in spec.NumericColumns)
        {
            wanted[name] = ColumnAction.Numeric;
        }

        foreach (string name in spec.CategoricalColumns)
        {
            wanted[name] = ColumnAction.Categorical;
        }

        if (spec.HourColumn is not null)
        {
            wanted[spec.HourColumn] = ColumnAction.Hour;
        }

        var actions = new ColumnAction[columns.Count];
        var fields = new int[columns.Count];
        var names = new string[columns.Count];
        var fieldNames = new List<string>();
        var kinds = new List<FieldKind>();
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int c = 0; c < columns.Count; c++)
        {
            string name = columns[c].Trim();
            names[c] = name;
            fields[c] = fieldNames.Count;
            if (!wanted.TryGetValue(name, out ColumnAction action) || !found.Add(name))
            {
                continue;
            }

            actions[c] = action;
            switch (action)
            {
                case ColumnAction.Numeric:
                    fieldNames.Add(name);
                    kinds.Add(FieldKind.Numeric);
                    break;
                case ColumnAction.Categorical:
                    fieldNames.Add(name);
                    kinds.Add(FieldKind.Categorical);
                    break;
                case ColumnAction.Hour:
                    fieldNames.Add(HourOfDayField);
                    fieldNames.Add(WeekdayField);
                    kinds.Add(FieldKind.Categorical);
                    kinds.Add(FieldKind.Categorical);
                    break;
            }
        }

        string? missing = wanted.Keys.FirstOrDefault(k => !found.Contains(k));
        if (missing is not null)
        {
            if (!spec.HasHeader)
            {
                throw new ArgumentException($"column '{missing}' is not among the configured column names");
            }

            bool looksLikeData = columns.Any(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            string snippet = string.Join((char)spec.Delimiter, columns);
            throw new DataFormatException(source, 1, looksLikeData ? "missing header" : $"header lacks column '{missing}'", snippet);
        }

        return new DelimitedLayout(actions, fields, names, new DataSchema(fieldNames, kinds) { Source = source, Line = spec.HasHeader ? 1 : 0 });
    }
}
