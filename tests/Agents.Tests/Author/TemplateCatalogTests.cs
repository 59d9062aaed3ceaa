using Autopilot.Agents.Author;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Tests.Author;

/// <summary>Every shipped template loads and renders for every framework of its stack (an unknown variable is an error).</summary>
public sealed class TemplateCatalogTests
{
    private static readonly Dictionary<string, (Language Language, BuildSystem Build, string BuildFile, string Entry, Framework?[] Frameworks)> Stacks = new()
    {
        ["java"] = (Language.Java, BuildSystem.Maven, "svc/pom.xml", "svc/src/main/java/a/b/App.java", [Framework.SpringBoot, null]),
        ["go"] = (Language.Go, BuildSystem.GoModules, "svc/go.mod", "svc/main.go", [Framework.Gin, Framework.NetHttp, null]),
        ["python"] = (Language.Python, BuildSystem.Pip, "svc/requirements.txt", "svc/app.py", [Framework.Fastapi, Framework.Flask, null]),
        ["node"] = (Language.Javascript, BuildSystem.Npm, "svc/package.json", "svc/index.js", [Framework.Express, null]),
        ["dotnet"] = (Language.Csharp, BuildSystem.Dotnet, "svc/Svc.csproj", "svc/Program.cs", [Framework.AspnetCore, null]),
        ["common"] = (Language.Go, BuildSystem.GoModules, "svc/go.mod", "svc/main.go", [null]),
    };

    [Fact]
    public void Catalog_ShipsTheTemplatesScoutPlansWith()
    {
        var ids = new TemplateCatalog(AuthorRun.Templates).Ids();

        foreach (var stack in new[] { Language.Java, Language.Go, Language.Python, Language.Javascript, Language.Csharp })
        {
            Assert.Contains(TemplateIds.For(stack, TemplateIds.OtelInit), ids);
            Assert.Contains(TemplateIds.For(stack, TemplateIds.OtelPropagation), ids);
        }

        Assert.Contains(TemplateIds.LineageSpec, ids);
        Assert.Contains(TemplateIds.DataContract, ids);
        Assert.Contains(TemplateIds.Runbook, ids);
        Assert.Contains(TemplateIds.ResourceAttributes, ids);
    }

