// swift-tools-version:6.1
import PackageDescription

// Data flows one way:
// XML files → XMLSupport (libxml2, locations) → CourseLoading → Courseware (values)
//   → ExamAssembly (paper) → Grading (score) → Records (education record) → Rosters (exports)
// Exams is the officer's side over those steps (cycle, attempt, paper, answers, grade, study,
// regrade): every front end (the CLI's terminal and line modes, the exam hall) goes through it.
// TerminalUI renders on any terminal device (local tty or byte stream); OfficerUI puts the
// Exams service on those screens; AcademyCLI wires commands; `academy` is main.swift only.
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
        // The one seeded generator (papers, 双随机 draws, synthetic data); pinned by golden tests.
        .target(name: "SeededRandom"),
        .target(name: "CourseLoading", dependencies: ["XMLSupport", "Courseware"]),
        .target(name: "ExamAssembly", dependencies: [
            "Courseware", "SeededRandom", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Grading", dependencies: ["Courseware", "ExamAssembly"]),
        // The officer's side (cycle, attempt policy, paper, durable answers, grade, study, regrade).
        .target(name: "Exams", dependencies: ["Courseware", "ExamAssembly", "Grading", "Records"]),
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
            "Courseware", "SeededRandom",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Staff files (CSV/XLSX) → StaffInput rows for the store, with located problems.
        .target(name: "StaffFiles", dependencies: ["Records", "Spreadsheets"]),
        .target(name: "Rosters", dependencies: ["Records", "SeededRandom", "Spreadsheets"]),
        .target(name: "TerminalUI"),
        // The officer's screens over any terminal device or line stream: full-screen exam, the
        // line protocol, study. Used by the CLI's local terminal and by the exam hall.
        // Text views in one language passed in: exam text, paper preview and statistics, course
        // outline, education record, tables and times.
        .target(name: "TextViews", dependencies: ["Courseware", "ExamAssembly", "Grading", "Records", "Exams", "TerminalUI"]),
        .target(
            name: "OfficerUI", dependencies: ["Courseware", "ExamAssembly", "Grading", "Records", "Exams", "TerminalUI", "TextViews"]),
        .target(name: "AcademyCLI", dependencies: [
            "XMLSupport", "Courseware", "CourseLoading", "ExamAssembly", "Grading",
            "Records", "Exams", "OfficerUI", "TextViews", "StaffFiles", "Spreadsheets", "Rosters", "TerminalUI",
            "BankInterchange", "ItemAnalysis", "Handouts",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "academy", dependencies: ["AcademyCLI"]),

        .target(name: "TestSupport", dependencies: ["Courseware", "CourseLoading"], path: "Tests/TestSupport"),
        .testTarget(name: "XMLSupportTests", dependencies: ["XMLSupport", "TestSupport"]),
        .testTarget(name: "CourseLoadingTests", dependencies: ["CourseLoading", "Courseware", "TestSupport"]),
        .testTarget(name: "ExamAssemblyTests", dependencies: ["ExamAssembly", "SeededRandom", "Courseware", "TestSupport"]),
        .testTarget(
            name: "GradingTests", dependencies: ["Grading", "ExamAssembly", "Courseware", "CourseLoading", "TestSupport"]),
        .testTarget(name: "ExamsTests", dependencies: [
            "Exams", "OfficerUI", "TerminalUI", "Grading", "Records", "ExamAssembly", "Courseware", "CourseLoading",
            "TestSupport",
        ]),
        .testTarget(name: "SpreadsheetsTests", dependencies: ["Spreadsheets", "TestSupport"]),
        .testTarget(name: "RecordsTests", dependencies: ["Records", "StaffFiles", "Spreadsheets", "Courseware", "TestSupport"]),
        .testTarget(name: "RostersTests", dependencies: ["Rosters", "Records", "SeededRandom", "TestSupport"]),
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
