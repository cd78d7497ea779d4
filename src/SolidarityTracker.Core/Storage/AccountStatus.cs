using Microsoft.Data.Sqlite;
using SolidarityTracker.Configuration;
using SolidarityTracker.Model;
using static SolidarityTracker.Storage.TrackerDatabase;

namespace SolidarityTracker.Storage;

public sealed record AccountStatus(AccountState Account, string AgencyName, long Posts);
