namespace Autopilot.Agents.Gate;

/// <summary>What <c>autopilot gate</c> is asked to judge; built by the CLI or directly by tests and benchmarks.</summary>
public sealed class GateOptions
{
    /// <summary>A folder inside the git repository to judge.</summary>
    public string RepoPath { get; set; } = ".";

    /// <summary>The revision to compare schemas and contracts against; null skips the comparisons.</summary>
    public string? BaseRef { get; set; }

    /// <summary>gates.yaml; null uses the built-in policy.</summary>
    public string? PolicyPath { get; set; }

    /// <summary>The instant rollout dates and waiver expiries are judged against; null is the clock.</summary>
    public DateTimeOffset? Now { get; set; }

    /// <summary>Telemetry Validator reports (JSON, schemas/validation-report.schema.json).</summary>
    public IReadOnlyList<string> ValidationReports { get; set; } = [];

    /// <summary>Soft-fail failures fail the gate (as the policy's <c>block_soft_fail: true</c>).</summary>
    public bool BlockSoftFail { get; set; }

    /// <summary>Throws <see cref="GateUsageException"/> listing every problem, one per line.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(RepoPath))
        {
            problems.Add("--repo must name a folder");
        }

        if (BaseRef is { Length: 0 })
        {
            problems.Add("--base must not be empty");
        }

        foreach (var report in ValidationReports)
        {
            if (!File.Exists(report))
            {
                problems.Add($"--validation-report '{report}' does not exist");
            }
        }

        if (PolicyPath is not null && !File.Exists(PolicyPath))
        {
            problems.Add($"--policy '{PolicyPath}' does not exist");
        }

        if (problems.Count > 0)
        {
            throw new GateUsageException(string.Join('\n', problems));
        }
    }
}
