namespace Autopilot.Engines.Contracts;

/// <summary>
/// The contracts loaded from a directory (<c>*.yaml</c>, <c>*.yml</c>), indexed by URN, with the errors of
/// files that could not be loaded. A bad file is skipped and reported; it never stops the others.
/// </summary>
/// <remarks>
/// The YAML shape (ODCS-inspired, deliberately small):
/// <code>
/// name: orders                      # optional; default: the file name without extension
/// urn: urn:autopilot:dataset:pg:public.orders   # or: dataset: { namespace: pg, name: public.orders }
/// owner: team-orders
/// tier: gold                        # free text (gold / silver / bronze, …)
/// schema:
///   - { name: id, type: integer, required: true }
///   - { name: email, type: string }  # required defaults to false; type optional
/// quality:                          # metric op number; metric: rowCount | nullCount|distinctCount|min|max|sum|count(column)
///   - rowCount > 0
///   - nullCount(id) == 0
/// sla:
///   freshness: 1h                   # durations: 30s, 15m, 1h, 2d, or hh:mm:ss
///   volume: { min: 100, per: 1h }
/// slo:
///   objective: 0.99                 # fraction of good evaluation windows; default 0.99
/// </code>
/// Unknown keys are errors (they are usually typos). Two files may not claim the same URN.
/// </remarks>
public sealed class ContractSet
{
    private readonly Dictionary<string, DataContract> _byUrn;

    internal ContractSet(IReadOnlyList<DataContract> contracts, IReadOnlyList<ContractError> errors)
    {
        Contracts = contracts;
        Errors = errors;
        _byUrn = new Dictionary<string, DataContract>(StringComparer.Ordinal);
        foreach (var c in contracts)
        {
            _byUrn[c.Urn] = c;
        }
    }

    public static ContractSet Empty { get; } = new([], []);

    /// <summary>Contracts that loaded, in file-name order.</summary>
    public IReadOnlyList<DataContract> Contracts { get; }

    /// <summary>Why files or keys were rejected; empty when every file loaded.</summary>
    public IReadOnlyList<ContractError> Errors { get; }

    /// <summary>The contract governing <paramref name="urn"/>, or null.</summary>
    public DataContract? Find(string urn) => _byUrn.GetValueOrDefault(urn);

    /// <summary>Loads every <c>*.yaml</c> / <c>*.yml</c> file of <paramref name="directory"/> (not recursive).</summary>
    public static ContractSet Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return new ContractSet([], [new ContractError(directory, "engines.contract.directory", "directory not found.")]);
        }

        var files = new List<string>();
        files.AddRange(Directory.EnumerateFiles(directory, "*.yaml"));
        files.AddRange(Directory.EnumerateFiles(directory, "*.yml"));
        files.Sort(StringComparer.Ordinal);
        var sources = new List<(string File, string Text)>(files.Count);
        var errors = new List<ContractError>();
        foreach (var file in files)
        {
            try
            {
                sources.Add((Path.GetFileName(file), File.ReadAllText(file)));
            }
            catch (IOException e)
            {
                errors.Add(new ContractError(Path.GetFileName(file), "(file)", $"cannot be read: {e.Message}"));
            }
        }

        return Parse(sources, errors);
    }

    /// <summary>Parses contract texts (file name, YAML); used by <see cref="Load"/> and by tests.</summary>
    public static ContractSet Parse(IEnumerable<(string File, string Text)> sources, List<ContractError>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        errors ??= [];
        var contracts = new List<DataContract>();
        var claimed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, text) in sources)
        {
            var fileErrors = new List<ContractError>();
            var contract = ContractYaml.Read(file, text, fileErrors);
            if (contract is not null && claimed.TryGetValue(contract.Urn, out var other))
            {
                fileErrors.Add(new ContractError(file, "urn", $"{contract.Urn} is already governed by {other}."));
            }

            if (fileErrors.Count > 0 || contract is null)
            {
                errors.AddRange(fileErrors);
                continue;
            }

            claimed[contract.Urn] = file;
            contracts.Add(contract);
        }

        return new ContractSet(contracts, errors);
    }
}
