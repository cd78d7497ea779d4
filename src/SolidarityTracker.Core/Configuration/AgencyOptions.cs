namespace SolidarityTracker.Configuration;

public sealed class AgencyOptions
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string? State { get; set; }
    public List<AccountOptions> Accounts { get; set; } = [];
}
