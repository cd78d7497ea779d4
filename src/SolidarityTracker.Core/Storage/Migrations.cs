using Microsoft.Data.Sqlite;

namespace SolidarityTracker.Storage;

/// <summary>Numbered schema migrations, applied in order inside one transaction each; the schema_version row says how far.</summary>
public static class Migrations
{
    private static readonly string[] Steps =
    [
        // 1: the whole first schema.
        """
        CREATE TABLE agencies (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            state TEXT,
            configured INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            agency_id TEXT NOT NULL REFERENCES agencies(id),
            platform TEXT NOT NULL,
            handle TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            configured INTEGER NOT NULL DEFAULT 1,
            external_id TEXT,
            cursor TEXT,
            etag TEXT,
            last_modified TEXT,
            last_attempt_at TEXT,
            last_success_at TEXT,
            last_error_kind TEXT,
            last_error TEXT,
            last_error_at TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            profile_checked_at TEXT,
            UNIQUE (platform, handle)
        );
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            post_id TEXT NOT NULL,
            account_id INTEGER REFERENCES accounts(id),
            agency_id TEXT,
            account TEXT NOT NULL,
            created_at TEXT NOT NULL,
            url TEXT,
            text TEXT NOT NULL,
            is_repost INTEGER NOT NULL DEFAULT 0,
            is_reply INTEGER NOT NULL DEFAULT 0,
            lang TEXT,
            raw_json TEXT,
            edited_at TEXT,
            deleted_at TEXT,
            fetched_at TEXT NOT NULL,
            UNIQUE (platform, post_id)
        );
        CREATE INDEX posts_by_created_at ON posts (created_at);
        CREATE INDEX posts_by_agency ON posts (agency_id, created_at);
        CREATE TABLE post_versions (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id),
            text TEXT NOT NULL,
            replaced_at TEXT NOT NULL
        );
        CREATE TABLE classifications (
            post_id INTEGER PRIMARY KEY REFERENCES posts(id),
            labels TEXT NOT NULL,
            condolence_score REAL NOT NULL,
            memorial_score REAL NOT NULL,
            safety_reminder_score REAL NOT NULL,
            evidence TEXT NOT NULL,
            classifier_version TEXT NOT NULL,
            classified_at TEXT NOT NULL
        );
        CREATE TABLE profile_snapshots (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            display_name TEXT,
            avatar_url TEXT,
            seen_at TEXT NOT NULL
        );
        CREATE INDEX profile_snapshots_by_account ON profile_snapshots (account_id, seen_at);
        CREATE TABLE poll_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            accounts INTEGER NOT NULL DEFAULT 0,
            new_posts INTEGER NOT NULL DEFAULT 0,
            failures INTEGER NOT NULL DEFAULT 0,
            requests INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE digests_sent (
            local_date TEXT PRIMARY KEY,
            recipients TEXT NOT NULL,
            sent_at TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE posts_fts USING fts5 (text, content = 'posts', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
        CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
            INSERT INTO posts_fts (rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
            INSERT INTO posts_fts (posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER posts_fts_update AFTER UPDATE OF text ON posts BEGIN
            INSERT INTO posts_fts (posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO posts_fts (rowid, text) VALUES (new.id, new.text);
        END;
        """,
        // 2: which local days' digests the worker rendered, so a digest missed while the host was down runs at start-up.
        """
        CREATE TABLE digest_runs (
            local_date TEXT PRIMARY KEY,
            rendered_at TEXT NOT NULL
        );
        """,
        // 3: new posts are indexed per batch by PostStore (IndexNewPosts), about four times cheaper than this per-row
        // trigger. Edits and deletions keep their triggers.
        """
        DROP TRIGGER posts_fts_insert;
        """,
        // 4: each account's own schedule (Miniflux's next_check_at): when it is next due, the interval that got it
        // there, and a decaying count of its recent posts (half-life a week) that the interval is derived from.
        """
        ALTER TABLE accounts ADD COLUMN next_check_at TEXT;
        ALTER TABLE accounts ADD COLUMN check_interval_seconds INTEGER;
        ALTER TABLE accounts ADD COLUMN recent_posts REAL NOT NULL DEFAULT 0;
        CREATE INDEX accounts_by_next_check ON accounts (next_check_at);
        """,
        // 5: label corrections from the dashboard and the API, with who and when. The newest one per post is its labels
        // in every output (LabelCorrections writes it into classifications, and reclassify writes it back).
        """
        CREATE TABLE label_corrections (
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id),
            labels TEXT NOT NULL,
            previous_labels TEXT NOT NULL,
            corrected_by TEXT NOT NULL,
            corrected_at TEXT NOT NULL
        );
        CREATE INDEX label_corrections_by_post ON label_corrections (post_id, id);
        """,
        // 6: requests made and posts read per platform per local day (Digest:TimeZone), for `status` (X bills per post read).
        """
        CREATE TABLE platform_usage (
            platform TEXT NOT NULL,
            local_date TEXT NOT NULL,
            requests INTEGER NOT NULL DEFAULT 0,
            posts_read INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (platform, local_date)
        );
        """,
        // 7: a platform's usage cap while it lasts (X's UsageCapExceeded), so a restart does not ask again before the period ends.
        """
        CREATE TABLE platform_caps (
            platform TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            since TEXT NOT NULL,
            until TEXT NOT NULL
        );
        """,
        // 8: live alerts. Incidents found while polling, with the posts and agencies that make them; the outbox of
        // alerts (written in the transaction of the posts that raise them) and one delivery row per alert and channel;
        // which accounts are in a reported failure.
        """
        CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            aliases TEXT NOT NULL,
            keys TEXT NOT NULL,
            first_post_id INTEGER NOT NULL REFERENCES posts(id),
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            alerted_at TEXT NOT NULL
        );
        CREATE INDEX incidents_by_last_at ON incidents (last_at);
        CREATE TABLE incident_posts (
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            post_id INTEGER NOT NULL REFERENCES posts(id),
            evidence TEXT NOT NULL,
            PRIMARY KEY (incident_id, post_id)
        );
        CREATE INDEX incident_posts_by_post ON incident_posts (post_id);
        CREATE TABLE incident_agencies (
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            agency_id TEXT NOT NULL,
            first_post_id INTEGER NOT NULL REFERENCES posts(id),
            first_at TEXT NOT NULL,
            posts INTEGER NOT NULL,
            alerted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (incident_id, agency_id)
        );
        CREATE TABLE alerts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            incident_id INTEGER REFERENCES incidents(id),
            watch TEXT,
            created_at TEXT NOT NULL,
            held INTEGER NOT NULL DEFAULT 0,
            body TEXT NOT NULL
        );
        CREATE INDEX alerts_by_created_at ON alerts (created_at);
        CREATE TABLE alert_deliveries (
            alert_id TEXT NOT NULL REFERENCES alerts(id),
            channel TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            claimed_until TEXT,
            last_error TEXT,
            sent_at TEXT,
            PRIMARY KEY (alert_id, channel)
        );
        CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at);
        CREATE TABLE source_alerts (
            key TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            reason TEXT NOT NULL,
            since TEXT NOT NULL
        );
        """,
        // 9: accounts that change and Bluesky streaming: what the platform says became of a gone account (suspended,
        // deleted, deactivated), the handle a renamed account has now, and each stream's resumable cursor (Jetstream's time_us).
        """
        ALTER TABLE accounts ADD COLUMN gone TEXT;
        ALTER TABLE accounts ADD COLUMN current_handle TEXT;
        CREATE TABLE stream_cursors (
            name TEXT PRIMARY KEY,
            cursor TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
        // 10: work shared between nodes: which node holds an account's poll and until when (PostgreSQL's nodes take
        // leases with SKIP LOCKED; a single SQLite node never needs them, but the schema stays the same on both).
        """
        ALTER TABLE accounts ADD COLUMN lease_owner TEXT;
        ALTER TABLE accounts ADD COLUMN lease_until TEXT;
        """,
    ];

    public static int Latest => Steps.Length;

    /// <summary>The SQL of one step, for <see cref="Postgres.PostgresMigrations"/> where it is the same in both dialects.</summary>
    internal static string Step(int version) => Steps[version - 1];

    public static void Apply(SqliteConnection connection)
    {
        TrackerDatabase.Execute(connection, "PRAGMA journal_mode = WAL;");
        TrackerDatabase.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        var current = CurrentVersion(connection);
        if (current > Steps.Length)
            throw new InvalidOperationException($"database schema version {current} is newer than this program ({Steps.Length}); upgrade the program");
        for (var version = current + 1; version <= Steps.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            TrackerDatabase.Execute(connection, Steps[version - 1], transaction);
            TrackerDatabase.Execute(connection, "DELETE FROM schema_version;", transaction);
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO schema_version (version) VALUES ($v);";
                command.Parameters.AddWithValue("$v", version);
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    public static int CurrentVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(version) FROM schema_version;";
        var value = command.ExecuteScalar();
        return value is null or DBNull ? 0 : Convert.ToInt32(value);
    }
}
