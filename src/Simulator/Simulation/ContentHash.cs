using System.Security.Cryptography;
using System.Text;

namespace Autopilot.Simulator.Simulation;

/// <summary>
/// SHA-256 over a canonical description of everything the simulation sent (span names, kinds, times, statuses and
/// attributes; log records; metric values; lineage event bodies), without the trace and span ids the SDK draws
/// itself. Two runs with the same seed and start send the same content, so they have the same hash.
/// </summary>
internal sealed class ContentHash : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[256];

    public void Append(string line)
    {
        var max = Encoding.UTF8.GetMaxByteCount(line.Length) + 1;
        if (_buffer.Length < max)
        {
            _buffer = new byte[Math.Max(max, _buffer.Length * 2)];
        }

        var n = Encoding.UTF8.GetBytes(line, _buffer);
        _buffer[n] = (byte)'\n';
        _hash.AppendData(_buffer, 0, n + 1);
    }

    public void Append(ReadOnlySpan<byte> bytes) => _hash.AppendData(bytes);

    /// <summary>The hash so far, as lowercase hex; appending may go on afterwards.</summary>
    public string Current() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public void Dispose() => _hash.Dispose();
}
