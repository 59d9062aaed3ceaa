using System.Runtime.InteropServices;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// A batch's signals as contiguous spans, so a consumer walks them by reference instead of copying each ~100-byte
/// <see cref="Signal"/> out through the <see cref="IReadOnlyList{T}"/> indexer. Live batches are arrays or
/// <see cref="SignalChunks"/> (one span per chunk), replayed ones lists; any other list is copied once.
/// <code>foreach (var span in new SignalSegments(batch.Signals)) { foreach (ref readonly var s in span) { … } }</code>
/// </summary>
public readonly struct SignalSegments(IReadOnlyList<Signal> signals)
{
    public Enumerator GetEnumerator() => new(signals);

    /// <summary>Yields each segment once; allocation-free for arrays, lists and chunks.</summary>
    public ref struct Enumerator
    {
        private readonly Signal[][]? _chunks;
        private ReadOnlySpan<Signal> _single;
        private int _next;

        internal Enumerator(IReadOnlyList<Signal> signals)
        {
            switch (signals)
            {
                case SignalChunks chunks:
                    _chunks = chunks.Chunks;
                    break;
                case Signal[] array:
                    _single = array;
                    break;
                case List<Signal> list:
                    _single = CollectionsMarshal.AsSpan(list);
                    break;
                default:
                    var copy = new Signal[signals.Count];
                    for (var i = 0; i < copy.Length; i++)
                    {
                        copy[i] = signals[i];
                    }

                    _single = copy;
                    break;
            }

            _next = -1;
        }

        public ReadOnlySpan<Signal> Current { get; private set; }

        public bool MoveNext()
        {
            _next++;
            if (_chunks is not null)
            {
                if (_next >= _chunks.Length)
                {
                    return false;
                }

                Current = _chunks[_next];
                return true;
            }

            if (_next > 0 || _single.IsEmpty)
            {
                return false;
            }

            Current = _single;
            return true;
        }
    }
}
