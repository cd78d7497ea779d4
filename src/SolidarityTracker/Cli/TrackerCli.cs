namespace SolidarityTracker.Cli;

/// <summary>
/// The command line: `--config FILE` and `--Section:Key=value` are configuration, taken out before the
/// commands parse the rest. Exit codes: 0 success, 1 runtime failure, 2 bad input.
/// </summary>
public static class TrackerCli
{
    public const int Success = 0;
    public const int RuntimeFailure = 1;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, string? baseDirectory = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        string? configFile;
        List<string> switches, rest;
        try
        {
            (configFile, switches, rest) = SplitArguments(args);
        }
        catch (BadInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return BadInput;
        }

        using var app = new CliApp(configFile, switches, output, error, baseDirectory);
        var root = new RootCommand("SolidarityTracker: follows what police agencies post after a line-of-duty death or an attack on the profession.");
        foreach (var command in Commands(app)) root.Subcommands.Add(command);
        // No command is `run`, the worker.
        root.SetAction((parse, ct) => RunCommand.RunWorkerAsync(app, once: false, ct));
        root.Options.Add(new Option<string?>("--config") { Description = "An extra configuration file, read after appsettings.json.", Recursive = true });
        ConfigureHelp(root);

        // No response files: "@handle ..." is post text (classify), not a file of arguments.
        var parsed = root.Parse(rest, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // `import --help` shows the help even though FILE is missing.
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpWithConfiguration)
        {
            foreach (var parseError in parsed.Errors) await error.WriteLineAsync($"error: {parseError.Message}");
            return BadInput;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (BadInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return BadInput;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Success;
        }
        catch (Exception ex) when (RuntimeMessage(ex) is { } message)
        {
            await error.WriteLineAsync($"error: {message}");
            return RuntimeFailure;
        }
    }

    /// <summary>Help text width when standard output is not a terminal (a pipe, a file, a test).</summary>
    public const int HelpWidth = 100;

    /// <summary>
    /// Every command's help: descriptions are paragraphs the help wraps to the terminal's width (or <see cref="HelpWidth"/>
    /// when output is not a terminal), and each help ends with how to give configuration on the command line.
    /// </summary>
    private static void ConfigureHelp(RootCommand root)
    {
        foreach (var command in Descendants(root))
        {
            if (command.Description is { } d) command.Description = Paragraph(d);
            foreach (var option in command.Options) if (option.Description is { } o) option.Description = Paragraph(o);
            foreach (var argument in command.Arguments) if (argument.Description is { } a) argument.Description = Paragraph(a);
        }
        var help = root.Options.OfType<System.CommandLine.Help.HelpOption>().Single();
        if (help.Action is System.CommandLine.Help.HelpAction builtIn)
        {
            builtIn.MaxWidth = Console.IsOutputRedirected ? HelpWidth : Math.Max(40, Console.WindowWidth);
            help.Action = new HelpWithConfiguration(builtIn);
        }
    }

    private static IEnumerable<Command> Descendants(Command command) => command.Subcommands.SelectMany(Descendants).Prepend(command);

    /// <summary>A description written over several source lines, as one paragraph (a blank line still parts two).</summary>
    private static string Paragraph(string text) =>
        string.Join("\n\n", text.ReplaceLineEndings("\n").Split("\n\n").Select(p => string.Join(' ', p.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))));

    /// <summary>The built-in help, then the configuration lines every command takes.</summary>
    private sealed class HelpWithConfiguration(System.CommandLine.Help.HelpAction builtIn) : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            builtIn.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Configuration (every command):");
            foreach (var line in Wrap(ConfigurationHelp, builtIn.MaxWidth - 2)) output.WriteLine("  " + line);
            output.WriteLine();
            return Success;
        }
    }

    internal const string ConfigurationHelp =
        "--config FILE reads FILE after appsettings.json; --Section:Key=value (or --Section:Key value) sets one key " +
        "last, over every file and the environment, e.g. --Tracker:Database=demo/demo.db or --Serilog:MinimumLevel:Default=Debug. " +
        "Environment variables use __ for : (Tracker__Database). " +
        "Exit codes: 0 success, 1 runtime failure, 2 bad input.";

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width) { yield return line.ToString(); line.Clear(); }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }

    private static IEnumerable<Command> Commands(CliApp app) =>
    [
        RunCommand.Create(app),
        PollCommand.Create(app),
        DigestCommand.Create(app),
        ExportCommand.Create(app),
        ImportCommand.Create(app),
        ClassifyCommand.Create(app),
        CheckCommand.Create(app),
        ReclassifyCommand.Create(app),
        DemoCommand.Create(app),
        StatusCommand.Create(app),
        EvalCommand.Create(app),
        RoundupCommand.Create(app),
        TimelineCommand.Create(app),
        BenchCommand.Create(app),
        ServeCommand.Create(app),
        CorrectionsCommand.Create(app),
        CopyStoreCommand.Create(app),
        AlertsCommand.Create(app),
        IncidentsCommand.Create(app),
    ];

    /// <summary>Runtime failures print one line; a bug (anything else) still prints its type so it can be reported.</summary>
    internal static string? RuntimeMessage(Exception ex) => ex switch
    {
        IOException or UnauthorizedAccessException => ex.Message,
        Storage.Postgres.StoreUnavailableException => ex.Message,
        HttpRequestException => $"network: {ex.Message}",
        // A full disk can strike any write, not only a poll's page (PollCycle says the same for those).
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } => "the disk holding Tracker:Database is full; free some space and run it again (what is stored is intact)",
        Microsoft.Data.Sqlite.SqliteException sqlite => $"database: {sqlite.Message}",
        Npgsql.PostgresException { SqlState: "53100" } => "the disk holding the PostgreSQL database is full; free some space and run it again (what is stored is intact)",
        Npgsql.PostgresException pg => $"database: {pg.MessageText} ({pg.SqlState})",
        Npgsql.NpgsqlException npgsql => $"database: {npgsql.Message}",
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>Separates `--config FILE` and `--Section:Key=value` (configuration) from the command's own arguments.</summary>
    public static (string? ConfigFile, List<string> Switches, List<string> Arguments) SplitArguments(IReadOnlyList<string> args)
    {
        string? configFile = null;
        var switches = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--config")
            {
                if (i + 1 >= args.Count) throw new BadInputException("--config needs a file");
                configFile = args[++i];
            }
            else if (arg.StartsWith("--config=", StringComparison.Ordinal))
            {
                configFile = arg["--config=".Length..];
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal) && IsConfigurationKey(arg[2..]))
            {
                if (arg.Contains('=')) switches.Add(arg);
                else if (i + 1 < args.Count) { switches.Add(arg); switches.Add(args[++i]); }
                else throw new BadInputException($"{arg} needs a value");
            }
            else
            {
                rest.Add(arg);
            }
        }
        return (configFile, switches, rest);
    }

    private static bool IsConfigurationKey(string text)
    {
        var key = text.Split('=', 2)[0];
        return key.Contains(':') && char.IsUpper(key[0]);
    }
}
