using System.Text.Json;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>package.json: name, dependencies by kind, <c>main</c>, the <c>start</c> script, workspaces.</summary>
internal static class PackageJsonParser
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 };

    private static readonly string[] FrontendMarkers = ["react-scripts", "vite", "@angular/core", "vue", "svelte", "@vue/cli-service", "parcel", "gatsby"];

    private static readonly string[] ServerFrameworks = ["express", "fastify", "@nestjs/core", "koa", "@hapi/hapi", "next"];

    public static BuildManifest Parse(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Node, BuildSystem.Npm, relPath);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            manifest.ParseError = e.Message;
            return manifest;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                manifest.ParseError = "the top level is not an object";
                return manifest;
            }

            if (root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                manifest.Name = Unscoped(name.GetString()!);
            }

            Add(manifest, text, root, "dependencies", DependencyScope.Runtime);
            Add(manifest, text, root, "optionalDependencies", DependencyScope.Runtime);
            Add(manifest, text, root, "devDependencies", DependencyScope.Dev);
            manifest.IsAggregator = root.TryGetProperty("workspaces", out _);
            if (root.TryGetProperty("packageManager", out var pm) && pm.ValueKind == JsonValueKind.String)
            {
                var value = pm.GetString()!;
                manifest.BuildSystem = value.StartsWith("pnpm", StringComparison.Ordinal) ? BuildSystem.Pnpm : value.StartsWith("yarn", StringComparison.Ordinal) ? BuildSystem.Yarn : BuildSystem.Npm;
            }

            if (root.TryGetProperty("main", out var main) && main.ValueKind == JsonValueKind.String)
            {
                manifest.MainFile = Clean(main.GetString()!);
            }

            if (root.TryGetProperty("scripts", out var scripts) && scripts.ValueKind == JsonValueKind.Object
                && scripts.TryGetProperty("start", out var start) && start.ValueKind == JsonValueKind.String)
            {
                var command = start.GetString()!;
                manifest.IsExecutable = true;
                manifest.MainFile ??= ScriptTarget(command);
            }
        }

        var hasServer = manifest.Dependencies.Exists(d => d.Scope == DependencyScope.Runtime && Array.IndexOf(ServerFrameworks, d.Id) >= 0);
        manifest.IsFrontend = !hasServer && manifest.Dependencies.Exists(d => Array.IndexOf(FrontendMarkers, d.Id) >= 0);
        return manifest;
    }

    /// <summary><c>@acme/orders-api</c> → <c>orders-api</c>.</summary>
    public static string Unscoped(string name)
    {
        var slash = name.IndexOf('/');
        return name.StartsWith('@') && slash > 0 ? name[(slash + 1)..] : name;
    }

    /// <summary>The file a start script runs: <c>node --require ./tracing.js dist/server.js</c> → <c>dist/server.js</c>.</summary>
    private static string? ScriptTarget(string command)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] is not ("node" or "ts-node" or "tsx" or "nodemon"))
        {
            return null;
        }

        for (var i = parts.Length - 1; i >= 1; i--)
        {
            var p = parts[i];
            if (!p.StartsWith('-') && (p.EndsWith(".js", StringComparison.Ordinal) || p.EndsWith(".ts", StringComparison.Ordinal) || p.EndsWith(".mjs", StringComparison.Ordinal) || p.EndsWith(".cjs", StringComparison.Ordinal))
                && !(i > 1 && parts[i - 1] is "-r" or "--require" or "--import"))
            {
                return Clean(p);
            }
        }

        return null;
    }

    private static string Clean(string path) => path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;

    private static void Add(BuildManifest manifest, string text, JsonElement root, string property, DependencyScope scope)
    {
        if (!root.TryGetProperty(property, out var deps) || deps.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        // JSON carries no line numbers; the dependency's key is found in the text after the section's key.
        var section = text.IndexOf("\"" + property + "\"", StringComparison.Ordinal);
        foreach (var dep in deps.EnumerateObject())
        {
            var at = section < 0 ? -1 : text.IndexOf("\"" + dep.Name + "\"", section, StringComparison.Ordinal);
            var line = at < 0 ? 1 : TextFile.LineOf(text, at);
            manifest.Dependencies.Add(new Dependency(dep.Name, manifest.File, line, TextFile.LineText(text, line), scope));
        }
    }
}