    [Fact]
    public async Task Render_EveryTemplateEveryFramework_ProducesEveryFileWithoutUnknownVariablesAndCreatedSourcesParse()
    {
        var catalog = new TemplateCatalog(AuthorRun.Templates);
        var rendered = 0;
        var output = Directory.CreateTempSubdirectory("templates-rendered-");
        var seen = new HashSet<string>(StringComparer.Ordinal); // identical variants are parsed once
        foreach (var id in catalog.Ids())
        {
            var stack = Stacks[id.Split('/')[0]];
            var template = catalog.Get(id);
            foreach (var framework in stack.Frameworks)
            {
                foreach (var clients in new[] { string.Empty, "http,kafka" })
                {
                    var vars = Variables(stack.Language, stack.Build, stack.BuildFile, stack.Entry, framework, clients);
                    vars["anchor_1"] = "app";
                    foreach (var file in template.Files)
                    {
                        var path = ChangeApplier.SafeRelative(file.Path(vars), id);
                        Assert.False(string.IsNullOrWhiteSpace(path), $"{id}: empty path");
                        Assert.False(string.IsNullOrWhiteSpace(file.Content!(vars)), $"{id} {path}: empty content");
                        if (file.Spec.Edit == "create" && seen.Add(Path.GetExtension(path) + file.Content!(vars)))
                        {
                            var target = Path.Combine(output.FullName, rendered.ToString(System.Globalization.CultureInfo.InvariantCulture), path);
                            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                            await File.WriteAllTextAsync(target, file.Content!(vars));
                        }

                        file.Anchor?.Invoke(vars);
                        file.Marker?.Invoke(vars);
                        file.Note?.Invoke(vars);
                        rendered++;
                    }

                    Assert.False(string.IsNullOrWhiteSpace(template.Title(vars)));
                    template.Guidance?.Invoke(vars);
                    Assert.False(string.IsNullOrWhiteSpace(template.Verify?.Invoke(vars)), $"{id}: no verify command");
                }
            }
        }

        Assert.True(rendered > 60, $"only {rendered} files rendered");
        try
        {
            // Every variant of every created source file parses (Go only where the toolchain is installed).
            var all = Directory.EnumerateFiles(output.FullName, "*", SearchOption.AllDirectories).ToList();
            var java = all.Where(f => f.EndsWith(".java", StringComparison.Ordinal)).ToList();
            var (javaCode, javaOut) = await ProcessRun.RunAsync("java", output.FullName, [Path.Combine(SampleRepo.Fixtures, "Tools", "JavaParse.java"), .. java]);
            Assert.True(javaCode == 0, javaOut);
            var (pyCode, pyOut) = await ProcessRun.RunAsync("python3", output.FullName, ["-m", "py_compile", .. all.Where(f => f.EndsWith(".py", StringComparison.Ordinal))]);
            Assert.True(pyCode == 0, pyOut);

            foreach (var js in all.Where(f => f.EndsWith(".js", StringComparison.Ordinal)))
            {
                var (code, text) = await ProcessRun.RunAsync("node", output.FullName, ["--check", js]);
                Assert.True(code == 0, js + ": " + text);
            }

            if (ProcessRun.OnPath("gofmt"))
            {
                var go = all.Where(f => f.EndsWith(".go", StringComparison.Ordinal)).ToList();
                var (code, text) = await ProcessRun.RunAsync("gofmt", output.FullName, ["-l", "-e", .. go]);
                Assert.True(code == 0 && text.Trim().Length == 0, text);
            }

            Assert.True(java.Count >= 4 && all.Count(f => f.EndsWith(".py", StringComparison.Ordinal)) >= 6, $"{java.Count} java files");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void Get_MalformedManifest_NamesTheFileAndLine()
    {
        var dir = Directory.CreateTempSubdirectory("templates-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "go", "broken"));
            File.WriteAllText(Path.Combine(dir.FullName, "go", "broken", "template.yaml"), "title: x\nfiles:\n  - path: a\n    edit: sideways\n    source: a.hbs\n");
            File.WriteAllText(Path.Combine(dir.FullName, "go", "broken", "a.hbs"), "{{#if}}");
            var catalog = new TemplateCatalog(dir.FullName);

            var e = Assert.Throws<TemplateException>(() => catalog.Get("go/broken"));
            Assert.Contains("edit 'sideways' is not one of", e.Message, StringComparison.Ordinal);
            Assert.Contains("no template go/missing", Assert.Throws<TemplateException>(() => catalog.Get("go/missing")).Message, StringComparison.Ordinal);
            Assert.Contains("is not of the form", Assert.Throws<TemplateException>(() => catalog.Get("../etc")).Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static Dictionary<string, object> Variables(Language language, BuildSystem build, string buildFile, string entry, Framework? framework, string clients)
    {
        var archetype = new ServiceArchetype("svc", "svc", language, build, buildFile, framework, entry, ["kafka"], [], new ObservabilityState(false, false, false, false, false, false, false),
            [new DatasetRef(DatasetKind.Table, "postgres", "public.items", entry, 3, false)], [new DatasetRef(DatasetKind.Topic, "kafka", "items.changed", entry, 4, false)], []);
        var gap = new Gap("g:svc", GapType.MissingOtel, "svc", "svc", "svc has no telemetry.", [new Evidence(buildFile, null, "x", null)], 0.9);
        var change = new PlannedChange("g:svc/x", gap.Id, "x/y", "svc", [buildFile], new Dictionary<string, string> { ["clients"] = clients, ["dataset_name"] = "items.changed", ["call_sites"] = clients.Length == 0 ? string.Empty : entry + ":4" });
        var plan = new DiffPlan("1.0", new RepoInfo("/r", "r", null, DateTimeOffset.UnixEpoch, 1), [archetype], [gap], [change], 0.9);
        return TemplateVariables.Build(plan, change, Path.GetTempPath());
    }
}
