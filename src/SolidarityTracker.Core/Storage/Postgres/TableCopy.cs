namespace SolidarityTracker.Storage.Postgres;

/// <summary>What one table's copy did: rows read from the SQLite file, rows that were new to PostgreSQL.</summary>
public sealed record TableCopy(string Table, long Read, long Added);
