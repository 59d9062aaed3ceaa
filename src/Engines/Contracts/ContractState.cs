using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Contracts;

/// <summary>What the contract engine remembers about one contract whose dataset this shard has seen.</summary>
internal sealed class ContractState(DataContract contract, int ringCapacity)
{
    /// <summary>The contract in force for the dataset (replaced when the contracts are reloaded).</summary>
    public DataContract Contract { get; set; } = contract;

    /// <summary>
    /// Event time from which rows are counted whole: the dataset's first signal, or the oldest open window when the volume
    /// SLA's period changed; a volume period starting earlier is not judged.
    /// </summary>
    public long FirstSeen { get; set; }

    /// <summary>Event time of the newest write (a non-input lineage or row-count signal); 0 when none.</summary>
    public long LastUpdate { get; set; }

    public bool StaleReported { get; set; }

    /// <summary>Fingerprint of the last schema judged, so one bad schema is reported once, not per run.</summary>
    public string? LastSchema { get; set; }

    /// <summary>Start of the oldest evaluation window not yet closed.</summary>
    public long NextWindow { get; set; }

    /// <summary>Violations found in open windows, by window start (few: the watermark lags by seconds).</summary>
    public SortedDictionary<long, List<Evidence>> Pending { get; } = [];

    /// <summary>Rows written per volume period start.</summary>
    public SortedDictionary<long, double> Volume { get; } = [];

    public SloWindowRing Windows { get; } = new(ringCapacity);

    public bool FastFiring { get; set; }

    public bool SlowFiring { get; set; }
}
