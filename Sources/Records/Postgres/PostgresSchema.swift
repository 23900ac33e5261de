import Foundation

/// The PostgreSQL schema, as versioned migrations. A migration is never edited once shipped: add
/// a new one. Each runs in its own transaction under an advisory lock, so many processes opening
/// a new database at once do not race; `academy_schema` records which ran.
///
/// The tables are the SQLite ones with PostgreSQL types (INTEGER → bigint, REAL → double
/// precision, BLOB → bytea) and byte-order text (`COLLATE "C"`, SQLite's binary collation), so
/// the same query orders rows the same way and the same replay compares them cell for cell.
/// The database is born with the chain as its single source of truth: there is no v1 with
/// incomplete events, and the event table refuses UPDATE and DELETE.
enum PostgresSchema {
    /// The advisory-lock key that serializes migrations ("ACAD").
    static let migrationLock: Int64 = 0x4143_4144

    static let migrations: [(id: String, statements: String)] = [
        ("pg-v1-records", v1),
        ("pg-v2-county-roles", v2),
        ("pg-v3-hall-tables", v3),
        ("pg-v4-hall-county", v4),
        ("pg-v5-array-appends", v5),
        ("pg-v6-answer-saves", v6),
        ("pg-v7-copied-appends", v7),
    ]

