using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Tests.Otlp.Wire;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Receivers;

/// <summary>
/// <see cref="PreparedRequest"/> decodes through a list kept per thread and hands the pipeline a chunked copy: the
/// outcome of a sequence of requests on one thread (large, redacted, refused, small) must be what a fresh
/// <see cref="DecodedRequest"/> per request gives, and no batch may see a later request's signals.
/// </summary>
public sealed class PreparedRequestTests
{
    [Fact]
    public void Decode_SequenceOnOneThread_SameAsFreshDecodeEachTime()
    {
        var messages = LoadGeneratorPayloads.Messages(3);
        var withSecret = ExportTraceServiceRequest.Parser.ParseFrom(messages[1]);
        SecretInjector.Inject(withSecret, new Random(7));
        byte[][] sequence =
        [
            messages[0],
            withSecret.ToByteArray(),
            [0x0a, 0x05, 0x01], // truncated: refused
            messages[2],
            Small(messages[0], 40),
            messages[1],
        ];
        var prepared = new DecodingTest(new SignalDecoder(new IngestOptions(), Redactor.Create(new RedactionOptions()), useWireReader: true));
        var fresh = new SignalDecoder(new IngestOptions(), Redactor.Create(new RedactionOptions()), useWireReader: true);

        var kept = new List<(PreparedRequest? Prepared, DecodedRequest? Expected, string? Error)>();
        foreach (var body in sequence)
        {
            var expected = new DecodedRequest();
            string? expectedError = null;
            try
            {
                fresh.Decode(IngestSignal.Traces, PayloadFormat.Protobuf, body, expected);
            }
            catch (InvalidRequestException e)
            {
                expectedError = e.Message;
            }

            var (actual, error) = prepared.Run(body);
            Assert.Equal(expectedError, error);
            kept.Add((actual, expectedError is null ? expected : null, error));
        }

        // Compared only after the whole sequence, so a batch that shared the thread's list would show later signals.
        var redactedRequests = 0;
        foreach (var (actual, expected, error) in kept)
        {
            if (error is not null)
            {
                Assert.Null(actual);
                continue;
            }

            Assert.NotNull(actual);
            Assert.NotNull(expected);
            Assert.Equal(expected.AcceptedItems, actual.Result.AcceptedItems);
            Assert.Equal(expected.RejectedItems, actual.Result.RejectedItems);
            Assert.Equal(expected.FirstError, actual.Result.FirstError);
            Assert.Equal(expected.RedactedSignals, actual.Result.RedactedSignals);
            Assert.Empty(actual.Result.Signals);
            Assert.Equal(expected.Signals.Count, actual.Signals.Count);
            for (var i = 0; i < expected.Signals.Count; i++)
            {
                Assert.True(TraceDecoders.SignalDifference(expected.Signals[i], actual.Signals[i]) is null, $"signal {i}: {TraceDecoders.SignalDifference(expected.Signals[i], actual.Signals[i])}");
            }

            if (expected.RedactedSignals > 0)
            {
                redactedRequests++;
                Assert.NotNull(actual.Redacted);
                Assert.Equal(SignalRecordCodec.EncodeRecord(expected.Signals).AsSpan(1).ToArray(), actual.Redacted.Span.ToArray());
            }
            else
            {
                Assert.Null(actual.Redacted);
            }

            actual.Dispose();
        }

        // The sequence must reach the paths it is meant to test: chunked batches, one redacted request, one refusal.
        Assert.Equal(1, redactedRequests);
        Assert.Contains(kept, k => k.Prepared?.Signals.Count > SignalChunks.ChunkSize);
        Assert.Contains(kept, k => k.Prepared is { } p && p.Signals.Count is > 0 and <= SignalChunks.ChunkSize);
        Assert.Single(kept, k => k.Error is not null);
    }

    /// <summary>The first <paramref name="spans"/> spans of the request's first scope, in a request of their own (one chunk).</summary>
    private static byte[] Small(byte[] message, int spans)
    {
        var request = ExportTraceServiceRequest.Parser.ParseFrom(message);
        var resource = request.ResourceSpans[0];
        var scope = resource.ScopeSpans[0];
        var kept = scope.Spans.Take(spans).ToArray();
        scope.Spans.Clear();
        scope.Spans.Add(kept);
        resource.ScopeSpans.Clear();
        resource.ScopeSpans.Add(scope);
        request.ResourceSpans.Clear();
        request.ResourceSpans.Add(resource);
        return request.ToByteArray();
    }

    private sealed class DecodingTest(SignalDecoder decoder)
    {
        public (PreparedRequest? Prepared, string? Error) Run(byte[] body)
        {
            using var buffer = RequestBuffer.CopyOf(body);
            try
            {
                return (PreparedRequest.Decode(decoder, IngestSignal.Traces, PayloadFormat.Protobuf, buffer), null);
            }
            catch (InvalidRequestException e)
            {
                return (null, e.Message);
            }
        }
    }
}
