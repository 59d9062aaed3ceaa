namespace Autopilot.Agents.Scout;

/// <summary>One piece of evidence: where Scout looked, for what, and what it found there.</summary>
/// <param name="File">Repository-relative file (or folder, for "nothing here" evidence).</param>
/// <param name="Line">1-based line; null when the evidence concerns the whole file or folder.</param>
/// <param name="LookedFor">What was searched for, in words a developer recognises (e.g. <c>dependency io.opentelemetry:*</c>).</param>
/// <param name="Found">What was there (the matching line, trimmed); null when nothing was found.</param>
public sealed record Evidence(string File, int? Line, string LookedFor, string? Found);
