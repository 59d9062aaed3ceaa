using System.Diagnostics.Metrics;

namespace Autopilot.Ingest.Wal;

/// <summary>
/// Instruments of meter <c>Autopilot.Ingest.Wal</c>. Refusals and corrupt records carry a <c>reason</c> tag, in the
/// accepted / refused / dropped vocabulary every component uses.
/// </summary>
internal sealed class WalMetrics : IDisposable
{
    public const string MeterName = "Autopilot.Ingest.Wal";

    private readonly Meter? _ownedMeter;

    public WalMetrics(IMeterFactory? meterFactory, Func<long> bytesOnDisk)
    {
        Meter meter;
        if (meterFactory is null)
        {
            meter = _ownedMeter = new Meter(MeterName);
        }
        else
        {
            meter = meterFactory.Create(MeterName);
        }

        meter.CreateObservableGauge("autopilot.wal.bytes", bytesOnDisk, "By", "Bytes of segment files on disk.");
        Appends = meter.CreateCounter<long>("autopilot.wal.appends", "{record}", "Records appended durably (acknowledged).");
        AppendedBytes = meter.CreateCounter<long>("autopilot.wal.appended_bytes", "By", "Framed bytes appended durably.");
        Fsyncs = meter.CreateCounter<long>("autopilot.wal.fsyncs", "{fsync}", "Data fsyncs of segment files (one per group commit).");
        GroupSize = meter.CreateHistogram<int>("autopilot.wal.group_size", "{record}", "Records acknowledged together by one group commit.");
        Refused = meter.CreateCounter<long>("autopilot.wal.refused", "{record}", "Appends refused; reason: overloaded | full.");
        CorruptRecords = meter.CreateCounter<long>("autopilot.wal.corrupt_records", "{record}", "Damaged records found; reason: torn_tail | crc_mismatch | bad_length | missing.");
    }

    public Counter<long> Appends { get; }

    public Counter<long> AppendedBytes { get; }

    public Counter<long> Fsyncs { get; }

    public Histogram<int> GroupSize { get; }

    public Counter<long> Refused { get; }

    public Counter<long> CorruptRecords { get; }

    public void Dispose() => _ownedMeter?.Dispose();
}
