using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;

namespace Autopilot.Engines.Tests.Incidents;

/// <summary>The incident correlator against a real SQLite engine store.</summary>
public sealed class IncidentCorrelatorTests : IDisposable
{
    private const long T0 = 1_764_000_000_000_000_000;
    private const long Minute = 60_000_000_000;
    private const string Dataset = "urn:autopilot:dataset:pg:daily";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-correlator-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteEngineStore _store;

    public IncidentCorrelatorTests()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteEngineStore(Path.Combine(_directory, "engines.db"));
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Repeat_LaterAndWorse_MovesTheIncidentsTimeAndSeverity_WithoutAddingAFinding()
    {
        var correlator = new IncidentCorrelator(new EngineOptions(), _store);
        var stale = Stale(FindingSeverity.Warning, T0 + (15 * Minute));

        // The same stale finding (same id: same engine, kind, URN and window start) reported again at twice the threshold.
        await correlator.OnFindingsAsync(new[] { stale }, CancellationToken.None);
        var worse = Stale(FindingSeverity.Critical, T0 + (30 * Minute));
        await correlator.OnFindingsAsync(new[] { worse }, CancellationToken.None);

        Assert.Equal(stale.Id, worse.Id);
        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal([stale.Id], incident.FindingIds);
        Assert.Equal(T0 + (15 * Minute), incident.OpenedUnixNano);
        Assert.Equal(T0 + (30 * Minute), incident.UpdatedUnixNano);
        Assert.Equal(FindingSeverity.Critical, incident.Severity);

        // The finding as stored (its latest time) lies inside the incident's window, where a reader of the window finds it.
        var inWindow = _store.QueryFindings(new FindingQuery(incident.OpenedUnixNano, incident.UpdatedUnixNano));
        Assert.Equal(FindingSeverity.Critical, Assert.Single(inWindow).Severity);
    }

    [Fact]
    public async Task Repeat_Identical_LeavesTheIncidentAsItWas()
    {
        var correlator = new IncidentCorrelator(new EngineOptions(), _store);
        var stale = Stale(FindingSeverity.Warning, T0 + (15 * Minute));
        await correlator.OnFindingsAsync(new[] { stale }, CancellationToken.None);

        await correlator.OnFindingsAsync(new[] { stale }, CancellationToken.None);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(T0 + (15 * Minute), incident.UpdatedUnixNano);
        Assert.Equal(FindingSeverity.Warning, incident.Severity);
        Assert.Single(incident.FindingIds);
    }

    [Fact]
    public async Task Repeat_AfterARestart_StillUpdatesTheIncidentRestoredFromTheStore()
    {
        var first = new IncidentCorrelator(new EngineOptions(), _store);
        await first.OnFindingsAsync(new[] { Stale(FindingSeverity.Warning, T0 + (15 * Minute)) }, CancellationToken.None);

        var restarted = new IncidentCorrelator(new EngineOptions(), _store);
        await restarted.OnFindingsAsync(new[] { Stale(FindingSeverity.Critical, T0 + (30 * Minute)) }, CancellationToken.None);

        var incident = Assert.Single(_store.QueryIncidents(new IncidentQuery()));
        Assert.Equal(T0 + (30 * Minute), incident.UpdatedUnixNano);
        Assert.Equal(FindingSeverity.Critical, incident.Severity);
        Assert.Single(incident.FindingIds);
    }

    private static Finding Stale(FindingSeverity severity, long time) =>
        Finding.Create("freshness", "freshness.stale", Dataset, severity, severity == FindingSeverity.Critical ? 1 : 0.5, T0, time, time, $"{Dataset} not updated since T0");
}
