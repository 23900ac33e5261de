import Foundation

/// Runs the built `academy` executable, for end-to-end tests.
///
/// The binary is found, in order, at `$ACADEMY_BIN`, next to the running test bundle (SwiftPM puts
/// `academy` and `*.xctest` in the same build directory), then at `<package>/.build/debug/academy`.
/// `swift build` (or `swift build --build-tests`) must have built it.
public enum AcademyProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var stdoutData: Data
    }

    public struct NotBuilt: Error, CustomStringConvertible {
        public var searched: [String]
        public var description: String {
            "the academy binary is not built; run `swift build` first (searched: \(searched.joined(separator: ", ")))"
        }
    }

    /// The package root (two levels above this file's directory).
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    public static func binaryURL() throws -> URL {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["ACADEMY_BIN"], !env.isEmpty { candidates.append(env) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").standardizedFileURL
        // Linux: …/debug/AcademyPackageTests.xctest; macOS: …/debug/AcademyPackageTests.xctest/Contents/MacOS/…
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("academy").path)
            dir = dir.deletingLastPathComponent()
        }
        for b in Bundle.allBundles {
            candidates.append(b.bundleURL.deletingLastPathComponent().appendingPathComponent("academy").path)
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/academy").path)
        let fm = FileManager.default
        for c in candidates {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: c, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: c) {
                return URL(fileURLWithPath: c)
            }
        }
        throw NotBuilt(searched: candidates)
    }

    /// Runs `academy args…` (or the copy at `executable`) and waits for it. `env` entries are
    /// added to (or, with a nil value, removed from) the current environment; `ACADEMY_LANG`
    /// defaults to `en` and `ACADEMY_CONFIG` to a file that does not exist, unless given.
    @discardableResult
    public static func run(
        _ args: [String], cwd: URL? = nil, env: [String: String?] = [:],
        stdin: Data? = nil, timeout: TimeInterval = 120, executable: URL? = nil
    ) throws -> Result {
        let p = Process()
        p.executableURL = try executable ?? binaryURL()
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        var environment = ProcessInfo.processInfo.environment
        environment["ACADEMY_LANG"] = "en"
        // This machine's /etc/academy/academy.conf (if the package is installed) stays out of tests.
        environment["ACADEMY_CONFIG"] = "/nonexistent/academy.conf"
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        p.standardInput = inPipe
        try p.run()
        // Drain both pipes concurrently so a chatty child never blocks.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        group.enter()
        DispatchQueue.global().async {
            out = outPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            err = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try? inPipe.fileHandleForWriting.close()
        if group.wait(timeout: .now() + timeout) == .timedOut {
            p.terminate()
            group.wait()
        }
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
            stderr: String(decoding: err, as: UTF8.self), stdoutData: out)
    }
}

/// A temporary directory removed by `remove()`.
public struct TemporaryDirectory {
    public let url: URL

    public init(prefix: String = "academy-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` (UTF-8) to `relativePath`, creating directories.
    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> URL {
        try write(relativePath, Data(text.utf8))
    }

    @discardableResult
    public func write(_ relativePath: String, _ data: Data) throws -> URL {
        let f = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: f.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: f)
        return f
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
