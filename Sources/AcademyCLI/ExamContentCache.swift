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

    init(_ content: ContentSet) {
        blueprints = content.blueprints
        questions = content.allQuestions
        var pools: [String: [String]] = [:]
        for bp in content.blueprints { pools[bp.id] = content.pool(for: bp).map(\.id) }
        self.pools = pools
    }

    init(blueprints: [ExamBlueprint], questions: [Question], pools: [String: [String]]) {
        self.blueprints = blueprints
        self.questions = questions
        self.pools = pools
    }

    func blueprint(_ id: String) -> ExamBlueprint? { blueprints.first { $0.id == id } }

    func pool(for bp: ExamBlueprint, index: [String: Question]) -> [Question] {
        (pools[bp.id] ?? []).compactMap { index[$0] }
    }
}

/// A cache of `ExamContent` keyed by the SHA-256 of every content file's path and bytes, so that
/// `exam take` skips XML parsing, schema validation and lint when the content has not changed
/// (one byte changed → another key → full load). Only content that loaded without errors is
/// cached. The cache lives in `$ACADEMY_CACHE_DIR`, else `$XDG_CACHE_HOME/academy`, else
/// `~/.cache/academy`; `ACADEMY_CACHE_DIR=off` disables it. A cache that cannot be read or
/// written is ignored (the content is then loaded from the XML as usual).
enum ExamContentCache {
    static let magic = Array("academy-exam-cache-1\n".utf8)

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
        let content = ExamContent(loaded.content)
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
            let url = URL(fileURLWithPath: f).standardizedFileURL
            d.add(url.path)
            d.add([UInt8](try Data(contentsOf: url)))
        }
        return d.hex()
    }

    static func encode(_ c: ExamContent) -> [UInt8] {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let bp = (try? enc.encode(c.blueprints)) ?? Data()
        let pools = (try? enc.encode(c.pools)) ?? Data()
        var out = magic
        func chunk(_ bytes: [UInt8]) {
            var n = UInt64(bytes.count)
            for _ in 0..<8 { out.append(UInt8(truncatingIfNeeded: n)); n >>= 8 }
            out += bytes
        }
        chunk([UInt8](bp))
        chunk([UInt8](pools))
        chunk(QuestionCodec.encode(c.questions))
        return out
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
        guard let bp = chunk(), let pools = chunk(), let qs = chunk(), pos == bytes.count,
              let blueprints = try? JSONDecoder().decode([ExamBlueprint].self, from: Data(bp)),
              let poolMap = try? JSONDecoder().decode([String: [String]].self, from: Data(pools)),
              let questions = QuestionCodec.decode(Array(qs))
        else { return nil }
        return ExamContent(blueprints: blueprints, questions: questions, pools: poolMap)
    }
}
