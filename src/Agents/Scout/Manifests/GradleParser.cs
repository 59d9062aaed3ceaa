using Autopilot.Agents.Scout.Rules;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>build.gradle(.kts) and settings.gradle(.kts), line by line (Groovy and Kotlin DSL both).</summary>
internal static class GradleParser
{
    private static readonly string[] ApplicationPlugins = ["org.springframework.boot", "application", "com.google.cloud.tools.jib", "io.micronaut.application", "io.quarkus"];

    public static BuildManifest Parse(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Jvm, BuildSystem.Gradle, relPath);
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.ToString();
            var trimmed = raw.TrimStart();
            if (trimmed.StartsWith("//") || trimmed.StartsWith("*") || trimmed.IsEmpty)
            {
                continue;
            }

            var match = ScoutRegex.GradleDependency().Match(line);
            if (!match.Success)
            {
                match = ScoutRegex.GradleMapDependency().Match(line);
            }

            if (match.Success && Scope(match.Groups["conf"].Value) is { } scope)
            {
                manifest.Dependencies.Add(new Dependency($"{match.Groups["g"].Value}:{match.Groups["a"].Value}", relPath, lineNumber, TextFile.Trim(raw), scope));
                continue;
            }

            var plugin = ScoutRegex.GradlePlugin().Match(line);
            var pluginId = plugin.Success ? plugin.Groups["p"].Value : ScoutRegex.GradleBareApplicationPlugin().IsMatch(line) ? "application" : null;
            if (pluginId is not null)
            {
                manifest.Dependencies.Add(new Dependency("plugin:" + pluginId, relPath, lineNumber, TextFile.Trim(raw), DependencyScope.Runtime));
                manifest.IsExecutable |= Array.IndexOf(ApplicationPlugins, pluginId) >= 0;
            }
        }

        return manifest;
    }

    /// <summary>Applies settings.gradle: the root project's name, and whether it includes subprojects.</summary>
    public static void ApplySettings(BuildManifest? root, string text, out string? rootName, out bool includesProjects)
    {
        rootName = null;
        includesProjects = false;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.ToString();
            if (ScoutRegex.GradleRootProjectName().Match(line) is { Success: true } name)
            {
                rootName = name.Groups["n"].Value;
            }
            else if (ScoutRegex.GradleInclude().IsMatch(line))
            {
                includesProjects = true;
            }
        }

        if (root is not null)
        {
            root.Name = rootName ?? root.Name;
        }
    }

    /// <summary>The configuration's scope; null for lines that only look like a dependency (<c>id</c>, <c>classpath</c>, <c>platform</c>).</summary>
    private static DependencyScope? Scope(string configuration)
    {
        if (configuration is "id" or "classpath" or "platform" or "enforcedPlatform" or "version" or "group" or "mavenBom")
        {
            return null;
        }

        if (configuration.StartsWith("test", StringComparison.Ordinal) || configuration.Contains("Test", StringComparison.Ordinal))
        {
            return DependencyScope.Test;
        }

        return configuration is "compileOnly" or "annotationProcessor" or "kapt" or "developmentOnly" or "ksp"
            ? DependencyScope.Dev
            : configuration is "implementation" or "api" or "compile" or "runtimeOnly" or "runtime" or "compileOnlyApi"
                || configuration.EndsWith("Implementation", StringComparison.Ordinal) || configuration.EndsWith("RuntimeOnly", StringComparison.Ordinal)
                ? DependencyScope.Runtime
                : null;
    }
}
