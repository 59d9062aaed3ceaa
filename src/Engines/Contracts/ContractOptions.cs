using System.Text.Json.Serialization;

namespace Autopilot.Engines.Contracts;

/// <summary>Options of the contract engine. Every default lives here.</summary>
public sealed class ContractOptions
{
    private readonly object _gate = new();
    private ContractCatalog? _catalog;

    /// <summary>Whether the engine runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Folder of contract files (<c>*.yaml</c>, <c>*.yml</c>), read at start and again on <c>POST /-/reload</c> or SIGHUP; null or empty: no contracts. Default null.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// Tumbling event-time window a contract is judged good or bad in, the unit of its SLO. It must divide
    /// 5 minutes (the shortest burn-rate window). Default 1 min.
    /// </summary>
    public TimeSpan EvaluationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Burn rate over 1 h and 5 min from which <c>slo.burn</c> pages (critical). Default 14.4 (2 % of a 30-day budget in 1 h).</summary>
    public double FastBurnRate { get; set; } = 14.4;

    /// <summary>Burn rate over 6 h and 30 min from which <c>slo.burn</c> warns. Default 6 (5 % of a 30-day budget in 6 h).</summary>
    public double SlowBurnRate { get; set; } = 6;

    /// <summary>
    /// The catalog of <see cref="Directory"/>'s contracts, loaded once and shared by every shard (and reloaded through
    /// it); load errors are in <see cref="ContractSet.Errors"/>, never thrown. Not a setting.
    /// </summary>
    [JsonIgnore]
    public ContractCatalog Catalog
    {
        get
        {
            lock (_gate)
            {
                if (_catalog is null || !string.Equals(_catalog.Directory, ContractCatalog.DirectoryOf(Directory), StringComparison.Ordinal))
                {
                    _catalog = new ContractCatalog(Directory);
                }

                return _catalog;
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        if (EvaluationWindow <= TimeSpan.Zero || TimeSpan.FromMinutes(5).Ticks % EvaluationWindow.Ticks != 0)
        {
            throw new ArgumentException($"engines.contract.evaluationWindow must be positive and divide 5 minutes, got {EvaluationWindow}.");
        }

        if (FastBurnRate <= 0)
        {
            throw new ArgumentException($"engines.contract.fastBurnRate must be positive, got {FastBurnRate}.");
        }

        if (SlowBurnRate <= 0)
        {
            throw new ArgumentException($"engines.contract.slowBurnRate must be positive, got {SlowBurnRate}.");
        }
    }
}
