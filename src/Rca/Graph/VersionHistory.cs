namespace Autopilot.Rca.Graph;

/// <summary>
/// The versions of one node or edge, oldest first. Version numbers are contiguous from <see cref="FirstSeq"/>:
/// retention only ever removes a prefix (versions are ordered in time and only the last one can be open).
/// </summary>
internal sealed class VersionHistory<T>
    where T : class
{
    public VersionHistory(int firstSeq) => FirstSeq = firstSeq;

    public int FirstSeq { get; private set; }

    public List<T> Versions { get; } = [];

    public int NextSeq => FirstSeq + Versions.Count;

    public T Last => Versions[^1];

    /// <summary>Replaces or appends version <paramref name="seq"/>; returns true when it was appended. A version already pruned is ignored.</summary>
    public bool Set(int seq, T version, out T? previous)
    {
        previous = null;
        var index = seq - FirstSeq;
        if (index < 0)
        {
            return false;
        }

        if (index < Versions.Count)
        {
            previous = Versions[index];
            Versions[index] = version;
            return false;
        }

        // Versions arrive in order. A gap (the builder never makes one) is closed up rather than left as holes:
        // the new version keeps its number, older ones (never written again) shift.
        if (index > Versions.Count)
        {
            FirstSeq = seq - Versions.Count;
        }

        Versions.Add(version);
        return true;
    }

    /// <summary>Drops the first <paramref name="count"/> versions.</summary>
    public void RemovePrefix(int count)
    {
        Versions.RemoveRange(0, count);
        FirstSeq += count;
    }
}
