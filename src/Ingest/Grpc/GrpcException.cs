namespace Autopilot.Ingest.Grpc;

/// <summary>Ends a call with a gRPC status (and, over HTTP, the matching status code).</summary>
public sealed class GrpcException : Exception
{
    public GrpcException()
        : this(GrpcStatusCode.Unknown, "unknown error")
    {
    }

    public GrpcException(string message)
        : this(GrpcStatusCode.Unknown, message)
    {
    }

    public GrpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new RpcStatus(GrpcStatusCode.Unknown, message);
    }

    public GrpcException(GrpcStatusCode code, string message, TimeSpan? retryDelay = null)
        : base(message)
    {
        Status = new RpcStatus(code, message, retryDelay);
    }

    public RpcStatus Status { get; }
}
