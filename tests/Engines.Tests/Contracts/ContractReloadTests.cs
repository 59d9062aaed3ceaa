using Autopilot.Engines.Contracts;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Quality;
using Autopilot.Ingest.Signals;
using static Autopilot.Engines.Tests.TestSupport.TestSignals;

namespace Autopilot.Engines.Tests.Contracts;

/// <summary>
/// Contracts read again from their directory while the engines run (<c>POST /-/reload</c>, SIGHUP): a reload with no error
/// is taken up at each engine's next signal or watermark, one with any error changes nothing.
/// </summary>
public sealed class ContractReloadTests : IDisposable
{
    private const string Urn = "urn:autopilot:dataset:pg:public.orders";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-contracts-" + Guid.NewGuid().ToString("N"));

    public ContractReloadTests()
    {
        Directory.CreateDirectory(_directory);
    }

    [Fact]
    public void Reload_NoError_PutsTheNewSetInForce()
    {
        Write("orders.yaml", ContractSetTests.Orders);
        var catalog = new ContractCatalog(_directory);
        var first = catalog.Current;
        Write("users.yaml", "dataset: { namespace: pg, name: public.users }\nquality:\n  - rowCount > 0\n");

        var reload = catalog.Reload();

        Assert.Equal(new ContractReload(true, 2, []), reload with { Errors = [] });
        Assert.Empty(reload.Errors);
        Assert.NotSame(first, catalog.Current);
        Assert.NotNull(catalog.Current.Find("urn:autopilot:dataset:pg:public.users"));
        Assert.Equal(1, catalog.Reloads);
    }

