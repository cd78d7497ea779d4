using SolidarityTracker.Storage.Postgres;

namespace SolidarityTracker.Cli;

/// <summary>`copy-store --from FILE [--batch N]`: a SQLite store into the configured PostgreSQL store; safe to repeat, and a stopped copy is finished by running it again.</summary>
public static class CopyStoreCommand
{
    public const int MaxBatch = 2_000;

    public static Command Create(CliApp app)
    {
        var from = new Option<string>("--from") { Description = "The SQLite store to copy (a Tracker:Database file).", Required = true };
        var batch = new Option<int>("--batch") { Description = $"Rows per transaction (default 1000, at most {MaxBatch}).", DefaultValueFactory = _ => 1000 };
        var command = new Command("copy-store", "Copy a SQLite store (posts, versions, labels, corrections, profiles, cursors, alerts, incidents) into the PostgreSQL store of Tracker:ConnectionString.") { from, batch };
        command.SetAction(async (parse, ct) =>
        {
            var file = Path.GetFullPath(parse.GetValue(from)!);
            var size = parse.GetValue(batch);
            if (size is < 1 or > MaxBatch) throw new BadInputException($"--batch {size}: from 1 to {MaxBatch}");
            if (app.Settings.Tracker.Provider != StoreProviders.Postgres)
                throw new BadInputException("copy-store copies into PostgreSQL: set Tracker:Provider postgres and Tracker:ConnectionString");
            if (!File.Exists(file)) throw new BadInputException($"--from {file}: no such file");
            var target = app.Get<PostgresDatabase>();
            var progress = new ProgressLine(app.Error, "copy-store");
            var copies = await new StoreCopier(new TrackerDatabase(file), target)
                .CopyAsync(size, (table, done, total) => progress.Report($"{table} {done}/{total}"), ct);
            progress.Done();
            await app.Out.WriteLineAsync($"copied {file} into PostgreSQL {target.Describe}:");
            foreach (var copy in copies.Where(c => c.Read > 0))
                await app.Out.WriteLineAsync($"  {copy.Table,-18} {copy.Read,9:N0} rows, {copy.Added,9:N0} new");
            var read = copies.Sum(c => c.Read);
            var added = copies.Sum(c => c.Added);
            await app.Out.WriteLineAsync(added == 0 && read > 0 ? $"nothing new: all {read:N0} rows were already there" : $"{added:N0} of {read:N0} rows new");
            return TrackerCli.Success;
        });
        return command;
    }
}
