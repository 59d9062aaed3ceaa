using Autopilot.Engines.Contracts;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Quality;
using Autopilot.Engines.Tests.Contracts;
using Autopilot.Engines.Tests.TestSupport;
using Autopilot.Ingest.Signals;
using static Autopilot.Engines.Tests.TestSupport.TestSignals;

namespace Autopilot.Engines.Tests.Quality;

public sealed class DataQualityEngineTests
{
    private const string Service = "urn:autopilot:service:prod:checkout";
    private const string Orders = "urn:autopilot:dataset:pg:public.orders";

    private static DataQualityEngine NewEngine(bool required = false)
    {
        var options = new DataQualityOptions();
        if (required)
        {
            options.RequiredAttributes["service"] = ["http.route", "tenant"];
        }

        return new DataQualityEngine(options, ContractSet.Parse([("orders.yaml", ContractSetTests.Orders)]));
    }

    [Fact]
    public void OnWatermark_RequiredAttributeMissing_MissingAttributeFinding()
    {
        var engine = NewEngine(required: true);
        var ctx = EngineContext.Detached();

        for (var i = 0; i < 10; i++)
        {
            var attrs = i < 4 ? Attrs("http.route", "/pay") : Attrs("http.route", "/pay", "tenant", "a");
            engine.OnSignal(Span(Service, "POST /pay", At(TimeSpan.FromSeconds(i)), attributes: attrs), ctx);
        }

        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("dq.missing_attribute", f.Kind);
        Assert.Equal(0.4, f.Score, 6);
        var e = Assert.Single(f.Evidence);
        Assert.Equal("tenant", e.Reference);
        Assert.Equal(4, e.Observed);
    }

    [Fact]
    public void OnWatermark_AllRequiredPresentOrOtherKind_NoFinding()
    {
        var engine = NewEngine(required: true);
        var ctx = EngineContext.Detached();

        engine.OnSignal(Span(Service, "GET", At(TimeSpan.Zero), attributes: Attrs("http.route", "/", "tenant", "a")), ctx);
        engine.OnSignal(Span("urn:autopilot:topic:kafka:orders", "send", At(TimeSpan.Zero)), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        Assert.Empty(ctx.Captured);
    }

    [Fact]
    public void OnSignal_ContractRequiredFieldAbsentFromSchema_MissingAttribute()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Dataset(Orders, At(TimeSpan.Zero), "fp", "id:INT,note:TEXT"), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("dq.missing_attribute", f.Kind);
        Assert.Equal("schema.fields/email", f.Evidence[0].Reference);
    }

    [Fact]
    public void OnSignal_RealLineageEventAssertionsPass_NoFinding()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();
        var signals = LineageEvents.Decode(LineageEvents.Text("001_client_python_tests_example_full_event_0.json"));

        foreach (var s in signals)
        {
            engine.OnSignal(s, ctx);
        }

        engine.OnWatermark(long.MaxValue - 1, ctx);

