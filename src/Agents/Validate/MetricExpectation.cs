namespace Autopilot.Agents.Validate;

/// <summary>At least <see cref="MinPoints"/> data points of metric <see cref="Name"/> from <see cref="Service"/>, some carrying every key of <see cref="Attributes"/>.</summary>
internal sealed record MetricExpectation(string Name, string? Service, IReadOnlyList<string> Attributes, int MinPoints);
