namespace Autopilot.Agents.Scout;

/// <summary>One deployable service and its archetype.</summary>
/// <param name="Name">The service name: the one configured as <c>service.name</c>/<c>spring.application.name</c> when found, else the build file's project name, else the folder name.</param>
/// <param name="Path">The service root (folder of its build file), repository-relative.</param>
/// <param name="Language">Main language.</param>
/// <param name="BuildSystem">Build system, from the build file.</param>
/// <param name="BuildFile">The build file (pom.xml, build.gradle(.kts), go.mod, pyproject.toml, requirements.txt, package.json, *.csproj), repository-relative.</param>
/// <param name="Framework">Web framework, or null when none was recognised.</param>
/// <param name="EntryFile">Where the process starts (Spring Boot application class, <c>main.go</c>, FastAPI app module, Express server file, <c>Program.cs</c>); null when not found.</param>
/// <param name="Messaging">Messaging clients used, lowercase ids: <c>kafka</c>, <c>rabbitmq</c>, <c>sqs</c>, <c>nats</c>, <c>pubsub</c>.</param>
/// <param name="DataAccess">Data access libraries, lowercase ids such as <c>jdbc</c>, <c>jpa</c>, <c>ef_core</c>, <c>ado_net</c>, <c>npgsql</c>, <c>database_sql</c>, <c>gorm</c>, <c>pgx</c>, <c>psycopg</c>, <c>sqlalchemy</c>, <c>django_orm</c>, <c>pg</c>, <c>mysql</c>, <c>prisma</c>, <c>typeorm</c>, <c>sequelize</c>, <c>mongodb</c>, <c>redis</c>.</param>
/// <param name="Observability">What telemetry the service already has.</param>
/// <param name="Inputs">Topics and tables the service reads.</param>
/// <param name="Outputs">Topics and tables the service writes.</param>
/// <param name="Evidence">Why the archetype was decided: the build file, dependencies and markers found.</param>
public sealed record ServiceArchetype(
    string Name,
    string Path,
    Language Language,
    BuildSystem BuildSystem,
    string BuildFile,
    Framework? Framework,
    string? EntryFile,
    IReadOnlyList<string> Messaging,
    IReadOnlyList<string> DataAccess,
    ObservabilityState Observability,
    IReadOnlyList<DatasetRef> Inputs,
    IReadOnlyList<DatasetRef> Outputs,
    IReadOnlyList<Evidence> Evidence);
