using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace SolidarityTracker.Configuration;

/// <summary>
/// Builds configuration in PRODUCT.md's order: appsettings.json beside the program, the --config file,
/// environment variables, user secrets, then --Section:Key=value arguments.
/// </summary>
public static class ConfigurationLoader
{
    public const string AppSettingsFile = "appsettings.json";

    /// <summary>The host project's UserSecretsId: `dotnet user-secrets` in src/SolidarityTracker writes there.</summary>
    public const string UserSecretsId = "solidarity-tracker";

    public static IConfigurationRoot Build(string? configFile, IReadOnlyList<string> switches, string? baseDirectory = null)
    {
        baseDirectory ??= AppContext.BaseDirectory;
        var builder = new ConfigurationBuilder();
        var appsettings = Path.Combine(baseDirectory, AppSettingsFile);
        AddJson(builder, appsettings, optional: true, shownAs: AppSettingsFile);
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full)) throw new BadInputException($"--config {configFile}: file not found");
            AddJson(builder, full, optional: false, shownAs: configFile);
        }
        builder.AddEnvironmentVariables();
        builder.AddUserSecrets(UserSecretsId);
        builder.AddCommandLine(switches.ToArray());
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw new BadInputException(InvalidJsonMessage(ex), ex);
        }
        catch (FormatException ex)
        {
            throw new BadInputException($"configuration: {ex.Message}", ex);
        }
    }

    private static void AddJson(ConfigurationBuilder builder, string fullPath, bool optional, string shownAs)
    {
        _shownAs[fullPath] = shownAs;
        builder.AddJsonFile(source =>
        {
            source.Path = Path.GetFileName(fullPath);
            source.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(fullPath)!);
            source.Optional = optional;
            source.ReloadOnChange = false;
        });
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _shownAs = new();

    private static string InvalidJsonMessage(InvalidDataException ex)
    {
        // The JSON provider wraps the parser's JsonException, which knows the line, in one or two InvalidDataExceptions.
        var file = System.Text.RegularExpressions.Regex.Match(ex.Message, "'(?<f>[^']+)'") is { Success: true } m ? m.Groups["f"].Value : "";
        Exception? inner = ex;
        while (inner is not null and not System.Text.Json.JsonException) inner = inner.InnerException;
        var json = inner as System.Text.Json.JsonException;
        var shown = _shownAs.TryGetValue(file, out var s) ? s : file;
        var line = json?.LineNumber is long l ? $":{l + 1}" : "";
        var why = json?.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.') ?? ex.Message;
        return $"configuration file {shown}{line}: invalid JSON ({why})";
    }

    /// <summary>Where a key's value came from, as a user would find it: a file name, an environment variable or an argument.</summary>
    public static string DescribeSource(IConfigurationRoot root, string key)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (!HasKeyOrChildren(provider, key)) continue;
            return provider switch
            {
                JsonConfigurationProvider json => ShownPath(json),
                EnvironmentVariablesConfigurationProvider => $"environment variable {key.Replace(":", "__")}",
                CommandLineConfigurationProvider => $"argument --{key}",
                _ => provider.ToString() ?? "configuration",
            };
        }
        // A missing key is reported where its parent was written (the agency that lacks a Handle).
        var cut = key.LastIndexOf(':');
        return cut > 0 ? DescribeSource(root, key[..cut]) : "default";
    }

    private static string ShownPath(JsonConfigurationProvider json)
    {
        var root = (json.Source.FileProvider as Microsoft.Extensions.FileProviders.PhysicalFileProvider)?.Root ?? "";
        var full = Path.GetFullPath(Path.Combine(root, json.Source.Path ?? ""));
        return _shownAs.TryGetValue(full, out var shown) ? shown : json.Source.Path ?? "configuration file";
    }

    private static bool HasKeyOrChildren(IConfigurationProvider provider, string key)
    {
        if (provider.TryGet(key, out _)) return true;
        var parent = key;
        return provider.GetChildKeys([], parent).Any();
    }

    /// <summary>
    /// The configuration as the program reads it: every source layered in order, except that a list named in a
    /// later source replaces the earlier one whole (PRODUCT.md) instead of being merged by index — the agencies of a
    /// --config file are the agencies, and a Serilog:WriteTo list there is the sinks.
    /// </summary>
    public static IConfigurationRoot Effective(IConfigurationRoot root) =>
        new ConfigurationBuilder().AddInMemoryCollection(EffectiveValues(root)).Build();

    /// <summary>The flat key/value pairs of <see cref="Effective"/>; linear in the number of keys, so ten thousand agencies load quickly.</summary>
    public static Dictionary<string, string?> EffectiveValues(IConfigurationRoot root)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in root.Providers)
        {
            var entries = Entries(provider).ToList();
            var lists = OutermostLists(entries.Select(e => e.Key));
            if (lists.Count > 0)
            {
                foreach (var stale in values.Keys.Where(k => Ancestors(k).Any(lists.Contains)).ToList())
                    values.Remove(stale);
            }
            foreach (var (key, value) in entries)
                if (value is not null) values[key] = value;
        }
        return values;
    }

    /// <summary>
    /// A provider's own keys and values. The built-in providers keep them in ConfigurationProvider.Data, which is read
    /// directly: walking them with GetChildKeys costs a scan of every key per node.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string?>> Entries(IConfigurationProvider provider)
    {
        if (provider is ConfigurationProvider && DataProperty?.GetValue(provider) is IDictionary<string, string?> data) return data;
        return Keys(provider, null).Select(k => new KeyValuePair<string, string?>(k, provider.TryGet(k, out var v) ? v : null));
    }

    private static readonly System.Reflection.PropertyInfo? DataProperty =
        typeof(ConfigurationProvider).GetProperty("Data", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private static IEnumerable<string> Keys(IConfigurationProvider provider, string? parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var path = parent is null ? child : $"{parent}:{child}";
            yield return path;
            foreach (var key in Keys(provider, path)) yield return key;
        }
    }

    /// <summary>The paths that hold a list (a child named by a number) and are not themselves inside a list.</summary>
    private static HashSet<string> OutermostLists(IEnumerable<string> keys)
    {
        var lists = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in keys)
        {
            var segments = key.Split(':');
            for (var i = 1; i < segments.Length; i++)
            {
                if (!int.TryParse(segments[i], out _)) continue;
                lists.Add(string.Join(':', segments, 0, i));
                break; // anything deeper is inside this list
            }
        }
        return lists;
    }

    /// <summary>"a:b:c" → "a", "a:b".</summary>
    private static IEnumerable<string> Ancestors(string key)
    {
        for (var i = key.IndexOf(':'); i >= 0; i = key.IndexOf(':', i + 1))
            yield return key[..i];
    }
}
