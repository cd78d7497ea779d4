using SolidarityTracker.Alerts;
using SolidarityTracker.Sources;

namespace SolidarityTracker.Cli;

/// <summary>`check`: configuration and templates first (exit 2 when wrong), then one try of every source per account (exit 1 when one fails).</summary>
public static class CheckCommand
{
    public static Command Create(CliApp app)
    {
        var command = new Command("check", "Validate configuration and templates, then try each account's source once.");
        command.SetAction(async (parse, ct) =>
        {
            var settings = app.Settings;
            app.Out.WriteLine($"configuration: ok ({settings.Tracker.Agencies.Count} agencies, {settings.Tracker.Agencies.Sum(a => a.Accounts.Count)} accounts, time zone {settings.TimeZone.Id})");
            var checkedTemplates = app.Get<DigestService>().ValidateTemplates().Count;
            var roundups = new Export.RoundupWriter(new Rendering.TemplateFolder(settings.Digest.Templates, app.Shipped("templates")));
            foreach (var format in Export.RoundupWriter.TemplateFormats) roundups.Check(format);
            app.Get<AlertTemplates>().LoadAll();
            app.Out.WriteLine($"templates: ok ({checkedTemplates} digest templates rendered against a sample day, {Export.RoundupWriter.TemplateFormats.Count} roundup templates and {AlertTemplates.All.Count} alert templates parsed)");
            app.Out.WriteLine(AlertsLine(settings.Alerts));
            if (settings.Tracker.Provider == StoreProviders.Postgres)
            {
                // The schema is created or brought up to date here (one node at a time), then described.
                var postgres = app.Get<Storage.Postgres.PostgresDatabase>();
                var version = await postgres.MigrateAsync(ct);
                var (_, server) = await postgres.DescribeServerAsync(ct);
                await app.SyncAccountsAsync(ct);
                app.Out.WriteLine($"database: ok (postgres: PostgreSQL {server}, {postgres.Describe}, schema {version})");
            }
            else
            {
                await app.SyncAccountsAsync(ct);
                app.Out.WriteLine($"database: ok (sqlite: {app.Get<TrackerDatabase>().Path}, schema {Migrations.Latest})");
            }

            var sources = app.Get<IEnumerable<ISource>>().GroupBy(s => s.Platform).ToDictionary(g => g.Key, g => g.Last());
            var accounts = app.Get<AccountStore>().All().Where(a => a.Enabled).ToList();
            var now = app.Get<TimeProvider>().GetUtcNow();
            var context = new SourceContext(now, TimeSpan.FromDays(app.Settings.Polling.BackfillDays), ProfileDue: true);
            var results = new (AccountState Account, string Result, bool Ok)[accounts.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, accounts.Count),
                new ParallelOptions { MaxDegreeOfParallelism = settings.Polling.MaxConcurrency, CancellationToken = ct },
                async (i, token) =>
                {
                    var (text, ok) = await TryOnceAsync(sources, accounts[i], context, token);
                    results[i] = (accounts[i], text, ok);
                });
            app.Out.WriteLine($"{"agency",-24} {"platform",-9} {"account",-40} result");
            foreach (var (account, result, _) in results)
                app.Out.WriteLine($"{account.AgencyId,-24} {account.Platform,-9} {account.Handle,-40} {result}");
            var failing = results.Count(r => !r.Ok);
            app.Out.WriteLine($"sources: {results.Length - failing} ok, {failing} failing");
            if (app.Get<Sources.Bluesky.JetstreamStream>() is { Enabled: true } stream)
            {
                var (text, ok) = await stream.ProbeAsync(ct);
                app.Out.WriteLine($"bluesky jetstream: {text}");
                if (!ok) failing++;
            }
            return failing > 0 ? TrackerCli.RuntimeFailure : TrackerCli.Success;
        });
        return command;
    }

    /// <summary>What the alert settings (validated with the rest of the configuration) amount to.</summary>
    private static string AlertsLine(AlertsOptions alerts)
    {
        var channels = AlertChannels.Names(alerts);
        return $"alerts: ok ({(channels.Count == 0 ? "no channel" : string.Join(", ", channels))}; incident at {alerts.Incident.MinAgencies} agencies within {alerts.Incident.Window:c}, " +
               $"{alerts.Watches.Count} {(alerts.Watches.Count == 1 ? "watch" : "watches")}, source failure after {alerts.FailureThreshold} failed cycles)";
    }

    /// <summary>Asks the source for its first page without storing anything.</summary>
    private static async Task<(string Text, bool Ok)> TryOnceAsync(Dictionary<string, ISource> sources, AccountState account, SourceContext context, CancellationToken cancellationToken)
    {
        if (!sources.TryGetValue(account.Platform, out var source)) return (new SourceException(SourceErrorKind.Unauthorized, $"no source is available for platform '{account.Platform}'").Wording, false);
        try
        {
            // Up to two pages: a source may spend its first page on resolving the account (X, Mastodon, Bluesky).
            int pages = 0, posts = 0;
            string? profile = null;
            await foreach (var page in source.FetchAsync(account, context, cancellationToken))
            {
                posts += page.Posts.Count;
                profile ??= page.Profile?.DisplayName;
                if (++pages == 2) break;
            }
            var profileText = profile is null ? "" : $", profile \"{profile}\"";
            return (pages == 0 ? $"ok: nothing new{profileText}" : $"ok: {posts} new posts on the first {(pages == 1 ? "page" : "pages")}{profileText}", true);
        }
        catch (Exception ex) when (SourceException.From(ex, cancellationToken) is { } failure)
        {
            // The poll cycle's own wording, so check and poll say the same of the same fault.
            return (failure.Wording, false);
        }
    }
}
