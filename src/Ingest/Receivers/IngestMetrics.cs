using System.Diagnostics.Metrics;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The ingest edge's counters in the Collector's vocabulary: every item received is counted once as
/// <c>accepted</c> (durably in the log), <c>refused</c> (overload; the client should retry) or
/// <c>invalid</c> (bad input; retrying will not help).
/// </summary>
public static class IngestMetrics
{
    public const string MeterName = "Autopilot.Ingest";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary>Exposed as <c>autopilot_ingest_items_total{signal,protocol,outcome}</c>.</summary>
    public static readonly Counter<long> Items = s_meter.CreateCounter<long>(
        "autopilot.ingest.items", "{item}", "Items received at the ingest edge by signal, protocol and outcome (accepted, refused, invalid).");

    public static readonly Counter<long> Requests = s_meter.CreateCounter<long>(
        "autopilot.ingest.requests", "{request}", "Requests received at the ingest edge by signal, protocol and outcome.");

    private static Func<int>? s_queueFill;
    private static int s_queueCapacity;
    private static Func<long>? s_bodyBytes;
    private static long s_bodyCapacity;

    static IngestMetrics()
    {
        s_meter.CreateObservableGauge("autopilot.ingest.queue.fill", () => s_queueFill?.Invoke() ?? 0, "{request}", "Requests in the write-ahead log waiting for the pipeline.");
        s_meter.CreateObservableGauge("autopilot.ingest.queue.capacity", () => s_queueCapacity, "{request}", "Capacity of the ingest queue; past it requests are refused.");
        s_meter.CreateObservableGauge("autopilot.ingest.buffered.bytes", () => s_bodyBytes?.Invoke() ?? 0, "By", "Bytes of request bodies the receivers hold in memory.");
        s_meter.CreateObservableGauge("autopilot.ingest.buffered.capacity", () => s_bodyCapacity, "By", "Budget of request-body bytes in memory (ingest.maxBufferedBytes); past it requests are refused.");
    }

    /// <summary>The body budget the gauges report (the running ingest service; one per process).</summary>
    internal static void ObserveBodies(Func<long> used, long capacity)
    {
        s_bodyBytes = used;
        s_bodyCapacity = capacity;
    }

    /// <summary>The queue whose fill the gauges report (the running ingest service; one per process).</summary>
    public static void ObserveQueue(Func<int> fill, int capacity)
    {
        s_queueFill = fill;
        s_queueCapacity = capacity;
    }

    public static void Count(string signal, string protocol, string outcome, long items)
    {
        var s = new KeyValuePair<string, object?>("signal", signal);
        var p = new KeyValuePair<string, object?>("protocol", protocol);
        var o = new KeyValuePair<string, object?>("outcome", outcome);
        Requests.Add(1, s, p, o);
        if (items > 0)
        {
            Items.Add(items, s, p, o);
        }
    }
}
