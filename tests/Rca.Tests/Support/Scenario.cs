using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Rca.Graph;
using Microsoft.Extensions.AI;

namespace Autopilot.Rca.Tests.Support;

/// <summary>
/// A hand-built world for one test: an asset graph, findings and incidents in a real SQLite engine store in a
/// temporary directory, and the analyzer over both. Times are minutes after <see cref="T0"/>.
/// </summary>
internal sealed class Scenario : IDisposable
{
    public const long T0 = 1_764_000_000_000_000_000;
    public const long Minute = 60_000_000_000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-rca-" + Guid.NewGuid().ToString("N"));
    private readonly List<Finding> _findings = [];
    private readonly List<RcaAnalyzer> _analyzers = [];

    public Scenario()
    {
        Directory.CreateDirectory(_directory);
        Store = new SqliteEngineStore(Path.Combine(_directory, "engines.db"));
    }

    public SqliteEngineStore Store { get; }

    public AssetGraph Graph { get; } = new();

    public RcaOptions Options { get; } = new();

    public static string Service(string name) => "urn:autopilot:service:prod:" + name;

    public static string Dataset(string name) => "urn:autopilot:dataset:pg:" + name;

    public static string Job(string name) => "urn:autopilot:job:etl:" + name;

    /// <summary><paramref name="caller"/> calls <paramref name="callee"/> (a fault in the callee hurts the caller).</summary>
    public Scenario Calls(string caller, string callee) => Edge(caller, callee, EdgeKind.Calls);

    public Scenario Edge(string from, string to, EdgeKind kind)
    {
        Graph.UpsertNode(from, Kind(from), T0 - (60 * Minute));
        Graph.UpsertNode(to, Kind(to), T0 - (60 * Minute));
        Graph.ObserveEdge(from, to, kind, T0 - (60 * Minute), new EdgeStats(100, 0, 1000, 20));
        return this;
    }

    /// <summary>
    /// Traffic on an existing edge, minute by minute from <paramref name="fromMinute"/> to <paramref name="toMinute"/>
    /// (inclusive): <paramref name="perMinute"/> requests a minute at a mean of <paramref name="meanMs"/>.
    /// </summary>
    public Scenario Traffic(string from, string to, EdgeKind kind, int fromMinute, int toMinute, double meanMs, int perMinute = 60)
    {
        for (var minute = fromMinute; minute <= toMinute; minute++)
        {
            Graph.ObserveEdge(from, to, kind, At(minute), new EdgeStats(perMinute, 0, perMinute * meanMs, meanMs));
        }

        return this;
    }

    public Scenario Change(string urn, string kind, double minute, string? before = "1.4.2", string? after = "1.5.0") =>
        Do(() => Graph.AddChange(new ChangeEvent(urn, kind, At(minute), before, after, $"{urn.Split(':')[^1]} {kind} {before} → {after}")));

    public Finding Finding(string urn, string kind, FindingSeverity severity, double score, double minute, string summary = "", params Evidence[] evidence)
    {
        var start = At(minute);
        var finding = Autopilot.Engines.Findings.Finding.Create(kind.Split('.')[0], kind, urn, severity, score, start, start + Minute, start + Minute,
            summary.Length > 0 ? summary : $"{kind} on {urn}", evidence.Length > 0 ? evidence : [new Evidence("window", "1-minute window", score, 0.05)]);
        _findings.Add(finding);
        return finding;
    }

    /// <summary>A finding over a window of <paramref name="minutes"/> from <paramref name="minute"/> (drift and volume engines compare longer windows).</summary>
    public Finding FindingOver(string urn, string kind, FindingSeverity severity, double score, double minute, double minutes)
    {
        var start = At(minute);
        var end = At(minute + minutes);
        var finding = Autopilot.Engines.Findings.Finding.Create(kind.Split('.')[0], kind, urn, severity, score, start, end, end,
            $"{kind} on {urn}", [new Evidence("window", $"{minutes}-minute window", score, 0.05)]);
        _findings.Add(finding);
        return finding;
    }

    /// <summary>Commits the findings made so far as one incident, and returns its id.</summary>
    public string Incident(string id = "inc-test")
    {
        var ordered = _findings.OrderBy(f => f.TimeUnixNano).ToList();
        var incident = new Incident(id, IncidentStatus.Open, ordered.Max(f => f.Severity), ordered[0].TimeUnixNano, ordered[^1].TimeUnixNano, null,
            [.. ordered.Select(f => f.Urn).Distinct().Order(StringComparer.Ordinal)], [.. ordered.Select(f => f.Id)], [],
            [.. ordered.Select(f => new TimelineEntry(f.TimeUnixNano, f.Urn, f.Kind, f.Summary, f.Id))], "test incident");
        Store.Commit(ordered, [IncidentWrite.Whole(incident)]);
        return id;
    }

    /// <summary>Commits findings without an incident (for window analyses).</summary>
    public void CommitFindings() => Store.Commit(_findings, []);

    public RcaAnalyzer Analyzer(IChatClient? chat = null, TimeProvider? time = null)
    {
        var analyzer = new RcaAnalyzer(Store, Graph, Options, chat, time);
        _analyzers.Add(analyzer);
        return analyzer;
    }

    public static long At(double minute) => T0 + (long)(minute * Minute);

    public void Dispose()
    {
        foreach (var a in _analyzers)
        {
            a.Dispose();
        }

        Store.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file a moment; the temp cleaner gets it later.
        }
    }

    private Scenario Do(Action action)
    {
        action();
        return this;
    }

    private static string Kind(string urn) => urn.Split(':')[2];
}
