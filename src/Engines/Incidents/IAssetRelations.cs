namespace Autopilot.Engines.Incidents;

/// <summary>
/// Whether two assets are close in the asset graph (within a few hops). The RCA graph builder provides
/// this; without it, incidents group on shared URNs and shared trace ids only.
/// </summary>
public interface IAssetRelations
{
    bool AreRelated(string urnA, string urnB);
}
