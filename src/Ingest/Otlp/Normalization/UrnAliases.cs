using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// Configured URN aliases (DESIGN.md: "aliases from configuration map other identifiers to one URN"),
/// applied to every URN the normalizer resolves. One step only: an alias target is not looked up again,
/// so configuration order can never create a cycle.
/// </summary>
public sealed class UrnAliases
{
    public static readonly UrnAliases None = new(new Dictionary<string, string>());

    private readonly Dictionary<string, string> _map;

    /// <param name="aliases">from-URN → to-URN; both sides must be valid URNs (<see cref="Urn.TryParse"/>).</param>
    /// <exception cref="ArgumentException">An entry has a side that is not a valid URN.</exception>
    public UrnAliases(IReadOnlyDictionary<string, string> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        _map = new Dictionary<string, string>(aliases.Count, StringComparer.Ordinal);
        foreach (var (from, to) in aliases)
        {
            if (!Urn.TryParse(from, out _, out _, out _))
            {
                throw new ArgumentException(
                    $"URN alias '{from}' -> '{to}': '{from}' is not a valid URN (expected urn:autopilot:<kind>:<namespace>:<name>).",
                    nameof(aliases));
            }

            if (!Urn.TryParse(to, out _, out _, out _))
            {
                throw new ArgumentException(
                    $"URN alias '{from}' -> '{to}': '{to}' is not a valid URN (expected urn:autopilot:<kind>:<namespace>:<name>).",
                    nameof(aliases));
            }

            _map[from] = to;
        }
    }

    public int Count => _map.Count;

    /// <summary>The alias target of <paramref name="urn"/>, or <paramref name="urn"/> itself.</summary>
    public string Resolve(string urn)
    {
        ArgumentNullException.ThrowIfNull(urn);
        return _map.Count != 0 && _map.TryGetValue(urn, out var to) ? to : urn;
    }
}
