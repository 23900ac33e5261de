import Courseware
import ExamAssembly
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A cache of `ExamContent` keyed by every content file's path, size, inode, and modification and
/// status-change times (nanoseconds), so that `exam take` skips XML parsing, schema validation
/// and lint when the content has not changed. Any write to a file changes its ctime, so any edit
/// (or a file added or removed) gives another key and a full load. Only content that loaded without errors is
/// cached. The caller names the directory (the command line and the hall: `defaultDirectory`). A cache that cannot be
/// read or written is ignored (the content is then loaded from the XML as usual).
public enum ExamContentCache {
    static let magic = Array("academy-exam-cache-5\n".utf8)

    /// The content for an exam. `files` are the content files (nil when they cannot be listed);
    /// `load` parses them when there is no usable cache entry and says whether the content had
    /// errors (content with errors is never cached).
    public static func load(
        files: [String]?, directory: URL?, load: () throws -> (content: ContentSet, hasErrors: Bool)
    ) throws -> ExamContent {
        guard let dir = directory, let files, let key = try? key(files: files) else {
            return ExamContent(try load().content)
        }
        let file = dir.appendingPathComponent("exam-\(key).bin")
        if let data = try? Data(contentsOf: file), let cached = decode([UInt8](data)) { return cached }
        let loaded = try load()
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

    public static func key(files: [String]) throws -> String {
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
