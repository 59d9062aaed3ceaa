using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;
using Autopilot.Ingest.Signals;
using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Engines.Tests.Hosting;

/// <summary>
/// The shard hands an engine only the kinds of signal it says it handles (<see cref="Engine.Handles"/>). These tests
/// check both halves: that the shard routes by kind, and that every engine's claim is true, i.e. the kinds it says it
/// does not handle never change its state or make it emit anything, on the recorded stream that exercises every engine.
/// </summary>
public sealed class EngineRoutingTests
{
    private static readonly Lazy<Signal[]> Stream = new(() => RecordedStream.Build(TimeSpan.FromMinutes(100)));

    [Fact]
    public void EveryEngine_FedOnlyTheKindsItHandles_EndsInTheSameStateAndFindings()
    {
        var signals = Stream.Value;
        using var contracts = new EngineDifferentialTests.ContractDirectory();
        var options = EngineDifferentialTests.Options("defaults", contracts.Path);
        var everything = EngineCatalog.CreateDefault(0, options);
        var routed = EngineCatalog.CreateDefault(0, options);
        Assert.Equal(11, everything.Count); // every engine, the rule and SLO engines included
        var skippedByAny = 0;
        for (var e = 0; e < everything.Count; e++)
        {
            var all = EngineContext.Detached(options);
            var some = EngineContext.Detached(options);
            var skipped = 0;
            long maxTime = long.MinValue;
            var lateness = options.AllowedLateness.Ticks * 100;
            for (var i = 0; i < signals.Length; i++)
            {
                everything[e].OnSignal(signals[i], all);
                if (routed[e].Handles(signals[i].Kind))
                {
                    routed[e].OnSignal(signals[i], some);
                }
                else
                {
                    skipped++;
                }

                maxTime = Math.Max(maxTime, signals[i].TimeUnixNano);
                if (i % 256 == 255)
                {
                    all.SetDetachedWatermark(maxTime - lateness);
                    some.SetDetachedWatermark(maxTime - lateness);
                    everything[e].OnWatermark(maxTime - lateness, all);
                    routed[e].OnWatermark(maxTime - lateness, some);
                }
            }

            var name = everything[e].Name;
            Assert.Equal(Json(all.Captured), Json(some.Captured));
            Assert.True(State(everything[e]).AsSpan().SequenceEqual(State(routed[e])), $"{name}: state differs when it sees only the kinds it handles");
            skippedByAny += skipped;
        }

        // The stream has spans, metrics, logs, lineage and records, so most engines skip some of it.
        Assert.True(skippedByAny > signals.Length, $"expected the engines to skip signals; {skippedByAny} skipped");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Shard_HandsEachEngineOnlyTheKindsItHandles_AndAThrowingEngineLosesOnlyThatSignal(bool bySignal)
    {
        var spans = new Recorder("spans", SignalKind.Span);
        var metricsAndLogs = new Recorder("metrics-logs", SignalKind.Metric, SignalKind.Log);
        var everything = new Recorder("all") { ThrowOn = "boom" };
        var directory = Path.Combine(Path.GetTempPath(), "autopilot-routing-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = new SqliteEngineStore(Path.Combine(directory, "engines.db"));
            var host = new EngineHost(new EngineOptions { Shards = 1 }, store, (_, _) => [spans, metricsAndLogs, everything], time: new FrozenTime());
            var shard = new EngineShard(host, 0);
            var context = new PartitionContext<Finding>(0, 16);
            SignalKind[] kinds = [SignalKind.Span, SignalKind.Metric, SignalKind.Log, SignalKind.Lineage, SignalKind.Record, SignalKind.Change, (SignalKind)0, (SignalKind)200];
            var inputs = new List<EngineInput>();
            for (var i = 0; i < 40; i++)
            {
                var kind = kinds[i % kinds.Length];
                var name = i == 9 ? "boom" : "s" + i;
                inputs.Add(new EngineInput(1, new Signal(kind, "urn:autopilot:service:a:b", 1_000 + i, TraceId.Empty, 0, null, name, 1, SignalStatus.Ok, 0, SignalAttributes.Empty)));
                if (i == 19)
                {
                    inputs.Add(new EngineInput(1, default, 0)); // a barrier splits the range in two runs
                }
            }

            ShardRun.Hand(shard, inputs, context, bySignal);

            Assert.Equal(5, spans.Seen.Count);
            Assert.All(spans.Seen, s => Assert.Equal(SignalKind.Span, s.Kind));
            Assert.Equal(10, metricsAndLogs.Seen.Count);
            Assert.All(metricsAndLogs.Seen, s => Assert.True(s.Kind is SignalKind.Metric or SignalKind.Log));

            // "boom" (a metric) threw in the last engine only: the others still saw it, and it saw everything else.
            Assert.Contains(metricsAndLogs.Seen, s => s.Name == "boom");
            Assert.Equal(39, everything.Seen.Count);
            Assert.Equal([.. Enumerable.Range(0, 40).Where(i => i != 9).Select(i => 1_000L + i)], everything.Seen.Select(s => s.TimeUnixNano));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Shard_GivenARange_EmitsFindingsInTheOrderSignalBySignalDoes()
    {
        // Every engine emits a finding for each signal it sees, so the order tells whether the range (engine by engine over
        // the batch) held its findings back and put them in signal order, engines in shard order within a signal.
        var runs = new List<string>[2];
        foreach (var bySignal in new[] { false, true })
        {
            var first = new Recorder("first", SignalKind.Span, SignalKind.Metric) { Emits = true };
            var second = new Recorder("second", SignalKind.Metric, SignalKind.Log) { Emits = true };
            var third = new Recorder("third") { Emits = true, ThrowOn = "s4" };
            var directory = Path.Combine(Path.GetTempPath(), "autopilot-routing-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var store = new SqliteEngineStore(Path.Combine(directory, "engines.db"));
                var host = new EngineHost(new EngineOptions { Shards = 1 }, store, (_, _) => [first, second, third], time: new FrozenTime());
                var shard = new EngineShard(host, 0);
                var context = new PartitionContext<Finding>(0, 16);
                SignalKind[] kinds = [SignalKind.Span, SignalKind.Metric, SignalKind.Log];
                var inputs = Enumerable.Range(0, 12).Select(i => new EngineInput(1, new Signal(kinds[i % 3], "urn:autopilot:service:a:s" + (i % 2), 1_000 + i,
                    TraceId.Empty, 0, null, "s" + i, 1, SignalStatus.Ok, 0, SignalAttributes.Empty))).ToList();
                ShardRun.Hand(shard, inputs, context, bySignal);
                runs[bySignal ? 1 : 0] = [.. context.Output.ToArray().Select(f => f.Id)];
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
            }
        }

        // s0 span: first, third; s1 metric: first, second, third; s2 log: second, third; ... s4 (metric) threw in third.
        Assert.Equal(["first/s0", "third/s0", "first/s1", "second/s1", "third/s1", "second/s2", "third/s2"], runs[1].Take(7));
        Assert.DoesNotContain("third/s4", runs[1]);
        Assert.Equal(runs[1], runs[0]);
    }

    private static byte[] State(Engine engine)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        return stream.ToArray();
    }

    private static List<string> Json(List<Finding> findings) =>
        [.. findings.Select(f => System.Text.Json.JsonSerializer.Serialize(f, EngineJson.Options))];

    private sealed class Recorder(string name, params SignalKind[] kinds) : Engine
    {
        public List<Signal> Seen { get; } = [];

        public string? ThrowOn { get; init; }

        /// <summary>Emits a finding with the id "engine/signal name" for every signal it sees.</summary>
        public bool Emits { get; init; }

        public override string Name => name;

        public override bool Handles(SignalKind kind) => kinds.Length == 0 || kinds.Contains(kind);

        public override void OnSignal(in Signal signal, EngineContext context)
        {
            if (signal.Name == ThrowOn)
            {
                throw new InvalidOperationException("boom");
            }

            Seen.Add(signal);
            if (Emits)
            {
                context.Emit(new Finding(name + "/" + signal.Name, signal.Urn!, name, name, FindingSeverity.Warning, 1, signal.TimeUnixNano, signal.TimeUnixNano,
                    signal.TimeUnixNano, signal.Name!, []));
            }
        }

        public override void WriteState(BinaryWriter writer)
        {
        }

        public override void ReadState(BinaryReader reader)
        {
        }
    }
}
