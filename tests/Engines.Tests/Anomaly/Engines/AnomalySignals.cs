using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

/// <summary>Signal builders and a snapshot helper shared by the anomaly engine tests.</summary>
internal static class AnomalySignals
{
    public const long Second = 1_000_000_000L;
    public const long Minute = 60 * Second;

    /// <summary>A minute-aligned event time (2023-11-14).</summary>
    public const long T0 = 28_333_333L * Minute;

    public const string Service = "urn:autopilot:service:shop:checkout";

    public static Signal Metric(string urn, string name, long time, double value, string type = "gauge", params (string Key, string Value)[] attributes)
    {
        var keys = new string[attributes.Length + 1];
        var values = new string[attributes.Length + 1];
        keys[0] = "metric.type";
        values[0] = type;
        for (var i = 0; i < attributes.Length; i++)
        {
            keys[i + 1] = attributes[i].Key;
            values[i + 1] = attributes[i].Value;
        }

        return new Signal(SignalKind.Metric, urn, time, TraceId.Empty, 0, null, name, value, SignalStatus.Unset, 0, new SignalAttributes(keys, values));
    }

    public static Signal Span(string urn, string name, long time, double durationMs, bool error = false, int code = 200) =>
        new(SignalKind.Span, urn, time, TraceId.Empty, 0, null, name, durationMs, error ? SignalStatus.Error : SignalStatus.Ok, code, SignalAttributes.Empty);

    public static Signal Log(string urn, string body, long time, bool error = false) =>
        new(SignalKind.Log, urn, time, TraceId.Empty, 0, null, body, 1, error ? SignalStatus.Error : SignalStatus.Unset, error ? 17 : 9, SignalAttributes.Empty);

    /// <summary>Gaussian noise from a seeded generator (Box-Muller).</summary>
    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static void Advance(Engine engine, EngineContext context, long watermark)
    {
        context.SetDetachedWatermark(watermark);
        engine.OnWatermark(watermark, context);
    }

    /// <summary>Writes <paramref name="engine"/>'s state and reads it into <paramref name="fresh"/>.</summary>
    public static T Restore<T>(Engine engine, T fresh)
        where T : Engine
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            engine.WriteState(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        fresh.ReadState(reader);
        Assert.Equal(stream.Length, stream.Position);
        return fresh;
    }

    public static string Describe(IEnumerable<Finding> findings) =>
        string.Join("\n", findings.Select(f => $"{f.Id} {f.Kind} {f.Severity} {f.Score} {f.WindowStartUnixNano} {f.Summary}"));
}
