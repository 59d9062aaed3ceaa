namespace Autopilot.Agents.Scout.Rules;

/// <summary>Kinds of call whose trace context must cross the process boundary.</summary>
internal static class Clients
{
    /// <summary>Outgoing HTTP calls (the client injects <c>traceparent</c>).</summary>
    public const string HttpClient = "http_client";

    /// <summary>Incoming HTTP requests (the server extracts <c>traceparent</c>).</summary>
    public const string HttpServer = "http_server";

    /// <summary>Both HTTP directions.</summary>
    public const string Http = "http";

    /// <summary>Every messaging system (explicit inject/extract of message headers).</summary>
    public const string Messaging = "messaging";

    /// <summary>Everything: an agent or auto-instrumentation.</summary>
    public const string All = "all";

    /// <summary>Whether a propagation facet with <paramref name="covers"/> takes care of <paramref name="client"/> (http_client, http_server, or a messaging system id).</summary>
    public static bool Covers(string covers, string client) => covers == client || covers == All
        || (covers == Http && client is HttpClient or HttpServer)
        || (covers == Messaging && client is not (HttpClient or HttpServer));

    /// <summary>The <c>clients</c> template variable: <c>http</c> for either HTTP direction, messaging systems by id.</summary>
    public static string TemplateName(string client) => client is HttpClient or HttpServer ? "http" : client;
}
