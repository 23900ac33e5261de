// swift-tools-version:6.1
import PackageDescription

// Data flows one way:
// XML files → XMLSupport (libxml2, locations) → CourseLoading → Courseware (values)
//   → ExamAssembly (paper) → Grading (score) → Records (education record) → Rosters (exports)
// TerminalUI renders; AcademyCLI wires commands; `academy` is main.swift only.
let package = Package(
    name: "Academy",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "academy", targets: ["academy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // The only door to libxml2. Nothing but XMLSupport imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "XMLSupport", dependencies: ["CLibXML2"]),
        .target(name: "Courseware"),
        .target(name: "CourseLoading", dependencies: ["XMLSupport", "Courseware"]),
        .target(name: "ExamAssembly", dependencies: [
            "Courseware", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Grading", dependencies: ["Courseware", "ExamAssembly"]),
        .target(name: "Spreadsheets", dependencies: [
            "XMLSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Question banks in and out of foreign formats (exam-platform spreadsheets, numbered
        // text and Word, Moodle XML). Produces Courseware values; writes the project's bank XML.
        .target(name: "BankInterchange", dependencies: [
            "Courseware", "XMLSupport", "Spreadsheets",
        ]),
        // Printable course handouts (self-contained A4 HTML).
        .target(name: "Handouts", dependencies: ["Courseware", "ExamAssembly"]),
        // Item analysis after a cycle: pure statistics over the attempts as stored.
        .target(name: "ItemAnalysis", dependencies: ["Courseware"]),
        .target(name: "Records", dependencies: [
            "Courseware", "Spreadsheets",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Rosters", dependencies: ["Records", "Spreadsheets", "Courseware"]),
        .target(name: "TerminalUI"),
        .target(name: "AcademyCLI", dependencies: [
            "XMLSupport", "Courseware", "CourseLoading", "ExamAssembly", "Grading",
            "Records", "Spreadsheets", "Rosters", "TerminalUI", "BankInterchange", "ItemAnalysis", "Handouts",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "academy", dependencies: ["AcademyCLI"]),

        .target(name: "TestSupport", dependencies: ["Courseware", "CourseLoading"], path: "Tests/TestSupport"),
        .testTarget(name: "XMLSupportTests", dependencies: ["XMLSupport", "TestSupport"]),
        .testTarget(name: "CourseLoadingTests", dependencies: ["CourseLoading", "Courseware", "TestSupport"]),
        .testTarget(name: "ExamAssemblyTests", dependencies: ["ExamAssembly", "Courseware", "TestSupport"]),
        .testTarget(
            name: "GradingTests", dependencies: ["Grading", "ExamAssembly", "Courseware", "CourseLoading", "TestSupport"]),
        .testTarget(name: "SpreadsheetsTests", dependencies: ["Spreadsheets", "TestSupport"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records", "Courseware", "TestSupport"]),
        .testTarget(name: "RostersTests", dependencies: ["Rosters", "Records", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "BankInterchangeTests", dependencies: [
            "BankInterchange", "CourseLoading", "Courseware", "Spreadsheets", "TestSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "ItemAnalysisTests", dependencies: ["ItemAnalysis", "Courseware", "TestSupport"]),
        .testTarget(name: "HandoutsTests", dependencies: ["Handouts", "CourseLoading", "Courseware", "ExamAssembly", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    ]
)
