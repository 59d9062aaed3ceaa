using Autopilot.Engines.Hosting;
using Autopilot.Engines.Quality;
using Autopilot.Ingest.Signals;
using static Autopilot.Engines.Tests.TestSupport.TestSignals;

namespace Autopilot.Engines.Tests.Quality;

/// <summary>
/// <see cref="ErrorRateEngine"/>: windows per URN, judged when the watermark passes them. The engine pools the window
/// lists of URNs whose windows are all judged, pools judged windows, and caches a URN's last window by URN instance,
/// so these tests reuse URNs, lists and windows across windows and restores.
/// </summary>
public sealed class ErrorRateEngineTests
{
    private const string A = "urn:autopilot:service:prod:a";
    private const string B = "urn:autopilot:service:prod:b";

    [Fact]
    public void OnWatermark_UrnsTakingTurnsAcrossWindows_EachJudgedOnItsOwnSpans()
    {
        var engine = new ErrorRateEngine(new DataQualityOptions());
        var ctx = EngineContext.Detached();

        Spans(engine, ctx, A, minute: 0, total: 40, errors: 20);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx); // A's list goes back to the pool
        Spans(engine, ctx, B, minute: 1, total: 40, errors: 0); // B takes A's old list
        Spans(engine, ctx, A, minute: 1, total: 40, errors: 4);
        engine.OnWatermark(At(TimeSpan.FromMinutes(2)), ctx);

        Assert.Equal(
            ["0: 50.0 % of 40 spans failed (20 errors) on " + A, "60: 10.0 % of 40 spans failed (4 errors) on " + A],
            ctx.Captured.Select(f => $"{(f.WindowStartUnixNano - At(TimeSpan.Zero)) / 1_000_000_000}: {f.Summary.Replace("\u00a0", " ", StringComparison.Ordinal)}"));
    }

    [Fact]
    public void OnWatermark_WindowJudgedWhileItsUrnStaysOpen_ItsReuseByAnotherUrnTakesNoneOfTheFirstUrnsSpans()
    {
        // The engine caches the window a URN's last span went to. Here A's last span goes to its minute-0 window, which
        // is then judged while A keeps its minute-1 window open; B's next window reuses that pooled window object for
        // minute 2, and A's minute-2 spans must still count in a window of A's own.
        var engine = new ErrorRateEngine(new DataQualityOptions());
        var ctx = EngineContext.Detached();

        Spans(engine, ctx, A, minute: 0, total: 40, errors: 20);
        Spans(engine, ctx, A, minute: 1, total: 40, errors: 0);
        Spans(engine, ctx, A, minute: 0, total: 1, errors: 0); // late, but within the allowed lateness: A's cache now holds minute 0
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);
        Spans(engine, ctx, B, minute: 2, total: 40, errors: 0);
        Spans(engine, ctx, A, minute: 2, total: 40, errors: 8);
        engine.OnWatermark(At(TimeSpan.FromMinutes(3)), ctx);

        Assert.Equal(
            ["0: 48.8 % of 41 spans failed (20 errors) on " + A, "120: 20.0 % of 40 spans failed (8 errors) on " + A],
            ctx.Captured.Select(f => $"{(f.WindowStartUnixNano - At(TimeSpan.Zero)) / 1_000_000_000}: {f.Summary.Replace("\u00a0", " ", StringComparison.Ordinal)}"));
    }

    [Fact]
    public void ReadState_IntoEngineThatRanOn_JudgesOnlyWhatCameAfter()
    {
        var used = new ErrorRateEngine(new DataQualityOptions());
        var ctx = EngineContext.Detached();
        Spans(used, ctx, A, minute: 0, total: 30, errors: 0);
        TestSupport.TestSignals.Restore(new ErrorRateEngine(new DataQualityOptions()), used);
        Spans(used, ctx, A, minute: 0, total: 40, errors: 10);
        used.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        var finding = Assert.Single(ctx.Captured);
        Assert.Equal(0.25, finding.Score); // 10 of the 40 spans after the restore, none of the 30 before it
    }

    private static void Spans(ErrorRateEngine engine, EngineContext ctx, string urn, int minute, int total, int errors)
    {
        for (var i = 0; i < total; i++)
        {
            engine.OnSignal(Span(urn, "GET", At(TimeSpan.FromMinutes(minute) + TimeSpan.FromSeconds(i)), status: i < errors ? SignalStatus.Error : SignalStatus.Ok), ctx);
        }
    }
}
