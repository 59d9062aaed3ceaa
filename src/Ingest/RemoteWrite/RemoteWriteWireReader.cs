using System.Runtime.InteropServices;
using Autopilot.Ingest.Otlp.Wire;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.RemoteWrite;

/// <summary>
/// Reads a remote write <c>WriteRequest</c> straight from its protobuf bytes into signals, for the shape Prometheus sends
/// nearly always: time series of labels and samples. A series' labels are recognised by their bytes: the series seen
/// recently (Prometheus sends the same series in every batch) keep their metric name, URN and attribute list in a
/// bounded cache, so a known series costs a hash and a comparison of its label bytes instead of decoding seven
/// strings and building its URN again. Equal bytes decode to equal labels, so the cache changes no answer.
/// </summary>
/// <remarks>
/// Everything else is left to <see cref="RemoteWriteDecoder"/>'s Google.Protobuf path, which decodes the whole request
/// again: exemplars, native histograms, metadata, labels interleaved with samples, a series without a name, a
/// timestamp out of range, and any malformed protobuf (<see cref="ProtoReader"/> refuses what Google.Protobuf
/// refuses, and the other path then gives its own error message). Unknown fields are skipped as Google.Protobuf
/// skips them; strings are decoded leniently as it does (invalid UTF-8 becomes U+FFFD).
/// </remarks>
internal static class RemoteWriteWireReader
{
    // Tags (field number << 3 | wire type) of the fields read here.
    private const uint RequestTimeseries = (1 << 3) | 2;
    private const uint RequestMetadata = (3 << 3) | 2;
    private const uint SeriesLabel = (1 << 3) | 2;
    private const uint SeriesSample = (2 << 3) | 2;
    private const uint SeriesExemplar = (3 << 3) | 2;
    private const uint SeriesHistogram = (4 << 3) | 2;
    private const uint LabelName = (1 << 3) | 2;
    private const uint LabelValue = (2 << 3) | 2;
    private const uint SampleValue = (1 << 3) | 1;
    private const uint SampleTimestamp = (2 << 3) | 0;

    /// <summary>Series kept (slots of a direct-mapped table; the last series hashed to a slot wins).</summary>
    private const int CacheSlots = 16_384;

    /// <summary>Label bytes of a series longer than this are decoded every time, not cached (so the cache holds at most 16 MiB of keys).</summary>
    private const int MaxCachedLabelBytes = 1_024;

    private static readonly SeriesEntry?[] s_cache = new SeriesEntry?[CacheSlots];

    // Label names and values of series not in the cache.
    private static readonly Utf8Interner s_strings = new(16_384, 256);

    [ThreadStatic]
    private static List<(string Name, string Value)>? t_labels;

    /// <summary>
    /// Appends the signals of <paramref name="protobuf"/> (a decompressed WriteRequest) and returns true; false, with
    /// whatever was appended left for the caller to remove, when the request needs the Google.Protobuf path.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> protobuf, List<Signal> destination)
    {
        try
        {
            var reader = new ProtoReader(protobuf, 0);
            uint tag;
            while ((tag = reader.ReadTag()) != 0)
            {
                if (tag == RequestTimeseries)
                {
                    var series = reader.ReadMessage(0);
                    if (!TryReadSeries(ref series, destination))
                    {
                        return false;
                    }
                }
                else if (tag == RequestMetadata)
                {
                    return false;
                }
                else
                {
                    reader.SkipField(tag, 0);
                }
            }

            return true;
        }
        catch (WireFormatException)
        {
            return false;
        }
    }

