namespace SolidarityTracker.Tests.Support;

/// <summary>One cluster for every test that needs PostgreSQL (xunit collection fixture); each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
