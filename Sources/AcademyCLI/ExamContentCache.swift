import CourseLoading
import Courseware
import ExamAssembly
import Foundation

/// What `exam take` needs from the content: the blueprints, every question, and each blueprint's
/// pool (question ids in pool order).
struct ExamContent {
    var blueprints: [ExamBlueprint]
    var questions: [Question]
    var pools: [String: [String]]
    /// `BankHash.hex` of each blueprint's pool, filled when the content is cached.
    var bankHashes: [String: String]
    /// Provision and section titles by id, so results name 「严禁吃、拿、卡、要」 rather than an id.
    var provisionTitles: [String: String]

    init(_ content: ContentSet, hashPools: Bool = false) {
        blueprints = content.blueprints
        questions = content.allQuestions
        var titles: [String: String] = [:]
        for set in content.provisionSets {
            for section in set.sections {
                titles[section.id] = section.title
                for p in section.provisions { titles[p.id] = p.title }
            }
        }
        provisionTitles = titles
        var pools: [String: [String]] = [:]
        var hashes: [String: String] = [:]
        for bp in content.blueprints {
            let pool = content.pool(for: bp)
            pools[bp.id] = pool.map(\.id)
            if hashPools { hashes[bp.id] = BankHash.hex(of: pool) }
        }
        self.pools = pools
        bankHashes = hashes
    }

    init(
        blueprints: [ExamBlueprint], questions: [Question], pools: [String: [String]], bankHashes: [String: String],
        provisionTitles: [String: String]
    ) {
        self.blueprints = blueprints
        self.questions = questions
        self.pools = pools
        self.bankHashes = bankHashes
        self.provisionTitles = provisionTitles
    }

    func blueprint(_ id: String) -> ExamBlueprint? { blueprints.first { $0.id == id } }

    func pool(for bp: ExamBlueprint, index: [String: Question]) -> [Question] {
        (pools[bp.id] ?? []).compactMap { index[$0] }
    }
}

/// A cache of `ExamContent` keyed by every content file's path, size, inode, and modification and
/// status-change times (nanoseconds), so that `exam take` skips XML parsing, schema validation
/// and lint when the content has not changed. Any write to a file changes its ctime, so any edit
/// (or a file added or removed) gives another key and a full load. Only content that loaded without errors is
/// cached. The cache lives in `$ACADEMY_CACHE_DIR`, else `$XDG_CACHE_HOME/academy`, else
/// `~/.cache/academy`; `ACADEMY_CACHE_DIR=off` disables it. A cache that cannot be read or
/// written is ignored (the content is then loaded from the XML as usual).
enum ExamContentCache {
    static let magic = Array("academy-exam-cache-5\n".utf8)

