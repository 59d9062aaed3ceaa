namespace Autopilot.Ingest.OpenLineage;

/// <summary>
/// The payload is not an OpenLineage event we accept. A permanent error: receivers answer 400.
/// The message starts with the JSON path of the problem (<c>$.run.runId</c>), then says what is wrong.
/// </summary>
public sealed class LineageFormatException : FormatException
{
    public LineageFormatException()
        : this("$", "invalid OpenLineage event")
    {
    }

    public LineageFormatException(string message)
        : this("$", message)
    {
    }

    public LineageFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        JsonPath = "$";
        Problem = message;
    }

    public LineageFormatException(string jsonPath, string problem, Exception? innerException = null)
        : base($"{jsonPath}: {problem}", innerException)
    {
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>Where the problem is, e.g. <c>$.outputs[0].outputFacets.outputStatistics.rowCount</c>.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong there.</summary>
    public string Problem { get; }
}
