using Microsoft.Net.Http.Headers;

namespace Autopilot.Host.Dashboard;

/// <summary>
/// <c>GET /</c> (the page) and <c>GET /assets/*</c> (its scripts, styles and icons) from the embedded files,
/// with strong ETags (304 on <c>If-None-Match</c>), <c>Cache-Control: no-cache</c> (revalidate, since file
/// names carry no hash), gzip when accepted, and a Content-Security-Policy that allows only this origin.
/// </summary>
internal static class DashboardEndpoints
{
    // Everything comes from this origin: no CDN, no inline script or style, no framing.
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app, DashboardAssets assets)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(assets);
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/", methods, ctx => ServeAsync(ctx, assets.Find("index.html")));
        app.MapMethods("/assets/{**path}", methods, ctx => ServeAsync(ctx, assets.Find("assets/" + (ctx.Request.RouteValues["path"] as string ?? string.Empty))));
        return app;
    }

    private static async Task ServeAsync(HttpContext ctx, DashboardAsset? asset)
    {
        var response = ctx.Response;
        response.Headers.XContentTypeOptions = "nosniff";
        if (asset is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"no dashboard file {ctx.Request.Path}\n", ctx.RequestAborted);
            return;
        }

        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            response.Headers.ContentSecurityPolicy = Csp;
            response.Headers["Referrer-Policy"] = "no-referrer";
            response.Headers.XFrameOptions = "DENY";
        }

        if (Matches(ctx.Request.Headers.IfNoneMatch, asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        var body = asset.Content;
        if (asset.Gzip is not null && AcceptsGzip(ctx.Request))
        {
            body = asset.Gzip;
            response.Headers.ContentEncoding = "gzip";
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(ctx.Request.Method))
        {
            await response.Body.WriteAsync(body, ctx.RequestAborted);
        }
    }

    /// <summary>True when any tag in <c>If-None-Match</c> (a comma-separated list, or <c>*</c>) is this one; weak tags compare weakly, as RFC 9110 asks for GET.</summary>
    internal static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
                if (tag == "*" || string.Equals(tag, etag, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <c>Accept-Encoding</c> lists gzip with a quality above 0.</summary>
    internal static bool AcceptsGzip(HttpRequest request)
    {
        foreach (var value in request.Headers.AcceptEncoding)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = part.Split(';', StringSplitOptions.TrimEntries);
                if (!fields[0].Equals("gzip", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (var field in fields.AsSpan(1))
                {
                    if (field.StartsWith("q=", StringComparison.OrdinalIgnoreCase)
                        && double.TryParse(field.AsSpan(2), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var q) && q <= 0)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        return false;
    }
}
