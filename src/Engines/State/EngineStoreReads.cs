using Autopilot.Engines.Findings;

namespace Autopilot.Engines.State;

/// <summary>Reads over <see cref="IEngineStore"/> that its implementations need not write twice.</summary>
public static class EngineStoreReads
{
    /// <summary>How many ids one <see cref="IEngineStore.GetFindings"/> call is given.</summary>
    public const int Chunk = 1_000;

    /// <summary>
    /// The stored findings with these ids, in no particular order, read <see cref="Chunk"/> ids at a time: a long
    /// incident's findings (tens of thousands) pass through the caller instead of all being in memory at once.
    /// </summary>
    public static IEnumerable<Finding> ReadFindings(this IEngineStore store, IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(ids);
        return Read(store, ids);

        static IEnumerable<Finding> Read(IEngineStore store, IReadOnlyList<string> ids)
        {
            var chunk = new List<string>(Math.Min(Chunk, ids.Count));
            for (var start = 0; start < ids.Count; start += Chunk)
            {
                chunk.Clear();
                for (var i = start; i < Math.Min(ids.Count, start + Chunk); i++)
                {
                    chunk.Add(ids[i]);
                }

                foreach (var finding in store.GetFindings(chunk))
                {
                    yield return finding;
                }
            }
        }
    }
}
