using System.Text.Json;
using Autopilot.Agents.Validate;
using NJsonSchema;

namespace Autopilot.Agents.Gate;

/// <summary>
/// Reads a Telemetry Validator report for the gate: it must be JSON valid against
/// <c>schemas/validation-report.schema.json</c> (embedded in this assembly, validated with NJsonSchema); anything
/// else is a usage error naming the file and the first problems.
/// </summary>
internal static class ValidationReportLoader
{
    private static readonly Lazy<Task<JsonSchema>> Schema = new(LoadSchemaAsync);

    public static async Task<ValidationReport> LoadAsync(string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new GateUsageException($"--validation-report '{file}' does not exist");
        }

        var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new GateUsageException($"--validation-report '{file}' is not JSON (line {(e.LineNumber ?? 0) + 1}): {e.Message.Split(" LineNumber", 2)[0]}", e);
        }

        var errors = (await Schema.Value.ConfigureAwait(false)).Validate(text);
        if (errors.Count > 0)
        {
            var first = errors.Take(3).Select(e => $"{(string.IsNullOrEmpty(e.Path) ? "#" : e.Path)}: {e.Kind}" + (e.Property is null ? string.Empty : $" ({e.Property})"));
            throw new GateUsageException($"--validation-report '{file}' does not match schemas/validation-report.schema.json: {string.Join("; ", first)}" + (errors.Count > 3 ? $" (and {errors.Count - 3} more)" : string.Empty));
        }

        try
        {
            return ValidationReportJson.Deserialize(text);
        }
        catch (JsonException e)
        {
            throw new GateUsageException($"--validation-report '{file}' cannot be read: {e.Message}", e);
        }
    }

    private static async Task<JsonSchema> LoadSchemaAsync()
    {
        await using var stream = typeof(ValidationReportLoader).Assembly.GetManifestResourceStream("Autopilot.Agents.validation-report.schema.json")
            ?? throw new InvalidOperationException("the validation report schema is not embedded in Autopilot.Agents");
        using var reader = new StreamReader(stream);
        return await JsonSchema.FromJsonAsync(await reader.ReadToEndAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }
}
