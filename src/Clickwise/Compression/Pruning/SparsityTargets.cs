using System.Globalization;
using System.Text;

namespace Clickwise.Compression.Pruning;

/// <summary>
/// Target sparsity (fraction of weights removed, in [0, 1)) per component. Parses both the flag form
/// <c>dnn=0.99,r=0.95,emb=0.40</c> (values may also be written <c>99%</c>) and the paper's notation
/// <c>D-99% &amp; R-95% &amp; F-40%</c>; components not named are not pruned.
/// </summary>
public sealed class SparsityTargets
{
    private static readonly PruningComponent[] PaperOrder =
        [PruningComponent.Dnn, PruningComponent.FieldMatrix, PruningComponent.Embedding, PruningComponent.Cin];

    private readonly Dictionary<PruningComponent, double> _targets;

    public SparsityTargets(IReadOnlyDictionary<PruningComponent, double> targets)
    {
        foreach ((PruningComponent component, double value) in targets)
        {
            if (!(value >= 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(targets),
                    $"sparsity of {Letter(component)} must be in [0, 1), got {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        _targets = new Dictionary<PruningComponent, double>(targets);
    }

    public IEnumerable<PruningComponent> Components => PaperOrder.Where(_targets.ContainsKey);

    /// <summary>The target for a component; 0 when it is not pruned.</summary>
    public double this[PruningComponent component] => _targets.GetValueOrDefault(component);

    public bool Prunes(PruningComponent component) => _targets.GetValueOrDefault(component) > 0;

    /// <summary>These targets with one component left dense.</summary>
    public SparsityTargets Without(PruningComponent component) =>
        new(_targets.Where(kv => kv.Key != component).ToDictionary(kv => kv.Key, kv => kv.Value));

    /// <summary>Parses either notation; throws <see cref="FormatException"/> naming the offending part.</summary>
    public static SparsityTargets Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new FormatException("sparsity targets are empty; expected e.g. 'dnn=0.99,r=0.95,emb=0.40' or 'D-99% & R-95% & F-40%'");
        }

        bool paper = trimmed.Contains('-') && !trimmed.Contains('=');
        string[] parts = trimmed.Split(paper ? '&' : ',', StringSplitOptions.TrimEntries);
        var targets = new Dictionary<PruningComponent, double>();
        foreach (string part in parts)
        {
            int cut = paper ? part.IndexOf('-') : part.IndexOf('=');
            if (cut <= 0 || cut == part.Length - 1)
            {
                throw new FormatException($"sparsity target '{part}' is not of the form {(paper ? "X-NN%" : "name=value")}");
            }

            PruningComponent component = ParseComponent(part[..cut].Trim(), part);
            double value = ParseValue(part[(cut + 1)..].Trim(), requirePercent: paper, part);
            if (!targets.TryAdd(component, value))
            {
                throw new FormatException($"sparsity target for {Letter(component)} is given twice in '{text}'");
            }

            if (value >= 1)
            {
                throw new FormatException($"sparsity target '{part}' must be below 100%");
            }
        }

        return new SparsityTargets(targets);
    }

    /// <summary>The paper's notation, components in D, R, F, C order.</summary>
    public string ToPaperNotation()
    {
        var text = new StringBuilder();
        foreach (PruningComponent component in Components)
        {
            if (text.Length > 0)
            {
                text.Append(" & ");
            }

            double percent = Math.Round(_targets[component] * 100, 4);
            text.Append(Letter(component)).Append('-').Append(percent.ToString("0.####", CultureInfo.InvariantCulture)).Append('%');
        }

        return text.Length == 0 ? "None" : text.ToString();
    }

    public override string ToString() => ToPaperNotation();

    public static char Letter(PruningComponent component) => component switch
    {
        PruningComponent.Dnn => 'D',
        PruningComponent.FieldMatrix => 'R',
        PruningComponent.Embedding => 'F',
        PruningComponent.Cin => 'C',
        _ => throw new ArgumentOutOfRangeException(nameof(component)),
    };

    private static PruningComponent ParseComponent(string name, string part) => name.ToLowerInvariant() switch
    {
        "d" or "dnn" => PruningComponent.Dnn,
        "r" or "field_matrix" => PruningComponent.FieldMatrix,
        "f" or "emb" or "embedding" => PruningComponent.Embedding,
        "c" or "cin" => PruningComponent.Cin,
        _ => throw new FormatException($"unknown pruning component '{name}' in '{part}'; known: D/dnn, R/r, F/emb, C/cin"),
    };

    private static double ParseValue(string value, bool requirePercent, string part)
    {
        bool percent = value.EndsWith('%');
        if (requirePercent && !percent)
        {
            throw new FormatException($"sparsity target '{part}' needs a percentage, e.g. D-99%");
        }

        string number = percent ? value[..^1].Trim() : value;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed)
            || double.IsNaN(parsed) || parsed < 0)
        {
            throw new FormatException($"sparsity target '{part}' has no valid non-negative number");
        }

        return percent ? parsed / 100 : parsed;
    }
}
