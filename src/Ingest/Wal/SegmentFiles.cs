using System.Globalization;

namespace Autopilot.Ingest.Wal;

/// <summary>Segment file names: the segment's first LSN, zero-padded to 20 digits so names sort as numbers, plus <c>.wal</c>.</summary>
internal static class SegmentFiles
{
    public const string Extension = ".wal";
    private const int Digits = 20;

    public static string NameFor(long firstLsn) => firstLsn.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParse(string fileName, out long firstLsn)
    {
        firstLsn = 0;
        return fileName.Length == Digits + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out firstLsn);
    }
}