        Assert.Contains(signals, s => s.Name == "dq.assertion");
        Assert.Empty(ctx.Captured);
    }

    [Fact]
    public void OnSignal_RealLineageEventAssertionFails_AssertionFailedFinding()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();
        var json = LineageEvents.Text("001_client_python_tests_example_full_event_0.json");
        var failing = System.Text.RegularExpressions.Regex.Replace(json, "(\"no_null_values\",\\s*\"success\":\\s*)true", "${1}false");
        Assert.NotEqual(json, failing);

        foreach (var s in LineageEvents.Decode(failing))
        {
            engine.OnSignal(s, ctx);
        }

        engine.OnWatermark(long.MaxValue - 1, ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("dq.assertion_failed", f.Kind);
        Assert.Equal("urn:autopilot:dataset:my-datasource-namespace:instance.schema.table", f.Urn);
        Assert.Equal("no_null_values", f.Evidence[0].Reference);
        Assert.Equal("column id", f.Evidence[0].Detail);
    }

    [Fact]
    public void OnSignal_NullsInContractRequiredColumn_ColumnMetricFinding_OtherColumnIgnored()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Metric(Orders, "dq.null_count", At(TimeSpan.Zero), 3, Attrs("column", "email")), ctx);
        engine.OnSignal(Metric(Orders, "dq.null_count", At(TimeSpan.Zero), 9, Attrs("column", "note")), ctx);
        engine.OnSignal(Metric(Orders, "dq.null_count", At(TimeSpan.Zero), 0, Attrs("column", "id")), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("dq.column_metric", f.Kind);
        var e = Assert.Single(f.Evidence);
        Assert.Equal("dq.null_count(email)", e.Reference);
        Assert.Equal(3, e.Observed);
    }

    [Fact]
    public void OnSignal_SpanIdRepeatedAcrossWindowBoundary_Duplicate()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(4.9)), spanId: 42), ctx);
        engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(5.1)), spanId: 43), ctx);
        engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(5.2)), spanId: 42), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(10)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("dq.duplicate", f.Kind);
        Assert.Equal(1, f.Score);
        Assert.Equal("span id 000000000000002a", f.Evidence[1].Reference);
    }

    [Fact]
    public void OnSignal_SpanIdReusedAfterTwoWindows_NotDuplicate()
    {
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(1)), spanId: 42), ctx);
        engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(11)), spanId: 42), ctx);
        engine.OnSignal(Span("urn:autopilot:service:prod:other", "GET", At(TimeSpan.FromMinutes(11)), spanId: 43), ctx);
        engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(11)), spanId: 43), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(20)), ctx);

        Assert.Empty(ctx.Captured);
    }

    [Fact]
    public void OnSignal_UrnSeenAgainAfterItsIdsWereForgotten_TrackedAsAFreshEngineTracksIt()
    {
        // The engine caches id sets by URN instance; a set forgotten as idle must not be followed again.
        var used = NewEngine();
        var ctx = EngineContext.Detached();
        used.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(1)), spanId: 42), ctx);
        used.OnWatermark(At(TimeSpan.FromMinutes(20)), ctx);
        var fresh = NewEngine();
        fresh.OnWatermark(At(TimeSpan.FromMinutes(20)), ctx);

        used.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(21)), spanId: 7), ctx);
        fresh.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(21)), spanId: 7), ctx);

        Assert.Equal(State(fresh), State(used));
    }

    [Fact]
    public void ReadState_IntoEngineThatRanOn_TracksLikeAFreshEngine()
    {
        var used = NewEngine();
        var ctx = EngineContext.Detached();
        used.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(1)), spanId: 42), ctx);
        Restore(NewEngine(), used);
        var fresh = NewEngine();
        used.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(2)), spanId: 7), ctx);
        fresh.OnSignal(Span(Service, "GET", At(TimeSpan.FromMinutes(2)), spanId: 7), ctx);

        Assert.Equal(State(fresh), State(used));
    }

    private static byte[] State(DataQualityEngine engine)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        return stream.ToArray();
    }

    [Fact]
    public void OnSignal_MessageIdRepeatedOnTopic_DuplicateButPublishAndProcessAreNot()
    {
        const string topic = "urn:autopilot:topic:kafka:orders";
        var engine = NewEngine();
        var ctx = EngineContext.Detached();

        engine.OnSignal(Span(topic, "orders publish", At(TimeSpan.Zero), spanId: 1, attributes: Attrs("messaging.message.id", "m-1", "messaging.operation.type", "publish")), ctx);
        engine.OnSignal(Span(topic, "orders process", At(TimeSpan.FromSeconds(1)), spanId: 2, attributes: Attrs("messaging.message.id", "m-1", "messaging.operation.type", "process")), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);
        Assert.Empty(ctx.Captured);

        engine.OnSignal(Span(topic, "orders process", At(TimeSpan.FromSeconds(70)), spanId: 3, attributes: Attrs("messaging.message.id", "m-1", "messaging.operation.type", "process")), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(2)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("dq.duplicate", f.Kind);
        Assert.Equal("messaging.message.id m-1", f.Evidence[1].Reference);
    }

    [Fact]
    public void OnSignal_IdCapReached_StopsRememberingNewIds()
    {
        var options = new DataQualityOptions { MaxIdsPerWindow = 2 };
        var engine = new DataQualityEngine(options);
        var ctx = EngineContext.Detached();

        for (ulong id = 1; id <= 3; id++)
        {
            engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromSeconds((double)id)), spanId: id), ctx);
        }

        engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromSeconds(10)), spanId: 3), ctx);
        engine.OnSignal(Span(Service, "GET", At(TimeSpan.FromSeconds(11)), spanId: 2), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        Assert.Equal(1, Assert.Single(ctx.Captured).Score);
    }

    [Fact]
    public void WriteState_RestoredMidStream_SameFindingsAsContinuous()
    {
        var continuous = NewEngine(required: true);
        var c1 = EngineContext.Detached();
        var first = NewEngine(required: true);
        var c2 = EngineContext.Detached();
        DataQualityEngine? second = null;
        for (var i = 0; i < 600; i++)
        {
            var attrs = i % 5 == 0 ? Attrs("http.route", "/") : Attrs("http.route", "/", "tenant", "t");
            var s = Span(Service, "GET", At(TimeSpan.FromSeconds(i)), spanId: (ulong)(i % 170) + 1, attributes: attrs);
            continuous.OnSignal(s, c1);
            var target = second ?? first;
            if (i == 333)
            {
                second = Restore(first, NewEngine(required: true));
                target = second;
            }

            target.OnSignal(s, c2);
            if (i % 20 == 0)
            {
                continuous.OnWatermark(At(TimeSpan.FromSeconds(i - 5)), c1);
                target.OnWatermark(At(TimeSpan.FromSeconds(i - 5)), c2);
            }
        }

        Assert.Contains(c1.Captured, f => f.Kind == "dq.duplicate");
        Assert.Contains(c1.Captured, f => f.Kind == "dq.missing_attribute");
        Assert.Equal(c1.Captured, c2.Captured, new ContractEngineTests.FindingComparer());
    }

    [Fact]
    public void Validate_BadRequiredAttributes_NamesKey()
    {
        var options = new DataQualityOptions();
        options.RequiredAttributes["service"] = [""];

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("engines.dataQuality.requiredAttributes.service", e.Message, StringComparison.Ordinal);
    }
}
