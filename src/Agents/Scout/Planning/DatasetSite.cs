namespace Autopilot.Agents.Scout.Planning;

/// <summary>A dataset a service reads or writes, with how sure Scout is of its name and the line that shows it.</summary>
internal sealed record DatasetSite(DatasetRef Ref, double Confidence, string LookedFor, string Found)
{
    public Evidence ToEvidence() => new(Ref.File, Ref.Line, LookedFor, Found);
}
