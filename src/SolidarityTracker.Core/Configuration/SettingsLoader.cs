using Microsoft.Extensions.Configuration;

namespace SolidarityTracker.Configuration;

/// <summary>Binds and validates every option at start-up; the first bad key stops with its name and its source.</summary>
public static class SettingsLoader
{
    /// <summary>
    /// Binds from the effective configuration; errors name the source of the key in <paramref name="root"/>, the layered
    /// sources. Cron expressions are the scheduler's language, so the host says which are valid (<paramref name="isValidCron"/>).
    /// </summary>
    public static TrackerSettings Load(IConfigurationRoot root, Func<string?, bool> isValidCron)
    {
        var values = ConfigurationLoader.EffectiveValues(root);
        // Agencies are bound one by one from their own keys, which also keeps binding linear in their number.
        var agencies = BindAgencies(values, root);
        var effective = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var tracker = Bind<TrackerOptions>(effective, root, "Tracker");
        tracker.Agencies = agencies;
        var sources = Bind<SourcesOptions>(effective, root, "Sources");
        var polling = Bind<PollingOptions>(effective, root, "Polling");
        var digest = Bind<DigestOptions>(effective, root, "Digest");
        digest.Formats = StringList(effective, "Digest:Formats");
        digest.Email.To = StringList(effective, "Digest:Email:To");
        var alerts = BindAlerts(values, effective, root);

        var web = Bind<WebOptions>(effective, root, "Web");
        var classifier = BindClassifier(values);

        var errors = Validate(tracker, sources, polling, digest, isValidCron, out var zone).Concat(ValidateWeb(web)).Concat(ValidateAlerts(alerts, digest))
            .Concat(ValidateClassifier(classifier)).ToList();
        if (errors.Count > 0)
        {
            var (key, message) = errors[0];
            throw new BadInputException($"configuration error: {key} ({ConfigurationLoader.DescribeSource(root, key)}): {message}");
        }
        return new TrackerSettings(tracker, sources, polling, digest, zone!) { Web = web, Alerts = alerts, Classifier = Thresholds(classifier) };
    }

    /// <summary>Thresholds are read key by key: the binder silently drops a dictionary value it cannot convert.</summary>
    private static ClassifierOptions BindClassifier(Dictionary<string, string?> values)
    {
        const string prefix = "Classifier:Thresholds:";
        var options = new ClassifierOptions();
        foreach (var (key, value) in values)
        {
            if (!key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            var label = key[prefix.Length..].ToLowerInvariant();
            options.Thresholds[label] = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var threshold)
                ? threshold : double.NaN;
        }
        return options;
    }

