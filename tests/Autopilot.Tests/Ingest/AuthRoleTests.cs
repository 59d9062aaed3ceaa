using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Autopilot.Host.Tests.Hosting;
using Autopilot.Ingest.Receivers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>Tokens with roles on a real loopback server: ingest writes, read reads, admin does everything.</summary>
public sealed class AuthRoleTests : IAsyncLifetime
{
    private const string Logs = """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hi"}}]}]}]}""";
    private readonly TempDirectory _tokens = new();
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var readFile = Path.Combine(_tokens.Path, "read.token");
        await File.WriteAllTextAsync(readFile, "read-from-file\n");
        _server = await TestServer.StartAsync(
            o =>
            {
                o.Auth.Tokens.Add(new AuthTokenOptions { Token = "ingest-token", Role = AccessRole.Ingest });
                o.Auth.Tokens.Add(new AuthTokenOptions { File = readFile, Role = AccessRole.Read });
                o.Auth.Tokens.Add(new AuthTokenOptions { Token = "admin-token", Role = AccessRole.Admin });
            },
            map: app =>
            {
                // A stand-in for a mutating endpoint (admin by the default rule); the real POST that only reads,
                // /api/rca/analyze, declares the read role with RequireRole.
                app.MapPost("/api/incidents/{id}/acknowledge", () => Results.Text("acknowledged\n"));
            });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tokens.Dispose();
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData("wrong-token", HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)]
    [InlineData("ingest-token", HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("read-from-file", HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.OK)]
    [InlineData("admin-token", HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK)]
    public async Task Http_EachRole_GetsWhatItMayDo(string? token, HttpStatusCode ingest, HttpStatusCode read, HttpStatusCode mutate, HttpStatusCode readingPost)
    {
        Assert.Equal(ingest, await SendAsync(HttpMethod.Post, "/v1/logs", token, Logs));
        Assert.Equal(read, await SendAsync(HttpMethod.Get, "/api/assets", token));
        Assert.Equal(read, await SendAsync(HttpMethod.Get, "/metrics", token));
        Assert.Equal(read, await SendAsync(HttpMethod.Get, "/api/findings", token));
        Assert.Equal(mutate, await SendAsync(HttpMethod.Post, "/api/incidents/inc-1/acknowledge", token, "{}"));
        Assert.Equal(readingPost, await SendAsync(HttpMethod.Post, "/api/rca/analyze", token, """{"from":"2026-01-01T00:00:00Z","to":"2026-01-01T01:00:00Z"}"""));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/healthz", token));
    }

    [Fact]
    public async Task Http_Refusals_SayWhatIsMissing()
    {
        using var unauthorized = await SendRawAsync(HttpMethod.Get, "/api/assets", null);
        Assert.Equal("Bearer", unauthorized.Headers.WwwAuthenticate.ToString());

        using var forbidden = await SendRawAsync(HttpMethod.Post, "/api/incidents/inc-1/acknowledge", "read-from-file", "{}");
        var message = await forbidden.Content.ReadAsStringAsync();
        Assert.Equal("POST /api/incidents/inc-1/acknowledge needs a token with the admin role; this token has the read role\n", message);
        Assert.DoesNotContain("read-from-file", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "16", "16")]
    [InlineData("ingest-token", "0", "7")]
    [InlineData("read-from-file", "7", "3")]
    [InlineData("admin-token", "0", "3")]
    public async Task Grpc_EachRole_GetsUnauthenticatedOrPermissionDenied(string? token, string export, string query)
    {
        // The RCA service needs the read role; a permitted call gets as far as reading the empty request, which
        // lacks its incident id (INVALID_ARGUMENT).
        var (exportStatus, _) = await BadInputTests.GrpcCall(_server, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", BadInputTests.Frame([]), token);
        var (queryStatus, queryMessage) = await BadInputTests.GrpcCall(_server, "/autopilot.rca.v1.RcaService/Explain", BadInputTests.Frame([]), token);

        Assert.Equal(export, exportStatus);
        Assert.Equal(query, queryStatus);
        if (query == "7")
        {
            Assert.Contains("needs a token with the read role", queryMessage, StringComparison.Ordinal);
        }
        else if (query == "3")
        {
            Assert.Contains("incident_id", queryMessage, StringComparison.Ordinal);
        }
    }

    private async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var response = await SendRawAsync(method, path, token, json);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _server.Http.SendAsync(request);
    }
}
