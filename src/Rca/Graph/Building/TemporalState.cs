namespace Autopilot.Rca.Graph.Building;

/// <summary>
/// The current version of a node or edge while the builder updates it: version number, validity and last
/// sighting, plus the flags that put it on the builder's publish and flush lists once per batch.
/// </summary>
/// <remarks>
/// Idle closing is decided from the last sighting alone, so the history does not depend on when the sweep
/// happens to run: a version the sweep closed at last-seen + 1 is reopened by a sighting within the idle
/// timeout of its last one (exactly what would have happened had the sweep not run yet), and a sighting
/// after a longer gap starts a new version whether or not the sweep has closed the old one.
/// </remarks>
internal abstract class TemporalState
{
    /// <summary>Valid-to of a version that is still open.</summary>
    public const long OpenEnd = long.MaxValue;

    public int Seq;
    public long ValidFrom;
    public long LastSeen;
    public long ValidTo = OpenEnd;

    /// <summary>Valid-to of the previous version: valid-from never moves before it.</summary>
    public long Floor = long.MinValue;

    public bool PublishPending;
    public bool FlushPending;

    public bool IsOpen => ValidTo == OpenEnd;

    public long? ValidToOrNull => ValidTo == OpenEnd ? null : ValidTo;

    /// <summary>Records a sighting at <paramref name="time"/>; the caller starts a new version when it returns <see cref="Sighting.Gap"/>.</summary>
    public Sighting Observe(long time, long idle)
    {
        if (time > LastSeen)
        {
            if (time - LastSeen > idle)
            {
                return Sighting.Gap;
            }

            LastSeen = time;
            if (!IsOpen)
            {
                ValidTo = OpenEnd;
                return Sighting.Changed;
            }

            return Sighting.Same;
        }

        if (time < ValidFrom && ValidFrom > Floor)
        {
            // Late data: the version started earlier than first thought (never before the previous one ended).
            ValidFrom = Math.Max(time, Floor);
            return Sighting.Changed;
        }

        return Sighting.Same;
    }

    /// <summary>Ends this version at <paramref name="validTo"/> and makes the state the next version, starting at <paramref name="time"/>.</summary>
    public void StartNextVersion(long validTo, long time)
    {
        Seq++;
        Floor = validTo;
        ValidFrom = Math.Max(time, validTo);
        LastSeen = Math.Max(LastSeen, time);
        ValidTo = OpenEnd;
    }

    /// <summary>Closes the version when the watermark is past its last sighting by more than the idle timeout; true when it did.</summary>
    public bool CloseIfIdle(long watermark, long idle)
    {
        if (!IsOpen || watermark - LastSeen <= idle)
        {
            return false;
        }

        ValidTo = LastSeen + 1;
        return true;
    }
}
