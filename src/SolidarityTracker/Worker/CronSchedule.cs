using Quartz;

namespace SolidarityTracker.Worker;

/// <summary>Cron as Quartz reads it (seconds first); a five-field Unix cron is accepted and widened.</summary>
public static class CronSchedule
{
    public static bool IsValid(string? cron) => Normalize(cron) is not null;

    public static string? Normalize(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron)) return null;
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 5)
        {
            // Quartz needs '?' in one of day-of-month / day-of-week.
            var (dom, dow) = (fields[2], fields[4]);
            if (dom != "?" && dow != "?")
            {
                if (dow == "*") dow = "?";
                else if (dom == "*") dom = "?";
            }
            fields = ["0", fields[0], fields[1], dom, fields[3], dow];
        }
        var normalized = string.Join(' ', fields);
        return CronExpression.IsValidExpression(normalized) ? normalized : null;
    }
}
