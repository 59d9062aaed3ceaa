namespace Autopilot.Host.Demo;

/// <summary>A recommended action of an RCA answer (<c>rollback</c>, <c>restart</c>, <c>scale_out</c>, <c>ignore</c>, <c>investigate</c>).</summary>
internal sealed record DemoAction(string Action, string Target, string Risk, string Rationale);
