// The table of contents: configuration (Configuration/), services (TrackerServices), commands (Cli/), jobs (Worker/).
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C asks the current command to stop cleanly; `run` has its own host lifetime for SIGTERM.
    e.Cancel = true;
    cancellation.Cancel();
};
return await TrackerCli.RunAsync(args, cancellationToken: cancellation.Token);
