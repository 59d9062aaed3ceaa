using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.TestSupport;

/// <summary>Builds canonical signals for engine tests; times are <see cref="T0"/> plus an offset.</summary>
internal static class TestSignals
{
    /// <summary>An hour boundary (2023-11-14 22:00 UTC) in Unix ns.</summary>
    public const long T0 = 1_699_999_200L * 1_000_000_000;

    public static long At(TimeSpan offset) => T0 + (offset.Ticks * 100);

    public static SignalAttributes Attrs(params string[] pairs)
    {
        var keys = new string[pairs.Length / 2];
        var values = new string[pairs.Length / 2];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = string.Intern(pairs[2 * i]);
            values[i] = pairs[(2 * i) + 1];
        }

        return keys.Length == 0 ? SignalAttributes.Empty : new SignalAttributes(keys, values);
    }

    public static Signal Span(string urn, string name, long time, double durationMs = 10, ulong spanId = 0, SignalAttributes? attributes = null, SignalStatus status = SignalStatus.Ok) =>
        new(SignalKind.Span, urn, time, TraceId.Empty, spanId, null, name, durationMs, status, 0, attributes ?? SignalAttributes.Empty);

    public static Signal Metric(string urn, string name, long time, double value, SignalAttributes? attributes = null) =>
        new(SignalKind.Metric, urn, time, TraceId.Empty, 0, null, name, value, SignalStatus.Unset, 0, attributes ?? SignalAttributes.Empty);

    public static Signal Record(string urn, string name, long time, double value, SignalStatus status = SignalStatus.Unset, SignalAttributes? attributes = null) =>
        new(SignalKind.Record, urn, time, TraceId.Empty, 0, null, name, value, status, 0, attributes ?? SignalAttributes.Empty);

    public static Signal Log(string urn, long time, SignalAttributes? attributes = null) =>
        new(SignalKind.Log, urn, time, TraceId.Empty, 0, null, "log", 0, SignalStatus.Unset, 0, attributes ?? SignalAttributes.Empty);

    /// <summary>A dataset lineage signal (output of a run) with a schema.</summary>
    public static Signal Dataset(string urn, long time, string fingerprint, string? fields) =>
        new(SignalKind.Lineage, urn, time, TraceId.Empty, 0, "run-1", "COMPLETE", 0, SignalStatus.Ok, 0,
            fields is null
                ? Attrs("lineage.direction", "output", "schema.fingerprint", fingerprint)
                : Attrs("lineage.direction", "output", "schema.fingerprint", fingerprint, "schema.fields", fields));

    /// <summary>Snapshots <paramref name="engine"/> and restores it into <paramref name="fresh"/>.</summary>
    public static T Restore<T>(Autopilot.Engines.Hosting.Engine engine, T fresh)
        where T : Autopilot.Engines.Hosting.Engine
    {
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(w);
        }

        ms.Position = 0;
        using var r = new BinaryReader(ms);
        fresh.ReadState(r);
        Assert.Equal(ms.Length, ms.Position);
        return fresh;
    }
}
