using SolidarityTracker.Bench;

namespace SolidarityTracker.Cli;

/// <summary>`bench poll|classify|digest|store|web|alerts`: each benchmark prints its figures beside the raw limit it is compared with.</summary>
public static class BenchCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("bench", "Run a benchmark and print its figures beside the raw limit.");
        command.Subcommands.Add(PollBenchmark.CreateCommand(app));
        command.Subcommands.Add(Sub("classify", "Classifier throughput on one core and on all cores.", (ct) => ClassifyBenchmark.RunAsync(app, ct)));
        command.Subcommands.Add(Sub("digest", "HTML digest of a day with 20,000 posts beside a bare Scriban render.", (ct) => DigestBenchmark.RunAsync(app, ct)));
        command.Subcommands.Add(StoreBenchmark.CreateCommand(app)); // has its own --posts N
        command.Subcommands.Add(WebBenchmark.CreateCommand(app)); // --posts N, --seconds S
        command.Subcommands.Add(AlertBenchmark.CreateCommand(app)); // --accounts N, --wave N, --tick MINUTES
        return command;
    }

    private static Command Sub(string name, string description, Func<CancellationToken, Task<int>> run)
    {
        var command = new Command(name, description);
        command.SetAction((parse, ct) => run(ct));
        return command;
    }
}
