import Foundation

extension PostgresEducationStore {
    /// Creates (or updates) a login role confined by row-level security to `department`'s
    /// subtree: it reads and writes only that subtree's people and their records, and appends to
    /// the one chain through the server's append function. Run as the city (the tables' owner).
    /// Returns the password when one was generated (printed once by the command).
    public func grant(department: String, role: String, password: String?) throws -> String? {
        let dept = DepartmentPath.normalize(department)
        guard !dept.isEmpty else { throw StoreError.invalid(field: "--department", detail: "empty / 为空") }
        guard role.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil, !role.hasPrefix("pg_"),
            role != "academy_county"
        else {
            throw StoreError.invalid(
                field: "--role", detail: "\(role): use lowercase letters, digits and _ (at most 63) / 角色名只能由小写字母、数字和下划线组成")
        }
        let generated = password == nil ? Self.randomPassword() : nil
        let secret = (password ?? generated!).replacingOccurrences(of: "'", with: "''")
        serial.lock()
        defer { serial.unlock() }
        try session.transaction {
            let owner = try session.scalar(
                "SELECT session_user = tableowner OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'events'")
            guard owner == .int(1) else {
                throw StoreError.server(
                    target: target.description, detail: "只有市级角色（表的所有者）可以授权 / only the city role (the tables' owner) can grant (SQLSTATE 42501)")
            }
            let exists = try session.scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", [.text(role)]) == .int(1)
            if exists {
                if try session.scalar("SELECT rolsuper FROM pg_roles WHERE rolname = $1", [.text(role)]) == .int(1) {
                    throw StoreError.invalid(field: "--role", detail: "\(role) is a superuser / 是超级用户，不能作为区县角色")
                }
                try session.execute("ALTER ROLE \(role) LOGIN PASSWORD '\(secret)'")
            } else {
                try session.execute("CREATE ROLE \(role) LOGIN PASSWORD '\(secret)'")
            }
            try session.execute("GRANT academy_county TO \(role)")
            let db = try session.scalar("SELECT current_database()").textValue ?? ""
            try session.execute("GRANT CONNECT ON DATABASE \"\(db.replacingOccurrences(of: "\"", with: "\"\""))\" TO \(role)")
            try session.execute(
                "INSERT INTO academy_roles (role, department) VALUES ($1, $2) ON CONFLICT (role) DO UPDATE SET department = EXCLUDED.department",
                [.text(role), .text(dept)])
        }
        return generated
    }

    /// The county roles and their subtrees.
    public func grants() throws -> [(role: String, department: String)] {
        try read { s in
            try s.query("SELECT role::text, department FROM academy_roles ORDER BY role").map {
                ($0[0].textValue ?? "", $0[1].textValue ?? "")
            }
        }
    }

    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var g = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &g)] })
    }
}
