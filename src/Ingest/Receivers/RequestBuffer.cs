using System.Buffers;
using Autopilot.Ingest.Wal;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// A request body in an array rented from <see cref="ArrayPool{T}.Shared"/>, with <see cref="Reserved"/> bytes left
/// free in front of it: room for the write-ahead log's record header and the payload's format byte, so the log writes
/// the record straight from this array (<see cref="FrameRecord"/>) instead of copying the body twice. Bodies of the
/// usual size (hundreds of KiB, a large-object-heap allocation each before) then cost no allocation in steady state.
/// </summary>
/// <remarks>
/// One owner at a time: whoever holds it disposes it, which returns the array. <see cref="IngestService"/> borrows it
/// while it decodes and logs a request and hands it back only once the log is done with it.
/// </remarks>
internal sealed class RequestBuffer : IDisposable
{
    /// <summary>Bytes in front of the body: the log's record header and the format byte of the payload.</summary>
    public const int Reserved = RecordFormat.HeaderSize + 1;

    private const int MinimumCapacity = 4096;

    private readonly BodyBudget? _budget;
    private byte[]? _array;
    private int _length;

    private RequestBuffer(byte[] array, BodyBudget? budget)
    {
        _array = array;
        _budget = budget;
    }

    /// <summary>
    /// Room for at least <paramref name="bodyCapacity"/> bytes of body (it grows as needed). With a <paramref name="budget"/>,
    /// the array's size is taken from it (and every growth too) until disposed; <see cref="BodyBudget.ExceededException"/>
    /// when it does not fit.
    /// </summary>
    public static RequestBuffer Rent(int bodyCapacity, BodyBudget? budget = null)
    {
        var array = ArrayPool<byte>.Shared.Rent(Reserved + Math.Max(bodyCapacity, MinimumCapacity));
        try
        {
            budget?.Take(array.Length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(array);
            throw;
        }

        return new RequestBuffer(array, budget);
    }

    public static RequestBuffer CopyOf(ReadOnlySpan<byte> body)
    {
        var buffer = Rent(body.Length);
        body.CopyTo(buffer.GetSpan(body.Length));
        buffer.Advance(body.Length);
        return buffer;
    }

    /// <summary>Bytes of body written so far.</summary>
    public int Length => _length;

    public ReadOnlyMemory<byte> Body => Array.AsMemory(Reserved, _length);

    public ReadOnlySpan<byte> Span => Array.AsSpan(Reserved, _length);

    /// <summary>Free space after the body, at least <paramref name="sizeHint"/> bytes (at least one); write, then <see cref="Advance"/>.</summary>
    public Memory<byte> GetMemory(int sizeHint)
    {
        Reserve(Math.Max(sizeHint, 1));
        return Array.AsMemory(Reserved + _length);
    }

    /// <inheritdoc cref="GetMemory"/>
    public Span<byte> GetSpan(int sizeHint)
    {
        Reserve(Math.Max(sizeHint, 1));
        return Array.AsSpan(Reserved + _length);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Array.Length - Reserved - _length);
        _length += count;
    }

    /// <summary>A stream over the body, for decompressors.</summary>
    public Stream OpenRead() => new MemoryStream(Array, Reserved, _length, writable: false);

    /// <summary>
    /// The write-ahead log record of this body: <see cref="RecordFormat.HeaderSize"/> free bytes, then
    /// <paramref name="format"/>, then the body (see <see cref="WriteAheadLog.AppendFramedAsync"/>).
    /// </summary>
    public Memory<byte> FrameRecord(byte format)
    {
        var array = Array;
        array[Reserved - 1] = format;
        return array.AsMemory(0, Reserved + _length);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            _budget?.Return(array.Length);
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private byte[] Array => _array ?? throw new ObjectDisposedException(nameof(RequestBuffer));

    private void Reserve(int sizeHint)
    {
        var array = Array;
        if (array.Length - Reserved - _length >= sizeHint)
        {
            return;
        }

        var needed = (long)Reserved + _length + sizeHint;
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, (long)array.Length * 2), System.Array.MaxLength));
        try
        {
            _budget?.Take(grown.Length - array.Length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(grown);
            throw;
        }

        array.AsSpan(0, Reserved + _length).CopyTo(grown);
        _array = grown;
        ArrayPool<byte>.Shared.Return(array);
    }
}
