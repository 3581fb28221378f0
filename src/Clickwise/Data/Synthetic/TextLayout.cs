namespace Clickwise.Data.Synthetic;

/// <summary>How a profile's rows are laid out as text.</summary>
/// <param name="Separator">Criteo: tab; Avazu: comma.</param>
/// <param name="Header">The header line without newline, or null (Criteo's train.txt has none).</param>
/// <param name="LeadingRowId">Avazu starts each row with a random UInt64 id before the label.</param>
internal sealed record TextLayout(byte Separator, string? Header, bool LeadingRowId);
