using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Incidents;
using Autopilot.Rca.Tests.Support;
using static Autopilot.Rca.Tests.Support.Scenario;

namespace Autopilot.Rca.Tests.Ranking;

/// <summary>The incident correlator (Engines) takes its suspected roots from the RCA ranker through <see cref="ISuspectRanker"/>.</summary>
public sealed class CorrelatorRankingTests
{
    private static readonly string Web = Service("web");
    private static readonly string Api = Service("api");

    [Fact]
    public async Task Correlator_WithTheRcaRanker_PutsTheUpstreamServiceFirst()
    {
        using var world = new Scenario();
        world.Calls(Web, Api);

        // web fails first (so the onset-only ranking would blame it); api is what it calls and fails right after.
        var web = world.Finding(Web, "dq.error_rate", FindingSeverity.Critical, 0.5, 0, "", new Evidence("trace", "t1"));
        var api = world.Finding(Api, "dq.error_rate", FindingSeverity.Critical, 0.9, 0.5, "", new Evidence("trace", "t1"));
        var withRanker = new IncidentCorrelator(new EngineOptions(), world.Store, ranker: world.Analyzer().SuspectRanker);

        await withRanker.OnFindingsAsync(new[] { web, api }, CancellationToken.None);

        var incident = Assert.Single(world.Store.QueryIncidents(new Autopilot.Engines.State.IncidentQuery()));
        Assert.Equal([Api, Web], incident.SuspectedRoots.Select(r => r.Urn));
        Assert.Contains(incident.SuspectedRoots[0].Reasons, r => r.StartsWith("upstream (in the fault direction)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Correlator_RankerThrows_FallsBackToOnsetAndStrength()
    {
        using var world = new Scenario();
        var web = world.Finding(Web, "dq.error_rate", FindingSeverity.Critical, 0.5, 0, "", new Evidence("trace", "t1"));
        var api = world.Finding(Api, "dq.error_rate", FindingSeverity.Critical, 0.9, 0.5, "", new Evidence("trace", "t1"));
        var correlator = new IncidentCorrelator(new EngineOptions(), world.Store, ranker: new Broken());

        await correlator.OnFindingsAsync(new[] { web, api }, CancellationToken.None);

        var incident = Assert.Single(world.Store.QueryIncidents(new Autopilot.Engines.State.IncidentQuery()));
        Assert.Equal(Web, incident.SuspectedRoots[0].Urn);
        Assert.Equal("earliest finding of the incident", incident.SuspectedRoots[0].Reasons[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LongIncident_KeepsTwiceTheRankedFindings_RootsAsIfRankedOverAllOfThem(bool restart)
    {
        // 400 findings on three services joining one incident (a shared trace), recoveries among them, some arriving
        // again stronger later (a repeat of a finding the correlator no longer holds included). The RCA ranker ranks the
        // 10 strongest, so the correlator holds at most 30; the roots it stores when the incident resolves are those the
        // ranker gives over every finding's latest version, with or without a restart before.
        using var world = new Scenario();
        var db = Service("db");
        world.Calls(Web, Api);
        world.Calls(Api, db);
        world.Options.MaxFindings = 10;
        var ranker = new Recording(world.Analyzer().SuspectRanker);
        var correlator = new IncidentCorrelator(new EngineOptions(), world.Store, ranker: ranker);
        string[] urns = [Web, Api, db];
        string[] kinds = ["dq.error_rate", "anomaly.latency", "volume.drop"];
        FindingSeverity[] severities = [FindingSeverity.Info, FindingSeverity.Warning, FindingSeverity.Critical];
        var latest = new Dictionary<string, Finding>(StringComparer.Ordinal);
        var joined = new List<string>();
        var random = new Random(11);
        for (var m = 0; m < 400;)
        {
            var batch = new List<Finding>();
            for (var k = random.Next(1, 5); k > 0 && m < 400; k--, m++)
            {
                Finding finding;
                if (m > 40 && random.Next(8) == 0)
                {
                    var earlier = latest[joined[random.Next(joined.Count)]];
                    finding = earlier with { Severity = FindingSeverity.Critical, Score = Math.Min(1, earlier.Score + 0.25), TimeUnixNano = At(m) };
                }
                else
                {
                    var kind = random.Next(12) == 0 ? Autopilot.Engines.Freshness.FreshnessEngine.RecoveredKind : kinds[random.Next(kinds.Length)];
                    // The first two hours are weak (info, low scores): the findings the ranker ranks start later.
                    var (severity, score) = m < 120 ? (FindingSeverity.Info, random.NextDouble() / 10) : (severities[random.Next(severities.Length)], random.NextDouble());
                    finding = world.Finding(urns[random.Next(urns.Length)], kind, severity, Math.Round(score, 3), m, "",
                        new Evidence("trace", "t-shared"), new Evidence("window", "1-minute window", m, 0.05));
                    joined.Add(finding.Id);
                }

                latest[finding.Id] = finding;
                batch.Add(finding);
            }

            await correlator.OnFindingsAsync(batch.ToArray(), CancellationToken.None);
        }

        if (restart)
        {
            correlator = new IncidentCorrelator(new EngineOptions(), world.Store, ranker: ranker);
        }

        // Two hours later, unrelated: the incident resolves and is ranked as it closes.
        var quiet = world.Finding(Service("elsewhere"), "dq.error_rate", FindingSeverity.Warning, 0.5, 520);
        await correlator.OnFindingsAsync(new[] { quiet }, CancellationToken.None);

        var incident = Assert.Single(world.Store.QueryIncidents(new Autopilot.Engines.State.IncidentQuery(Status: IncidentStatus.Resolved)));
        Assert.Equal(joined, incident.FindingIds);
        Assert.InRange(ranker.Largest, 10, 30);
        var expected = world.Analyzer().SuspectRanker.Rank([.. joined.Select(id => latest[id])]);
        Assert.NotEmpty(expected);
        Assert.Equal(Describe(expected), Describe(incident.SuspectedRoots));
    }

    private static string[] Describe(IReadOnlyList<SuspectedRoot> roots) =>
        [.. roots.Select(r => FormattableString.Invariant($"{r.Urn} {r.Score} {string.Join(" | ", r.Reasons)}"))];

    /// <summary>The RCA ranker, recording the most findings it was given at once.</summary>
    private sealed class Recording(ISuspectRanker inner) : ISuspectRanker
    {
        public int Largest { get; private set; }

        public int MaxFindings => inner.MaxFindings;

        public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings)
        {
            Largest = Math.Max(Largest, findings.Count);
            return inner.Rank(findings);
        }

        public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> strongest, long fromUnixNano, long toUnixNano, FindingSeverity severity)
        {
            Largest = Math.Max(Largest, strongest.Count);
            return inner.Rank(strongest, fromUnixNano, toUnixNano, severity);
        }
    }

    private sealed class Broken : ISuspectRanker
    {
        public IReadOnlyList<SuspectedRoot> Rank(IReadOnlyList<Finding> findings) => throw new InvalidOperationException("ranker bug");
    }
}
