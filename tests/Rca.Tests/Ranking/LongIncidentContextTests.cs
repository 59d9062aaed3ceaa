using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Freshness;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Rca.Tests.Support;
using static Autopilot.Rca.Tests.Support.Scenario;

namespace Autopilot.Rca.Tests.Ranking;

/// <summary>
/// Explaining an incident, or analysing a window, with more findings than an analysis reads at once (a chronic failure
/// gains one a minute for weeks): the context is the one its whole list of findings gives, its strongest ranked and its
/// timeline's two ends the first and latest, however many other findings share its window.
/// </summary>
public sealed class LongIncidentContextTests
{
    private static readonly string Frontend = Service("frontend");
    private static readonly string Checkout = Service("checkout");
    private static readonly string Payments = Service("payments");

    [Theory]
    [InlineData(7, 9)]
    [InlineData(1, 2)]
    [InlineData(40, 25)]
    public void ForIncident_ManyFindings_RanksTheStrongestAndKeepsBothEndsOfTheWholeIncident(int maxFindings, int maxTimeline)
    {
        using var world = new Scenario();
        world.Calls(Frontend, Checkout).Calls(Checkout, Payments);
        world.Options.MaxFindings = maxFindings;
        world.Options.MaxTimeline = maxTimeline;
        var own = ManyFindings(world);
        var id = world.Incident();

        // Another incident's findings in the same window, more than the window read takes: they must not crowd the
        // incident's own out.
        var others = Enumerable.Range(0, 400).Select(i => Other(i)).ToList();
        world.Store.Commit(others, [IncidentWrite.Whole(new Incident("inc-other", IncidentStatus.Open, FindingSeverity.Warning, others[0].TimeUnixNano,
            others[^1].TimeUnixNano, null, [Service("batch")], [.. others.Select(f => f.Id)], [], [], "another incident"))]);

        var context = world.Analyzer().AnalyzeIncident(id)!.Context;

        AssertAsTheWholeListGives(context, own, maxFindings, maxTimeline);
        Assert.Equal(own.Min(f => f.WindowStartUnixNano), context.FromUnixNano);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"the incident's window holds more than {maxFindings * 4} findings outside the incident; the earliest {maxFindings * 4} were read"), context.Notes);
        Assert.DoesNotContain(context.Notes, n => n.Contains("not in the store", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(7, 9, false)]
    [InlineData(7, 9, true)]
    [InlineData(40, 25, true)]
    public void ForWindow_ManyFindings_ReadsThemAll_RanksTheStrongestAndKeepsBothEnds(int maxFindings, int maxTimeline, bool aroundASymptom)
    {
        // POST /api/rca/analyze over a busy window: it read the window's earliest rca.maxFindings × 4 findings only.
        using var world = new Scenario();
        world.Calls(Frontend, Checkout).Calls(Checkout, Payments);
        world.Options.MaxFindings = maxFindings;
        world.Options.MaxTimeline = maxTimeline;
        var own = ManyFindings(world);
        world.CommitFindings();
        var others = Enumerable.Range(0, 400).Select(i => Other(i)).ToList();
        if (aroundASymptom)
        {
            // Findings on assets far from the symptom (not in its neighbourhood): the analysis is not about them.
            world.Store.Commit(others, []);
        }

        var context = world.Analyzer().AnalyzeWindow(At(-1), At(102), aroundASymptom ? Checkout : null).Context;

        AssertAsTheWholeListGives(context, own, maxFindings, maxTimeline);
        if (aroundASymptom)
        {
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{others.Count} findings away from the symptom; the earliest {maxFindings * 4} were read for evidence on its dependencies"), context.Notes);
        }
    }

    [Fact]
    public void ForIncident_ItsOwnFindingsFillingTheWindow_DoNotCrowdOutAnotherIncidentsFindingOnADependency()
    {
        // A chronic incident's own findings fill its window's first pages (read rca.maxFindings × 4 at a time). A finding
        // of another incident on a dependency late in the window is evidence about that dependency: with it the expansion
        // goes on through the ledger to the database behind it; without it the ledger is an asset without findings, where
        // the expansion stops.
        using var world = new Scenario();
        var ledger = Service("ledger");
        var ledgerDb = Dataset("ledger_entries");
        world.Calls(Frontend, Checkout).Calls(Checkout, Payments).Calls(Payments, ledger).Edge(ledger, ledgerDb, Autopilot.Rca.Graph.EdgeKind.Writes);
        world.Options.MaxFindings = 7;
        var own = ManyFindings(world);
        var id = world.Incident();
        var late = Autopilot.Engines.Findings.Finding.Create("dq", "dq.error_rate", ledger, FindingSeverity.Critical, 0.9, At(89), At(90), At(90), "ledger failing", []);
        world.Store.Commit([late], [IncidentWrite.Whole(new Incident("inc-ledger", IncidentStatus.Open, FindingSeverity.Critical, late.TimeUnixNano, late.TimeUnixNano,
            null, [ledger], [late.Id], [], [], "the ledger's own incident"))]);
        Assert.True(own.Count(f => f.TimeUnixNano < late.TimeUnixNano) > 2 * 7 * 4);

        var context = world.Analyzer().AnalyzeIncident(id)!.Context;

        Assert.True(context.Graph.TryGet(ledger, out _));
        Assert.True(context.Graph.TryGet(ledgerDb, out _), "the expansion stopped at the ledger: its finding was not read");
        Assert.DoesNotContain(context.Notes, n => n.Contains("outside the incident;", StringComparison.Ordinal));
    }

    [Fact]
    public void ForIncident_FindingsMissingFromTheStore_AreCountedInANote()
    {
        using var world = new Scenario();
        var kept = world.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        var lost = Autopilot.Engines.Findings.Finding.Create("dq", "dq.error_rate", Payments, FindingSeverity.Critical, 0.9, At(1), At(2), At(2), "lost", []);
        world.Store.Commit([kept], [IncidentWrite.Whole(new Incident("inc-lost", IncidentStatus.Open, FindingSeverity.Critical, kept.TimeUnixNano, lost.TimeUnixNano,
            null, [Checkout, Payments], [kept.Id, lost.Id], [], [], "one finding lost"))]);

        var context = world.Analyzer().AnalyzeIncident("inc-lost")!.Context;

        Assert.Equal([kept.Id], context.Findings.Select(f => f.Id));
        Assert.Contains("1 of the incident's 2 findings are not in the store", context.Notes);
    }

    [Fact]
    public void Selection_InAnyReadOrder_KeepsTheStrongestAndBothEndsAsTheWholeListOrdersThem()
    {
        // Equal strength is common (a chronic failure's findings are alike), so which of several equals is ranked must not
        // depend on the order the store reads them in: 40 read orders of the same findings.
        var random = new Random(5);
        var findings = new List<Finding>();
        for (var minute = 0; minute < 60; minute++)
        {
            foreach (var urn in new[] { Frontend, Checkout, Payments })
            {
                var start = At(minute);
                findings.Add(Autopilot.Engines.Findings.Finding.Create("dq", "dq.error_rate", urn, FindingSeverity.Warning, random.Next(2) / 2.0, start, start + Minute, start + Minute, "alike", []));
            }
        }

        var listed = findings.OrderBy(f => f.TimeUnixNano).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        var timeline = findings.OrderBy(f => f.TimeUnixNano).ThenBy(f => f.Urn, StringComparer.Ordinal).ToList();
        for (var order = 0; order < 40; order++)
        {
            var selection = new Autopilot.Rca.Context.FindingSelection(maxFindings: 8, maxTimeline: 5);
            foreach (var f in findings.OrderBy(_ => random.Next()))
            {
                selection.Add(f);
            }

            var kept = selection.Kept();
            Assert.Equal(listed.Where(kept.Contains), kept);
            Assert.Equal(listed.Order(Finding.StrongestFirst).Take(8), kept.Order(Finding.StrongestFirst).Take(8));
            Assert.Superset(timeline.Take(5).Concat(timeline.TakeLast(5)).ToHashSet(), kept.ToHashSet());
            Assert.Equal((findings.Count, findings.Count, At(0)), (selection.Count, selection.Symptoms, selection.Onset!.Value));
        }
    }

    /// <summary>
    /// Findings over 100 minutes on three services, the last a recovery: few severities and scores, several assets a
    /// minute, so many are equal in strength, which the ranking takes in the order the store lists them.
    /// </summary>
    private static List<Finding> ManyFindings(Scenario world)
    {
        var random = new Random(11);
        var own = new List<Finding>();
        for (var minute = 0; minute < 100; minute++)
        {
            foreach (var urn in new[] { Frontend, Checkout, Payments })
            {
                if (random.Next(3) > 0)
                {
                    var severity = random.Next(4) == 0 ? FindingSeverity.Critical : FindingSeverity.Warning;
                    own.Add(world.Finding(urn, "dq.error_rate", severity, random.Next(1, 4) / 4.0, minute));
                }
            }
        }

        own.Add(world.Finding(Payments, FreshnessEngine.RecoveredKind, FindingSeverity.Info, 0, 100.5));
        return own;
    }

    /// <summary>
    /// What the whole list of <paramref name="own"/> gives: the strongest symptoms (equals in the store's order: time, then
    /// id), the timeline's earliest and latest entries, and notes with the true totals.
    /// </summary>
    private static void AssertAsTheWholeListGives(Autopilot.Rca.Context.RcaContext context, List<Finding> own, int maxFindings, int maxTimeline)
    {
        var listed = own.OrderBy(f => f.TimeUnixNano).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        var symptoms = listed.Where(f => f.Kind != FreshnessEngine.RecoveredKind).ToList();
        var strongest = symptoms.Order(Finding.StrongestFirst).Take(maxFindings).Select(f => f.Id).Order(StringComparer.Ordinal);
        Assert.Equal(strongest, context.Findings.Select(f => f.Id).Order(StringComparer.Ordinal));
        var timeline = own.OrderBy(f => f.TimeUnixNano).ThenBy(f => f.Urn, StringComparer.Ordinal).ThenBy(f => f.Kind, StringComparer.Ordinal).Select(f => f.Id).ToList();
        var head = (maxTimeline + 1) / 2;
        Assert.Equal([.. timeline.Take(head), .. timeline.Skip(timeline.Count - (maxTimeline - head))], context.Timeline.Select(e => e.FindingId));
        Assert.Equal(FreshnessEngine.RecoveredKind, context.Timeline[^1].Kind);
        Assert.Equal(own.Max(f => f.Severity), context.Severity);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{symptoms.Count} findings; the {maxFindings} strongest were ranked"), context.Notes);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"timeline: {maxTimeline} of {own.Count} entries kept (the earliest and the latest)"), context.Notes);
        Assert.DoesNotContain(context.Notes, n => n.Contains("were read", StringComparison.Ordinal) && !n.Contains("away from the symptom", StringComparison.Ordinal) && !n.Contains("outside the incident", StringComparison.Ordinal));
    }

    private static Finding Other(int i)
    {
        var start = At(i / 4.0);
        return Autopilot.Engines.Findings.Finding.Create("volume", "volume.drop", Service("batch") + i.ToString(CultureInfo.InvariantCulture), FindingSeverity.Warning, 0.3,
            start, start + Minute, start + Minute, "another incident's finding", []);
    }
}
