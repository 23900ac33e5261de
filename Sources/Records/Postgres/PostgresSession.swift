import Foundation
import Localization
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One PostgreSQL connection, used synchronously (the store's protocol is synchronous). Every
/// value crosses as a `Cell`, the same value type the projection and replay use, so what is read
/// here compares with a replay exactly as SQLite's rows do.
///
/// Calls block the calling thread until the server answers; the connection's event loop is
/// Academy's own, so a caller on some other NIO event loop (the SSH hall) never waits on itself.
final class PostgresSession: @unchecked Sendable {
    let target: PostgresTarget
    private let connection: PostgresConnection
    private let lock = NSLock()
    private var trips = 0
    /// Statements sent so far, each one round trip (tests count what a write costs).
    var roundTrips: Int {
        lock.lock()
        defer { lock.unlock() }
        return trips
    }
    /// Statements sent without waiting (`send`, `copy`), oldest first, each with the check of its rows.
    private var inFlight: [(result: EventLoopFuture<[[Cell]]>, check: ([[Cell]]) throws -> Void)] = []
    /// Issues what `send` and `copy` queue, in order, so that the caller never waits for a
    /// statement to be issued: a `COPY` can only be issued once the statements before it have
    /// completed (`issueCopy`), and whatever follows it must be issued after it.
    private let issuer = DispatchQueue(label: "academy.postgres.issuer")
    /// Bulk rows and events go through `COPY … FROM STDIN` from this many rows a statement
    /// (`PostgresProjection.flush`, `PostgresChainBatch.sendEvents`); nil: never, always as
    /// arrays. Set at open for a login that may COPY: PostgreSQL refuses `COPY FROM` into a table
    /// whose row-level security applies to the role, so a county's login never does.
    var copyMinimumRows: Int?
    /// Statements sent as `COPY` (tests check which way a write went).
    private(set) var copies = 0
    /// At most this many sent statements wait at once; `send` then waits for the oldest, so a
    /// producer faster than the server holds a bounded number of batches.
    static let maxInFlight = 4
    /// `copyMinimumRows` for a login that may COPY.
    static let copyRows = 1_000
    /// Column kinds per table (`columnKinds`).
    var kindsCache: [String: [String: CellColumn.Kind]] = [:]
    let kindsLock = NSLock()
    private static let logger = Logger(label: "academy.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    init(_ target: PostgresTarget) throws {
        self.target = target
        var tls: PostgresConnection.Configuration.TLS = .disable
        if target.sslMode != .disable {
            // libpq's `require` encrypts without checking the certificate (that is verify-ca/-full).
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            do {
                let context = try NIOSSLContext(configuration: config)
                tls = target.sslMode == .require ? .require(context) : .prefer(context)
            } catch {
                throw StoreError.server(target: target.description, detail: "TLS: \(error)")
            }
        }
        var configuration = PostgresConnection.Configuration(
            host: target.host, port: target.port, username: target.user, password: target.password,
            database: target.database, tls: tls)
        configuration.options.connectTimeout = .seconds(Int64(target.connectTimeoutSeconds))
        // The library's timeout covers the TCP connect; a server that accepts and then says
        // nothing (a wedged server, a wrong port that is some other service) would still hang in
        // the startup exchange, so the whole login has the same deadline.
        let loop = Self.group.next()
        let promise = loop.makePromise(of: PostgresConnection.self)
        let seconds = target.connectTimeoutSeconds
        let deadline = loop.scheduleTask(in: .seconds(Int64(seconds))) {
            promise.fail(ConnectDeadline())
        }
        let attempt = PostgresConnection.connect(on: loop, configuration: configuration, id: 1, logger: Self.logger)
        attempt.whenComplete { result in
            deadline.cancel()
            switch result {
            case let .success(c):
                promise.succeed(c)
                // Too late: the deadline already failed the promise; close what arrived.
                promise.futureResult.whenFailure { _ in let _: EventLoopFuture<Void> = c.close() }
            case let .failure(e): promise.fail(e)
            }
        }
        do {
            connection = try promise.futureResult.wait()
        } catch is ConnectDeadline {
            throw StoreError.server(
                target: target.description, detail: "连接超时（\(seconds) 秒）/ connect timeout after \(seconds) s")
        } catch {
            throw Self.map(error, target: target)
        }
    }

    deinit {
        try? connection.close().wait()
    }

    private struct ConnectDeadline: Error {}

    // MARK: Statements

    /// Runs one statement with `$1…` parameters and returns every row.
    @discardableResult
    func query(_ sql: String, _ binds: [Cell] = [], blobs: [String: Data] = [:]) throws -> [[Cell]] {
        try run(Self.makeQuery(sql, binds, blobs)).rows.map(Self.cells)
    }

    /// Runs one statement and returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ binds: [Cell] = [], blobs: [String: Data] = [:]) throws -> Int {
        try run(Self.makeQuery(sql, binds, blobs)).metadata.rows ?? 0
    }

    /// Runs one statement whose parameters are whole columns (see `CellColumn`).
    @discardableResult
    func execute(_ sql: String, arrays: [CellColumn]) throws -> Int {
        try run(Self.makeQuery(sql, arrays: arrays)).metadata.rows ?? 0
    }

    /// As `execute(_:arrays:)`, returning the rows.
    func query(_ sql: String, arrays: [CellColumn]) throws -> [[Cell]] {
        try run(Self.makeQuery(sql, arrays: arrays)).rows.map(Self.cells)
    }

    /// Runs `query` and waits for its result, after what was sent before it (`drainLocked`); a
    /// failure is put into one line (`map`).
    private func run(_ query: PostgresQuery) throws -> PostgresQueryResult {
        lock.lock()
        defer { lock.unlock() }
        try drainLocked()
        trips += 1
        do {
            return try connection.query(query, logger: Self.logger).wait()
        } catch {
            throw Self.map(error, target: target)
        }
    }

    /// Sends a statement whose parameters are whole columns without waiting for the server, so
    /// the caller builds its next batch while the server runs this one; `check` gets the rows
    /// when it completes. Every call that waits (`query`, `execute`, `drain`) first waits for
    /// the statements sent before it and throws the first failure, so a transaction never
    /// commits past a failed statement and reads see every earlier write.
    func send(_ sql: String, arrays: [CellColumn], check: @escaping ([[Cell]]) throws -> Void = { _ in }) throws {
        try send(Self.makeQuery(sql, arrays: arrays), check: check)
    }

    /// As `send(_:arrays:check:)`, with one value a parameter.
    func send(_ sql: String, _ binds: [Cell], check: @escaping ([[Cell]]) throws -> Void = { _ in }) throws {
        try send(try Self.makeQuery(sql, binds, [:]), check: check)
    }

    private func send(_ query: PostgresQuery, check: @escaping ([[Cell]]) throws -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        if inFlight.count >= Self.maxInFlight { try waitOldest() }
        trips += 1
        let promise = connection.eventLoop.makePromise(of: [[Cell]].self)
        let connection = self.connection
        issuer.async {
            connection.query(query, logger: Self.logger).map { $0.rows.map(Self.cells) }.cascade(to: promise)
        }
        inFlight.append((promise.futureResult, check))
    }

    /// `COPY table (columns) FROM STDIN` with `data` in COPY's text format (`CopyText`), sent
    /// without waiting as `send` sends, in order with what is sent before and after it.
    ///
    /// postgres-nio's `copyFrom` is async and issues the COPY only when the connection is free,
    /// so it runs as a task from the issuing queue, which goes on (to the statements queued after
    /// it) only once the COPY is under way; the caller does not wait for either.
    func copy(_ table: String, columns: [String], data: ByteBuffer) throws {
        lock.lock()
        defer { lock.unlock() }
        if inFlight.count >= Self.maxInFlight { try waitOldest() }
        trips += 1
        copies += 1
        let promise = connection.eventLoop.makePromise(of: [[Cell]].self)
        let connection = self.connection
        issuer.async {
            let started = DispatchSemaphore(value: 0)
            promise.completeWithTask {
                // Also when it failed before it started (an earlier statement failed).
                defer { started.signal() }
                try await connection.copyFrom(table: table, columns: columns, logger: Self.logger) { writer in
                    started.signal()
                    try await writer.write(data)
                }
                return []
            }
            started.wait()
        }
        inFlight.append((promise.futureResult, { _ in }))
    }

    /// Waits for every statement `send` sent; throws the first failure.
    func drain() throws {
        lock.lock()
        defer { lock.unlock() }
        try drainLocked()
    }

    /// Waits for every statement sent, ignoring their failures: before a rollback, whose
    /// error is already being thrown.
    func discardInFlight() {
        lock.lock()
        defer { lock.unlock() }
        let rest = inFlight
        inFlight = []
        for r in rest { _ = try? r.result.wait() }
    }

    private func drainLocked() throws {
        while !inFlight.isEmpty { try waitOldest() }
    }

    /// Waits for the oldest sent statement and checks it. On a failure, waits for the rest too
    /// (they fail with it: the transaction is aborted) so that the connection is idle, and
    /// throws the first failure.
    private func waitOldest() throws {
        let (result, check) = inFlight.removeFirst()
        do {
            try check(try result.wait())
        } catch {
            let rest = inFlight
            inFlight = []
            for r in rest { _ = try? r.result.wait() }
            throw Self.map(error, target: target)
        }
    }

    func one(_ sql: String, _ binds: [Cell] = []) throws -> [Cell]? { try query(sql, binds).first }

    func scalar(_ sql: String, _ binds: [Cell] = []) throws -> Cell { try query(sql, binds).first?.first ?? .null }

    /// Several statements separated by `;` (DDL), one after another.
    func script(_ sql: String) throws {
        for statement in Self.split(sql) { try execute(statement) }
    }

    /// Splits SQL on top-level semicolons: not inside '…', "…", $tag$…$tag$ or a -- comment.
    static func split(_ sql: String) -> [String] {
        let chars = Array(sql.unicodeScalars)
        var out: [String] = [], current = String.UnicodeScalarView()
        var i = 0
        func flush() {
            let s = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if !s.isEmpty { out.append(s) }
            current = String.UnicodeScalarView()
        }
        while i < chars.count {
            let c = chars[i]
            if c == "'" || c == "\"" {
                current.append(c)
                i += 1
                while i < chars.count {
                    current.append(chars[i])
                    if chars[i] == c {
                        if i + 1 < chars.count, chars[i + 1] == c { current.append(chars[i + 1]); i += 2; continue }
                        i += 1
                        break
                    }
                    i += 1
                }
            } else if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
            } else if c == "$" {
                var j = i + 1
                while j < chars.count, chars[j] == "_" || chars[j].properties.isAlphabetic || ("0"..."9").contains(chars[j]) { j += 1 }
                if j < chars.count, chars[j] == "$" {
                    let tag = Array(chars[i...j])
                    current.append(contentsOf: tag)
                    i = j + 1
                    while i < chars.count {
                        if chars[i] == "$", i + tag.count <= chars.count, Array(chars[i..<(i + tag.count)]) == tag {
                            current.append(contentsOf: tag)
                            i += tag.count
                            break
                        }
                        current.append(chars[i])
                        i += 1
                    }
                } else {
                    current.append(c)
                    i += 1
                }
            } else if c == ";" {
                flush()
                i += 1
            } else {
                current.append(c)
                i += 1
            }
        }
        flush()
        return out
    }

    /// Streams the rows of `sql` through a server-side cursor, `batch` rows at a time, so memory
    /// stays bounded by the batch whatever the table's size (two batches: the next one is asked
    /// for before this one is handed to `body`, so the server, the wire and the event loop's
    /// decoding work while the caller formats rows). Must run inside a transaction.
    func forEachRow(_ sql: String, _ binds: [Cell] = [], batch: Int = 2_000, _ body: ([Cell]) throws -> Bool) throws {
        let name = "academy_cursor_\(UInt32.random(in: 0...UInt32.max))"
        try execute("DECLARE \(name) NO SCROLL CURSOR FOR " + sql, binds)
        let fetch = PostgresQuery(unsafeSQL: "FETCH FORWARD \(batch) FROM \(name)")
        var next: EventLoopFuture<PostgresQueryResult>? = try request(fetch)
        defer {
            _ = try? next?.wait()
            _ = try? execute("CLOSE \(name)")
        }
        while let pending = next {
            let rows: [PostgresRow]
            do { rows = try pending.wait().rows } catch {
                next = nil
                throw Self.map(error, target: target)
            }
            next = rows.count < batch ? nil : try request(fetch)
            for row in rows where try !body(Self.cells(row)) { return }
        }
    }

    /// Sends `query` without waiting for its answer (one round trip, counted), after what `send`
    /// sent before it, as every other call does.
    private func request(_ query: PostgresQuery) throws -> EventLoopFuture<PostgresQueryResult> {
        lock.lock()
        defer { lock.unlock() }
        try drainLocked()
        trips += 1
        return connection.query(query, logger: Self.logger)
    }

    // MARK: Transactions

    /// Runs `body` in a transaction, committed when it returns, rolled back when it throws.
    func transaction<T>(readOnly: Bool = false, _ body: () throws -> T) throws -> T {
        try execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            discardInFlight()
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    // MARK: Values

    /// A statement whose parameters are whole columns, one array each.
    private static func makeQuery(_ sql: String, arrays: [CellColumn]) throws -> PostgresQuery {
        var b = PostgresBindings(capacity: arrays.count)
        for a in arrays { try b.append(a) }
        return PostgresQuery(unsafeSQL: sql, binds: b)
    }

    private static func makeQuery(_ sql: String, _ binds: [Cell], _ blobs: [String: Data]) throws -> PostgresQuery {
        var b = PostgresBindings(capacity: binds.count)
        for cell in binds {
            switch cell {
            case .null: b.appendNull()
            case let .int(i): b.append(i)
            case let .real(d): b.append(d)
            case let .text(s): b.append(s)
            case let .bytes(d): try b.append(d)
            case let .digest(h):
                guard let d = blobs[h] else { throw StoreError.sqlite(detail: "blob \(h) was not supplied with its event") }
                try b.append(d)
            case .unknown: throw StoreError.sqlite(detail: "an unrecorded value cannot be written")
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: b)
    }

    static func cells(_ row: PostgresRow) -> [Cell] {
        var out: [Cell] = []
        for cell in row {
            out.append(Self.cell(cell))
        }
        return out
    }

    static func cell(_ cell: PostgresCell) -> Cell {
        guard let bytes = cell.bytes else { return .null }
        // The binary forms of what a roster streams, read straight from the buffer (the driver's
        // generic decoding cost a quarter of a 100,000-person export); anything else as below.
        if cell.format == .binary {
            let n = bytes.readableBytes, i = bytes.readerIndex
            switch cell.dataType {
            case .text, .varchar, .name, .bpchar: return .text(String(buffer: bytes))
            case .int8 where n == 8: if let v = bytes.getInteger(at: i, as: Int64.self) { return .int(v) }
            case .int4 where n == 4: if let v = bytes.getInteger(at: i, as: Int32.self) { return .int(Int64(v)) }
            case .int2 where n == 2: if let v = bytes.getInteger(at: i, as: Int16.self) { return .int(Int64(v)) }
            case .bool where n == 1: if let v = bytes.getInteger(at: i, as: UInt8.self) { return .int(v == 0 ? 0 : 1) }
            // Kept as their binary form for the caller to read (the roster's attempts).
            case .float8Array: return .bytes(Data(bytes.readableBytesView))
            default: break
            }
        }
        switch cell.dataType {
        case .int8, .int4, .int2:
            return (try? cell.decode(Int64.self)).map(Cell.int) ?? .null
        case .float8, .float4:
            return (try? cell.decode(Double.self)).map(Cell.real) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .int($0 ? 1 : 0) } ?? .null
        case .bytea:
            return (try? cell.decode(Data.self)).map(Cell.bytes) ?? .null
        default:
            return (try? cell.decode(String.self)).map(Cell.text) ?? .null
        }
    }

    // MARK: Errors

    /// One line a person can act on, never a dump of the connection's internals.
    static func map(_ error: any Error, target: PostgresTarget) -> any Error {
        if error is StoreError || error is AttemptRefusal || error is any BilingualError { return error }
        let where_ = target.description
        guard let e = error as? PSQLError else {
            return StoreError.server(target: where_, detail: "\(error)")
        }
        if let info = e.serverInfo {
            let state = info[.sqlState] ?? ""
            let message = info[.message] ?? "error"
            let zh: String
            switch state {
            case "28P01": zh = "密码错误或用户不存在"
            case "28000": zh = "服务器拒绝此用户登录"
            case "3D000": zh = "数据库不存在"
            case "42501": zh = "数据库拒绝：无此权限"
            case "57P03": zh = "服务器正在启动或关闭"
            default: zh = "数据库服务器报错"
            }
            return StoreError.server(target: where_, detail: "\(zh) / \(message) (SQLSTATE \(state))")
        }
        switch e.code {
        case .connectionError:
            let cause = e.underlying.map { "\($0)" } ?? "connection failed"
            if cause.contains("Connection refused") {
                return StoreError.server(target: where_, detail: "连接被拒绝（服务器未运行或端口错误）/ connection refused (no server on that port)")
            }
            if cause.contains("connectTimeout") {
                return StoreError.server(
                    target: where_, detail: "连接超时（\(target.connectTimeoutSeconds) 秒）/ connect timeout after \(target.connectTimeoutSeconds) s")
            }
            return StoreError.server(target: where_, detail: "无法连接服务器 / cannot connect: \(cause)")
        case .sslUnsupported:
            return StoreError.server(target: where_, detail: "服务器不支持 SSL，但 sslmode=require / server does not support SSL but sslmode=require")
        case .authMechanismRequiresPassword:
            return StoreError.server(
                target: where_, detail: "服务器要求密码（URL、PGPASSWORD 或 ~/.pgpass）/ the server wants a password (URL, PGPASSWORD or ~/.pgpass)")
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return StoreError.server(target: where_, detail: "连接已断开 / the connection was closed")
        default:
            return StoreError.server(target: where_, detail: "\(e.code)" + (e.underlying.map { ": \($0)" } ?? ""))
        }
    }
}
