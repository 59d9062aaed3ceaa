namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>A schema file that cannot be read: names the file, the line and what is wrong.</summary>
public sealed class SchemaParseException : Exception
{
    public SchemaParseException(string file, int line, string problem)
        : base($"{file}:{line}: {problem}")
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public SchemaParseException()
    {
        File = string.Empty;
        Problem = string.Empty;
    }

    public SchemaParseException(string message)
        : base(message)
    {
        File = string.Empty;
        Problem = message;
    }

    public SchemaParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = string.Empty;
        Problem = message;
    }

    public string File { get; }

    public int Line { get; }

    public string Problem { get; }
}
