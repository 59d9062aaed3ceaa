using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;
using Autopilot.Ingest.Otlp.Proto.Trace.V1;
using Autopilot.Ingest.Otlp.Wire;
using Autopilot.Ingest.Signals;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// The engines find a URN's state through caches keyed on the identity of the URN string, so the reader should hand out
/// one instance per service while it keeps sending, also when a thousand services send at once.
/// </summary>
public sealed class ServiceUrnIdentityTests
{
    [Fact]
    public void NormalizeTraces_AThousandServicesTwice_MostServicesKeepTheirUrnInstance()
    {
        const int services = 1000;
        var request = new ExportTraceServiceRequest();
        for (var i = 0; i < services; i++)
        {
            var resource = new Resource();
            resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "svc-" + i } });
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }),
                SpanId = ByteString.CopyFrom(BitConverter.GetBytes((long)i + 1)),
                Name = "op",
                StartTimeUnixNano = 1_700_000_000_000_000_000,
                EndTimeUnixNano = 1_700_000_000_001_000_000,
            };
            var scope = new ScopeSpans();
            scope.Spans.Add(span);
            var resourceSpans = new ResourceSpans { Resource = resource };
            resourceSpans.ScopeSpans.Add(scope);
            request.ResourceSpans.Add(resourceSpans);
        }

        var payload = request.ToByteArray();
        var normalizer = new OtlpWireNormalizer(new OtlpNormalizerOptions());
        var first = new List<Signal>();
        var second = new List<Signal>();
        normalizer.NormalizeTraces(payload, first);
        normalizer.NormalizeTraces(payload, second);

        Assert.Equal(services, first.Count);
        Assert.Equal(services, second.Count);
        var same = 0;
        for (var i = 0; i < services; i++)
        {
            Assert.Equal(first[i].Urn, second[i].Urn);
            same += ReferenceEquals(first[i].Urn, second[i].Urn) ? 1 : 0;
        }

        // Direct-mapped on the string hash: at n URNs in m slots about e^(-n/m) keep their slot (~88 % at the default
        // 8,192 slots; ~2 % at 256, which the reader had).
        Assert.True(same >= 800, $"{same} of {services} services kept their URN instance");
    }
}
