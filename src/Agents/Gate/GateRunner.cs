using System.Diagnostics;
using Autopilot.Agents.Gate.Analysis;
using Autopilot.Agents.Gate.Checks;
using Autopilot.Agents.Gate.Compatibility;
using Autopilot.Agents.Gate.Git;
using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;
using Autopilot.Agents.Validate;

namespace Autopilot.Agents.Gate;

/// <summary>
/// The CI Gatekeeper: judges a repository's working tree against a base revision under a tiered policy and returns
/// the gate status. Targets are the services (and the repository, for schema and contract files outside them); each
/// gets the tier that matches it first; each of the tier's checks runs in the mode its rollout schedule gives on the
/// evaluation day; active waivers cover failures in their scope.
/// </summary>
public static class GateRunner
{
    private static readonly IGateCheck[] Checks =
    [
        new OtelSdkCheck(), new TelemetryValidationCheck(), new LineageSpecCheck(), new RunbookCheck(), new DataContractCheck(), new SchemaCompatCheck(), new ContractBreakingCheck(),
    ];

    /// <summary>Runs the gate; throws <see cref="GateUsageException"/> for anything that makes it unable to judge (exit 2).</summary>
    public static async Task<GateStatus> RunAsync(GateOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        options.Validate();
        var policy = options.PolicyPath is null ? PolicyLoader.BuiltIn() : PolicyLoader.Load(options.PolicyPath);
        var now = options.Now ?? DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var blockSoftFail = options.BlockSoftFail || policy.BlockSoftFail;

        var git = await GitRepository.OpenAsync(options.RepoPath, cancellationToken).ConfigureAwait(false);
        var reports = new List<(string, ValidationReport)>();
        foreach (var file in options.ValidationReports)
        {
            reports.Add((file, await ValidationReportLoader.LoadAsync(file, cancellationToken).ConfigureAwait(false)));
        }

        var headTask = git.HeadCommitAsync(cancellationToken);
        var filesTask = git.WorkingTreeFilesAsync(cancellationToken);
        var head = await headTask.ConfigureAwait(false);
        var baseTask = options.BaseRef is null ? Task.FromResult<BaseSnapshot?>(null) : ReadBaseAsync(git, options.BaseRef, head, policy, cancellationToken);
        var workspace = new Workspace(git.Root, await filesTask.ConfigureAwait(false));
        var baseSnapshot = await baseTask.ConfigureAwait(false);

        var targets = TargetDetector.Detect(workspace, policy, Path.GetFileName(git.Root));
        var schemas = baseSnapshot is null ? [] : await SchemaAnalysis.RunAsync(git, workspace, baseSnapshot, policy, cancellationToken).ConfigureAwait(false);
        var contracts = ContractAnalysis.Run(workspace, baseSnapshot, policy);
        var schemaFiles = workspace.Files.Concat(baseSnapshot?.Texts.Keys ?? []).Distinct(StringComparer.Ordinal)
            .Where(f => policy.IsSchema(f) && SchemaCompatibility.FormatOf(f) is not null);
        var context = new GateContext
        {
            Workspace = workspace,
            Base = baseSnapshot,
            Policy = policy,
            Today = today,
            HeadCommit = head,
            Reports = reports,
            Targets = targets,
            Schemas = schemas,
            Contracts = contracts,
            SchemaFiles = GateContext.ByOwner(targets, schemaFiles),
            ContractFiles = GateContext.ByOwner(targets, contracts.AllPaths),
        };

        var coverage = policy.Waivers.ToDictionary(w => w, _ => new List<string>());
        var statuses = new List<GateTargetStatus>();
        var next = new List<GateNextStep>();
        foreach (var target in targets.OrderBy(t => t.IsService ? 0 : 1).ThenBy(t => t.Path, StringComparer.Ordinal))
        {
            var tier = policy.TierFor(target.Name, target.Path);
            var results = new List<GateCheckStatus>();
            foreach (var check in Checks)
            {
                if (!tier.Checks.TryGetValue(check.Id, out var checkPolicy))
                {
                    continue;
                }

                var mode = checkPolicy.ModeOn(today);
                if (mode == EnforcementMode.Off || !check.AppliesTo(target, context))
                {
                    continue;
                }

                var run = check.Run(target, checkPolicy, context);
                var (status, waiver) = Enforce(run, check.Id, mode, target, policy, today, blockSoftFail, coverage);
                results.Add(status);
                PlanNext(next, status, run, checkPolicy, waiver, target, today);
            }

            if (results.Count > 0 || target.IsService)
            {
                statuses.Add(new GateTargetStatus(target.Name, target.Path, tier.Name, target.IsService, Verdict(results.Select(r => r.Outcome)), results));
            }
        }

        var verdict = statuses.Select(s => s.Status).DefaultIfEmpty(GateVerdict.Pass).Max();
        var all = statuses.SelectMany(s => s.Checks).ToList();
        var summary = new GateSummary(
            statuses.Count,
            all.Count,
            all.Count(c => c.Outcome == CheckOutcome.Passed),
            all.Count(c => c.Outcome == CheckOutcome.Skipped),
            all.Count(c => c.Outcome == CheckOutcome.Warned),
            all.Count(c => c.Outcome == CheckOutcome.WouldFail),
            all.Count(c => c.Outcome == CheckOutcome.Failed),
            all.Count(c => c.Outcome == CheckOutcome.Waived));
        var waivers = policy.Waivers.Select(w => new GateWaiverStatus(
            w.Check, w.Scope, w.Owner, w.Expires, w.Reason,
            !w.IsActive(today) ? WaiverState.Expired : coverage[w].Count > 0 ? WaiverState.Applied : WaiverState.Unused,
            coverage[w])).ToList();

        return new GateStatus(
            GateStatus.CurrentSchemaVersion,
            policy.Gate,
            verdict,
            verdict == GateVerdict.Fail ? 1 : 0,
            new GateRepo(git.Root, baseSnapshot?.Revision, baseSnapshot?.Commit, head),
            now,
            new GatePolicyInfo(policy.Source, blockSoftFail),
            summary,
            statuses,
            next.OrderBy(n => n.From).ThenBy(n => n.Target, StringComparer.Ordinal).ToList(),
            waivers,
            clock.ElapsedMilliseconds);
    }

