namespace Autopilot.Agents.Scout;

/// <summary>
/// Template ids Scout plans with: <c>&lt;stack&gt;/&lt;name&gt;</c>, where stack is <c>java</c>, <c>go</c>, <c>python</c>,
/// <c>node</c> (JavaScript and TypeScript), <c>dotnet</c> or <c>common</c>. Every change carries the variables
/// <c>service_name</c>, <c>service_path</c>, <c>language</c>, <c>build_system</c>, <c>build_file</c>, <c>framework</c>
/// (empty when none) and <c>entry_file</c> (empty when unknown); the extra ones are listed per template.
/// </summary>
public static class TemplateIds
{
    /// <summary><c>&lt;stack&gt;/otel-init</c>: SDK dependency in the build file and SDK start-up in the entry file. Extra: <c>otlp_endpoint</c>.</summary>
    public const string OtelInit = "otel-init";

    /// <summary><c>&lt;stack&gt;/otel-propagation</c>: instrumentation libraries / propagators for the clients listed. Extra: <c>clients</c> (e.g. <c>http,kafka</c>), <c>call_sites</c> (<c>file:line</c> list).</summary>
    public const string OtelPropagation = "otel-propagation";

    /// <summary><c>&lt;stack&gt;/health-endpoint</c>: a <c>/healthz</c> endpoint in the framework's style. Extra: none.</summary>
    public const string HealthEndpoint = "health-endpoint";

    /// <summary><c>common/otel-resource-attributes</c>: <c>OTEL_SERVICE_NAME</c> and <c>OTEL_RESOURCE_ATTRIBUTES</c> in the Dockerfile (or <c>otel.env</c>). Extra: <c>resource_attributes</c>.</summary>
    public const string ResourceAttributes = "common/otel-resource-attributes";

    /// <summary><c>common/lineage-spec</c>: <c>&lt;service_path&gt;/openlineage.yaml</c>. Extra: <c>job_namespace</c>, <c>job_name</c>, <c>inputs</c>, <c>outputs</c> (comma-separated <c>&lt;system&gt;:&lt;name&gt;</c>).</summary>
    public const string LineageSpec = "common/lineage-spec";

    /// <summary><c>common/data-contract</c>: <c>contracts/&lt;dataset&gt;.yaml</c> in the contract engine's format. Extra: <c>dataset_kind</c>, <c>dataset_system</c>, <c>dataset_namespace</c>, <c>dataset_name</c>, <c>urn</c>, <c>owner</c>, <c>source_file</c>, <c>source_line</c>.</summary>
    public const string DataContract = "common/data-contract";

    /// <summary><c>common/runbook</c>: <c>&lt;service_path&gt;/RUNBOOK.md</c>. Extra: <c>messaging</c>, <c>data_access</c>, <c>outputs</c>.</summary>
    public const string Runbook = "common/runbook";

    /// <summary>The stack folder for a language: <c>java</c>, <c>go</c>, <c>python</c>, <c>node</c>, <c>dotnet</c>.</summary>
    public static string Stack(Language language) => language switch
    {
        Language.Java => "java",
        Language.Go => "go",
        Language.Python => "python",
        Language.Javascript or Language.Typescript => "node",
        Language.Csharp => "dotnet",
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "no template stack for this language."),
    };

    /// <summary>The full id of a per-language template, e.g. <c>For(Language.Csharp, OtelInit)</c> is <c>dotnet/otel-init</c>.</summary>
    public static string For(Language language, string name) => Stack(language) + "/" + name;
}
