using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>.csproj: SDK, OutputType, AssemblyName, test-project markers, PackageReference and FrameworkReference items.</summary>
internal static class CsprojParser
{
    private static readonly string[] TestPackages = ["Microsoft.NET.Test.Sdk", "xunit", "xunit.v3", "NUnit", "MSTest.TestFramework", "MSTest"];

    public static BuildManifest Parse(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Dotnet, BuildSystem.Dotnet, relPath);
        var fileName = RepoPaths.FileName(relPath);
        manifest.Name = fileName[..^".csproj".Length];
        var doc = XmlManifest.Load(text, out var error);
        if (doc?.Root is not { } project)
        {
            manifest.ParseError = error;
            return manifest;
        }

        var sdk = (string?)project.Attribute("Sdk") ?? XmlManifest.Children(project, "Sdk").Select(e => (string?)e.Attribute("Name")).FirstOrDefault(n => n is not null);
        if (sdk is not null)
        {
            var line = XmlManifest.Line(project);
            manifest.Dependencies.Add(new Dependency("sdk:" + sdk.Split('/')[0], relPath, line, TextFile.LineText(text, line), DependencyScope.Runtime));
        }

        string? outputType = null;
        var isTest = false;
        foreach (var group in XmlManifest.Children(project, "PropertyGroup"))
        {
            outputType = XmlManifest.Value(group, "OutputType") ?? outputType;
            manifest.Name = XmlManifest.Value(group, "AssemblyName") ?? manifest.Name;
            isTest |= string.Equals(XmlManifest.Value(group, "IsTestProject"), "true", StringComparison.OrdinalIgnoreCase);
        }

        foreach (var itemGroup in XmlManifest.Children(project, "ItemGroup"))
        {
            foreach (var item in itemGroup.Elements())
            {
                var kind = item.Name.LocalName;
                if (kind is not ("PackageReference" or "FrameworkReference"))
                {
                    continue;
                }

                var include = (string?)item.Attribute("Include");
                if (string.IsNullOrWhiteSpace(include))
                {
                    continue;
                }

                var line = XmlManifest.Line(item);
                var id = kind == "FrameworkReference" ? "framework:" + include : include;
                manifest.Dependencies.Add(new Dependency(id, relPath, line, TextFile.LineText(text, line), DependencyScope.Runtime));
                isTest |= Array.Exists(TestPackages, t => string.Equals(t, include, StringComparison.OrdinalIgnoreCase));
            }
        }

        var web = sdk is not null && (sdk.StartsWith("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase) || sdk.StartsWith("Microsoft.NET.Sdk.Worker", StringComparison.OrdinalIgnoreCase));
        var exe = outputType is not null && outputType.Contains("Exe", StringComparison.OrdinalIgnoreCase);
        manifest.IsTestProject = isTest;
        manifest.IsExecutable = !isTest && (web || exe);
        manifest.IsLibrary = !isTest && !manifest.IsExecutable;
        return manifest;
    }
}
