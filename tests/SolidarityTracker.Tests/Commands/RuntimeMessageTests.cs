using Microsoft.Data.Sqlite;
using SolidarityTracker.Cli;

namespace SolidarityTracker.Tests.Commands;

/// <summary>The one line a command prints for a failure at run time.</summary>
public sealed class RuntimeMessageTests
{
    [Fact]
    public void A_full_disk_anywhere_names_the_disk_of_Tracker_Database()
    {
        var line = TrackerCli.RuntimeMessage(new SqliteException("SQLite Error 13: 'database or disk is full'.", 13));

        Assert.Equal("the disk holding Tracker:Database is full; free some space and run it again (what is stored is intact)", line);
    }

    [Fact]
    public void Another_database_error_keeps_SQLites_own_words()
    {
        var line = TrackerCli.RuntimeMessage(new SqliteException("SQLite Error 5: 'database is locked'.", 5));

        Assert.Equal("database: SQLite Error 5: 'database is locked'.", line);
    }
}