    /// <summary>
    /// The base side is the merge base of the revision and HEAD (what <c>git diff &lt;base&gt;...HEAD</c> compares with):
    /// commits that reached the base branch after this branch was cut are not changes of this branch. On a GitHub pull
    /// request checkout HEAD is the merge commit, whose merge base with the base branch is the base branch's tip.
    /// </summary>
    private static async Task<BaseSnapshot?> ReadBaseAsync(GitRepository git, string revision, string? head, GatePolicy policy, CancellationToken cancellationToken)
    {
        var tip = await git.ResolveCommitAsync(revision, cancellationToken).ConfigureAwait(false);
        var commit = head is null ? tip : await git.MergeBaseAsync(tip, head, cancellationToken).ConfigureAwait(false) ?? tip;
        var tree = await git.TreeAsync(commit, cancellationToken).ConfigureAwait(false);
        var wanted = tree.Where(e => (policy.IsSchema(e.Key) && SchemaCompatibility.FormatOf(e.Key) is not null) || policy.IsContract(e.Key)).ToList();
        var blobs = await git.ReadBlobsAsync(wanted.Select(e => e.Value).Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        var texts = wanted.Where(e => blobs.ContainsKey(e.Value)).ToDictionary(e => e.Key, e => blobs[e.Value], StringComparer.Ordinal);
        return new BaseSnapshot(revision, commit, tree, texts);
    }

    /// <summary>Applies the mode and the active waivers to one check's run.</summary>
    private static (GateCheckStatus Status, Waiver? Waiver) Enforce(CheckRun run, string check, EnforcementMode mode, GateTarget target, GatePolicy policy, DateOnly today, bool blockSoftFail, Dictionary<Waiver, List<string>> coverage)
    {
        if (run.Result != CheckResult.Fail)
        {
            return (new GateCheckStatus(check, run.Result, mode, run.Result == CheckResult.Pass ? CheckOutcome.Passed : CheckOutcome.Skipped, run.Message, null, run.Findings, null), null);
        }

        var active = policy.Waivers.Where(w => w.AppliesTo(check) && w.IsActive(today)).ToList();
        var targetWaiver = active.FirstOrDefault(w => w.CoversTarget(target.Name, target.Path));
        Waiver? used = null;
        var findings = new List<GateFinding>(run.Findings.Count);
        foreach (var f in run.Findings)
        {
            // File checks can be waived per file (e.g. one legacy schema); any check can be waived per target.
            var waiver = targetWaiver ?? (GateChecks.IsFileCheck(check) && f.File is { } file ? active.FirstOrDefault(w => w.CoversFile(file)) : null);
            if (waiver is not null)
            {
                used ??= waiver;
                var what = f.File ?? $"{target.Name}/{check}";
                if (!coverage[waiver].Contains(what))
                {
                    coverage[waiver].Add(what);
                }
            }

            findings.Add(f with { Waived = waiver is not null });
        }

        if (findings.Count > 0 && findings.All(f => f.Waived))
        {
            return (new GateCheckStatus(check, run.Result, mode, CheckOutcome.Waived, run.Message, run.Fix, findings, $"{used!.Owner} until {used.Expires:yyyy-MM-dd}" + (used.Reason is null ? string.Empty : ": " + used.Reason)), used);
        }

        var outcome = mode switch
        {
            EnforcementMode.Warn => CheckOutcome.Warned,
            EnforcementMode.SoftFail => blockSoftFail ? CheckOutcome.Failed : CheckOutcome.WouldFail,
            _ => CheckOutcome.Failed,
        };
        var waived = findings.Count(f => f.Waived);
        var message = waived > 0 ? $"{run.Message} ({waived} of {findings.Count} finding(s) waived)" : run.Message;
        return (new GateCheckStatus(check, run.Result, mode, outcome, message, run.Fix, findings, null), used);
    }

    /// <summary>What the next gate needs: failing checks whose mode tightens on a coming date, and waivers that expire.</summary>
    private static void PlanNext(List<GateNextStep> next, GateCheckStatus status, CheckRun run, CheckPolicy checkPolicy, Waiver? waiver, GateTarget target, DateOnly today)
    {
        if (status.Result != CheckResult.Fail)
        {
            return;
        }

        var needs = run.Fix ?? run.Message;
        if (status.Outcome is CheckOutcome.Warned or CheckOutcome.WouldFail && checkPolicy.NextChange(today) is { } change && change.Mode > status.Mode)
        {
            next.Add(new GateNextStep(target.Name, status.Check, "rollout", change.From, change.Mode, needs));
        }

        if (status.Outcome == CheckOutcome.Waived && waiver is not null)
        {
            var then = checkPolicy.ModeOn(waiver.Expires);
            if (then != EnforcementMode.Off)
            {
                next.Add(new GateNextStep(target.Name, status.Check, "waiver_expiry", waiver.Expires, then, $"waiver by {waiver.Owner} expires; {needs}"));
            }
        }
    }

    private static GateVerdict Verdict(IEnumerable<CheckOutcome> outcomes)
    {
        var verdict = GateVerdict.Pass;
        foreach (var o in outcomes)
        {
            var v = o switch
            {
                CheckOutcome.Failed => GateVerdict.Fail,
                CheckOutcome.Warned or CheckOutcome.WouldFail or CheckOutcome.Waived => GateVerdict.Warn,
                _ => GateVerdict.Pass,
            };
            verdict = v > verdict ? v : verdict;
        }

        return verdict;
    }
}
