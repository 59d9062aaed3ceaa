using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>pom.xml: artifactId, packaging, parent, modules, dependencies with scope, build plugins.</summary>
internal static class MavenPomParser
{
    public static BuildManifest Parse(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Jvm, BuildSystem.Maven, relPath);
        var doc = XmlManifest.Load(text, out var error);
        if (doc?.Root is not { } project)
        {
            manifest.ParseError = error;
            return manifest;
        }

        manifest.Name = XmlManifest.Value(project, "artifactId");
        manifest.IsAggregator = XmlManifest.Value(project, "packaging") == "pom";
        if (XmlManifest.Child(project, "parent") is { } parent)
        {
            Add(manifest, text, parent, DependencyScope.Runtime);
        }

        foreach (var dependency in XmlManifest.Children(XmlManifest.Child(project, "dependencies"), "dependency"))
        {
            var scope = XmlManifest.Value(dependency, "scope") switch
            {
                "test" => DependencyScope.Test,
                "provided" or "system" => DependencyScope.Dev,
                _ => DependencyScope.Runtime,
            };
            Add(manifest, text, dependency, scope);
        }

        foreach (var plugin in XmlManifest.Children(XmlManifest.Child(XmlManifest.Child(project, "build"), "plugins"), "plugin"))
        {
            var artifact = XmlManifest.Value(plugin, "artifactId");
            if (artifact == "spring-boot-maven-plugin" || artifact == "exec-maven-plugin" || artifact == "maven-shade-plugin" || artifact == "jib-maven-plugin")
            {
                manifest.IsExecutable = true;
            }

            if (artifact is not null)
            {
                var line = XmlManifest.Line(XmlManifest.Child(plugin, "artifactId")!);
                manifest.Dependencies.Add(new Dependency("plugin:" + artifact, relPath, line, TextFile.LineText(text, line), DependencyScope.Dev));
            }
        }

        return manifest;
    }

    private static void Add(BuildManifest manifest, string text, System.Xml.Linq.XElement dependency, DependencyScope scope)
    {
        var group = XmlManifest.Value(dependency, "groupId");
        var artifactElement = XmlManifest.Child(dependency, "artifactId");
        var artifact = artifactElement?.Value.Trim();
        if (string.IsNullOrEmpty(artifact))
        {
            return;
        }

        var line = XmlManifest.Line(artifactElement!);
        manifest.Dependencies.Add(new Dependency($"{group}:{artifact}", manifest.File, line, TextFile.LineText(text, line), scope));
    }
}
