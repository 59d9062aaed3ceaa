namespace Autopilot.Engines.Contracts;

/// <summary>
/// The contracts every shard checks, loaded from <see cref="ContractOptions.Directory"/> at start and again on
/// <see cref="Reload"/> (<c>POST /-/reload</c> or SIGHUP under <c>autopilot serve</c>, as Prometheus reloads its rule files).
/// Engines read <see cref="Current"/> on their own threads and take up a new set the next time they look (a signal or a
/// watermark), so a reload never waits for them and never changes a set an engine is in the middle of using.
/// </summary>
/// <remarks>
/// At start a bad file is skipped and listed in <see cref="ContractSet.Errors"/>: there is nothing running to keep. A
/// reload that meets any error (a file that does not parse, the directory gone) changes nothing and reports it, so a typo
/// in one file cannot silently stop its dataset's checks (and drop what they learned) while the others go on.
/// </remarks>
public sealed class ContractCatalog
{
    private readonly object _gate = new();
    private volatile ContractSet _current;

    /// <summary>Loads <paramref name="directory"/> (none: no contracts).</summary>
    public ContractCatalog(string? directory)
    {
        Directory = DirectoryOf(directory);
        _current = Directory is null ? ContractSet.Empty : ContractSet.Load(Directory);
    }

    private ContractCatalog(ContractSet set)
    {
        _current = set;
    }

    /// <summary>The folder the contracts come from; null when none is configured.</summary>
    public string? Directory { get; }

    /// <summary>The contracts in force.</summary>
    public ContractSet Current => _current;

    /// <summary>Successful reloads so far (0 until the first).</summary>
    public int Reloads { get; private set; }

    /// <summary>The folder a configured value names: null for none (null, empty or blank).</summary>
    internal static string? DirectoryOf(string? configured) => string.IsNullOrWhiteSpace(configured) ? null : configured;

    /// <summary>A catalog of a fixed set that is never reloaded (tests, and callers with contracts in hand).</summary>
    public static ContractCatalog Of(ContractSet set) => new(set ?? throw new ArgumentNullException(nameof(set)));

    /// <summary>
    /// Reads the directory again. With no error the new set is in force from the engines' next look; with any, the set in
    /// force stays and the errors are returned. Without a directory there is nothing to read: an error says so.
    /// </summary>
    public ContractReload Reload()
    {
        lock (_gate)
        {
            if (Directory is null)
            {
                return new ContractReload(false, _current.Contracts.Count, [new ContractError("(none)", "engines.contract.directory", "no contract directory is configured; there is nothing to reload.")]);
            }

            var set = ContractSet.Load(Directory);
            if (set.Errors.Count > 0)
            {
                return new ContractReload(false, _current.Contracts.Count, set.Errors);
            }

            _current = set;
            Reloads++;
            return new ContractReload(true, set.Contracts.Count, []);
        }
    }
}

/// <summary>What a reload did: whether the new set is in force, the contracts in force after it, and why it was refused.</summary>
public sealed record ContractReload(bool Applied, int Contracts, IReadOnlyList<ContractError> Errors);
