namespace Autopilot.Agents.Scout.Rules;

/// <summary>What a matching line is evidence of.</summary>
internal enum PatternKind : byte
{
    /// <summary>Value: the framework.</summary>
    Framework,

    /// <summary>Where the process starts. Value: <c>app</c> (framework application object) or <c>main</c> (a main function).</summary>
    Entry,

    /// <summary>An outgoing HTTP call.</summary>
    HttpClient,

    /// <summary>Writes to a topic or queue. Value: the messaging system.</summary>
    Produce,

    /// <summary>Reads from a topic or queue. Value: the messaging system.</summary>
    Consume,

    /// <summary>A SQL statement in a string: INSERT/UPDATE/DELETE/MERGE/COPY write, SELECT reads.</summary>
    SqlStatement,

    /// <summary>An ORM table mapping (JPA @Table, SQLAlchemy __tablename__, EF DbSet, …). Value: which form.</summary>
    TableEntity,

    /// <summary>A data access library used from code with no dependency line (Go's database/sql). Value: its id.</summary>
    DataAccess,

    /// <summary>A database driver named in code (Go's sql.Open("postgres", …)).</summary>
    DbDriver,

    /// <summary>A connection URL or string: jdbc:postgresql://host/db, postgresql+psycopg2://…, Database=…</summary>
    DbUrl,

    /// <summary>The OpenTelemetry SDK is set up in code.</summary>
    OtelInit,

    /// <summary>Context propagation set up in code. Value: what it covers (<see cref="Clients"/>).</summary>
    Propagation,

    /// <summary>An agent or auto-instrumentation: SDK, set-up and propagation for everything it instruments.</summary>
    Agent,

    /// <summary>Python's <c>opentelemetry-instrument</c> launcher: sets the SDK up and loads the installed instrumentations.</summary>
    Launcher,

    /// <summary>Python's <c>opentelemetry-bootstrap</c>: installs the instrumentation for every library present.</summary>
    Bootstrap,

    /// <summary><c>service.name</c> configured (OTEL_SERVICE_NAME, resource attributes, code).</summary>
    ServiceName,

    /// <summary>A health or readiness endpoint.</summary>
    Health,

    /// <summary>A string constant whose name mentions a topic; used to resolve topic names across files.</summary>
    TopicConstant,

    /// <summary>An OTLP endpoint configured.</summary>
    OtlpEndpoint,

    /// <summary>An OpenLineage client used in code.</summary>
    OpenLineage,

    /// <summary>Spring Kafka observation enabled (<c>observation-enabled: true</c>): Micrometer traces and propagates Kafka records.</summary>
    KafkaObservation,
}