    [Fact]
    public void Reload_ABadFileOrNoDirectory_KeepsTheSetInForce_AndNamesTheProblem()
    {
        Write("orders.yaml", ContractSetTests.Orders);
        var catalog = new ContractCatalog(_directory);
        var first = catalog.Current;

        Write("orders.yaml", ContractSetTests.Orders.Replace("rowCount > 0", "rowCount >> 0", StringComparison.Ordinal));
        var typo = catalog.Reload();
        Directory.Delete(_directory, recursive: true);
        var gone = catalog.Reload();
        var none = new ContractCatalog(null).Reload();

        Assert.False(typo.Applied);
        Assert.Equal(1, typo.Contracts);
        var error = Assert.Single(typo.Errors);
        Assert.Equal("orders.yaml", error.File);
        Assert.Contains("rowCount >> 0", error.ToString(), StringComparison.Ordinal);
        Assert.False(gone.Applied);
        Assert.Contains("directory not found", Assert.Single(gone.Errors).Message, StringComparison.Ordinal);
        Assert.Same(first, catalog.Current);
        Assert.Equal(0, catalog.Reloads);
        Assert.False(none.Applied);
        Assert.Contains("no contract directory", Assert.Single(none.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContractEngine_TakesUpAReloadedRule_AndKeepsWhatItLearned()
    {
        var (catalog, engine, ctx) = Start();

        engine.OnSignal(Rows(At(TimeSpan.FromSeconds(10)), 500), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);
        Assert.Empty(ctx.Captured); // 500 rows pass rowCount > 0

        Write("orders.yaml", Contract("rowCount > 1000"));
        Assert.True(catalog.Reload().Applied);
        engine.OnSignal(Rows(At(TimeSpan.FromSeconds(70)), 500), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(2)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal("contract.violation", f.Kind);
        Assert.Contains(f.Evidence, e => e.Reference == "rowCount > 1000" && e.Observed == 500);
        Assert.Same(catalog.Current, engine.Contracts);
    }

    [Fact]
    public void ContractEngine_AContractRemovedByAReload_IsForgotten()
    {
        var (catalog, engine, ctx) = Start();
        engine.OnSignal(Rows(At(TimeSpan.FromSeconds(10)), 500), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);

        File.Delete(Path.Combine(_directory, "orders.yaml"));
        Assert.True(catalog.Reload().Applied);
        engine.OnWatermark(At(TimeSpan.FromHours(3)), ctx); // stale by the old contract's 1 h freshness: nobody asks any more

        Assert.Empty(ctx.Captured);
        using var state = new MemoryStream();
        using (var writer = new BinaryWriter(state, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        Assert.Equal(8, state.Length); // no dataset's state left: the version and the count alone
    }

    [Fact]
    public void ContractEngine_ASchemaChangedByAReload_IsJudgedAgain()
    {
        // The same schema (one fingerprint) is reported once; after the contract's schema changes it is judged afresh.
        var (catalog, engine, ctx) = Start();
        engine.OnSignal(Dataset(Urn, At(TimeSpan.FromSeconds(10)), "fp1", "id:BIGINT"), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);
        Assert.Empty(ctx.Captured);

        Write("orders.yaml", Contract("rowCount > 0", "  - { name: email, type: string, required: true }\n"));
        Assert.True(catalog.Reload().Applied);
        engine.OnSignal(Dataset(Urn, At(TimeSpan.FromSeconds(70)), "fp1", "id:BIGINT"), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(2)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Contains(f.Evidence, e => e.Reference == "schema.email");
    }

    [Fact]
    public void ContractEngine_AVolumePeriodChangedByAReload_NeverJudgesAPeriodOnAPartialCount()
    {
        // 60 rows at 05:10 counted in the day's period; the reload makes it hourly. The 05:00 hour then holds 60 + 60 rows,
        // but only the 60 after the reload are in its new bucket: it must not be judged (no false "60 rows in 1 h").
        // The next hour, counted whole, is judged as usual.
        Write("orders.yaml", Volume("1d"));
        var catalog = new ContractCatalog(_directory);
        var engine = new ContractEngine(new ContractOptions(), catalog);
        var ctx = EngineContext.Detached();
        engine.OnSignal(Rows(At(new TimeSpan(3, 10, 0)), 200), ctx); // seen since 03:10: later periods are judged
        engine.OnSignal(Rows(At(new TimeSpan(5, 10, 0)), 60), ctx);
        engine.OnWatermark(At(new TimeSpan(5, 29, 0)), ctx);

        Write("orders.yaml", Volume("1h"));
        Assert.True(catalog.Reload().Applied);
        engine.OnSignal(Rows(At(new TimeSpan(5, 40, 0)), 60), ctx);
        engine.OnSignal(Rows(At(new TimeSpan(6, 10, 0)), 50), ctx);
        engine.OnWatermark(At(new TimeSpan(7, 1, 0)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal(At(new TimeSpan(7, 0, 0)), f.WindowEndUnixNano);
        var volume = Assert.Single(f.Evidence);
        Assert.Equal(("sla.volume", 50d), (volume.Reference, volume.Observed!.Value));
    }

    [Fact]
    public void ContractEngine_RestoredUnderAContractWhosePeriodChanged_NeverJudgesAPeriodOnAPartialCount()
    {
        // As above across a restart: hourly counts in the snapshot, the contract two-hourly when the shard comes back.
        var engine = CountedUnder("1h");
        Write("orders.yaml", Volume("2h"));
        var restored = Restore(engine, new ContractEngine(new ContractOptions(), new ContractCatalog(_directory)));

        AssertOnlyTheFirstWholePeriodJudged(restored, end: new TimeSpan(8, 0, 0));
    }

    [Fact]
    public void ContractEngine_RestoredUnderAShorterPeriodOnTheOldBoundaries_NeverJudgesAPeriodOnAPartialCount()
    {
        // Daily counts start at midnight, which is also an hour's start: the counts alone cannot tell the period changed.
        // The 60 rows at 05:10 were counted in the day; the 05:00 hour must not be judged on the 60 after the restart.
        var engine = CountedUnder("1d");
        Write("orders.yaml", Volume("1h"));
        var restored = Restore(engine, new ContractEngine(new ContractOptions(), new ContractCatalog(_directory)));

        AssertOnlyTheFirstWholePeriodJudged(restored, end: new TimeSpan(7, 0, 0));
    }

    [Fact]
    public void ContractEngine_RestoredUnderAChangedSchema_JudgesTheSameSchemaAgain()
    {
        var (_, engine, ctx) = Start();
        engine.OnSignal(Dataset(Urn, At(TimeSpan.FromSeconds(10)), "fp1", "id:BIGINT"), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(1)), ctx);
        Assert.Empty(ctx.Captured);

        Write("orders.yaml", Contract("rowCount > 0", "  - { name: email, type: string, required: true }\n"));
        var restored = Restore(engine, new ContractEngine(new ContractOptions(), new ContractCatalog(_directory)));
        var after = EngineContext.Detached();
        restored.OnSignal(Dataset(Urn, At(TimeSpan.FromSeconds(70)), "fp1", "id:BIGINT"), after);
        restored.OnWatermark(At(TimeSpan.FromMinutes(2)), after);

        var f = Assert.Single(after.Captured);
        Assert.Contains(f.Evidence, e => e.Reference == "schema.email");
    }

    [Fact]
    public void ContractEngine_ReadsASnapshotWrittenBeforeStateVersions()
    {
        // Version 1 wrote the count first and no terms: restored under a two-hourly contract, the hourly counts are off its
        // boundaries, so they are dropped as before (the same findings as the version 2 snapshot gives).
        var engine = CountedUnder("1h");
        using var written = new MemoryStream();
        using (var writer = new BinaryWriter(written, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        // Version 2: -2, the count, the URN, then the terms (period ticks, no schema field) before the rest; version 1 is
        // the same without the first and the terms.
        var bytes = written.ToArray();
        Assert.Equal(-2, BitConverter.ToInt32(bytes, 0));
        var afterUrn = 8 + 1 + System.Text.Encoding.UTF8.GetByteCount(Urn);
        Assert.Equal(TimeSpan.FromHours(1).Ticks, BitConverter.ToInt64(bytes, afterUrn));
        var v1 = bytes[4..afterUrn].Concat(bytes[(afterUrn + 12)..]).ToArray();

        Write("orders.yaml", Volume("2h"));
        var restored = new ContractEngine(new ContractOptions(), new ContractCatalog(_directory));
        using (var reader = new BinaryReader(new MemoryStream(v1)))
        {
            restored.ReadState(reader);
        }

        AssertOnlyTheFirstWholePeriodJudged(restored, end: new TimeSpan(8, 0, 0));
    }

    [Fact]
    public void DataQualityEngine_ReadsTheContractsInForce()
    {
        // Data quality checks a contract's required columns for nulls; a contract added by a reload counts from then on.
        var catalog = new ContractCatalog(_directory);
        var engine = new DataQualityEngine(new DataQualityOptions(), catalog);
        var ctx = EngineContext.Detached();
        engine.OnSignal(Metric(Urn, "dq.null_count", At(TimeSpan.FromSeconds(5)), 7, Attrs("column", "id")), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(2)), ctx);
        Assert.Empty(ctx.Captured);

        Write("orders.yaml", Contract("rowCount > 0"));
        Assert.True(catalog.Reload().Applied);
        engine.OnSignal(Metric(Urn, "dq.null_count", At(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5)), 7, Attrs("column", "id")), ctx);
        engine.OnWatermark(At(TimeSpan.FromMinutes(4)), ctx);

        Assert.NotEmpty(ctx.Captured);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Contract(string rule, string moreFields = "") =>
        $$"""
        name: orders
        dataset: { namespace: pg, name: public.orders }
        tier: gold
        schema:
          - { name: id, type: integer, required: true }
        {{moreFields}}quality:
          - {{rule}}
        sla:
          freshness: 1h
        """;

    /// <summary>A contract engine over the directory's one contract (orders: <c>rowCount &gt; 0</c>, freshness 1 h).</summary>
    private (ContractCatalog Catalog, ContractEngine Engine, EngineContext Context) Start()
    {
        Write("orders.yaml", Contract("rowCount > 0"));
        var catalog = new ContractCatalog(_directory);
        return (catalog, new ContractEngine(new ContractOptions(), catalog), EngineContext.Detached());
    }

    private static string Volume(string per) =>
        $$"""
        name: orders
        dataset: { namespace: pg, name: public.orders }
        sla:
          volume: { min: 100, per: {{per}} }
        """;

    /// <summary>A contract engine that counted 200 rows at 03:10 and 60 at 05:10 under a volume SLA per <paramref name="per"/>.</summary>
    private ContractEngine CountedUnder(string per)
    {
        Write("orders.yaml", Volume(per));
        var engine = new ContractEngine(new ContractOptions(), new ContractCatalog(_directory));
        var ctx = EngineContext.Detached();
        engine.OnSignal(Rows(At(new TimeSpan(3, 10, 0)), 200), ctx);
        engine.OnSignal(Rows(At(new TimeSpan(5, 10, 0)), 60), ctx);
        engine.OnWatermark(At(new TimeSpan(5, 29, 0)), ctx);
        return engine;
    }

    /// <summary>
    /// After a restart under another period: 60 rows at 05:40 and 50 at 06:10. The period holding 05:10 (counted under the old
    /// period) is not judged; the next one, ending at <paramref name="end"/>, is judged on its 50 rows alone.
    /// </summary>
    private static void AssertOnlyTheFirstWholePeriodJudged(ContractEngine restored, TimeSpan end)
    {
        var ctx = EngineContext.Detached();
        restored.OnSignal(Rows(At(new TimeSpan(5, 40, 0)), 60), ctx);
        restored.OnSignal(Rows(At(new TimeSpan(6, 10, 0)), 50), ctx);
        restored.OnWatermark(At(end + TimeSpan.FromMinutes(1)), ctx);

        var f = Assert.Single(ctx.Captured);
        Assert.Equal(At(end), f.WindowEndUnixNano);
        Assert.Equal(50, Assert.Single(f.Evidence).Observed);
    }

    private static Signal Rows(long time, double rows) =>
        Record(Urn, "lineage.row_count", time, rows, attributes: Attrs("lineage.direction", "output"));

    private void Write(string file, string text) => File.WriteAllText(Path.Combine(_directory, file), text);
}
