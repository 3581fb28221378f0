using System.Text;

namespace Clickwise.Data.Synthetic;

/// <summary>
/// Which raw tokens of a synthetic profile's fields the teacher gives their own effects, so a model trained on
/// <c>clickwise synth</c> output can be checked against the known answer (issue 13: OptEmbed should prune the rare rows).
/// Tokens depend on the profile and the cardinality scale only, never on the seed (<see cref="CategoryText"/>), so neither
/// does this classification.
/// </summary>
public sealed class TeacherCategories
{
    private readonly Dictionary<string, int> _fieldIndex;
    private readonly SyntheticField[] _fields;
    private readonly HashSet<string>?[] _frequent;
    private readonly bool[] _inPair;

    private TeacherCategories(SyntheticProfile profile)
    {
        _fields = [.. profile.Fields];
        _fieldIndex = _fields.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _frequent = new HashSet<string>?[_fields.Length];
        _inPair = new bool[_fields.Length];
        foreach ((int a, int b) in profile.Pairs)
        {
            _inPair[a] = _inPair[b] = true;
        }

        var buffer = new Utf8Buffer(64);
        for (int f = 0; f < _fields.Length; f++)
        {
            if (_fields[f].Kind != SyntheticFieldKind.Categorical)
            {
                continue;
            }

            var text = new CategoryText(_fields[f], f);
            var tokens = new HashSet<string>(StringComparer.Ordinal);
            for (int rank = 0; rank < Teacher.CapOf(_fields[f]); rank++)
            {
                buffer.Clear();
                buffer.Reserve(32);
                text.Write(buffer, rank);
                tokens.Add(Encoding.UTF8.GetString(buffer.Written));
            }

            _frequent[f] = tokens;
        }
    }

    /// <summary>The categories of <c>synth --profile <paramref name="profile"/></c> files (criteo or avazu) at the generator's cardinality scale.</summary>
    public static TeacherCategories For(string profile, double cardinalityScale = SyntheticOptions.DefaultCardinalityScale) =>
        new(SyntheticProfile.Create(profile, cardinalityScale));

    public IEnumerable<string> FieldNames => _fields.Select(f => f.Name);

    public bool HasField(string field) => _fieldIndex.ContainsKey(field);

    /// <summary>Whether the teacher gives the field's values pair interactions (rank-4 vectors) at all.</summary>
    public bool InPair(string field) => _inPair[IndexOf(field)];

    /// <summary>
    /// The teacher's view of one raw token of <paramref name="field"/> as the file holds it (empty: missing). Any other token
    /// of a categorical field than its frequent ones is rare: the generator writes no others.
    /// </summary>
    public TeacherCategory Classify(string field, ReadOnlySpan<byte> token)
    {
        int f = IndexOf(field);
        if (token.IsEmpty)
        {
            return TeacherCategory.Missing;
        }

        return _frequent[f] is not { } frequent || frequent.Contains(Encoding.UTF8.GetString(token)) ? TeacherCategory.OwnEffect : TeacherCategory.Rare;
    }

    private int IndexOf(string field) =>
        _fieldIndex.TryGetValue(field, out int f) ? f : throw new ArgumentException($"the synthetic profile has no field '{field}'", nameof(field));
}