    static var directory: URL? {
        let env = ProcessInfo.processInfo.environment
        if let d = env["ACADEMY_CACHE_DIR"], !d.isEmpty { return d == "off" ? nil : URL(fileURLWithPath: d) }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return URL(fileURLWithPath: x).appendingPathComponent("academy") }
        if let h = env["HOME"], !h.isEmpty { return URL(fileURLWithPath: h).appendingPathComponent(".cache/academy") }
        return nil
    }

    static func load(_ options: ContentOptions) throws -> ExamContent {
        guard let dir = directory, let key = try? key(options.content) else {
            return ExamContent(try options.load().content)
        }
        let file = dir.appendingPathComponent("exam-\(key).bin")
        if let data = try? Data(contentsOf: file), let cached = decode([UInt8](data)) { return cached }
        let loaded = try options.load()
        let content = ExamContent(loaded.content, hashPools: !loaded.hasErrors)
        if !loaded.hasErrors {
            let tmp = dir.appendingPathComponent(".exam-\(key).\(getpid()).tmp")
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try Data(encode(content)).write(to: tmp)
                // rename(2) is atomic: a reader sees the old file or the whole new one.
                if rename(tmp.path, file.path) != 0 { try? FileManager.default.removeItem(at: tmp) }
            } catch {
                try? FileManager.default.removeItem(at: tmp)
            }
        }
        return content
    }

    static func key(_ explicit: [String]) throws -> String {
        let files = try ContentLoader.expand(paths: try ContentLocator.paths(explicit))
        var d = ContentDigest()
        d.add(magic)
        for f in files {
            let path = URL(fileURLWithPath: f).standardizedFileURL.path
            var st = stat()
            guard stat(path, &st) == 0 else { throw CocoaError(.fileReadNoSuchFile) }
            d.add(path)
            d.add(
                "\(st.st_size) \(st.st_ino) \(st.st_dev) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) \(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)"
            )
        }
        return d.hex()
    }

    static func encode(_ c: ExamContent) -> [UInt8] {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let bp = (try? enc.encode(c.blueprints)) ?? Data()
        // Pools as indices into `questions` (a JSON map of 10,000 ids decodes slowly).
        var position: [String: Int] = [:]
        for (i, q) in c.questions.enumerated() { position[q.id] = i }
        var poolBytes: [UInt8] = []
        func int(_ v: Int) {
            var x = UInt64(bitPattern: Int64(v)); for _ in 0..<8 { poolBytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
        }
        int(c.pools.count)
        for (id, ids) in c.pools.sorted(by: { $0.key < $1.key }) {
            int(id.utf8.count); poolBytes += Array(id.utf8)
            int(ids.count)
            for qid in ids { int(position[qid] ?? -1) }
        }
        let hashes = (try? enc.encode(c.bankHashes)) ?? Data()
        var out = magic
        func chunk(_ bytes: [UInt8]) {
            var n = UInt64(bytes.count)
            for _ in 0..<8 { out.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
            out += bytes
        }
        chunk([UInt8](bp))
        chunk(poolBytes)
        chunk([UInt8](hashes))
        chunk(QuestionCodec.encode(c.questions))
        chunk([UInt8]((try? enc.encode(c.provisionTitles)) ?? Data()))
        return out
    }

    static func decodePools(_ b: [UInt8], questions: [Question]) -> [String: [String]]? {
        var pos = 0
        func int() -> Int? {
            guard pos + 8 <= b.count else { return nil }
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(b[pos + k]) << (8 * UInt64(k)) }
            pos += 8
            return Int(Int64(bitPattern: v))
        }
        guard let n = int(), n >= 0, n <= b.count else { return nil }
        var out: [String: [String]] = [:]
        for _ in 0..<n {
            guard let len = int(), len >= 0, len <= b.count - pos else { return nil }
            let id = String(decoding: b[pos..<pos + len], as: UTF8.self)
            pos += len
            guard let m = int(), m >= 0, m <= (b.count - pos) / 8 else { return nil }
            var ids: [String] = []
            ids.reserveCapacity(m)
            for _ in 0..<m {
                guard let i = int(), i >= 0, i < questions.count else { return nil }
                ids.append(questions[i].id)
            }
            out[id] = ids
        }
        return pos == b.count ? out : nil
    }

    static func decode(_ bytes: [UInt8]) -> ExamContent? {
        guard bytes.starts(with: magic) else { return nil }
        var pos = magic.count
        func chunk() -> ArraySlice<UInt8>? {
            guard pos + 8 <= bytes.count else { return nil }
            var n: UInt64 = 0
            for k in 0..<8 { n |= UInt64(bytes[pos + k]) << (8 * UInt64(k)) }
            pos += 8
            guard n <= UInt64(bytes.count - pos) else { return nil }
            defer { pos += Int(n) }
            return bytes[pos..<pos + Int(n)]
        }
        guard let bp = chunk(), let pools = chunk(), let hashes = chunk(), let qs = chunk(), let titles = chunk(),
            pos == bytes.count,
            let blueprints = try? JSONDecoder().decode([ExamBlueprint].self, from: Data(bp)),
            let hashMap = try? JSONDecoder().decode([String: String].self, from: Data(hashes)),
            let titleMap = try? JSONDecoder().decode([String: String].self, from: Data(titles)),
            let questions = QuestionCodec.decode(Array(qs)),
            let poolMap = decodePools(Array(pools), questions: questions)
        else { return nil }
        return ExamContent(
            blueprints: blueprints, questions: questions, pools: poolMap, bankHashes: hashMap,
            provisionTitles: titleMap)
    }
}
