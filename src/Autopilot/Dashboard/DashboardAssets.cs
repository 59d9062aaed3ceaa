using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;

namespace Autopilot.Host.Dashboard;

/// <summary>
/// The dashboard's files, embedded in this assembly (logical names <c>dashboard/&lt;path&gt;</c>, from
/// <c>Dashboard/web</c>), read once at start with their ETags and gzip copies, so serving them touches
/// neither the disk nor the network: the page works on a machine without internet.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";
    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    public int Count => _assets.Count;

    public IEnumerable<string> Paths => _assets.Keys;

    public static DashboardAssets Load() => Load(typeof(DashboardAssets).Assembly);

    public static DashboardAssets Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var path = name[Prefix.Length..];
            assets[path] = Create(path, copy.ToArray());
        }

        if (!assets.ContainsKey("index.html"))
        {
            throw new InvalidOperationException("the dashboard's index.html is not embedded in the assembly; was it built from src/Autopilot?");
        }

        return new DashboardAssets(assets);
    }

    public DashboardAsset? Find(string path) => _assets.GetValueOrDefault(path);

    internal static DashboardAsset Create(string path, byte[] content)
    {
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
        var type = ContentType(path);
        byte[]? gzip = null;
        if (type.StartsWith("text/", StringComparison.Ordinal) || type.Contains("json", StringComparison.Ordinal) || type.Contains("svg", StringComparison.Ordinal))
        {
            using var packed = new MemoryStream();
            using (var zip = new GZipStream(packed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                zip.Write(content);
            }

            if (packed.Length < content.Length)
            {
                gzip = packed.ToArray();
            }
        }

        return new DashboardAsset(path, type, content, gzip, etag);
    }

    /// <summary>The content type by extension; anything unknown is served as bytes, never sniffed.</summary>
    internal static string ContentType(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" or ".mjs" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json; charset=utf-8",
        ".webmanifest" => "application/manifest+json",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".woff2" => "font/woff2",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
