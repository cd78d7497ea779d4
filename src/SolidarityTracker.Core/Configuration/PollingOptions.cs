namespace SolidarityTracker.Configuration;

public sealed class PollingOptions
{
    public string Cron { get; set; } = "0 * * * * ?";
    public int MaxConcurrency { get; set; } = 8;
    public int BackfillDays { get; set; } = 3;
    public TimeSpan ProfileInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>The shortest time between two checks of one account (a busy one).</summary>
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>The longest time between two checks of one account (a quiet one), errors aside.</summary>
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>While an incident is open, every account is checked at least this often.</summary>
    public TimeSpan WaveInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a node's lease on an account it is polling lasts: a node that dies holding it is taken over after this.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Per-request timeout for every source.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
