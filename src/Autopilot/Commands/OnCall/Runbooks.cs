using System.Text.RegularExpressions;
using Autopilot.Engines.Anomaly;
using YamlDotNet.Serialization;

namespace Autopilot.Host.Commands.OnCall;

/// <summary>A runbook step and where it came from.</summary>
internal sealed record RunbookMatch(string File, string Title, string MatchedBy, IReadOnlyList<string> Steps);

/// <summary>
/// A directory of markdown runbooks. A runbook applies to an asset when its front matter lists a URN pattern
/// that matches (exact, <c>prefix*</c> or <c>*suffix</c>: <c>urns: [urn:autopilot:service:prod:checkout, "urn:autopilot:service:prod:pay*"]</c>), when one
/// of its <c>signatures</c> occurs in a finding (kind, summary or evidence, case-insensitive), or, without
/// front matter, when the file is named after the asset (<c>checkout.md</c>). Its steps are the list items
/// under the first heading that mentions "step", else every list item.
/// </summary>
internal sealed partial class Runbooks
{
    private readonly List<Runbook> _runbooks;

    private Runbooks(List<Runbook> runbooks) => _runbooks = runbooks;

    public int Count => _runbooks.Count;

    /// <summary>Loads every <c>*.md</c> under <paramref name="directory"/>; a file with broken front matter is an error naming it.</summary>
    public static Runbooks Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"runbook directory '{directory}' does not exist");
        }

        var list = new List<Runbook>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            list.Add(Parse(file, File.ReadAllText(file)));
        }

        return new Runbooks(list);
    }

    public IReadOnlyList<RunbookMatch> Match(string urn, IEnumerable<string> findingTexts)
    {
        var texts = findingTexts.ToList();
        var matches = new List<RunbookMatch>();
        foreach (var book in _runbooks)
        {
            var by = book.Urns.FirstOrDefault(p => UrnPattern.Matches(p, urn)) is { } pattern ? $"urn {pattern}"
                : book.Signatures.FirstOrDefault(s => texts.Any(t => t.Contains(s, StringComparison.OrdinalIgnoreCase))) is { } signature ? $"signature \"{signature}\""
                : !book.HasFrontMatter && string.Equals(Path.GetFileNameWithoutExtension(book.File), urn[(urn.LastIndexOf(':') + 1)..], StringComparison.OrdinalIgnoreCase) ? "file name"
                : null;
            if (by is not null)
            {
                matches.Add(new RunbookMatch(book.File, book.Title, by, book.Steps));
            }
        }

        return matches;
    }

    internal static Runbook Parse(string file, string text)
    {
        var urns = new List<string>();
        var signatures = new List<string>();
        var body = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var hasFrontMatter = false;
        if (body.StartsWith("---\n", StringComparison.Ordinal))
        {
            var end = body.IndexOf("\n---", 4, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new InvalidDataException($"runbook '{file}': front matter starts with --- but never ends");
            }

            hasFrontMatter = true;
            FrontMatter? front;
            try
            {
                front = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<FrontMatter>(body[4..end]);
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                throw new InvalidDataException($"runbook '{file}': front matter is not valid YAML: {e.Message}", e);
            }

            urns.AddRange(front?.Urns ?? []);
            signatures.AddRange(front?.Signatures ?? []);
            foreach (var pattern in urns.Where(p => !UrnPattern.IsValid(p)))
            {
                throw new InvalidDataException($"runbook '{file}': '{pattern}' is not a URN pattern (exact, prefix* or *suffix)");
            }

            body = body[(body.IndexOf('\n', end + 1) is var nl and >= 0 ? nl + 1 : body.Length)..];
        }

        var lines = body.Split('\n');
        var title = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? Path.GetFileNameWithoutExtension(file);
        var steps = new List<string>();
        var stepsHeading = Array.FindIndex(lines, l => l.StartsWith('#') && l.Contains("step", StringComparison.OrdinalIgnoreCase));
        if (stepsHeading >= 0)
        {
            for (var i = stepsHeading + 1; i < lines.Length && !lines[i].StartsWith('#'); i++)
            {
                AddItem(lines[i], steps);
            }
        }
        else
        {
            foreach (var line in lines)
            {
                AddItem(line, steps);
            }
        }

        return new Runbook(file, title, hasFrontMatter, urns, signatures, steps);
    }

    private static void AddItem(string line, List<string> steps)
    {
        var m = ListItem().Match(line);
        if (m.Success)
        {
            steps.Add(m.Groups[1].Value.Trim());
        }
    }

    [GeneratedRegex(@"^\s*(?:[-*+]|\d+[.)])\s+(.+)$")]
    private static partial Regex ListItem();

    internal sealed record Runbook(string File, string Title, bool HasFrontMatter, IReadOnlyList<string> Urns, IReadOnlyList<string> Signatures, IReadOnlyList<string> Steps);

    private sealed class FrontMatter
    {
        [YamlMember(Alias = "urns")]
        public List<string>? Urns { get; set; }

        [YamlMember(Alias = "signatures")]
        public List<string>? Signatures { get; set; }
    }
}
