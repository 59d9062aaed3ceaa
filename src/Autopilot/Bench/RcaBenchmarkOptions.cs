using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Bench;

/// <summary>Options of <c>autopilot bench rca</c>. Every default lives here.</summary>
internal sealed class RcaBenchmarkOptions
{
    /// <summary>Seeded runs; run i uses seed <see cref="Seed"/> + i and fault kind <see cref="Kinds"/>[i mod count]. Default 30.</summary>
    public int Runs { get; set; } = 30;

    /// <summary>Seed of the first run. Default 1.</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Fault kinds rotated through. Default all six.</summary>
    public IReadOnlyList<FaultKind> Kinds { get; set; } = FaultKinds.All;

    /// <summary><c>explain</c> (the RCA analyzer, falling back to suspected roots where the route is missing) or <c>suspected</c>. Default explain.</summary>
    public string Ranking { get; set; } = "explain";

    /// <summary>
    /// Where each run's material is written for diagnosis (<c>--detail</c>): <c>run-&lt;n&gt;-seed-&lt;seed&gt;.json</c> with the
    /// fault, every finding and incident the server kept, the asset graph (as of the onset and at the end) and the fault
    /// incident's explain answer. Null: nothing is written.
    /// </summary>
    public string? DetailDirectory { get; set; }

    /// <summary>The simulated services' environment (URN namespace). Default <c>sim</c>.</summary>
    public string Environment { get; set; } = "sim";

    /// <summary>
    /// The day the scenarios are placed on (10:00 UTC of the day before it); fixed for the whole suite so every run of
    /// a seed sees the same time of day. Default: now.
    /// </summary>
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public void Validate()
    {
        if (Runs is < 1 or > 10_000)
        {
            throw new ArgumentException($"--runs must be between 1 and 10000, got {Runs}");
        }

        if (Kinds.Count == 0)
        {
            throw new ArgumentException("--faults names no fault kind");
        }

        if (DetailDirectory is { } detail && (detail.Length == 0 || File.Exists(detail)))
        {
            throw new ArgumentException($"--detail must name a directory, got '{detail}'{(detail.Length == 0 ? string.Empty : " (a file)")}");
        }

        if (Ranking is not ("explain" or "suspected"))
        {
            throw new ArgumentException($"--ranking must be explain or suspected, got '{Ranking}'");
        }
    }
}
