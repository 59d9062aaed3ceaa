namespace Autopilot.Agents.Tests.Author;

/// <summary>A fact that needs the Go toolchain; reported as skipped (never as passed) when <c>go</c> is not installed.</summary>
public sealed class GoFactAttribute : FactAttribute
{
    public GoFactAttribute()
    {
        if (!ProcessRun.OnPath("go") || !ProcessRun.OnPath("gofmt"))
        {
            Skip = "go/gofmt are not installed (test.sh installs Debian's golang-go): the Go sample's checks did not run.";
        }
    }
}
