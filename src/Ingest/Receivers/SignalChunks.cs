using System.Collections;
using System.Runtime.CompilerServices;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// A request's signals as they travel through the pipeline (<see cref="IngestBatch.Signals"/>): a copy in arrays of at
/// most <see cref="ChunkSize"/> signals. One array for a 1000-span request (~1,100 signals of ~96 bytes) would land on
/// the large-object heap, which only a gen2 collection frees, once per request; chunks stay on the small-object heap and
/// die young with the batch. Immutable once built.
/// </summary>
internal sealed class SignalChunks : IReadOnlyList<Signal>
{
    /// <summary>Signals per chunk: 512 × <c>Unsafe.SizeOf&lt;Signal&gt;()</c> stays below the runtime's 85,000-byte large-object threshold.</summary>
    public const int ChunkSize = 512;

    private const int Shift = 9;

    private readonly Signal[][] _chunks;

    private SignalChunks(Signal[][] chunks, int count)
    {
        _chunks = chunks;
        Count = count;
    }

    public int Count { get; }

    /// <summary>The chunk arrays in order, all full but the last; read by <see cref="SignalSegments"/>.</summary>
    internal Signal[][] Chunks => _chunks;

    public Signal this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
            {
                ThrowIndex(index);
            }

            return _chunks[index >> Shift][index & (ChunkSize - 1)];
        }
    }

    /// <summary>
    /// A copy of <paramref name="signals"/>: a plain array when it fits in one chunk, else chunks. Never shares
    /// <paramref name="signals"/>' storage, so the caller may reuse it.
    /// </summary>
    public static IReadOnlyList<Signal> CopyOf(ReadOnlySpan<Signal> signals)
    {
        if (signals.Length <= ChunkSize)
        {
            return signals.IsEmpty ? [] : signals.ToArray();
        }

        var chunks = new Signal[(signals.Length + ChunkSize - 1) >> Shift][];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = signals.Slice(i << Shift, Math.Min(ChunkSize, signals.Length - (i << Shift))).ToArray();
        }

        return new SignalChunks(chunks, signals.Length);
    }

    /// <summary>Bytes of one full chunk's array of signals (without the array header), for the test that keeps it off the large-object heap.</summary>
    internal static int ChunkBytes => ChunkSize * Unsafe.SizeOf<Signal>();

    public IEnumerator<Signal> GetEnumerator()
    {
        foreach (var chunk in _chunks)
        {
            foreach (var signal in chunk)
            {
                yield return signal;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void ThrowIndex(int index) => throw new ArgumentOutOfRangeException(nameof(index), index, "index is outside the signals of the batch");
}
