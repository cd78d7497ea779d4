using Microsoft.Extensions.Hosting;
using SolidarityTracker.Web;

namespace SolidarityTracker.Cli;

/// <summary>`serve`: the web dashboard and JSON API alone, on Web:Urls, until Ctrl+C or SIGTERM.</summary>
public static class ServeCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("serve", "Serve the web dashboard and JSON API on Web:Urls (default http://127.0.0.1:5080) until stopped.");
        command.SetAction((parse, ct) => RunAsync(app, ct));
        return command;
    }

    public static async Task<int> RunAsync(CliApp app, CancellationToken cancellationToken)
    {
        app.Worker = true;
        var settings = app.Settings;
        await using var web = WebServer.Map(WebServer.CreateBuilder(app).Build());
        web.Services.GetRequiredService<PageRenderer>().Check();
        await web.Services.GetRequiredService<AccountStore>().SyncAsync(settings.Tracker.Agencies, cancellationToken);
        await web.StartAsync(cancellationToken);
        foreach (var address in WebServer.Addresses(web)) await app.Out.WriteLineAsync($"dashboard on {address}");
        await app.Out.FlushAsync(cancellationToken);
        await web.WaitForShutdownAsync(cancellationToken);
        return TrackerCli.Success;
    }
}