    // TimeSeries: labels = 1, samples = 2 (read); exemplars = 3, histograms = 4 (left to the other path). A first walk
    // finds where the labels are (they come first, as Prometheus writes them) and skips the samples; the labels are
    // decoded only for a series not in the cache, the samples in a second walk, so a malformed part anywhere is found
    // before anything depends on it or, for a sample, ends in the fallback with the rest.
    private static bool TryReadSeries(ref ProtoReader reader, List<Signal> destination)
    {
        var data = reader.Data;
        var origin = reader.Offset;
        int labelsStart = -1, labelsEnd = -1, samplesStart = -1;
        var position = origin;
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == SeriesLabel)
            {
                if (samplesStart >= 0)
                {
                    return false; // a label after a sample: not the shape this reader keys series by
                }

                reader.SkipField(tag, 1);
                labelsStart = labelsStart < 0 ? position : labelsStart;
                labelsEnd = reader.Offset;
            }
            else if (tag == SeriesSample)
            {
                reader.SkipField(tag, 1);
                samplesStart = samplesStart < 0 ? position : samplesStart;
            }
            else if (tag is SeriesExemplar or SeriesHistogram)
            {
                return false;
            }
            else if (labelsStart >= 0 && samplesStart < 0)
            {
                return false; // an unknown field among the labels: the labels' bytes would not be the series' key
            }
            else
            {
                reader.SkipField(tag, 1);
            }

            position = reader.Offset;
        }

        var entry = Lookup(labelsStart < 0 ? default : data[(labelsStart - origin)..(labelsEnd - origin)]);
        if (entry is null)
        {
            return false; // no __name__: the other path says so, with the labels
        }

        if (samplesStart < 0)
        {
            return true;
        }

        var samples = new ProtoReader(data[(samplesStart - origin)..], samplesStart);
        while ((tag = samples.ReadTag()) != 0)
        {
            if (tag != SeriesSample)
            {
                samples.SkipField(tag, 1);
                continue;
            }

            var sample = samples.ReadMessage(1);
            ReadSample(ref sample, out var value, out var timestamp);
            if (!RemoteWriteDecoder.InRange(timestamp))
            {
                return false;
            }

            destination.Add(RemoteWriteDecoder.MetricUnchecked(entry.Urn, entry.Name, value, timestamp, entry.Attributes));
        }

        return true;
    }

    // Sample: value = 1 (double), timestamp = 2 (int64). Every occurrence overwrites the last, as in Google.Protobuf.
    private static void ReadSample(ref ProtoReader reader, out double value, out long timestamp)
    {
        value = 0;
        timestamp = 0;
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == SampleValue)
            {
                value = BitConverter.UInt64BitsToDouble(reader.ReadFixed64());
            }
            else if (tag == SampleTimestamp)
            {
                timestamp = (long)reader.ReadVarint();
            }
            else
            {
                reader.SkipField(tag, 2);
            }
        }
    }

    /// <summary>The series of these label bytes (the label fields as sent), from the cache or decoded; null without a name.</summary>
    private static SeriesEntry? Lookup(ReadOnlySpan<byte> labelBytes)
    {
        var cacheable = labelBytes.Length <= MaxCachedLabelBytes;
        var hash = cacheable ? Utf8Hash.Compute(labelBytes) : 0;
        var slot = (int)hash & (CacheSlots - 1);
        if (cacheable && Volatile.Read(ref s_cache[slot]) is { } cached && cached.Hash == hash && labelBytes.SequenceEqual(cached.Key))
        {
            return cached;
        }

        var labels = t_labels ??= [];
        labels.Clear();
        var reader = new ProtoReader(labelBytes, 0);
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            // Only label fields are in these bytes (TryReadSeries checked); each is validated here, the first time.
            var label = reader.ReadMessage(1);
            ReadOnlySpan<byte> name = default, value = default;
            uint field;
            while ((field = label.ReadTag()) != 0)
            {
                if (field == LabelName)
                {
                    name = label.ReadBytes();
                }
                else if (field == LabelValue)
                {
                    value = label.ReadBytes();
                }
                else
                {
                    label.SkipField(field, 2);
                }
            }

            labels.Add((s_strings.Intern(name), s_strings.Intern(value)));
        }

        if (!RemoteWriteDecoder.TryDescribeSeries(CollectionsMarshal.AsSpan(labels), out var metric, out var urn, out var attributes))
        {
            return null;
        }

        var entry = new SeriesEntry(cacheable ? labelBytes.ToArray() : [], hash, metric, urn, attributes);
        if (cacheable)
        {
            Volatile.Write(ref s_cache[slot], entry);
        }

        return entry;
    }

    /// <summary>A series as its label bytes decode: immutable, so threads can share it.</summary>
    private sealed record SeriesEntry(byte[] Key, uint Hash, string Name, string Urn, SignalAttributes Attributes);
}
