namespace Autopilot.Engines.Hosting;

/// <summary>The engines of a shard that read one kind of signal, in the shard's order, with their metric tags.</summary>
internal sealed record Route(Engine[] Engines, KeyValuePair<string, object?>[] Tags);
