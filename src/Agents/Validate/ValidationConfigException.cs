namespace Autopilot.Agents.Validate;

/// <summary>
/// A traffic or expectation file is unusable. The message names the file and the key path
/// (<c>expect.yaml: spans[1].kind: 'serverr' is not one of …</c>); the CLI prints it and exits 2.
/// </summary>
public sealed class ValidationConfigException : Exception
{
    public ValidationConfigException(string message)
        : base(message)
    {
    }

    public ValidationConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ValidationConfigException()
    {
    }
}
