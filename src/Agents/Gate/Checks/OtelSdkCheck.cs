using System.Text.RegularExpressions;
using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>
/// otel-sdk: the service depends on an OpenTelemetry SDK and initialises it, or runs under an OpenTelemetry
/// auto-instrumentation agent. A light, self-contained detector: dependency files per language, then the usual
/// initialisation calls in source files (Scout's fuller detector may replace it).
/// </summary>
internal sealed partial class OtelSdkCheck : IGateCheck
{
    /// <summary>Source files scanned per service at most (the first initialisation found ends the scan).</summary>
    private const int MaxFiles = 5_000;

    private static readonly (string Extension, string Marker)[] InitMarkers =
    [
        (".cs", "AddOpenTelemetry("),
        (".cs", "Sdk.CreateTracerProviderBuilder("),
        (".cs", "Sdk.CreateMeterProviderBuilder("),
        (".cs", "OpenTelemetrySdk.Create("),
        (".js", "new NodeSDK("), (".ts", "new NodeSDK("), (".mjs", "new NodeSDK("), (".cjs", "new NodeSDK("),
        (".js", "new NodeTracerProvider("), (".ts", "new NodeTracerProvider("),
        (".ts", "registerOTel("), (".js", "registerOTel("),
        (".go", "sdktrace.NewTracerProvider("),
        (".go", "otel.SetTracerProvider("),
        (".java", "OpenTelemetrySdk.builder("), (".kt", "OpenTelemetrySdk.builder("),
        (".java", "AutoConfiguredOpenTelemetrySdk"), (".kt", "AutoConfiguredOpenTelemetrySdk"),
        (".py", "set_tracer_provider("),
        (".py", "TracerProvider("),
        (".py", "configure_azure_monitor("),
    ];

    /// <summary>Auto-instrumentation: an agent or wrapper initialises the SDK without code (Dockerfile, scripts, manifests).</summary>
    private static readonly string[] AgentMarkers =
    [
        "opentelemetry-javaagent", "opentelemetry-instrument ", "@opentelemetry/auto-instrumentations-node/register", "OTEL_DOTNET_AUTO_HOME", "otel-dotnet-auto-install",
    ];

    public string Id => GateChecks.OtelSdk;

    public bool AppliesTo(GateTarget target, GateContext context) => target.IsService;

    public CheckRun Run(GateTarget target, CheckPolicy policy, GateContext context)
    {
        var ws = context.Workspace;
        if (target.Manifests.Count == 0)
        {
            return CheckRun.Fail($"no dependency file (package.json, *.csproj, go.mod, pom.xml, build.gradle, pyproject.toml, requirements.txt) in {target.Path}",
                $"add the service's dependency file and an OpenTelemetry SDK to {target.Path}",
                [new GateFinding(null, null, "missing_manifest", $"{target.Path} has no dependency file the gate recognises", false)]);
        }

        (string File, int Line)? dependency = null;
        foreach (var manifest in target.Manifests)
        {
            if (ws.Read(manifest) is { } text && DependencyPattern(manifest).Match(text) is { Success: true } m)
            {
                dependency = (manifest, Workspace.LineOf(text, m.Index));
                break;
            }
        }

        var files = ws.FilesUnder(target.Path).Take(MaxFiles).ToList();
        foreach (var file in files)
        {
            var name = file[(file.LastIndexOf('/') + 1)..];
            if (name is "Dockerfile" or "Procfile" or "package.json" or "pom.xml" or "build.gradle" or "build.gradle.kts" || name.EndsWith(".sh", StringComparison.Ordinal) || name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
            {
                if (ws.Read(file) is { } text && FirstMarker(text, AgentMarkers) is { } agent)
                {
                    return CheckRun.Pass($"runs under OpenTelemetry auto-instrumentation ({agent.Marker.Trim()} at {file}:{Workspace.LineOf(text, agent.Index)})");
                }
            }
        }

        if (dependency is null)
        {
            var manifest = target.Manifests[0];
            return CheckRun.Fail($"no OpenTelemetry SDK dependency in {string.Join(", ", target.Manifests)}",
                $"add the OpenTelemetry SDK for {LanguageOf(manifest)} to {manifest} and initialise it at startup",
                [new GateFinding(manifest, 1, "missing_otel", $"{manifest} does not reference an OpenTelemetry SDK ({Expected(manifest)})", false)]);
        }

        // Only the languages of the service's dependency files: a Go service is not initialised by a stray .cs file.
        var extensions = target.Manifests.SelectMany(SourceExtensions).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var ext = Path.GetExtension(file);
            if (!extensions.Contains(ext) || IsTestFile(file))
            {
                continue;
            }

            if (ws.Read(file) is { } text && FirstMarker(text, InitMarkers.Where(m => m.Extension == ext).Select(m => m.Marker)) is { } init)
            {
                return CheckRun.Pass($"OpenTelemetry SDK referenced at {dependency.Value.File}:{dependency.Value.Line} and initialised at {file}:{Workspace.LineOf(text, init.Index)} ({init.Marker.TrimEnd('(')})");
            }
        }

        return CheckRun.Fail($"OpenTelemetry SDK referenced at {dependency.Value.File}:{dependency.Value.Line} but never initialised in {target.Path}",
            $"initialise the SDK at startup ({InitHint(dependency.Value.File)})",
            [new GateFinding(dependency.Value.File, dependency.Value.Line, "otel_not_initialised", $"the OpenTelemetry SDK is a dependency but no source file under {target.Path} initialises it ({InitHint(dependency.Value.File)})", false)]);
    }

