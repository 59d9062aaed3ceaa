using System.Diagnostics.CodeAnalysis;
using Autopilot.Ingest.RemoteWrite.Prompb;
using Autopilot.Ingest.Signals;
using Google.Protobuf;
using IronSnappy;

namespace Autopilot.Ingest.RemoteWrite;

/// <summary>
/// Decodes Prometheus remote write 1.0 bodies (snappy block format around a prompb <c>WriteRequest</c>)
/// into canonical Metric signals.
/// </summary>
/// <remarks>
/// One signal per sample: Name = <c>__name__</c>, Value = the sample, time = timestamp ms × 10⁶,
/// attributes = every other label. A native histogram sample becomes two signals,
/// <c>&lt;name&gt;_count</c> and <c>&lt;name&gt;_sum</c>, the series classic histograms already have.
/// Exemplars and metadata are not signals. URN: <c>service</c> kind; name from label
/// <c>service_name</c>, else <c>job</c>, else <c>unknown</c>; namespace from <c>deployment_environment</c>,
/// else <c>namespace</c>, else <c>default</c>.
/// </remarks>
public static class RemoteWriteDecoder
{
    /// <summary>Default cap on the decompressed body: 32 MiB, well above Prometheus' default batches (2,000 samples).</summary>
    public const int DefaultMaxDecompressedBytes = 32 * 1024 * 1024;

    public const string UnknownService = "unknown";

    private const long NanosPerMilli = 1_000_000;

    /// <summary>Decodes one request body and appends its signals; returns how many were appended.</summary>
    /// <param name="body">The HTTP body as sent (snappy block format, no framing).</param>
    /// <param name="destination">Receives the signals; on error nothing is appended.</param>
    /// <param name="maxDecompressedBytes">Refuse bodies whose declared decompressed size is larger; checked before allocating.</param>
    /// <exception cref="RemoteWriteFormatException">The body is not a remote write request we accept.</exception>
    public static int Decode(ReadOnlySpan<byte> body, List<Signal> destination, int maxDecompressedBytes = DefaultMaxDecompressedBytes) =>
        Decode(body, destination, maxDecompressedBytes, useWireReader: true);

