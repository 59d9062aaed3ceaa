using System.CommandLine;
using Autopilot.Host.Hosting;

namespace Autopilot.Host.Commands;

/// <summary><c>autopilot serve</c>: runs ingest, engines, RCA and the API in one process.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions();
        var grpcPort = new Option<int>("--grpc-port") { Description = "gRPC (h2c) port for OTLP/gRPC and the RCA service.", DefaultValueFactory = _ => defaults.GrpcPort };
        var httpPort = new Option<int>("--http-port") { Description = "HTTP port for OTLP/HTTP, OpenLineage, remote write, the API and the dashboard.", DefaultValueFactory = _ => defaults.HttpPort };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for the write-ahead log and state.", DefaultValueFactory = _ => defaults.DataDirectory };

        var command = new Command("serve", "Run the Autopilot server on embedded defaults.") { grpcPort, httpPort, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServerOptions
            {
                GrpcPort = parse.GetValue(grpcPort),
                HttpPort = parse.GetValue(httpPort),
                DataDirectory = parse.GetValue(dataDir)!,
            };

            WebApplication app;
            try
            {
                app = AutopilotServer.Build(options);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"autopilot serve: {e.Message}").ConfigureAwait(false);
                return 2;
            }

            await using (app.ConfigureAwait(false))
            {
                await app.RunAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