    internal static IEnumerable<(string Key, string Message)> ValidateClassifier(ClassifierOptions classifier)
    {
        foreach (var (label, threshold) in classifier.Thresholds)
        {
            var key = $"Classifier:Thresholds:{label}";
            if (!Labels.All.Contains(label)) yield return (key, $"unknown label (expected {string.Join(", ", Labels.All)})");
            else if (double.IsNaN(threshold)) yield return (key, "must be a number between 0 and 1");
            else if (threshold is < 0 or > 1) yield return (key, $"must be between 0 and 1, not {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static Classification.ClassifierThresholds Thresholds(ClassifierOptions classifier)
    {
        double Get(string label) => classifier.Thresholds.TryGetValue(label, out var t) ? t : Classification.ClassifierThresholds.Default.For(label);
        return new Classification.ClassifierThresholds(Get(Labels.Condolence), Get(Labels.Memorial), Get(Labels.SafetyReminder));
    }

    /// <summary>Alerts, with its lists bound item by item (as agencies are) so a bad item is an error naming its key.</summary>
    private static AlertsOptions BindAlerts(Dictionary<string, string?> values, IConfiguration effective, IConfigurationRoot root)
    {
        var watches = SplitList(values, "Alerts:Watches").Select(w => BindItem<WatchOptions>(w.Value, root, $"Alerts:Watches:{w.Key}")).ToList();
        var webhooks = SplitList(values, "Alerts:Webhooks").Select(w => BindItem<WebhookOptions>(w.Value, root, $"Alerts:Webhooks:{w.Key}")).ToList();
        var alerts = Bind<AlertsOptions>(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), root, "Alerts");
        alerts.Watches = watches;
        alerts.Webhooks = webhooks;
        alerts.Email.To = StringList(effective, "Alerts:Email:To");
        return alerts;
    }

    internal static IEnumerable<(string Key, string Message)> ValidateAlerts(AlertsOptions alerts, DigestOptions digest)
    {
        var incident = alerts.Incident;
        if (incident.MinAgencies is < 2 or > 1000) yield return ("Alerts:Incident:MinAgencies", $"must be between 2 and 1000, not {incident.MinAgencies}");
        if (incident.Window <= TimeSpan.Zero) yield return ("Alerts:Incident:Window", "must be a positive duration (hh:mm:ss)");
        if (incident.UpdateEvery < TimeSpan.Zero) yield return ("Alerts:Incident:UpdateEvery", "must not be negative");
        if (alerts.SendTimeout <= TimeSpan.Zero) yield return ("Alerts:SendTimeout", "must be a positive duration (hh:mm:ss)");
        if (alerts.FailureThreshold is < 1 or > 1000) yield return ("Alerts:FailureThreshold", $"must be between 1 and 1000, not {alerts.FailureThreshold}");
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < alerts.Watches.Count; i++)
        {
            var watch = alerts.Watches[i];
            var at = $"Alerts:Watches:{i}";
            if (string.IsNullOrWhiteSpace(watch.Name)) yield return ($"{at}:Name", "is missing");
            else if (!names.Add(watch.Name)) yield return ($"{at}:Name", $"duplicate watch name '{watch.Name}'");
            if (!watch.HasCriteria) yield return (at, $"watch '{watch.Name}' has no criteria; give a Query, Labels, States, Agencies or Platforms");
            watch.Labels = watch.Labels.Select(l => l.Trim().ToLowerInvariant().Replace('-', '_')).ToList();
            foreach (var label in watch.Labels)
                if (!Labels.IsKnown(label) && label != Labels.Other) yield return ($"{at}:Labels", $"unknown label '{label}'; expected {string.Join(", ", Labels.All)} or other");
            watch.Platforms = watch.Platforms.Select(p => p.Trim().ToLowerInvariant()).ToList();
            foreach (var platform in watch.Platforms)
                if (!Platforms.IsKnown(platform)) yield return ($"{at}:Platforms", $"unknown platform '{platform}'; expected one of {string.Join(", ", Platforms.All)}");
            if (!string.IsNullOrWhiteSpace(watch.Query) && Storage.FullTextQuery.Problem(watch.Query) is { } problem)
                yield return ($"{at}:Query", $"'{watch.Query}' is not a valid full-text query ({problem})");
        }
        for (var i = 0; i < alerts.Webhooks.Count; i++)
        {
            var hook = alerts.Webhooks[i];
            var at = $"Alerts:Webhooks:{i}";
            // The URL is not echoed: a chat webhook's URL is its secret.
            if (!WebLink.IsHttp(hook.Url)) yield return ($"{at}:Url", "is not an http/https URL");
            hook.Format = string.IsNullOrWhiteSpace(hook.Format) ? "json" : hook.Format.Trim().ToLowerInvariant();
            if (!WebhookOptions.KnownFormats.Contains(hook.Format)) yield return ($"{at}:Format", $"unknown format '{hook.Format}'; expected json, slack or teams");
        }
        if (alerts.Email.Enabled)
        {
            if (alerts.Email.To.Count == 0) yield return ("Alerts:Email:To", "needs at least one address when Alerts:Email:Enabled is true");
            foreach (var to in alerts.Email.To)
                if (!MimeKit.MailboxAddress.TryParse(to, out _)) yield return ("Alerts:Email:To", $"'{to}' is not an email address");
            if (string.IsNullOrWhiteSpace(digest.Email.Host)) yield return ("Digest:Email:Host", "is required when Alerts:Email:Enabled is true (alert mail uses the digest's SMTP server)");
            if (string.IsNullOrWhiteSpace(digest.Email.From)) yield return ("Digest:Email:From", "is required when Alerts:Email:Enabled is true");
        }
    }

    /// <summary>
    /// Web:Urls are absolute http(s) URLs; listening anywhere but loopback needs both a password for the pages and a
    /// token for the API, so a dashboard is never open to a network by accident.
    /// </summary>
    internal static IEnumerable<(string Key, string Message)> ValidateWeb(WebOptions web)
    {
        if (web.UrlList.Count == 0) { yield return ("Web:Urls", "must name at least one URL, e.g. http://127.0.0.1:5080"); yield break; }
        var beyondLoopback = false;
        foreach (var url in web.UrlList)
        {
            // Kestrel's wildcards (http://*:80, http://+:80) are every address.
            var parsable = System.Text.RegularExpressions.Regex.Replace(url, @"^(https?://)[*+](?=[:/]|$)", "${1}0.0.0.0");
            if (!Uri.TryCreate(parsable, UriKind.Absolute, out var uri) || !WebLink.IsHttp(uri) || uri.AbsolutePath != "/")
            {
                yield return ("Web:Urls", $"'{url}' is not an http:// or https:// URL with a host and port and no path");
                yield break;
            }
            if (!IsLoopback(uri.Host)) beyondLoopback = true;
        }
        if (!beyondLoopback) yield break;
        if (string.IsNullOrEmpty(web.Password)) yield return ("Web:Password", $"is required when Web:Urls ({web.Urls}) listens beyond loopback; set it and Web:ApiToken from the environment (Web__Password)");
        if (string.IsNullOrEmpty(web.ApiToken)) yield return ("Web:ApiToken", $"is required when Web:Urls ({web.Urls}) listens beyond loopback; set it from the environment (Web__ApiToken)");
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    private static T Bind<T>(IConfiguration effective, IConfigurationRoot root, string section) where T : new()
    {
        try
        {
            return effective.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key ("Failed to convert configuration value at 'Polling:MaxConcurrency' …").
            throw new BadInputException(BinderMessage(root, ex), ex);
        }
    }

    /// <summary>
    /// Binds each agency, and each of its accounts, from its own keys. The binder silently drops a list element it
    /// cannot convert (an account with "Enabled": "maybe" would vanish), so list elements are bound one by one here,
    /// where a failure is an error that names the key.
    /// </summary>
    private static List<AgencyOptions> BindAgencies(Dictionary<string, string?> values, IConfigurationRoot root)
    {
        const string key = "Tracker:Agencies";
        var agencies = new List<AgencyOptions>();
        foreach (var (index, agencyValues) in SplitList(values, key))
        {
            var at = $"{key}:{index}";
            var accounts = SplitList(agencyValues, "Accounts");
            var agency = BindItem<AgencyOptions>(agencyValues, root, at);
            agency.Accounts = accounts.Select(a => BindItem<AccountOptions>(a.Value, root, $"{at}:Accounts:{a.Key}")).ToList();
            agencies.Add(agency);
        }
        return agencies;
    }

    private static T BindItem<T>(Dictionary<string, string?> values, IConfigurationRoot root, string at) where T : new()
    {
        try
        {
            return new ConfigurationBuilder().AddInMemoryCollection(values).Build().Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key within the item ("… at 'Enabled' …"); put the item's path before it.
            var message = System.Text.RegularExpressions.Regex.Replace(ex.Message, "at '(?<k>[^']+)'", m => $"at '{at}:{m.Groups["k"].Value}'");
            throw new BadInputException(BinderMessage(root, new InvalidOperationException(message)), ex);
        }
    }

    /// <summary>Takes the items of a list out of flat values (removing them there): each item's keys, relative to the item.</summary>
    private static SortedDictionary<int, Dictionary<string, string?>> SplitList(Dictionary<string, string?> values, string key)
    {
        var prefix = key + ":";
        var items = new SortedDictionary<int, Dictionary<string, string?>>();
        foreach (var (path, value) in values.Where(v => v.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            var rest = path[prefix.Length..];
            var cut = rest.IndexOf(':');
            if (!int.TryParse(cut < 0 ? rest : rest[..cut], out var index)) continue;
            if (!items.TryGetValue(index, out var item)) items[index] = item = new(StringComparer.OrdinalIgnoreCase);
            if (cut >= 0) item[rest[(cut + 1)..]] = value;
            values.Remove(path);
        }
        return items;
    }

    private static string BinderMessage(IConfigurationRoot root, InvalidOperationException ex)
    {
        var match = System.Text.RegularExpressions.Regex.Match(ex.Message, "at '(?<key>[^']+)'");
        if (!match.Success) return $"configuration error: {ex.Message}";
        var key = match.Groups["key"].Value;
        return $"configuration error: {key} ({ConfigurationLoader.DescribeSource(root, key)}): '{root[key]}' is not a valid {Friendly(ex.Message)}";
    }

    private static string Friendly(string message) =>
        message.Contains("Int32") || message.Contains("Int64") ? "whole number" : message.Contains("Boolean") ? "true/false" : message.Contains("TimeSpan") ? "duration (hh:mm:ss)" : "value";

    /// <summary>One address or a list: "To": "a@b" and "To": ["a@b", "c@d"] both work.</summary>
    private static List<string> StringList(IConfiguration effective, string key)
    {
        var section = effective.GetSection(key);
        if (!string.IsNullOrWhiteSpace(section.Value))
            return section.Value.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return section.GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
    }

    internal static IEnumerable<(string Key, string Message)> Validate(
        TrackerOptions tracker, SourcesOptions sources, PollingOptions polling, DigestOptions digest, Func<string?, bool> isValidCron,
        out TimeZoneInfo? zone)
    {
        var errors = new List<(string, string)>();
        zone = null;
        tracker.Provider = (tracker.Provider ?? "").Trim().ToLowerInvariant();
        if (tracker.Provider.Length == 0) tracker.Provider = Storage.StoreProviders.Sqlite;
        if (!Storage.StoreProviders.All.Contains(tracker.Provider))
            errors.Add(("Tracker:Provider", $"unknown provider '{tracker.Provider}' (expected {string.Join(" or ", Storage.StoreProviders.All)})"));
        else if (tracker.Provider == Storage.StoreProviders.Postgres && Storage.Postgres.PostgresDatabase.Problem(tracker.ConnectionString) is { } problem)
            errors.Add(("Tracker:ConnectionString", problem));
        if (tracker.Provider == Storage.StoreProviders.Sqlite && string.IsNullOrWhiteSpace(tracker.Database)) errors.Add(("Tracker:Database", "must name a SQLite file"));

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < tracker.Agencies.Count; i++)
        {
            var agency = tracker.Agencies[i];
            var at = $"Tracker:Agencies:{i}";
            if (string.IsNullOrWhiteSpace(agency.Id)) { errors.Add(($"{at}:Id", "is missing")); continue; }
            if (!seen.Add(agency.Id)) errors.Add(($"{at}:Id", $"duplicate agency id '{agency.Id}'"));
            if (string.IsNullOrWhiteSpace(agency.Name)) agency.Name = agency.Id;
            for (var j = 0; j < agency.Accounts.Count; j++)
            {
                var account = agency.Accounts[j];
                var acc = $"{at}:Accounts:{j}";
                account.Platform = (account.Platform ?? "").Trim().ToLowerInvariant();
                if (!Platforms.IsKnown(account.Platform))
                {
                    errors.Add(($"{acc}:Platform", $"unknown platform '{account.Platform}' (agency {agency.Id}); expected one of {string.Join(", ", Platforms.All)}"));
                    continue;
                }
                if (account.Platform == Platforms.Rss)
                {
                    if (string.IsNullOrWhiteSpace(account.Url)) errors.Add(($"{acc}:Url", $"missing feed Url (agency {agency.Id})"));
                    else if (!WebLink.IsHttp(account.Url)) errors.Add(($"{acc}:Url", $"'{account.Url}' is not an http/https URL (agency {agency.Id})"));
                }
                else if (string.IsNullOrWhiteSpace(account.Handle))
                {
                    errors.Add(($"{acc}:Handle", $"missing Handle (agency {agency.Id}, platform {account.Platform})"));
                }
                else if (account.Platform == Platforms.Mastodon && !account.Handle.TrimStart('@').Contains('@') && string.IsNullOrWhiteSpace(sources.Mastodon.BaseUrl))
                {
                    errors.Add(($"{acc}:Handle", $"Mastodon handle '{account.Handle}' must be user@instance, or set Sources:Mastodon:BaseUrl (agency {agency.Id})"));
                }
            }
        }

        CheckUrl(errors, "Sources:X:BaseUrl", sources.X.BaseUrl, required: true);
        CheckUrl(errors, "Sources:Mastodon:BaseUrl", sources.Mastodon.BaseUrl, required: false);
        CheckUrl(errors, "Sources:Bluesky:BaseUrl", sources.Bluesky.BaseUrl, required: true);
        if (!string.IsNullOrWhiteSpace(sources.Bluesky.Jetstream)
            && !(Uri.TryCreate(sources.Bluesky.Jetstream, UriKind.Absolute, out var jetstream) && jetstream.Scheme is "ws" or "wss"))
            errors.Add(("Sources:Bluesky:Jetstream", $"'{sources.Bluesky.Jetstream}' is not a ws/wss URL (a Jetstream's /subscribe, such as wss://jetstream2.us-east.bsky.network/subscribe)"));

        if (!isValidCron(polling.Cron)) errors.Add(("Polling:Cron", $"'{polling.Cron}' is not a valid cron expression"));
        if (polling.MaxConcurrency is < 1 or > 1024) errors.Add(("Polling:MaxConcurrency", $"must be between 1 and 1024, not {polling.MaxConcurrency}"));
        if (polling.BackfillDays is < 0 or > 3650) errors.Add(("Polling:BackfillDays", $"must be between 0 and 3650, not {polling.BackfillDays}"));
        if (polling.ProfileInterval < TimeSpan.Zero) errors.Add(("Polling:ProfileInterval", "must not be negative"));
        if (polling.RequestTimeout <= TimeSpan.Zero) errors.Add(("Polling:RequestTimeout", "must be positive"));
        if (polling.MinInterval <= TimeSpan.Zero) errors.Add(("Polling:MinInterval", "must be positive"));
        if (polling.MaxInterval < polling.MinInterval) errors.Add(("Polling:MaxInterval", $"must not be shorter than Polling:MinInterval ({polling.MinInterval})"));
        if (polling.WaveInterval <= TimeSpan.Zero) errors.Add(("Polling:WaveInterval", "must be positive"));
        if (polling.LeaseTimeout <= TimeSpan.Zero) errors.Add(("Polling:LeaseTimeout", "must be positive"));
        if (sources.X.RequestsPer15Min < 1) errors.Add(("Sources:X:RequestsPer15Min", $"must be at least 1, not {sources.X.RequestsPer15Min}"));
        if (sources.X.MonthlyPostReads is < 1) errors.Add(("Sources:X:MonthlyPostReads", $"must be at least 1 when set, not {sources.X.MonthlyPostReads}"));
        if (sources.Mastodon.RequestsPer5Min < 1) errors.Add(("Sources:Mastodon:RequestsPer5Min", $"must be at least 1, not {sources.Mastodon.RequestsPer5Min}"));
        if (sources.Bluesky.RequestsPer5Min < 1) errors.Add(("Sources:Bluesky:RequestsPer5Min", $"must be at least 1, not {sources.Bluesky.RequestsPer5Min}"));

        if (!isValidCron(digest.Cron)) errors.Add(("Digest:Cron", $"'{digest.Cron}' is not a valid cron expression"));
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(digest.TimeZone ?? "", out zone))
            errors.Add(("Digest:TimeZone", $"unknown time zone '{digest.TimeZone}' (use an IANA id such as America/New_York)"));
        if (!string.IsNullOrWhiteSpace(digest.Templates) && !Directory.Exists(digest.Templates))
            errors.Add(("Digest:Templates", $"templates folder '{digest.Templates}' does not exist or cannot be read"));
        foreach (var format in digest.Formats)
            if (!DigestOptions.KnownFormats.Contains(format))
                errors.Add(("Digest:Formats", $"unknown format '{format}'; expected html, md or txt"));
        if (string.IsNullOrWhiteSpace(digest.OutputDirectory)) errors.Add(("Digest:OutputDirectory", "must name a folder"));
        if (digest.MaxPostsPerSection is < 1 or > 100_000) errors.Add(("Digest:MaxPostsPerSection", $"must be between 1 and 100000, not {digest.MaxPostsPerSection}"));

        var email = digest.Email;
        if (email.Enabled)
        {
            if (string.IsNullOrWhiteSpace(email.Host)) errors.Add(("Digest:Email:Host", "is required when Digest:Email:Enabled is true"));
            if (email.Port is < 1 or > 65535) errors.Add(("Digest:Email:Port", $"must be a TCP port, not {email.Port}"));
            if (string.IsNullOrWhiteSpace(email.From)) errors.Add(("Digest:Email:From", "is required when Digest:Email:Enabled is true"));
            if (email.To.Count == 0) errors.Add(("Digest:Email:To", "needs at least one address when Digest:Email:Enabled is true"));
            if (TlsMode(email.UseTls) is null) errors.Add(("Digest:Email:UseTls", $"'{email.UseTls}' must be starttls, tls, none, true or false"));
        }
        return errors;
    }

    public static string? TlsMode(string? value) => (value ?? "").Trim().ToLowerInvariant() switch
    {
        "" or "starttls" or "true" => "starttls",
        "tls" or "ssl" => "tls",
        "none" or "false" => "none",
        _ => null,
    };

    private static void CheckUrl(List<(string, string)> errors, string key, string? value, bool required)
    {
        if (string.IsNullOrWhiteSpace(value)) { if (required) errors.Add((key, "is required")); return; }
        if (!WebLink.IsHttp(value)) errors.Add((key, $"'{value}' is not an http/https URL"));
    }
}
