namespace SolidarityTracker.Storage.Postgres;

/// <summary>A PostgreSQL store that cannot be reached or refuses the login: one line naming the database and host.</summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
