namespace Autopilot.Pipeline.Stages;

/// <summary>An inlet running user code: owns its metrics and applies its decider when that code throws.</summary>
internal abstract class SupervisedInlet<T> : Inlet<T>
{
    private readonly Decider _decider;

    protected SupervisedInlet(MaterializationContext context, string kind)
    {
        Metrics = context.CreateMetrics(kind);
        _decider = context.CurrentDecider;
    }

    protected StageMetrics Metrics { get; }

    /// <summary>
    /// For an exception filter: true when the failing element is to be skipped (resume / restart), false
    /// to let the exception fail the graph. Filters run before <c>finally</c> blocks unwind, so the catch
    /// body, not the filter, must call <see cref="Recover"/>.
    /// </summary>
    protected bool Supervise(Exception exception, out Directive directive)
    {
        directive = Decide(exception);
        return directive != Directive.Stop;
    }

    /// <summary>Applies a resume / restart directive from the catch body.</summary>
    protected void Recover(Directive directive)
    {
        if (directive == Directive.Restart)
        {
            Restart();
        }
    }

    /// <summary>Asks the decider and counts the element dropped by resume / restart. Safe from several threads if the decider is.</summary>
    internal Directive Decide(Exception exception)
    {
        var directive = _decider(exception);
        if (directive != Directive.Stop)
        {
            Metrics.Dropped(1, directive == Directive.Resume ? "supervision_resume" : "supervision_restart");
        }

        return directive;
    }

    /// <summary>Resets the stage's state after a <see cref="Directive.Restart"/>.</summary>
    protected virtual void Restart()
    {
    }
}
