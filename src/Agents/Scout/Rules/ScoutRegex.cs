using System.Text.RegularExpressions;

namespace Autopilot.Agents.Scout.Rules;

/// <summary>
/// Every regular expression Scout uses, source-generated so a scan pays no start-up compilation. They run
/// only on lines a literal trigger has already picked out, never over whole files.
/// </summary>
internal static partial class ScoutRegex
{
    // Gradle
    [GeneratedRegex("""^\s*(?<conf>[A-Za-z]+)\s*\(?\s*["'](?<g>[^"':\s]+):(?<a>[^"':\s]+)(?::[^"']*)?["']""")]
    public static partial Regex GradleDependency();

    [GeneratedRegex("""^\s*(?<conf>[A-Za-z]+)\s*\(?\s*group\s*[:=]\s*["'](?<g>[^"']+)["']\s*,\s*name\s*[:=]\s*["'](?<a>[^"']+)["']""")]
    public static partial Regex GradleMapDependency();

    [GeneratedRegex("""(?:\bid\s*\(?\s*|apply\s+plugin\s*:\s*)["'](?<p>[\w.\-]+)["']""")]
    public static partial Regex GradlePlugin();

    [GeneratedRegex("""^\s*`?application`?\s*$""")]
    public static partial Regex GradleBareApplicationPlugin();

    [GeneratedRegex("""rootProject\.name\s*=\s*["'](?<n>[^"']+)["']""")]
    public static partial Regex GradleRootProjectName();

    [GeneratedRegex("""^\s*include(?:Build)?\b""")]
    public static partial Regex GradleInclude();

    // go.mod
    [GeneratedRegex("""^\s*module\s+(?<m>\S+)""")]
    public static partial Regex GoModule();

    [GeneratedRegex("""^\s*(?:require\s+)?(?<p>[A-Za-z0-9][^\s()]*)\s+(?<v>v[0-9]\S*)(?<ind>\s*//\s*indirect)?""")]
    public static partial Regex GoRequire();

    // Python
    [GeneratedRegex("""^\s*(?<n>[A-Za-z0-9][A-Za-z0-9._\-]*)\s*(?:\[[^\]]*\])?""")]
    public static partial Regex PythonRequirement();

    [GeneratedRegex("""^\s*\[\s*(?<h>[^\]]+?)\s*\]\s*(?:#.*)?$""")]
    public static partial Regex TomlHeader();

    [GeneratedRegex("""^\s*(?<k>"[^"]+"|'[^']+'|[A-Za-z0-9_.\-]+)\s*=\s*(?<v>.*)$""")]
    public static partial Regex TomlKeyValue();

    [GeneratedRegex("""["'](?<s>[^"'\r\n]*)["']""")]
    public static partial Regex QuotedString();

    [GeneratedRegex("""\bname\s*=\s*["'](?<n>[^"']+)["']""")]
    public static partial Regex SetupPyName();
    // SQL in strings
    [GeneratedRegex("""\b(?:insert\s+(?:ignore\s+)?into|delete\s+from|merge\s+into|replace\s+into)\s+(?<t>[`"\[]?[A-Za-z_][\w$]*[`"\]]?(?:\.[`"\[]?[A-Za-z_][\w$]*[`"\]]?)?)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex SqlWrite();

    [GeneratedRegex("""\bupdate\s+(?<t>[`"\[]?[A-Za-z_][\w$]*[`"\]]?(?:\.[`"\[]?[A-Za-z_][\w$]*[`"\]]?)?)\s+set\b""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex SqlUpdate();

    [GeneratedRegex("""\bcopy\s+(?<t>[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?)\s*(?:\(|from\b)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex SqlCopy();

    [GeneratedRegex("""\bselect\b""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex SqlSelect();

    [GeneratedRegex("""\b(?:from|join)\s+(?<t>[`"\[]?[A-Za-z_][\w$]*[`"\]]?(?:\.[`"\[]?[A-Za-z_][\w$]*[`"\]]?)?)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex SqlFrom();

    // ORM mappings
    [GeneratedRegex("""\bname\s*=\s*"(?<t>[^"]+)"(?:.*\bschema\s*=\s*"(?<s>[^"]+)")?""")]
    public static partial Regex JpaTable();

    [GeneratedRegex(@"\bschema\s*=\s*""(?<s>[^""]+)"".*\bname\s*=\s*""(?<t>[^""]+)""")]
    public static partial Regex JpaTableSchemaFirst();

    [GeneratedRegex("""__tablename__\s*=\s*["'](?<t>[^"']+)["']""")]
    public static partial Regex SqlAlchemyTable();

    [GeneratedRegex("""DbSet<[\w.?]+>\s+(?<t>\w+)""")]
    public static partial Regex DbSetTable();

    [GeneratedRegex(@"return\s+""(?<t>[^""]+)""")]
    public static partial Regex GormTable();

    [GeneratedRegex("""tableName\s*:\s*["'](?<t>[^"']+)["']""")]
    public static partial Regex SequelizeTable();

    // Routes, constants, names
    [GeneratedRegex("""["'`]/?(?:[\w\-]+/)*(?:health|healthz|healthcheck|ready|readyz|readiness|live|livez|liveness)/?["'`]""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex HealthRoute();

    [GeneratedRegex("""(?<n>\b\w*(?i:topic|queue)\w*)\s*(?::\s*[\w\[\]]+\s*|\s+[\w\[\]]+\s*)?(?::=|=)(?!=)\s*(?<rhs>.+)$""")]
    public static partial Regex StringConstant();

    [GeneratedRegex("""\btopics?\s*[:=]\s*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex TopicKey();

    [GeneratedRegex("""\bqueues?\s*[:=]\s*""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex QueueKey();

    [GeneratedRegex("""(?:OTEL_SERVICE_NAME|service\.name|otel\.service\.name|spring\.application\.name)["']?\s*[=:]\s*["']?(?<v>[^"'\s,;}]+)""")]
    public static partial Regex ServiceNameValue();

    [GeneratedRegex("""^\s*(?:-\s*)?value\s*:\s*["']?(?<v>[^"'\s]+)""")]
    public static partial Regex KubernetesEnvValue();

    [GeneratedRegex("""(?<sys>postgres(?:ql)?|mysql|mariadb|sqlserver|oracle)(?:\+\w+)?:(?://)?(?:[^/\s"'?;@]*@)?[^/\s"'?;]*/(?<db>[A-Za-z_][\w\-]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex DbUrl();

    [GeneratedRegex("""\bDatabase\s*=\s*(?<db>[A-Za-z_][\w\-]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex ConnectionStringDatabase();

    [GeneratedRegex(@"sql\.Open\(\s*""(?<d>\w+)""")]
    public static partial Regex GoSqlDriver();

    [GeneratedRegex("""opentelemetry-instrument(?![\w\-])""")]
    public static partial Regex PythonLauncher();

    [GeneratedRegex("""observation-enabled["']?\s*[:=]\s*["']?true""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    public static partial Regex ObservationEnabled();

    [GeneratedRegex("""^\s*\w+\s*=(?!=)""")]
    public static partial Regex KeywordArgument();
}