    /// `academy_append_copied`: the head moves over events the city's login wrote with
    /// `COPY events FROM STDIN` in this transaction (PostgreSQL refuses COPY FROM to a role under
    /// row-level security, so only the owner of the tables, or a superuser, comes this way; a
    /// county goes through `academy_append_arrays`). Under the chain lock it checks, in one
    /// set-based pass, that the events past the head are exactly the `p_count` that follow it,
    /// each linked to the one before it (the head's hash for the first) and hashing to its hash
    /// from the same canonical bytes as `EventHash`, and that the last is `p_hash`; then moves
    /// the head. One that differs refuses the whole transaction: the copied events are rolled
    /// back with it. The byte lengths are `octet_length` of the text, which counts UTF-8 bytes
    /// only in a UTF8 database: elsewhere it refuses (and the client does not COPY there).
    static let v7 = #"""
        CREATE FUNCTION academy_append_copied(p_count bigint, p_hash text, OUT o_seq bigint, OUT o_hash text)
            LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
            DECLARE
                head record;
                got record;
            BEGIN
                IF current_setting('server_encoding') <> 'UTF8' THEN
                    RAISE EXCEPTION 'academy_append_copied: the database encoding is %, not UTF8', current_setting('server_encoding');
                END IF;
                SELECT seq, hash INTO head FROM chain_head WHERE id = 1 FOR UPDATE;
                -- academy_event_hash written out, as in academy_append_arrays (pg-v5).
                SELECT count(*) AS n, coalesce(max(seq), head.seq) AS last,
                       min(seq) FILTER (WHERE prev_hash <> want_prev OR computed <> hash) AS bad
                    INTO got
                    FROM (SELECT seq, hash, prev_hash, coalesce(lag(hash) OVER (ORDER BY seq), head.hash) AS want_prev,
                              encode(sha256(convert_to('academy-event-v1' || E'\n'
                              || octet_length(seq::text) || ':' || seq || E'\n'
                              || octet_length(prev_hash) || ':' || prev_hash || E'\n'
                              || octet_length(type) || ':' || type || E'\n'
                              || octet_length(at_ms::text) || ':' || at_ms || E'\n'
                              || octet_length(coalesce(badge, '')) || ':' || coalesce(badge, '') || E'\n'
                              || octet_length(coalesce(cycle_id, '')) || ':' || coalesce(cycle_id, '') || E'\n'
                              || octet_length(payload) || ':' || payload || E'\n', 'UTF8')), 'hex') AS computed
                          FROM events WHERE seq > head.seq) x;
                -- seq is the primary key: that many past the head, the last at head + count, are exactly the next ones.
                IF got.n <> p_count OR got.last <> head.seq + p_count THEN
                    RAISE EXCEPTION 'academy_append_copied: % events past the head #% (up to #%), % expected',
                        got.n, head.seq, got.last, p_count;
                END IF;
                IF got.bad IS NOT NULL THEN
                    RAISE EXCEPTION 'event #%: its link or its hash differs from the one the server computes', got.bad;
                END IF;
                o_seq := head.seq;
                o_hash := head.hash;
                IF p_count = 0 THEN RETURN; END IF;
                SELECT hash INTO o_hash FROM events WHERE seq = head.seq + p_count;
                IF o_hash <> p_hash THEN
                    RAISE EXCEPTION 'academy_append_copied: the last event is %, the client has %', o_hash, p_hash;
                END IF;
                o_seq := head.seq + p_count;
                UPDATE chain_head SET seq = o_seq, hash = o_hash WHERE id = 1;
            END $$;
        REVOKE ALL ON FUNCTION academy_append_copied(bigint, text) FROM PUBLIC;
        """#

    /// `academy_save_answers`: a whole group-commit batch of answer saves in one round trip. It
    /// runs with the caller's rights (SECURITY INVOKER), so a county reads attempts and writes
    /// answers under row-level security like any other statement; an attempt it may not see is
    /// unknown to it. It takes the chain lock first (`academy_lock_chain`), then, in order, checks
    /// each save as `saveAnswer` does (attempt known, open, not past its deadline plus `p_grace`
    /// ms, response UTF-8: `p_payload` NULL when not), hashes the accepted ones from the same
    /// canonical bytes as `EventHash` (seq, hex hash and digits are ASCII: their length in bytes
    /// is their length), appends them through
    /// `academy_append_arrays` (which checks the county's scope and every hash again) and
    /// upserts their answers as the projection does (revision + 1 per save). A refused save
    /// writes nothing and does not stop the others: `o_outcome` has one letter per save, `.`
    /// stored, `u` unknown attempt, `c` closed, `l` past the deadline, `i` not UTF-8. `o_seq` and
    /// `o_hash` are the head afterwards.
    static let v6 = #"""
        CREATE FUNCTION academy_save_answers(
            p_attempt bigint[], p_question text[], p_response bytea[], p_at bigint[], p_payload text[], p_grace bigint,
            OUT o_outcome text, OUT o_seq bigint, OUT o_hash text)
            LANGUAGE plpgsql SECURITY INVOKER SET search_path = public AS $$
            DECLARE
                s record;
                kept integer[] := '{}';
                e_at bigint[] := '{}';
                e_badge text[] := '{}';
                e_cycle text[] := '{}';
                e_payload text[] := '{}';
                e_hash text[] := '{}';
            BEGIN
                SELECT l.o_seq, l.o_hash INTO o_seq, o_hash FROM academy_lock_chain() l;
                o_outcome := '';
                -- After the lock, so each check sees every earlier commit (a new snapshot per statement).
                FOR s IN SELECT u.i, u.at, u.p, a.badge, a.cycle_id, a.state, a.started_ms + 1000 * a.time_limit_s AS deadline
                         FROM unnest(p_attempt, p_at, p_payload) WITH ORDINALITY AS u(id, at, p, i)
                         LEFT JOIN attempts a ON a.id = u.id ORDER BY u.i LOOP
                    IF s.badge IS NULL THEN o_outcome := o_outcome || 'u';
                    ELSIF s.state <> 'open' THEN o_outcome := o_outcome || 'c';
                    ELSIF s.at > s.deadline + p_grace THEN o_outcome := o_outcome || 'l';
                    ELSIF s.p IS NULL THEN o_outcome := o_outcome || 'i';
                    ELSE
                        o_outcome := o_outcome || '.';
                        o_seq := o_seq + 1;
                        -- academy_event_hash written out, as in v5 (calling it costs 60-800 µs here, this 15).
                        o_hash := encode(sha256(convert_to('academy-event-v1' || E'\n'
                            || octet_length(o_seq::text) || ':' || o_seq || E'\n'
                            || octet_length(o_hash) || ':' || o_hash || E'\n'
                            || '12:answer.saved' || E'\n'
                            || octet_length(s.at::text) || ':' || s.at || E'\n'
                            || octet_length(convert_to(s.badge, 'UTF8')) || ':' || s.badge || E'\n'
                            || octet_length(convert_to(s.cycle_id, 'UTF8')) || ':' || s.cycle_id || E'\n'
                            || octet_length(convert_to(s.p, 'UTF8')) || ':' || s.p || E'\n', 'UTF8')), 'hex');
                        kept := kept || s.i::integer;
                        e_at := e_at || s.at;
                        e_badge := e_badge || s.badge;
                        e_cycle := e_cycle || s.cycle_id;
                        e_payload := e_payload || s.p;
                        e_hash := e_hash || o_hash;
                    END IF;
                END LOOP;
                IF cardinality(kept) = 0 THEN RETURN; END IF;
                PERFORM academy_append_arrays(
                    e_at, array_fill('answer.saved'::text, ARRAY[cardinality(kept)]), e_badge, e_cycle, e_payload, e_hash);
                -- The last save of a question wins; its revision counts every save of it.
                INSERT INTO answers (attempt_id, question_key, response, saved_ms, revision)
                    SELECT p_attempt[k[1]], p_question[k[1]], p_response[k[1]], p_at[k[1]], cardinality(k)
                    FROM (SELECT array_agg(i ORDER BY i DESC) AS k FROM unnest(kept) AS i
                          GROUP BY p_attempt[i], p_question[i]) g
                    ON CONFLICT (attempt_id, question_key) DO UPDATE
                        SET response = EXCLUDED.response, saved_ms = EXCLUDED.saved_ms,
                            revision = answers.revision + EXCLUDED.revision;
            END $$;
        REVOKE ALL ON FUNCTION academy_save_answers(bigint[], text[], bytea[], bigint[], text[], bigint) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION academy_save_answers(bigint[], text[], bytea[], bigint[], text[], bigint) TO academy_county;
        """#

    /// `academy_append_arrays`: `academy_append_batch` for a bulk write, set-based. The events
    /// come as one array per column (one round trip for thousands); the server checks a county's
    /// events against its subtree as before, recomputes every hash from the same canonical bytes
    /// (each event's predecessor is the one before it in the arrays, the head's for the first)
    /// and refuses the whole batch if any differs, inserts them in one statement and moves the
    /// head once.
    static let v5 = #"""
        CREATE FUNCTION academy_append_arrays(
            p_at bigint[], p_type text[], p_badge text[], p_cycle text[], p_payload text[], p_hash text[],
            OUT o_seq bigint, OUT o_hash text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
            DECLARE
                scope text := (SELECT department FROM academy_roles WHERE role = session_user);
                is_city boolean := coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
                    OR session_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events');
                head record;
                n integer := coalesce(array_length(p_hash, 1), 0);
                bad record;
            BEGIN
                IF NOT is_city AND scope IS NULL THEN
                    RAISE EXCEPTION 'permission denied: role % has no department (academy db grant)', session_user
                        USING ERRCODE = '42501';
                END IF;
                IF coalesce(array_length(p_at, 1), 0) <> n OR coalesce(array_length(p_type, 1), 0) <> n
                    OR coalesce(array_length(p_badge, 1), 0) <> n OR coalesce(array_length(p_cycle, 1), 0) <> n
                    OR coalesce(array_length(p_payload, 1), 0) <> n THEN
                    RAISE EXCEPTION 'academy_append_arrays: the columns differ in length';
                END IF;
                SELECT seq, hash INTO head FROM chain_head WHERE id = 1 FOR UPDATE;
                o_seq := head.seq;
                o_hash := head.hash;
                IF n = 0 THEN RETURN; END IF;
                IF NOT is_city THEN
                    SELECT t INTO bad FROM unnest(p_type, p_badge) AS u(t, b)
                        WHERE b IS NULL AND t NOT IN ('cycle.created', 'spotcheck.drawn') LIMIT 1;
                    IF FOUND THEN
                        RAISE EXCEPTION 'permission denied: a county role cannot append % events', bad.t USING ERRCODE = '42501';
                    END IF;
                    SELECT b INTO bad FROM unnest(p_badge) AS u(b)
                        WHERE b IS NOT NULL
                          AND NOT EXISTS (SELECT 1 FROM staff s WHERE s.badge = u.b AND academy_under(s.department, scope))
                        LIMIT 1;
                    IF FOUND THEN
                        RAISE EXCEPTION 'permission denied: % is not under %', bad.b, scope USING ERRCODE = '42501';
                    END IF;
                END IF;
                -- academy_event_hash written out (as one expression it costs 1 µs an event, not 55).
                SELECT i, h, got INTO bad FROM (
                    SELECT i, h, encode(sha256(convert_to('academy-event-v1' || E'\n'
                        || octet_length(convert_to(s::text, 'UTF8')) || ':' || s || E'\n'
                        || octet_length(convert_to(prev, 'UTF8')) || ':' || prev || E'\n'
                        || octet_length(convert_to(t, 'UTF8')) || ':' || t || E'\n'
                        || octet_length(convert_to(a::text, 'UTF8')) || ':' || a || E'\n'
                        || octet_length(convert_to(coalesce(b, ''), 'UTF8')) || ':' || coalesce(b, '') || E'\n'
                        || octet_length(convert_to(coalesce(c, ''), 'UTF8')) || ':' || coalesce(c, '') || E'\n'
                        || octet_length(convert_to(p, 'UTF8')) || ':' || p || E'\n', 'UTF8')), 'hex') AS got
                    FROM (SELECT i, h, a, t, b, c, p, head.seq + i AS s, coalesce(lag(h) OVER (ORDER BY i), head.hash) AS prev
                          FROM unnest(p_at, p_type, p_badge, p_cycle, p_payload, p_hash) WITH ORDINALITY AS u(a, t, b, c, p, h, i)) e
                    ) x
                    WHERE got <> h ORDER BY i LIMIT 1;
                IF FOUND THEN
                    RAISE EXCEPTION 'event #% hashes to % on the server, % in the client', head.seq + bad.i, bad.got, bad.h;
                END IF;
                INSERT INTO events (seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash)
                    SELECT head.seq + i, a, t, b, c, p, coalesce(lag(h) OVER (ORDER BY i), head.hash), h
                    FROM unnest(p_at, p_type, p_badge, p_cycle, p_payload, p_hash) WITH ORDINALITY AS u(a, t, b, c, p, h, i);
                o_seq := head.seq + n;
                o_hash := p_hash[n];
                UPDATE chain_head SET seq = o_seq, hash = o_hash WHERE id = 1;
            END $$;
        REVOKE ALL ON FUNCTION academy_append_arrays(bigint[], text[], text[], text[], text[], text[]) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION academy_append_arrays(bigint[], text[], text[], text[], text[], text[]) TO academy_county;
        """#

    /// The exam hall's projected tables (`ProjectedTable.hallCodes` / `.hallKeys`), so that every
    /// projected table exists on both backends: `audit verify` and `store copy` go through
    /// `ProjectedTable.all`. (Shipped when the hall ran on SQLite only; v4 opens them to counties.)
    static let v3 = """
        CREATE TABLE hall_codes (
            cycle_id text COLLATE "C" NOT NULL,
            badge text COLLATE "C" NOT NULL,
            salt bytea NOT NULL,
            hash bytea NOT NULL,
            rounds bigint NOT NULL,
            issued_ms bigint NOT NULL,
            event_seq bigint NOT NULL,
            PRIMARY KEY (cycle_id, badge)
        );
        CREATE TABLE hall_keys (
            badge text COLLATE "C" NOT NULL,
            fingerprint text COLLATE "C" NOT NULL,
            public_key text COLLATE "C" NOT NULL,
            added_ms bigint NOT NULL,
            event_seq bigint NOT NULL,
            PRIMARY KEY (badge, fingerprint)
        );
        ALTER TABLE hall_codes ENABLE ROW LEVEL SECURITY;
        ALTER TABLE hall_keys ENABLE ROW LEVEL SECURITY;
        REVOKE ALL ON hall_codes, hall_keys FROM PUBLIC;
        """

    /// The rest of the exam hall on the shared server: failed logins and live sessions (rows
    /// outside the record, shared by `hall serve` and `hall status`), and each county kept to its
    /// own people in all four hall tables, as in v2: codes, keys and sessions through their
    /// person; failures through their person or the role that recorded them (a county's hall
    /// records what was typed at its door, known badge or not, and its invigilator sees that).
    static let v4 = """
        CREATE INDEX hall_codes_badge ON hall_codes(badge);
        CREATE TABLE hall_failures (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at_ms bigint NOT NULL,
            badge text COLLATE "C" NOT NULL,
            source text COLLATE "C" NOT NULL,
            reason text COLLATE "C" NOT NULL,
            recorded_by name NOT NULL DEFAULT session_user
        );
        CREATE INDEX hall_failures_badge ON hall_failures(badge, at_ms);
        CREATE TABLE hall_sessions (
            badge text COLLATE "C" PRIMARY KEY,
            cycle_id text COLLATE "C",
            source text COLLATE "C" NOT NULL,
            server_pid bigint NOT NULL,
            connected_ms bigint NOT NULL,
            updated_ms bigint NOT NULL,
            state text COLLATE "C" NOT NULL,
            question bigint,
            question_count bigint,
            answered bigint,
            deadline_ms bigint,
            kick_ms bigint
        );
        ALTER TABLE hall_failures ENABLE ROW LEVEL SECURITY;
        ALTER TABLE hall_sessions ENABLE ROW LEVEL SECURITY;
        REVOKE ALL ON hall_failures, hall_sessions FROM PUBLIC;
        CREATE POLICY county ON hall_codes TO academy_county
            USING (EXISTS (SELECT 1 FROM staff s WHERE s.badge = hall_codes.badge))
            WITH CHECK (EXISTS (SELECT 1 FROM staff s WHERE s.badge = hall_codes.badge));
        CREATE POLICY county ON hall_keys TO academy_county
            USING (EXISTS (SELECT 1 FROM staff s WHERE s.badge = hall_keys.badge))
            WITH CHECK (EXISTS (SELECT 1 FROM staff s WHERE s.badge = hall_keys.badge));
        CREATE POLICY county ON hall_sessions TO academy_county
            USING (EXISTS (SELECT 1 FROM staff s WHERE s.badge = hall_sessions.badge))
            WITH CHECK (EXISTS (SELECT 1 FROM staff s WHERE s.badge = hall_sessions.badge));
        CREATE POLICY county_read ON hall_failures FOR SELECT TO academy_county
            USING (recorded_by = session_user OR EXISTS (SELECT 1 FROM staff s WHERE s.badge = hall_failures.badge));
        CREATE POLICY county_record ON hall_failures FOR INSERT TO academy_county
            WITH CHECK (recorded_by = session_user);
        GRANT SELECT, INSERT, UPDATE, DELETE ON hall_codes, hall_keys, hall_sessions TO academy_county;
        GRANT SELECT, INSERT ON hall_failures TO academy_county;
        GRANT USAGE ON SEQUENCE hall_failures_id_seq TO academy_county;
        """

    static let v1 = """
        CREATE TABLE academy_meta (
            key text COLLATE "C" PRIMARY KEY,
            value text NOT NULL
        );
        INSERT INTO academy_meta (key, value) VALUES ('application', 'academy');
        CREATE TABLE events (
            seq bigint PRIMARY KEY,
            at_ms bigint NOT NULL,
            type text COLLATE "C" NOT NULL,
            badge text COLLATE "C",
            cycle_id text COLLATE "C",
            payload text NOT NULL,
            prev_hash text COLLATE "C" NOT NULL,
            hash text COLLATE "C" NOT NULL
        );
        CREATE INDEX events_badge ON events(badge);
        CREATE INDEX events_hash ON events(hash);
        CREATE FUNCTION academy_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'events are append-only'; END $$;
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
            FOR EACH ROW EXECUTE FUNCTION academy_append_only();
        CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
            FOR EACH STATEMENT EXECUTE FUNCTION academy_append_only();
        CREATE TABLE chain_head (
            id integer PRIMARY KEY CHECK (id = 1),
            seq bigint NOT NULL,
            hash text COLLATE "C" NOT NULL
        );
        INSERT INTO chain_head (id, seq, hash)
            VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

        CREATE TABLE departments (
            path text COLLATE "C" PRIMARY KEY,
            parent text COLLATE "C",
            name text COLLATE "C" NOT NULL
        );
        CREATE TABLE staff (
            id bigint NOT NULL UNIQUE,
            badge text COLLATE "C" PRIMARY KEY,
            name text COLLATE "C" NOT NULL,
            department text COLLATE "C" NOT NULL,
            role text COLLATE "C" NOT NULL CHECK (role IN ('officer', 'assistant')),
            status text COLLATE "C" NOT NULL CHECK (status IN ('active', 'inactive')),
            joined_ms bigint NOT NULL,
            left_ms bigint,
            event_seq bigint NOT NULL
        );
        CREATE INDEX staff_department ON staff(department, badge);

        CREATE TABLE cycles (
            id text COLLATE "C" PRIMARY KEY,
            title text COLLATE "C" NOT NULL,
            course_id text COLLATE "C" NOT NULL,
            blueprint_id text COLLATE "C" NOT NULL,
            departments text COLLATE "C" NOT NULL,
            roles text COLLATE "C" NOT NULL,
            opens text COLLATE "C" NOT NULL,
            due text COLLATE "C" NOT NULL,
            time_zone text COLLATE "C" NOT NULL,
            created_ms bigint NOT NULL
        );

        CREATE TABLE progress (
            cycle_id text COLLATE "C" NOT NULL,
            badge text COLLATE "C" NOT NULL,
            item_id text COLLATE "C" NOT NULL,
            finished_ms bigint NOT NULL,
            event_seq bigint NOT NULL,
            PRIMARY KEY (cycle_id, badge, item_id)
        );
        CREATE INDEX progress_badge ON progress(badge);

        CREATE TABLE attempts (
            id bigint PRIMARY KEY,
            badge text COLLATE "C" NOT NULL,
            cycle_id text COLLATE "C" NOT NULL,
            number bigint NOT NULL,
            blueprint_id text COLLATE "C" NOT NULL,
            blueprint_version bigint NOT NULL,
            bank_hash text COLLATE "C" NOT NULL,
            seed text COLLATE "C" NOT NULL,
            paper bytea NOT NULL,
            question_ids text COLLATE "C" NOT NULL,
            started_ms bigint NOT NULL,
            time_limit_s bigint NOT NULL,
            state text COLLATE "C" NOT NULL CHECK (state IN ('open', 'submitted')),
            submitted_ms bigint,
            end_reason text COLLATE "C",
            score double precision,
            max_score double precision,
            passed bigint,
            event_seq bigint NOT NULL,
            UNIQUE (cycle_id, badge, number)
        );
        CREATE UNIQUE INDEX attempts_one_open ON attempts(cycle_id, badge) WHERE state = 'open';
        CREATE INDEX attempts_badge ON attempts(badge);

        CREATE TABLE grades (
            attempt_id bigint NOT NULL,
            ordinal bigint NOT NULL,
            report bytea NOT NULL,
            score double precision NOT NULL,
            max_score double precision NOT NULL,
            passed bigint NOT NULL,
            graded_ms bigint NOT NULL,
            reason text COLLATE "C" NOT NULL,
            is_regrade bigint NOT NULL,
            event_seq bigint NOT NULL,
            PRIMARY KEY (attempt_id, ordinal)
        );

        CREATE TABLE answers (
            attempt_id bigint NOT NULL,
            question_key text COLLATE "C" NOT NULL,
            response bytea NOT NULL,
            saved_ms bigint NOT NULL,
            revision bigint NOT NULL,
            PRIMARY KEY (attempt_id, question_key)
        );

        CREATE TABLE exemptions (
            cycle_id text COLLATE "C" NOT NULL,
            badge text COLLATE "C" NOT NULL,
            reason text COLLATE "C" NOT NULL,
            granted_by text COLLATE "C" NOT NULL,
            granted_ms bigint NOT NULL,
            event_seq bigint NOT NULL,
            PRIMARY KEY (cycle_id, badge)
        );

        CREATE TABLE spot_checks (
            id bigint PRIMARY KEY,
            cycle_id text COLLATE "C" NOT NULL,
            seed text COLLATE "C" NOT NULL,
            percent double precision NOT NULL,
            inspectors text COLLATE "C" NOT NULL,
            drawn_ms bigint NOT NULL
        );
        CREATE TABLE spot_check_selections (
            spot_check_id bigint NOT NULL,
            badge text COLLATE "C" NOT NULL,
            cycle_id text COLLATE "C" NOT NULL,
            PRIMARY KEY (spot_check_id, badge)
        );
        CREATE INDEX spot_check_selections_badge ON spot_check_selections(badge);
        CREATE INDEX spot_check_selections_cycle ON spot_check_selections(cycle_id);

        CREATE TABLE academy_schema (
            version text COLLATE "C" PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """

    /// Appends go through the server, and each county is kept to its subtree by row-level security.
    ///
    /// - `academy_append_batch` (SECURITY DEFINER) takes the events a transaction wrote, recomputes
    ///   every hash from the same canonical bytes as `EventHash` and refuses a batch whose hashes
    ///   differ, checks a county's events against its subtree, inserts them and moves the head once.
    ///   `academy_lock_chain` takes the head's row lock at the start of every write transaction, so
    ///   appends from any number of sessions are serialized and the chain cannot fork.
    /// - A county role (member of `academy_county`, its subtree in `academy_roles`) reads and writes
    ///   only rows under its subtree: staff by department; attempts, progress, exemptions and
    ///   spot-check selections through their person; answers and grades through their attempt;
    ///   events through their person (and the cycle announcements). It cannot write `events` or
    ///   `chain_head` except through the append function. The owner (the city) is not subject to
    ///   the policies and sees everything, so `audit verify` replays the whole chain as the city.
    static let v2 = #"""
        CREATE TABLE academy_roles (
            role name PRIMARY KEY,
            department text COLLATE "C" NOT NULL
        );
        -- Roles are the cluster's: several databases may share the group (and race to create it).
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'academy_county') THEN
                CREATE ROLE academy_county NOLOGIN;
            END IF;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END $$;

        CREATE FUNCTION academy_scope() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
            $$ SELECT department FROM academy_roles WHERE role = session_user $$;
        CREATE FUNCTION academy_under(path text, root text) RETURNS boolean LANGUAGE sql IMMUTABLE AS
            $$ SELECT root IS NOT NULL AND (path COLLATE "C" = root COLLATE "C"
                 OR (path COLLATE "C" >= (root || '/') COLLATE "C" AND path COLLATE "C" < (root || '0') COLLATE "C")) $$;
        -- The department is in the county's subtree, or (for the ancestors an import writes) above it.
        CREATE FUNCTION academy_in_scope(path text) RETURNS boolean LANGUAGE sql STABLE AS
            $$ SELECT academy_under(path, academy_scope()) $$;
        CREATE FUNCTION academy_above_scope(path text) RETURNS boolean LANGUAGE sql STABLE AS
            $$ SELECT academy_under(academy_scope(), path) $$;
        CREATE FUNCTION academy_cycle_in_scope(departments text) RETURNS boolean LANGUAGE sql STABLE AS
            $$ SELECT json_array_length(departments::json) > 0
                  AND coalesce(bool_and(academy_in_scope(d)), false)
               FROM json_array_elements_text(departments::json) d $$;
        -- Ids follow the order rows were added, over every county: computed as the owner.
        CREATE FUNCTION academy_max_id(t text) RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
            SET search_path = public AS $$
            DECLARE m bigint;
            BEGIN
                IF t NOT IN ('staff', 'attempts', 'spot_checks') THEN RAISE EXCEPTION 'academy_max_id: %', t; END IF;
                EXECUTE format('SELECT coalesce(max(id), 0) FROM %I', t) INTO m;
                RETURN m;
            END $$;

        CREATE FUNCTION academy_lock_chain(OUT o_seq bigint, OUT o_hash text) LANGUAGE sql SECURITY DEFINER
            SET search_path = public AS
            $$ SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE $$;

        CREATE FUNCTION academy_field(t text) RETURNS bytea LANGUAGE sql IMMUTABLE AS
            $$ SELECT convert_to(octet_length(convert_to(t, 'UTF8'))::text || ':', 'UTF8') || convert_to(t, 'UTF8') || '\x0a'::bytea $$;
        CREATE FUNCTION academy_event_hash(seq bigint, prev text, type text, at_ms bigint, badge text, cycle text, payload text)
            RETURNS text LANGUAGE sql IMMUTABLE AS
            $$ SELECT encode(sha256(convert_to('academy-event-v1' || E'\n', 'UTF8')
                   || academy_field(seq::text) || academy_field(prev) || academy_field(type) || academy_field(at_ms::text)
                   || academy_field(coalesce(badge, '')) || academy_field(coalesce(cycle, '')) || academy_field(payload)), 'hex') $$;

        -- p_batch: a JSON array of [at_ms, type, badge, cycle_id, payload, hash] as the client computed them.
        CREATE FUNCTION academy_append_batch(p_batch text, OUT o_seq bigint, OUT o_hash text)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
            DECLARE
                scope text := (SELECT department FROM academy_roles WHERE role = session_user);
                is_city boolean := coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
                    OR session_user = (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events');
                head record;
                e json;
                badge text;
                typ text;
                h text;
            BEGIN
                IF NOT is_city AND scope IS NULL THEN
                    RAISE EXCEPTION 'permission denied: role % has no department (academy db grant)', session_user
                        USING ERRCODE = '42501';
                END IF;
                SELECT seq, hash INTO head FROM chain_head WHERE id = 1 FOR UPDATE;
                o_seq := head.seq;
                o_hash := head.hash;
                FOR e IN SELECT value FROM json_array_elements(p_batch::json) LOOP
                    badge := e->>2;
                    typ := e->>1;
                    IF NOT is_city THEN
                        IF badge IS NULL THEN
                            IF typ NOT IN ('cycle.created', 'spotcheck.drawn') THEN
                                RAISE EXCEPTION 'permission denied: a county role cannot append % events', typ USING ERRCODE = '42501';
                            END IF;
                        ELSIF NOT EXISTS (SELECT 1 FROM staff s WHERE s.badge = e->>2 AND academy_under(s.department, scope)) THEN
                            RAISE EXCEPTION 'permission denied: % is not under %', badge, scope USING ERRCODE = '42501';
                        END IF;
                    END IF;
                    h := academy_event_hash(o_seq + 1, o_hash, typ, (e->>0)::bigint, badge, e->>3, e->>4);
                    IF h <> e->>5 THEN
                        RAISE EXCEPTION 'event #% hashes to % on the server, % in the client', o_seq + 1, h, e->>5;
                    END IF;
                    INSERT INTO events (seq, at_ms, type, badge, cycle_id, payload, prev_hash, hash)
                        VALUES (o_seq + 1, (e->>0)::bigint, typ, badge, e->>3, e->>4, o_hash, h);
                    o_seq := o_seq + 1;
                    o_hash := h;
                END LOOP;
                UPDATE chain_head SET seq = o_seq, hash = o_hash WHERE id = 1;
            END $$;

        ALTER TABLE staff ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county ON staff TO academy_county
            USING (academy_in_scope(department)) WITH CHECK (academy_in_scope(department));
        ALTER TABLE departments ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county ON departments TO academy_county
            USING (academy_in_scope(path) OR academy_above_scope(path))
            WITH CHECK (academy_in_scope(path) OR academy_above_scope(path));
        ALTER TABLE cycles ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county_read ON cycles FOR SELECT TO academy_county USING (true);
        CREATE POLICY county_create ON cycles FOR INSERT TO academy_county WITH CHECK (academy_cycle_in_scope(departments));
        ALTER TABLE spot_checks ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county_read ON spot_checks FOR SELECT TO academy_county USING (true);
        CREATE POLICY county_draw ON spot_checks FOR INSERT TO academy_county WITH CHECK (true);
        ALTER TABLE attempts ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county ON attempts TO academy_county
            USING (EXISTS (SELECT 1 FROM staff s WHERE s.badge = attempts.badge))
            WITH CHECK (EXISTS (SELECT 1 FROM staff s WHERE s.badge = attempts.badge));
        ALTER TABLE progress ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county ON progress TO academy_county
            USING (EXISTS (SELECT 1 FROM staff s WHERE s.badge = progress.badge))
            WITH CHECK (EXISTS (SELECT 1 FROM staff s WHERE s.badge = progress.badge));
        ALTER TABLE exemptions ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county ON exemptions TO academy_county
            USING (EXISTS (SELECT 1 FROM staff s WHERE s.badge = exemptions.badge))
            WITH CHECK (EXISTS (SELECT 1 FROM staff s WHERE s.badge = exemptions.badge));
        ALTER TABLE spot_check_selections ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county ON spot_check_selections TO academy_county
            USING (EXISTS (SELECT 1 FROM staff s WHERE s.badge = spot_check_selections.badge))
            WITH CHECK (EXISTS (SELECT 1 FROM staff s WHERE s.badge = spot_check_selections.badge));
        ALTER TABLE answers ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county ON answers TO academy_county
            USING (EXISTS (SELECT 1 FROM attempts a WHERE a.id = answers.attempt_id))
            WITH CHECK (EXISTS (SELECT 1 FROM attempts a WHERE a.id = answers.attempt_id));
        ALTER TABLE grades ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county ON grades TO academy_county
            USING (EXISTS (SELECT 1 FROM attempts a WHERE a.id = grades.attempt_id))
            WITH CHECK (EXISTS (SELECT 1 FROM attempts a WHERE a.id = grades.attempt_id));
        ALTER TABLE events ENABLE ROW LEVEL SECURITY;
        CREATE POLICY county_read ON events FOR SELECT TO academy_county
            USING ((badge IS NOT NULL AND EXISTS (SELECT 1 FROM staff s WHERE s.badge = events.badge))
                   OR type = 'cycle.created');

        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
        GRANT USAGE ON SCHEMA public TO academy_county;
        GRANT SELECT, INSERT, UPDATE, DELETE ON staff, departments, attempts, progress, exemptions,
            spot_check_selections, answers, grades TO academy_county;
        GRANT SELECT, INSERT ON cycles, spot_checks TO academy_county;
        GRANT SELECT ON events, chain_head, academy_schema, academy_meta TO academy_county;
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO academy_county;
        """#

    /// Brings the schema up to date, or refuses (without writing) a database written by a newer
    /// Academy or by another application.
    static func migrate(_ s: PostgresSession) throws {
        let known = Set(migrations.map(\.id))
        func applied() throws -> [String]? {
            let hasSchema = try s.scalar("SELECT to_regclass('academy_schema') IS NOT NULL")
            guard hasSchema == .int(1) else { return nil }
            return try s.query("SELECT version FROM academy_schema ORDER BY version").compactMap { $0[0].textValue }
        }
        func check(_ done: [String]?) throws -> Bool {
            guard let done else {
                // No Academy bookkeeping: an empty database is ours to create; anything else is not.
                let tables = try s.scalar(
                    "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
                if tables.intValue ?? 0 > 0 {
                    throw StoreError.foreignDatabase(path: s.target.description)
                }
                return false
            }
            let unknown = done.filter { !known.contains($0) }
            if !unknown.isEmpty { throw StoreError.newerSchema(path: s.target.description, unknownMigrations: unknown) }
            return Set(done) == known
        }
        if try check(applied()) { return }
        try s.execute("SELECT pg_advisory_lock($1)", [.int(migrationLock)])
        defer { _ = try? s.execute("SELECT pg_advisory_unlock($1)", [.int(migrationLock)]) }
        let done = Set(try applied() ?? [])
        _ = try check(done.isEmpty ? (try applied()) : Array(done))
        for m in migrations where !done.contains(m.id) {
            try s.transaction {
                try s.script(m.statements)
                try s.execute("INSERT INTO academy_schema (version) VALUES ($1)", [.text(m.id)])
            }
        }
    }
}
