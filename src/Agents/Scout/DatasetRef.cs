namespace Autopilot.Agents.Scout;

/// <summary>A topic or table a service reads or writes, and where in the code that was seen.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="System">The system: <c>kafka</c>, <c>rabbitmq</c>, <c>postgres</c>, <c>mysql</c>, <c>sql</c> (unknown SQL database), …</param>
/// <param name="Name">Topic name or table name as written in the code (<c>schema.table</c> when qualified).</param>
/// <param name="File">Repository-relative file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="HasContract">A data contract (contracts YAML) covers it.</param>
public sealed record DatasetRef(DatasetKind Kind, string System, string Name, string File, int Line, bool HasContract);
