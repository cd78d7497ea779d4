using Npgsql;
using SolidarityTracker.Tests.Support;

namespace SolidarityTracker.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_throwaway_cluster_answers_on_loopback_and_gives_each_test_its_own_database()
    {
        var first = await postgres.Server.CreateDatabaseAsync();
        var second = await postgres.Server.CreateDatabaseAsync();
        Assert.NotEqual(first, second);
        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_database(), inet_server_addr()::text", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.StartsWith("t_", reader.GetString(0));
        Assert.Equal("127.0.0.1/32", reader.GetString(1));
    }
}
