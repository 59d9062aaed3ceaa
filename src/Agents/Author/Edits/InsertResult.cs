namespace Autopilot.Agents.Author.Edits;

/// <summary>What <see cref="InsertEdit"/> did, and the new text when it inserted.</summary>
internal sealed record InsertResult(InsertStatus Status, string? Text)
{
    public static InsertResult Unchanged { get; } = new(InsertStatus.Unchanged, null);

    public static InsertResult AnchorMissing { get; } = new(InsertStatus.AnchorMissing, null);
}