    /// <summary>
    /// <see cref="Decode(ReadOnlySpan{byte}, List{Signal}, int)"/>; <paramref name="useWireReader"/> false decodes through
    /// Google.Protobuf's object graph only (the reference the wire reader is tested against).
    /// </summary>
    internal static int Decode(ReadOnlySpan<byte> body, List<Signal> destination, int maxDecompressedBytes, bool useWireReader)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDecompressedBytes);
        var protobuf = Decompress(body, maxDecompressedBytes);
        var before = destination.Count;
        if (useWireReader && RemoteWriteWireReader.TryRead(protobuf, destination))
        {
            return destination.Count - before;
        }

        // Anything the wire reader does not take (exemplars, native histograms, metadata, a malformed or invalid
        // request) is decoded here, so the answer, the signals or the error message, is always this path's.
        destination.RemoveRange(before, destination.Count - before);
        var request = ParseRequest(protobuf);
        try
        {
            foreach (var series in request.Timeseries)
            {
                AppendSeries(series, destination);
            }
        }
        catch (RemoteWriteFormatException)
        {
            destination.RemoveRange(before, destination.Count - before);
            throw;
        }

        return destination.Count - before;
    }

    /// <summary>
    /// Reads the snappy block header (a varint of the uncompressed length) so an oversized or lying
    /// body is refused before any buffer is allocated for it.
    /// </summary>
    internal static bool TryReadDeclaredLength(ReadOnlySpan<byte> body, out ulong length)
    {
        length = 0;
        for (var i = 0; i < 10 && i < body.Length; i++)
        {
            var b = body[i];
            length |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    [SuppressMessage("Design", "CA1031", Justification = "IronSnappy throws assorted exception types on corrupt input; all mean the same to the sender.")]
    private static byte[] Decompress(ReadOnlySpan<byte> body, int maxDecompressedBytes)
    {
        if (body.IsEmpty)
        {
            throw new RemoteWriteFormatException("empty body: expected a snappy-compressed (block format) protobuf WriteRequest");
        }

        if (!TryReadDeclaredLength(body, out var declared))
        {
            throw new RemoteWriteFormatException("bad snappy block: the length header is truncated or longer than 10 bytes; send the body snappy-compressed in block format (not framed)");
        }

        if (declared > (ulong)maxDecompressedBytes)
        {
            throw new RemoteWriteFormatException($"decompressed size {declared} bytes exceeds the limit of {maxDecompressedBytes} bytes; send smaller batches (queue_config.max_samples_per_send)");
        }

        byte[] decompressed;
        try
        {
            decompressed = Snappy.Decode(body);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new RemoteWriteFormatException($"bad snappy block ({ex.Message}); send the body snappy-compressed in block format (not framed)", ex);
        }

        if ((ulong)decompressed.Length != declared)
        {
            throw new RemoteWriteFormatException($"bad snappy block: the header declares {declared} bytes but {decompressed.Length} were decoded");
        }

        return decompressed;
    }

    private static WriteRequest ParseRequest(byte[] protobuf)
    {
        try
        {
            return WriteRequest.Parser.ParseFrom(protobuf);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RemoteWriteFormatException($"bad protobuf: not a prometheus.WriteRequest ({ex.Message})", ex);
        }
    }

    private static void AppendSeries(TimeSeries series, List<Signal> destination)
    {
        var labels = new (string Name, string Value)[series.Labels.Count];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = (series.Labels[i].Name, series.Labels[i].Value);
        }

        if (!TryDescribeSeries(labels, out var name, out var urn, out var attributes))
        {
            throw new RemoteWriteFormatException($"a time series has no __name__ label (labels: {Describe(series)}); every remote write series needs a metric name");
        }

        foreach (var sample in series.Samples)
        {
            destination.Add(Metric(urn, name, sample.Value, sample.Timestamp, attributes));
        }

        if (series.Histograms.Count > 0)
        {
            var countName = name + "_count";
            var sumName = name + "_sum";
            foreach (var histogram in series.Histograms)
            {
                var observations = histogram.CountCase == Histogram.CountOneofCase.CountFloat ? histogram.CountFloat : histogram.CountInt;
                destination.Add(Metric(urn, countName, observations, histogram.Timestamp, attributes));
                destination.Add(Metric(urn, sumName, histogram.Sum, histogram.Timestamp, attributes));
            }
        }
    }

    /// <summary>
    /// What a series' labels (in wire order) make of its signals: the metric name (the last <c>__name__</c>), the service
    /// URN and the other labels as attributes; false when the name is missing or empty. Both decoding paths use it.
    /// </summary>
    internal static bool TryDescribeSeries(ReadOnlySpan<(string Name, string Value)> labels, [NotNullWhen(true)] out string? name, out string urn, out SignalAttributes attributes)
    {
        name = null;
        urn = string.Empty;
        attributes = SignalAttributes.Empty;
        string? service = null;
        string? job = null;
        string? environment = null;
        string? k8sNamespace = null;
        var keys = new string[Math.Max(labels.Length - 1, 0)];
        var values = new string[keys.Length];
        var count = 0;
        foreach (var label in labels)
        {
            switch (label.Name)
            {
                case "__name__":
                    name = label.Value;
                    continue;
                case "service_name":
                    service = label.Value;
                    break;
                case "job":
                    job = label.Value;
                    break;
                case "deployment_environment":
                    environment = label.Value;
                    break;
                case "namespace":
                    k8sNamespace = label.Value;
                    break;
            }

            if (count == keys.Length)
            {
                // Only reached when __name__ is missing (or repeated): the error below reports it.
                break;
            }

            keys[count] = label.Name;
            values[count] = label.Value;
            count++;
        }

        if (string.IsNullOrEmpty(name))
        {
            name = null;
            return false;
        }

        if (count != keys.Length)
        {
            Array.Resize(ref keys, count);
            Array.Resize(ref values, count);
        }

        urn = Urn.Create("service", Coalesce(environment, k8sNamespace) ?? "default", Coalesce(service, job) ?? UnknownService);
        attributes = count == 0 ? SignalAttributes.Empty : new SignalAttributes(keys, values);
        return true;
    }

    /// <summary>Whether a sample's millisecond timestamp can be held in nanoseconds (what <see cref="Metric"/> refuses otherwise).</summary>
    internal static bool InRange(long timestampMs) => timestampMs is <= long.MaxValue / NanosPerMilli and >= long.MinValue / NanosPerMilli;

    /// <summary>The signal of one sample; the timestamp must be <see cref="InRange"/>.</summary>
    internal static Signal MetricUnchecked(string urn, string name, double value, long timestampMs, SignalAttributes attributes) =>
        new(SignalKind.Metric, urn, timestampMs * NanosPerMilli, TraceId.Empty, 0, null, name, value, SignalStatus.Unset, 0, attributes);

    private static Signal Metric(string urn, string name, double value, long timestampMs, SignalAttributes attributes)
    {
        if (!InRange(timestampMs))
        {
            throw new RemoteWriteFormatException($"sample timestamp {timestampMs} ms of '{name}' is outside the range nanoseconds can hold (years 1677-2262)");
        }

        return MetricUnchecked(urn, name, value, timestampMs, attributes);
    }

    private static string? Coalesce(string? first, string? second) =>
        !string.IsNullOrEmpty(first) ? first : !string.IsNullOrEmpty(second) ? second : null;

    private static string Describe(TimeSeries series)
    {
        var text = series.Labels.ToString();
        return text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 197), "...");
    }
}
