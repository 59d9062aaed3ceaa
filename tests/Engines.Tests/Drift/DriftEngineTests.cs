using Autopilot.Engines.Drift;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Tests.Contracts;
using Autopilot.Engines.Tests.TestSupport;
using Autopilot.Ingest.Signals;
using static Autopilot.Engines.Tests.TestSupport.TestSignals;

namespace Autopilot.Engines.Tests.Drift;

public sealed class DriftEngineTests
{
    private const string Service = "urn:autopilot:service:prod:checkout";
    private const string Orders = "urn:autopilot:dataset:pg:public.orders";

    [Fact]
    public void OnSignal_DatasetSchemaChanges_AddedRemovedRetypedListed()
    {
        var engine = new DriftEngine(new DriftOptions());
        var ctx = EngineContext.Detached();

        engine.OnSignal(Dataset(Orders, At(TimeSpan.Zero), "a", "id:INT,email:VARCHAR,note:TEXT"), ctx);
        engine.OnSignal(Dataset(Orders, At(TimeSpan.FromMinutes(1)), "a", "id:INT,email:VARCHAR,note:TEXT"), ctx);
        Assert.Empty(ctx.Captured);

        engine.OnSignal(Dataset(Orders, At(TimeSpan.FromMinutes(2)), "b", "id:BIGINT,email:VARCHAR,created:TIMESTAMP"), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("drift.schema", f.Kind);
        Assert.Equal(FindingSeverity.Warning, f.Severity);
        Assert.Equal(["retyped id", "added created", "removed note"], f.Evidence.Select(e => e.Reference));
        Assert.Contains("INT → BIGINT", f.Evidence[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void OnSignal_FingerprintChangesWithoutFieldList_ReportsFingerprint()
    {
        var engine = new DriftEngine(new DriftOptions());
        var ctx = EngineContext.Detached();

        engine.OnSignal(Dataset(Orders, At(TimeSpan.Zero), "a", null), ctx);
        engine.OnSignal(Dataset(Orders, At(TimeSpan.FromMinutes(2)), "b", null), ctx);

        Assert.Equal("fingerprint a → b", Assert.Single(ctx.Captured).Evidence[0].Reference);
    }

    [Fact]
    public void OnSignal_RealLineageEventRetyped_OneSchemaDrift()
    {
        var engine = new DriftEngine(new DriftOptions());
        var ctx = EngineContext.Detached();
        var json = LineageEvents.Text("001_client_python_tests_example_full_event_0.json");

        foreach (var s in LineageEvents.Decode(json))
        {
            engine.OnSignal(s, ctx);
        }

        Assert.Empty(ctx.Captured);
        foreach (var s in LineageEvents.Decode(json.Replace("\"VARCHAR\"", "\"INTEGER\"", StringComparison.Ordinal)))
        {
            engine.OnSignal(s, ctx);
        }

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("urn:autopilot:dataset:my-datasource-namespace:instance.schema.table", f.Urn);
        Assert.Equal("retyped column1", Assert.Single(f.Evidence).Reference);
    }

    private static void Spans(DriftEngine engine, EngineContext ctx, TimeSpan from, int count, TimeSpan step, params string[] keys)
    {
        var pairs = new string[keys.Length * 2];
        for (var i = 0; i < keys.Length; i++)
        {
            pairs[2 * i] = keys[i];
            pairs[(2 * i) + 1] = "v";
        }

        var attrs = Attrs(pairs);
        for (var i = 0; i < count; i++)
        {
            engine.OnSignal(Span(Service, "GET /cart", At(from + (step * i)), 10, attributes: attrs), ctx);
        }
    }

    [Fact]
    public void OnWatermark_AttributeKeysChangeConsistently_SchemaDrift()
    {
        var engine = new DriftEngine(new DriftOptions { WarmupSpans = 100, MinWindowCount = 50, MinReferenceCount = 1_000_000, MaxReferenceSamples = 1_000_000 });
        var ctx = EngineContext.Detached();

        Spans(engine, ctx, TimeSpan.Zero, 100, TimeSpan.FromSeconds(1), "http.route", "user.id");
        Spans(engine, ctx, TimeSpan.FromMinutes(15), 60, TimeSpan.FromSeconds(1), "http.route", "user.id");
        engine.OnWatermark(At(TimeSpan.FromMinutes(30)), ctx);
        Assert.Empty(ctx.Captured);

        Spans(engine, ctx, TimeSpan.FromMinutes(30), 60, TimeSpan.FromSeconds(1), "http.route", "enduser.id");
        engine.OnWatermark(At(TimeSpan.FromMinutes(45)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("drift.schema", f.Kind);
        Assert.Equal(Service, f.Urn);
        Assert.Equal(["added enduser.id", "removed user.id"], f.Evidence.Select(e => e.Reference));

        // The learned shape follows: the same keys again are no drift.
        Spans(engine, ctx, TimeSpan.FromMinutes(45), 60, TimeSpan.FromSeconds(1), "http.route", "enduser.id");
        engine.OnWatermark(At(TimeSpan.FromMinutes(60)), ctx);
        Assert.Single(ctx.Captured);
    }

    [Fact]
    public void SpansSharingKeyArrays_CountedPerRun_FindLikeSpansCountedOneByOne()
    {
        // Spans of one shape share their key array (as the wire reader delivers them) and are counted once per run of
        // them; the same spans with a fresh key array each are counted one by one. Both must find exactly the same, with
        // the same counts in the evidence, across shapes interleaved at random, the per-operation key cap and a snapshot.
        string[][] shapes =
        [
            ["http.route", "user.id", "http.request.method"],
            ["http.route", "enduser.id", "http.request.method", "error.type"],
            ["http.route", "user.id", "http.request.method", "client.address", "server.port"],
        ];
        var shared = shapes.Select(keys => new SignalAttributes([.. keys.Select(string.Intern)], [.. keys.Select(_ => "v")])).ToArray();
        var options = new DriftOptions { WarmupSpans = 100, MinWindowCount = 20, MaxKeysPerOperation = 4, MinReferenceCount = 1_000_000, MaxReferenceSamples = 1_000_000 };
        var runs = new DriftEngine(options);
        var oneByOne = new DriftEngine(options);
        var runsContext = EngineContext.Detached();
        var oneByOneContext = EngineContext.Detached();
        var random = new Random(11);
        var shape = 0;
        for (var i = 0; i < 6_000; i++)
        {
            // Runs of one shape of random length, the mix drifting from shape 0 towards shapes 1 and 2 over the stream.
            if (random.Next(8) == 0)
            {
                shape = random.Next(100) < 100 - (i / 60) ? 0 : 1 + random.Next(2);
            }

            var time = At(TimeSpan.FromSeconds(i));
            var operation = random.Next(4) == 0 ? "POST /cart" : "GET /cart";
            runs.OnSignal(Span(Service, operation, time, 10, attributes: shared[shape]), runsContext);
            oneByOne.OnSignal(Span(Service, operation, time, 10, attributes: new SignalAttributes([.. shapes[shape].Select(string.Intern)], [.. shapes[shape].Select(_ => "v")])), oneByOneContext);
            if (i % 600 == 599)
            {
                runs.OnWatermark(time, runsContext);
                oneByOne.OnWatermark(time, oneByOneContext);
            }

            if (i % 257 == 256)
            {
                runs = Restore(runs, new DriftEngine(options)); // mid-run, mid-window, again and again
            }
        }

        Assert.NotEmpty(oneByOneContext.Captured);
        Assert.Equal(Describe(oneByOneContext.Captured), Describe(runsContext.Captured));

        static string[] Describe(IEnumerable<Finding> findings) =>
            [.. findings.Select(f => $"{f.Kind} {f.Urn} {f.WindowStartUnixNano} {f.Summary}: " + string.Join("; ", f.Evidence.Select(e => $"{e.Reference} {e.Observed} {e.Expected} {e.Detail}")))];
    }

    [Fact]
    public void OnWatermark_KeyOnlySometimesPresent_NoDrift()
    {
        var engine = new DriftEngine(new DriftOptions { WarmupSpans = 100, MinWindowCount = 50 });
        var ctx = EngineContext.Detached();

        Spans(engine, ctx, TimeSpan.Zero, 100, TimeSpan.FromSeconds(1), "http.route");
        Spans(engine, ctx, TimeSpan.FromMinutes(15), 40, TimeSpan.FromSeconds(1), "http.route");
        Spans(engine, ctx, TimeSpan.FromMinutes(20), 40, TimeSpan.FromSeconds(1), "http.route", "error.type");
        engine.OnWatermark(At(TimeSpan.FromMinutes(30)), ctx);

        Assert.Empty(ctx.Captured);
    }

    /// <summary>Feeds durations: an hour of reference, then windows of <paramref name="shift"/>-shifted values.</summary>
    private static void Durations(DriftEngine engine, EngineContext ctx, int fromMinute, int minutes, double shift)
    {
        for (var m = fromMinute; m < fromMinute + minutes; m++)
        {
            for (var i = 0; i < 20; i++)
            {
                var v = ((m * 20) + i) * 7 % 100; // a deterministic walk over 0..99
                engine.OnSignal(Span(Service, "GET /cart", At(TimeSpan.FromMinutes(m) + TimeSpan.FromSeconds(i)), v + shift), ctx);
            }

            engine.OnWatermark(At(TimeSpan.FromMinutes(m + 1)), ctx);
        }
    }

    [Fact]
    public void OnWatermark_SameDistribution_NoDrift_ShiftedDistribution_Drift()
    {
        var engine = new DriftEngine(new DriftOptions { WarmupSpans = int.MaxValue });
        var ctx = EngineContext.Detached();

        Durations(engine, ctx, 0, 90, 0);
        Assert.Empty(ctx.Captured);

        Durations(engine, ctx, 90, 30, 50);

        // Both 15-minute windows of the shifted half hour drift: half the values fall beyond the reference's top bin.
        Assert.Equal(2, ctx.Captured.Count);
        var f = ctx.Captured[0];
        Assert.Equal("drift.distribution", f.Kind);
        Assert.Equal(At(TimeSpan.FromMinutes(90)), f.WindowStartUnixNano);
        Assert.Equal(At(TimeSpan.FromMinutes(105)), ctx.Captured[1].WindowStartUnixNano);
        Assert.True(f.Score >= 0.25, $"PSI {f.Score}");
        Assert.Equal(0.25, f.Evidence[0].Expected);
        Assert.Equal(99.5, f.Evidence[1].Observed);
        Assert.Equal(49.5, f.Evidence[1].Expected);
    }

    [Fact]
    public void OnWatermark_TooFewValuesInWindow_NotJudged()
    {
        var engine = new DriftEngine(new DriftOptions { WarmupSpans = int.MaxValue, MinWindowCount = 1000 });
        var ctx = EngineContext.Detached();

        Durations(engine, ctx, 0, 120, 0);
        Durations(engine, ctx, 120, 30, 500);

        Assert.Empty(ctx.Captured);
    }

    [Fact]
    public void OnSignal_MetricSeries_DriftPerUrnAndName()
    {
        var engine = new DriftEngine(new DriftOptions { MinWindowCount = 50 });
        var ctx = EngineContext.Detached();
        for (var m = 0; m < 120; m++)
        {
            for (var i = 0; i < 5; i++)
            {
                var v = m < 90 ? (m * 5 + i) % 50 : 1000;
                engine.OnSignal(Metric(Service, "queue.depth", At(TimeSpan.FromMinutes(m) + TimeSpan.FromSeconds(i)), v), ctx);
            }

            engine.OnWatermark(At(TimeSpan.FromMinutes(m + 1)), ctx);
        }

        Assert.All(ctx.Captured, f => Assert.Equal("drift.distribution", f.Kind));
        Assert.Equal(2, ctx.Captured.Count);
        Assert.Contains("queue.depth", ctx.Captured[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteState_RestoredMidStream_SameFindingsAsContinuous()
    {
        var options = new DriftOptions { WarmupSpans = 100, MinWindowCount = 50 };
        var continuous = new DriftEngine(options);
        var c1 = EngineContext.Detached();
        var first = new DriftEngine(options);
        var c2 = EngineContext.Detached();
        DriftEngine? second = null;
        for (var m = 0; m < 150; m++)
        {
            if (m == 100)
            {
                second = Restore(first, new DriftEngine(options));
            }

            var target = second ?? first;
            for (var i = 0; i < 10; i++)
            {
                var attrs = m < 110 ? Attrs("a", "1", "b", "2") : Attrs("a", "1", "c", "3");
                var s = Span(Service, "op", At(TimeSpan.FromMinutes(m) + TimeSpan.FromSeconds(i)), (m < 105 ? 0 : 40) + ((m * 10 + i) * 3 % 50), attributes: attrs);
                continuous.OnSignal(s, c1);
                target.OnSignal(s, c2);
            }

            if (m % 3 == 0)
            {
                continuous.OnSignal(Dataset(Orders, At(TimeSpan.FromMinutes(m)), m < 120 ? "a" : "b", m < 120 ? "id:INT" : "id:BIGINT"), c1);
                target.OnSignal(Dataset(Orders, At(TimeSpan.FromMinutes(m)), m < 120 ? "a" : "b", m < 120 ? "id:INT" : "id:BIGINT"), c2);
            }

            continuous.OnWatermark(At(TimeSpan.FromMinutes(m + 1)), c1);
            target.OnWatermark(At(TimeSpan.FromMinutes(m + 1)), c2);
        }

        Assert.Contains(c1.Captured, f => f.Kind == "drift.distribution");
        Assert.Contains(c1.Captured, f => f.Kind == "drift.schema" && f.Urn == Service);
        Assert.Contains(c1.Captured, f => f.Kind == "drift.schema" && f.Urn == Orders);
        Assert.Equal(c1.Captured, c2.Captured, new ContractEngineTests.FindingComparer());
    }

    [Fact]
    public void ReadState_IntoEngineThatRanOn_ForgetsWhatItTrackedBefore()
    {
        // The engine caches what it tracks by URN and name; after ReadState it must track into the restored state
        // (here: empty), exactly as a fresh engine fed the same signals does.
        var used = new DriftEngine(new DriftOptions());
        var ctx = EngineContext.Detached();
        Durations(used, ctx, 0, 30, 0);
        Restore(new DriftEngine(new DriftOptions()), used);

        var fresh = new DriftEngine(new DriftOptions());
        Durations(used, ctx, 30, 10, 0);
        Durations(fresh, EngineContext.Detached(), 30, 10, 0);

        Assert.Equal(State(fresh), State(used));
        Assert.True(State(fresh).Length > 100, "the fed spans should be tracked in the state");
    }

    private static byte[] State(DriftEngine engine)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        return stream.ToArray();
    }

    [Fact]
    public void Validate_BadPsiThreshold_NamesKey()
    {
        var e = Assert.Throws<ArgumentException>(new DriftOptions { PsiThreshold = 0 }.Validate);

        Assert.Contains("engines.drift.psiThreshold", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateDefault_AllEnabled_HostsDriftDqAndContractEngines()
    {
        var names = EngineCatalog.CreateDefault(0, new EngineOptions()).Select(e => e.Name).ToList();

        Assert.Contains("drift", names);
        Assert.Contains("dq", names);
        Assert.Contains("contract", names);
        Assert.Equal(names.Count, names.Distinct().Count());
    }
}
