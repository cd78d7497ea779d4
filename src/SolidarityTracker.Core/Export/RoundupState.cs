using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using SolidarityTracker.Storage;
using SolidarityTracker.Text;

namespace SolidarityTracker.Export;

public sealed record RoundupState(string Name, IReadOnlyList<RoundupAgency> Agencies);
