import Foundation
import GRDB

/// The schema. A migration is never edited once shipped: add a new one instead. Table names are
/// literals and no app type is imported, so old migrations keep meaning what they meant.
enum Migrations {
    /// `PRAGMA application_id` of an Academy database ("ACAD").
    static let applicationID: Int32 = 0x4143_4144

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-records") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY,
                        at_ms INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        badge TEXT,
                        cycle_id TEXT,
                        payload TEXT NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX events_badge ON events(badge);
                    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
                        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                    CREATE TABLE chain_head (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        seq INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    );
                    INSERT INTO chain_head (id, seq, hash)
                        VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

                    CREATE TABLE departments (
                        path TEXT PRIMARY KEY,
                        parent TEXT,
                        name TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE staff (
                        id INTEGER PRIMARY KEY,
                        badge TEXT NOT NULL UNIQUE,
                        name TEXT NOT NULL,
                        department TEXT NOT NULL,
                        role TEXT NOT NULL CHECK (role IN ('officer', 'assistant')),
                        status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
                        joined_ms INTEGER NOT NULL,
                        left_ms INTEGER,
                        event_seq INTEGER NOT NULL
                    );

                    CREATE TABLE cycles (
                        id TEXT PRIMARY KEY,
                        title TEXT NOT NULL,
                        course_id TEXT NOT NULL,
                        blueprint_id TEXT NOT NULL,
                        departments TEXT NOT NULL,
                        roles TEXT NOT NULL,
                        opens TEXT NOT NULL,
                        due TEXT NOT NULL,
                        time_zone TEXT NOT NULL,
                        created_ms INTEGER NOT NULL
                    ) WITHOUT ROWID;

                    CREATE TABLE progress (
                        badge TEXT NOT NULL,
                        cycle_id TEXT NOT NULL,
                        item_id TEXT NOT NULL,
                        finished_ms INTEGER NOT NULL,
                        event_seq INTEGER NOT NULL,
                        PRIMARY KEY (cycle_id, badge, item_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX progress_badge ON progress(badge);

                    CREATE TABLE attempts (
                        id INTEGER PRIMARY KEY,
                        badge TEXT NOT NULL,
                        cycle_id TEXT NOT NULL,
                        number INTEGER NOT NULL,
                        blueprint_id TEXT NOT NULL,
                        blueprint_version INTEGER NOT NULL,
                        bank_hash TEXT NOT NULL,
                        seed TEXT NOT NULL,
                        paper BLOB NOT NULL,
                        question_ids TEXT NOT NULL,
                        started_ms INTEGER NOT NULL,
                        time_limit_s INTEGER NOT NULL,
                        state TEXT NOT NULL CHECK (state IN ('open', 'submitted')),
                        submitted_ms INTEGER,
                        end_reason TEXT,
                        score REAL,
                        max_score REAL,
                        passed INTEGER,
                        event_seq INTEGER NOT NULL,
                        UNIQUE (cycle_id, badge, number)
                    );
                    CREATE UNIQUE INDEX attempts_one_open ON attempts(cycle_id, badge) WHERE state = 'open';
                    CREATE INDEX attempts_badge ON attempts(badge);

                    CREATE TABLE grades (
                        attempt_id INTEGER NOT NULL,
                        ordinal INTEGER NOT NULL,
                        report BLOB NOT NULL,
                        score REAL NOT NULL,
                        max_score REAL NOT NULL,
                        passed INTEGER NOT NULL,
                        graded_ms INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        is_regrade INTEGER NOT NULL,
                        event_seq INTEGER NOT NULL,
                        PRIMARY KEY (attempt_id, ordinal)
                    ) WITHOUT ROWID;

                    CREATE TABLE answers (
                        attempt_id INTEGER NOT NULL,
                        question_key TEXT NOT NULL,
                        response BLOB NOT NULL,
                        saved_ms INTEGER NOT NULL,
                        revision INTEGER NOT NULL,
                        PRIMARY KEY (attempt_id, question_key)
                    ) WITHOUT ROWID;

                    CREATE TABLE exemptions (
                        cycle_id TEXT NOT NULL,
                        badge TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        granted_by TEXT NOT NULL,
                        granted_ms INTEGER NOT NULL,
                        event_seq INTEGER NOT NULL,
                        PRIMARY KEY (cycle_id, badge)
                    ) WITHOUT ROWID;

                    CREATE TABLE spot_checks (
                        id INTEGER PRIMARY KEY,
                        cycle_id TEXT NOT NULL,
                        seed TEXT NOT NULL,
                        percent REAL NOT NULL,
                        inspectors TEXT NOT NULL,
                        drawn_ms INTEGER NOT NULL
                    );
                    -- Key columns first: SQLite 3.40's integrity_check misreports NOT NULL columns
                    -- declared between the key columns of a WITHOUT ROWID table.
                    CREATE TABLE spot_check_selections (
                        spot_check_id INTEGER NOT NULL,
                        badge TEXT NOT NULL,
                        cycle_id TEXT NOT NULL,
                        PRIMARY KEY (spot_check_id, badge)
                    ) WITHOUT ROWID;
                    CREATE INDEX spot_check_selections_badge ON spot_check_selections(badge);
                    CREATE INDEX spot_check_selections_cycle ON spot_check_selections(cycle_id);
                    """)
        }
        migrator.registerMigration("v2-complete-events") { db in
            // From here on every event carries everything its rows hold, and every table is written
            // from the events (see Projector). Events already in the file keep their hashes and
            // stay in the chain; this marker tells replay that events before it may lack fields,
            // so it can say so once instead of failing on them forever. A new, empty database
            // gets no marker: all its events are complete.
            let count = try Int64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            guard count > 0 else { return }
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
            var events = try EventWriter(db)
            try events.append(
                "store.upgraded", atMillis: now, badge: nil, cycleID: nil,
                payload: "{\"from\":\"v1-records\",\"legacyEvents\":\(count),\"to\":\"v2-complete-events\"}")
            try events.finish()
        }
        migrator.registerMigration("v2-hall") { db in
            // The exam hall (`academy hall`). Codes and keys are projected tables (ProjectedTable
            // .hallCodes / .hallKeys) of chain events (hall.code.issued / hall.code.revoked /
            // staff.key.added), replayed by `audit verify`; sessions and failures are operational
            // state outside the record, written by the server and read by `hall status`.
            try db.execute(
                sql: """
                    CREATE TABLE hall_codes (
                        cycle_id TEXT NOT NULL,
                        badge TEXT NOT NULL,
                        salt BLOB NOT NULL,
                        hash BLOB NOT NULL,
                        rounds INTEGER NOT NULL,
                        issued_ms INTEGER NOT NULL,
                        event_seq INTEGER NOT NULL,
                        PRIMARY KEY (cycle_id, badge)
                    ) WITHOUT ROWID;
                    CREATE INDEX hall_codes_badge ON hall_codes(badge);
                    CREATE TABLE hall_keys (
                        badge TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        public_key TEXT NOT NULL,
                        added_ms INTEGER NOT NULL,
                        event_seq INTEGER NOT NULL,
                        PRIMARY KEY (badge, fingerprint)
                    ) WITHOUT ROWID;
                    CREATE TABLE hall_failures (
                        id INTEGER PRIMARY KEY,
                        at_ms INTEGER NOT NULL,
                        badge TEXT NOT NULL,
                        source TEXT NOT NULL,
                        reason TEXT NOT NULL
                    );
                    CREATE INDEX hall_failures_badge ON hall_failures(badge, at_ms);
                    CREATE TABLE hall_sessions (
                        badge TEXT PRIMARY KEY,
                        cycle_id TEXT,
                        source TEXT NOT NULL,
                        server_pid INTEGER NOT NULL,
                        connected_ms INTEGER NOT NULL,
                        updated_ms INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        question INTEGER,
                        question_count INTEGER,
                        answered INTEGER,
                        deadline_ms INTEGER,
                        kick_ms INTEGER
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }
}
