using Autopilot.Rca.Context;
using Autopilot.Rca.Ranking;

namespace Autopilot.Rca.Explain;

/// <summary>What an explainer turns into an answer: the context, the ranking and the blast radius of the top cause.</summary>
internal sealed record Analysis(RcaContext Context, RankingResult Ranking, IReadOnlyList<string> BlastRadius);
