namespace Autopilot.Ingest.Receivers;

/// <summary>Turns a request body into canonical signals (decode → normalize → resolve URN).</summary>
public interface IRequestDecoder
{
    /// <summary>
    /// Decodes <paramref name="body"/> into <paramref name="into"/> (cleared first). Throws
    /// <see cref="InvalidRequestException"/> naming the problem when the body can never be accepted.
    /// </summary>
    void Decode(IngestSignal signal, PayloadFormat format, ReadOnlySpan<byte> body, DecodedRequest into);
}
