namespace Autopilot.Engines.Logs;

/// <summary>
/// Settings of a <see cref="LogTemplateMiner"/>. The defaults are one configuration meant for any log source;
/// nothing here is tuned per system.
/// </summary>
public sealed class LogTemplateMinerOptions
{
    /// <summary>Templates kept per miner; when full, the least recently matched template is evicted.</summary>
    public int MaxTemplates { get; set; } = 10_000;

    /// <summary>Tokens kept per line; the rest of a longer line becomes one trailing variable.</summary>
    public int MaxTokensPerLine { get; set; } = 128;

    /// <summary>Characters kept per line; longer lines are cut before tokenization.</summary>
    public int MaxLineLength { get; set; } = 16_384;

    /// <summary>
    /// Leading tokens, after the token count, that route a line through the prefix tree (Drain's depth minus two).
    /// Tokens that look variable are routed to a shared wildcard branch.
    /// </summary>
    public int PrefixDepth { get; set; } = 1;

    /// <summary>Children per prefix-tree node before further distinct tokens share the wildcard branch.</summary>
    public int MaxChildrenPerNode { get; set; } = 100;

    /// <summary>
    /// Share of a line's tokens that must equal a template's constant tokens for the line to join it;
    /// a line joins only when the share is strictly above this value.
    /// </summary>
    public double SimilarityThreshold { get; set; } = 0.5;

    /// <summary>
    /// Distinct words seen at one position, in templates that agree everywhere else, before that position is
    /// taken for a variable and the templates merge. Fewer distinct words stay separate templates.
    /// </summary>
    public int MinDistinctWordsForVariable { get; set; } = 3;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTemplates, 1, nameof(MaxTemplates));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTokensPerLine, 2, nameof(MaxTokensPerLine));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineLength, 16, nameof(MaxLineLength));
        ArgumentOutOfRangeException.ThrowIfNegative(PrefixDepth, nameof(PrefixDepth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PrefixDepth, 8, nameof(PrefixDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChildrenPerNode, 1, nameof(MaxChildrenPerNode));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinDistinctWordsForVariable, 2, nameof(MinDistinctWordsForVariable));
        if (!(SimilarityThreshold >= 0 && SimilarityThreshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SimilarityThreshold), SimilarityThreshold, "SimilarityThreshold must be in [0, 1).");
        }
    }
}
