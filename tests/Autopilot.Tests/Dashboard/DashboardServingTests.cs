using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Autopilot.Host.Dashboard;
using Autopilot.Host.Tests.Ingest;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary>The dashboard's files over a real loopback Kestrel: types, ETags, gzip, CSP, auth.</summary>
public sealed class DashboardServingTests
{
    private static string WebFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                return Path.Combine(dir.FullName, "src", "Autopilot", "Dashboard", "web");
            }
        }

        throw new InvalidOperationException($"no Autopilot.sln above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void Load_EmbedsEveryFileOfTheWebFolder_ByteForByte()
    {
        var folder = WebFolder();
        var assets = DashboardAssets.Load();
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Contains("index.html", files);
        Assert.Contains("assets/app.js", files);
        Assert.Equal(files, assets.Paths.Order(StringComparer.Ordinal).ToList());
        foreach (var file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, file)), assets.Find(file)!.Content);
        }
    }

    [Fact]
    public async Task Root_ServesThePageWithCspAndNoExternalOrigin()
    {
        await using var server = await TestServer.StartAsync();
        using var response = await server.Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/assets/app.js\"></script>", html, StringComparison.Ordinal);

        // Every file the page can load comes from this origin: no http(s):// reference in any asset, except the
        // SVG namespace (an identifier, never fetched).
        foreach (var path in DashboardAssets.Load().Paths)
        {
            var text = System.Text.Encoding.UTF8.GetString(DashboardAssets.Load().Find(path)!.Content).Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal);
            Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
            Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/assets/app.js", "text/javascript")]
    [InlineData("/assets/views/incident.js", "text/javascript")]
    [InlineData("/assets/style.css", "text/css")]
    [InlineData("/assets/icon.svg", "image/svg+xml")]
    public async Task Asset_HasItsContentTypeAndAStrongETag_And304WhenUnchanged(string path, string mediaType)
    {
        await using var server = await TestServer.StartAsync();
        using var first = await server.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(mediaType, first.Content.Headers.ContentType?.MediaType);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await server.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var other = new HttpRequestMessage(HttpMethod.Get, path);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var changed = await server.Http.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task Asset_Gzip_WhenAcceptedOnly_AndTheSameBytes()
    {
        await using var server = await TestServer.StartAsync();
        using var plain = await server.Http.GetAsync(new Uri("/assets/style.css", UriKind.Relative));
        var plainBytes = await plain.Content.ReadAsByteArrayAsync();
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/assets/style.css");
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");
        using var zipped = await server.Http.SendAsync(request);
        Assert.Equal("gzip", zipped.Content.Headers.ContentEncoding.Single());
        var packed = await zipped.Content.ReadAsByteArrayAsync();
        Assert.True(packed.Length < plainBytes.Length);
        using var unzip = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress);
        using var unpacked = new MemoryStream();
        await unzip.CopyToAsync(unpacked);
        Assert.Equal(plainBytes, unpacked.ToArray());

        using var refused = new HttpRequestMessage(HttpMethod.Get, "/assets/style.css");
        refused.Headers.AcceptEncoding.ParseAdd("gzip;q=0");
        using var identity = await server.Http.SendAsync(refused);
        Assert.Empty(identity.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Asset_Unknown_Is404NamingIt_AndHeadHasNoBody()
    {
        await using var server = await TestServer.StartAsync();
        using var missing = await server.Http.GetAsync(new Uri("/assets/nope.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("/assets/nope.js", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var head = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/assets/app.js"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.True(head.Content.Headers.ContentLength > 0);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Auth_WithTokens_PageIsOpen_ApiNeedsTheHeader_EventsTakeTheQueryToken()
    {
        await using var server = await TestServer.StartAsync(o => o.Ingest.BearerTokens.Add("s3cret"));
        using (var page = await server.Http.GetAsync(new Uri("/", UriKind.Relative)))
        using (var script = await server.Http.GetAsync(new Uri("/assets/app.js", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        }

        using (var api = await server.Http.GetAsync(new Uri("/api/incidents", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        }

        // The query token is for the event stream only: elsewhere it would end up in logs and histories for nothing.
        using (var apiWithQuery = await server.Http.GetAsync(new Uri("/api/incidents?access_token=s3cret", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, apiWithQuery.StatusCode);
        }

        using (var wrong = await server.Http.GetAsync(new Uri("/api/events?access_token=guess", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using (var events = await server.Http.GetAsync(new Uri("/api/events?access_token=s3cret", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, events.StatusCode);
            Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        }

        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/incidents");
        withHeader.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        using var ok = await server.Http.SendAsync(withHeader);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        // Writing to the ingest edge is never open, whatever the path looks like.
        using var post = await server.Http.PostAsync(new Uri("/", UriKind.Relative), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }
}
