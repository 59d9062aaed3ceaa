namespace Autopilot.Pipeline;

/// <summary>What a stage does after user code in it threw.</summary>
public enum Directive
{
    /// <summary>Fail the whole stream with the exception (the default).</summary>
    Stop,

    /// <summary>Drop the element that failed and go on with the stage's state as it is.</summary>
    Resume,

    /// <summary>Drop the element that failed, reset the stage's state (seed, processor) and go on.</summary>
    Restart,
}

/// <summary>Chooses a <see cref="Directive"/> for an exception thrown by user code in a stage.</summary>
public delegate Directive Decider(Exception exception);

/// <summary>The usual deciders.</summary>
public static class Deciders
{
    public static readonly Decider Stopping = static _ => Directive.Stop;
    public static readonly Decider Resuming = static _ => Directive.Resume;
    public static readonly Decider Restarting = static _ => Directive.Restart;
}
