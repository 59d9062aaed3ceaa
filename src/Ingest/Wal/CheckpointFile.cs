using System.Buffers.Binary;

namespace Autopilot.Ingest.Wal;

/// <summary>
/// The <c>checkpoint</c> file: <c>[i64 LSN][u32 CRC-32C of those 8 bytes]</c>, little-endian. Replaced atomically:
/// written to <c>checkpoint.tmp</c>, fsynced, renamed over, and the directory fsynced.
/// </summary>
internal static class CheckpointFile
{
    public const string FileName = "checkpoint";
    public const string TempFileName = "checkpoint.tmp";
    private const int Size = 12;

    /// <summary>Reads the checkpoint: -1 when there is none, null when the file is unreadable or damaged.</summary>
    public static long? Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return -1;
        }

        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != Size || Crc32C.Compute(bytes.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)))
        {
            return null;
        }

        var lsn = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        return lsn < -1 ? null : lsn;
    }

    public static void Write(string directory, long lsn, bool fsync)
    {
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, lsn);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], Crc32C.Compute(bytes[..8]));
        var temp = Path.Combine(directory, TempFileName);
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, bytes, 0);
            if (fsync)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }

        File.Move(temp, Path.Combine(directory, FileName), overwrite: true);
        if (fsync)
        {
            DirectorySync.Fsync(directory);
        }
    }
}
