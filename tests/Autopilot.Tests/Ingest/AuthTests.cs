using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Autopilot.Host.Tests.Ingest;

public sealed class AuthTests
{
    [Fact]
    public async Task WithTokens_HttpWithoutToken_Is401_AndWithToken_IsAccepted()
    {
        await using var server = await TestServer.StartAsync(o => o.Ingest.BearerTokens.Add("s3cret"));
        const string json = """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hi"}}]}]}]}""";

        using (var content = new StringContent(json, Encoding.UTF8, "application/json"))
        using (var response = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/logs", UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var health = await server.Http.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task WithTokens_GrpcWithoutToken_IsUnauthenticated()
    {
        await using var server = await TestServer.StartAsync(o => o.Ingest.BearerTokens.Add("s3cret"));
        var (status, message) = await BadInputTests.GrpcCall(server, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", BadInputTests.Frame([]), token: null);
        Assert.Equal("16", status);
        Assert.Contains("bearer token", message, StringComparison.Ordinal);

        var (ok, _) = await BadInputTests.GrpcCall(server, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", BadInputTests.Frame([]), token: "s3cret");
        Assert.Equal("0", ok);
    }
}
