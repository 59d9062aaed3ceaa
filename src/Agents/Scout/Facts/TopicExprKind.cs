namespace Autopilot.Agents.Scout.Facts;

/// <summary>How a topic, queue or table is named in code.</summary>
internal enum TopicExprKind : byte
{
    /// <summary>A string literal: the name itself.</summary>
    Literal,

    /// <summary>A constant or field (<c>TOPIC</c>, <c>Topics.ORDERS</c>, <c>settings.ORDERS_TOPIC</c>): resolved through string constants.</summary>
    Identifier,

    /// <summary>A Spring property placeholder <c>${app.topic}</c> or <c>${app.topic:default}</c>: resolved through application.yml/properties.</summary>
    Placeholder,

    /// <summary>Built at run time (string interpolation, a getter call, an environment variable without default): unknown.</summary>
    Dynamic,
}
