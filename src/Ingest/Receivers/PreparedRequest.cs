using System.Runtime.InteropServices;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// One request decoded and ready for the log: its counts (<see cref="Result"/>), its signals as the pipeline will carry
/// them (<see cref="Signals"/>) and, when redaction changed any, the record that replaces its body in the log.
/// Decoding goes through a list kept per thread, because a fresh list per request grows a ~120 KB array for a
/// 1000-span request, a large-object-heap allocation each time that only a gen2 collection frees; the pipeline gets a
/// copy in small chunks (<see cref="SignalChunks"/>) instead. Everything here is synchronous, so the thread's list is
/// free again before the caller's first await.
/// </summary>
internal sealed class PreparedRequest : IDisposable
{
    /// <summary>A thread keeps its list only up to this many signals' room, so one huge request does not pin its array forever.</summary>
    private const int MaxKeptCapacity = 16 * 1024;

    [ThreadStatic]
    private static DecodedRequest? t_scratch;

    private PreparedRequest(DecodedRequest result, IReadOnlyList<Signal> signals, RequestBuffer? redacted)
    {
        Result = result;
        Signals = signals;
        Redacted = redacted;
    }

    /// <summary>Accepted and rejected items, the first error and the redacted count; its own <see cref="DecodedRequest.Signals"/> list is empty.</summary>
    public DecodedRequest Result { get; }

    /// <summary>The decoded (and redacted) signals, a copy the caller owns.</summary>
    public IReadOnlyList<Signal> Signals { get; }

    /// <summary>The encoded redacted signals when redaction changed any (the log stores those, not the body); else null.</summary>
    public RequestBuffer? Redacted { get; }

    /// <summary>Decodes <paramref name="body"/>; throws what <see cref="IRequestDecoder.Decode"/> throws.</summary>
    public static PreparedRequest Decode(IRequestDecoder decoder, IngestSignal signal, PayloadFormat format, RequestBuffer body)
    {
        var scratch = t_scratch ?? new DecodedRequest();
        t_scratch = null;
        try
        {
            decoder.Decode(signal, format, body.Span, scratch);

            // What was redacted must not reach the disk: such a request is logged as its redacted signals.
            var redacted = scratch.RedactedSignals > 0 ? SignalRecordCodec.Encode(scratch.Signals, body.Length) : null;
            var result = new DecodedRequest
            {
                AcceptedItems = scratch.AcceptedItems,
                RejectedItems = scratch.RejectedItems,
                FirstError = scratch.FirstError,
                RedactedSignals = scratch.RedactedSignals,
            };
            return new PreparedRequest(result, SignalChunks.CopyOf(CollectionsMarshal.AsSpan(scratch.Signals)), redacted);
        }
        finally
        {
            // Clear drops the references, so the kept list holds no strings of this request.
            scratch.Signals.Clear();
            if (scratch.Signals.Capacity <= MaxKeptCapacity)
            {
                t_scratch = scratch;
            }
        }
    }

    /// <summary>The log record: the redacted signals when there are any, else <paramref name="body"/> as it came.</summary>
    public Memory<byte> Record(RequestBuffer body, PayloadFormat format) =>
        Redacted is null ? body.FrameRecord((byte)format) : Redacted.FrameRecord((byte)PayloadFormat.Signals);

    public void Dispose() => Redacted?.Dispose();
}