    internal static bool IsTestFile(string file) =>
        file.Contains("/test/", StringComparison.OrdinalIgnoreCase) || file.Contains("/tests/", StringComparison.OrdinalIgnoreCase) ||
        file.EndsWith("_test.go", StringComparison.Ordinal) || file.Contains(".test.", StringComparison.Ordinal) || file.Contains(".spec.", StringComparison.Ordinal) ||
        Path.GetFileNameWithoutExtension(file).EndsWith("Tests", StringComparison.Ordinal) || Path.GetFileName(file).StartsWith("test_", StringComparison.Ordinal);

    private static (string Marker, int Index)? FirstMarker(string text, IEnumerable<string> markers)
    {
        (string, int)? best = null;
        foreach (var marker in markers)
        {
            var i = text.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0 && (best is null || i < best.Value.Item2))
            {
                best = (marker, i);
            }
        }

        return best;
    }

    private static string[] SourceExtensions(string manifest) => Path.GetFileName(manifest) switch
    {
        "package.json" => [".js", ".ts", ".mjs", ".cjs"],
        "go.mod" => [".go"],
        "pom.xml" or "build.gradle" or "build.gradle.kts" => [".java", ".kt"],
        "pyproject.toml" or "requirements.txt" or "setup.py" => [".py"],
        _ => [".cs"],
    };

    private static Regex DependencyPattern(string manifest) => Path.GetFileName(manifest) switch
    {
        "package.json" => NodeDependency(),
        "go.mod" => GoDependency(),
        "pom.xml" or "build.gradle" or "build.gradle.kts" => JavaDependency(),
        "pyproject.toml" or "requirements.txt" or "setup.py" => PythonDependency(),
        _ => DotnetDependency(),
    };

    private static string LanguageOf(string manifest) => Path.GetFileName(manifest) switch
    {
        "package.json" => "Node.js (@opentelemetry/sdk-node)",
        "go.mod" => "Go (go.opentelemetry.io/otel/sdk)",
        "pom.xml" or "build.gradle" or "build.gradle.kts" => "Java (io.opentelemetry:opentelemetry-sdk or the Java agent)",
        "pyproject.toml" or "requirements.txt" or "setup.py" => "Python (opentelemetry-sdk)",
        _ => ".NET (OpenTelemetry.Extensions.Hosting or OpenTelemetry)",
    };

    private static string Expected(string manifest) => Path.GetFileName(manifest) switch
    {
        "package.json" => "an @opentelemetry/* dependency",
        "go.mod" => "go.opentelemetry.io/otel",
        "pom.xml" or "build.gradle" or "build.gradle.kts" => "an io.opentelemetry dependency",
        "pyproject.toml" or "requirements.txt" or "setup.py" => "an opentelemetry-* package",
        _ => "a PackageReference to OpenTelemetry*",
    };

    private static string InitHint(string manifest) => Path.GetFileName(manifest) switch
    {
        "package.json" => "new NodeSDK(...).start()",
        "go.mod" => "sdktrace.NewTracerProvider + otel.SetTracerProvider",
        "pom.xml" or "build.gradle" or "build.gradle.kts" => "OpenTelemetrySdk.builder() or AutoConfiguredOpenTelemetrySdk, or -javaagent:opentelemetry-javaagent.jar",
        "pyproject.toml" or "requirements.txt" or "setup.py" => "trace.set_tracer_provider(TracerProvider(...)) or opentelemetry-instrument",
        _ => "builder.Services.AddOpenTelemetry() or Sdk.CreateTracerProviderBuilder()",
    };

    [GeneratedRegex("\"@opentelemetry/[a-z0-9\\-]+\"\\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex NodeDependency();

    [GeneratedRegex("go\\.opentelemetry\\.io/otel", RegexOptions.CultureInvariant)]
    private static partial Regex GoDependency();

    [GeneratedRegex("io\\.opentelemetry", RegexOptions.CultureInvariant)]
    private static partial Regex JavaDependency();

    [GeneratedRegex("(?m)^[^#\\n]*opentelemetry-(sdk|distro|api|instrumentation)", RegexOptions.CultureInvariant)]
    private static partial Regex PythonDependency();

    [GeneratedRegex("PackageReference\\s+Include\\s*=\\s*\"OpenTelemetry(\\.[A-Za-z0-9.]+)?\"", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex DotnetDependency();
}
