namespace Autopilot.Ingest.Receivers;

/// <summary>
/// Lets requests into the pipeline in log order. The log acknowledges a group commit all at once and the
/// continuations run in any order; if they entered the queue as they came, "everything up to position N
/// is applied" would not follow from "N is applied", and a crash could lose the requests that were
/// overtaken. Positions are dense (every appended record gets the next one), so each waits for its
/// predecessor.
/// </summary>
internal sealed class LsnSequencer
{
    private readonly object _gate = new();
    private readonly SortedDictionary<long, TaskCompletionSource> _waiting = [];
    private long _next;

    public LsnSequencer(long next) => _next = next;

    /// <summary>Runs <paramref name="enter"/> for <paramref name="lsn"/> once every smaller position has entered.</summary>
    public async Task EnterAsync(long lsn, Func<Task> enter)
    {
        Task turn;
        lock (_gate)
        {
            if (lsn < _next)
            {
                throw new InvalidOperationException($"log position {lsn} entered twice (next expected {_next})");
            }

            if (lsn == _next)
            {
                turn = Task.CompletedTask;
            }
            else
            {
                var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add(lsn, tcs);
                turn = tcs.Task;
            }
        }

        await turn;
        try
        {
            await enter();
        }
        finally
        {
            TaskCompletionSource? successor = null;
            lock (_gate)
            {
                _next = lsn + 1;
                if (_waiting.Remove(_next, out var waiting))
                {
                    successor = waiting;
                }
            }

            successor?.TrySetResult();
        }
    }
}
