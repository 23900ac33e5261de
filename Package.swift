// swift-tools-version:6.1
import PackageDescription

// Data flows one way:
// XML files → XMLSupport (libxml2, locations) → CourseLoading → Courseware (values)
//   → ExamAssembly (paper; SeededRandom) → Grading (score) → Records (education record)
//   → Rosters (exports). StaffFiles turns staff spreadsheets into rows for Records.
// Exams is the officer's side over those steps (cycle, attempt, paper, answers, grade, study,
// regrade): every front end (the CLI's terminal and line modes, the exam hall) goes through it.
// TerminalUI renders on any terminal device (local tty or byte stream); TextViews renders text;
// OfficerUI puts the Exams service on those screens; Hall serves those screens over SSH
// (swift-nio-ssh) to many officers at once; BankInterchange, Handouts and ItemAnalysis are the
// trainers' tools. AcademyCLI only parses arguments and adapts: what a command does lives in the
// module above that owns it; `academy` is main.swift only.
// Localization (Language, BilingualText, display width) is a leaf under all of them: libraries build
// bilingual values or take a Language; only the edges choose one — the CLI once per run
// (--lang, ACADEMY_LANG, locale), the hall once per SSH session.
// scripts/package.sh builds with ACADEMY_PACKAGED=1 after writing
// Sources/AcademyCLI/Generated/PackagedBuildInfo.swift (version, commit, content hash; not
// committed). Every other build is a developer build.
let packaged = Context.environment["ACADEMY_PACKAGED"] == "1"

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
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
    ],
    targets: [
        // The only door to libxml2. Nothing but XMLSupport imports it.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Bilingual text and the language value (zh-Hans | en). A leaf: everything that speaks
        // to people builds BilingualText or takes a Language; only the edges choose one.
        .target(name: "Localization"),
        .target(name: "XMLSupport", dependencies: ["CLibXML2", "Localization"]),
        .target(name: "Courseware", dependencies: ["Localization"]),
        // The one seeded generator (papers, 双随机 draws, synthetic data); pinned by golden tests.
        .target(name: "SeededRandom"),
        .target(name: "CourseLoading", dependencies: [
            "Localization", "XMLSupport", "Courseware", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "ExamAssembly", dependencies: [
            "Localization", "Courseware", "SeededRandom", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Grading", dependencies: ["Localization", "Courseware", "ExamAssembly"]),
        // The officer's side (cycle, attempt policy, paper, durable answers, grade, study, regrade).
        .target(name: "Exams", dependencies: ["Localization", "Courseware", "CourseLoading", "ExamAssembly", "Grading", "Records"]),
        .target(name: "Spreadsheets", dependencies: [
            "Localization", "XMLSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // Question banks in and out of foreign formats (exam-platform spreadsheets, numbered
        // text and Word, Moodle XML). Produces Courseware values; writes the project's bank XML.
        .target(name: "BankInterchange", dependencies: [
            "Localization", "Courseware", "CourseLoading", "XMLSupport", "Spreadsheets",
        ]),
        // Printable course handouts (self-contained A4 HTML).
        .target(name: "Handouts", dependencies: ["Localization", "Courseware", "ExamAssembly"]),
        // Item analysis after a cycle: pure statistics over the attempts as stored (read from the store).
        .target(name: "ItemAnalysis", dependencies: ["Localization", "Courseware", "Grading", "Records"]),
        .target(name: "Records", dependencies: [
            "Localization", "Courseware", "SeededRandom", "XMLSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            // The shared-server backend (PostgresEducationStore), beside the embedded SQLite one.
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // Staff files (CSV/XLSX) → StaffInput rows for the store, with located problems.
        .target(name: "StaffFiles", dependencies: ["Localization", "Records", "Spreadsheets", "XMLSupport"]),
        .target(name: "Rosters", dependencies: ["Localization", "Courseware", "Records", "SeededRandom", "Spreadsheets", "XMLSupport"]),
        .target(name: "TerminalUI", dependencies: ["Localization"]),
        // Text views in one language passed in: exam text, paper preview and statistics, course
        // outline, education record, the administrators' listings, tables and times.
        .target(
            name: "TextViews", dependencies: ["Localization", "Courseware", "ExamAssembly", "Grading", "Records", "Rosters", "Exams", "TerminalUI"]),
        // The officer's screens over any terminal device or line stream: full-screen exam, the
        // line protocol, study. Used by the CLI's local terminal and by the exam hall.
        .target(
            name: "OfficerUI", dependencies: ["Localization", "Courseware", "ExamAssembly", "Grading", "Records", "Exams", "TerminalUI", "TextViews"]),
        // The exam hall: an SSH server (one process, many sessions) in front of the exam service.
        .target(name: "Hall", dependencies: [
            "Localization", "XMLSupport", "Courseware", "Records", "Exams", "OfficerUI", "Spreadsheets", "TerminalUI", "TextViews",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSH", package: "swift-nio-ssh"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], swiftSettings: [.swiftLanguageMode(.v5)]),
        .target(name: "AcademyCLI", dependencies: [
            "Localization", "XMLSupport", "Courseware", "CourseLoading", "ExamAssembly", "Grading",
            "Records", "Exams", "OfficerUI", "TextViews", "StaffFiles", "Spreadsheets", "Rosters", "TerminalUI",
            "BankInterchange", "ItemAnalysis", "Handouts", "Hall",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: packaged ? [.define("ACADEMY_PACKAGED")] : []),
        .executableTarget(name: "academy", dependencies: ["AcademyCLI"]),

        .target(name: "TestSupport", dependencies: ["Courseware", "CourseLoading"], path: "Tests/TestSupport"),
        .testTarget(name: "LocalizationTests", dependencies: ["Localization"]),
        .testTarget(name: "XMLSupportTests", dependencies: ["XMLSupport", "TestSupport"]),
        .testTarget(
            name: "CourseLoadingTests", dependencies: [
                "CourseLoading", "Courseware", "Localization", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(name: "ExamAssemblyTests", dependencies: ["ExamAssembly", "SeededRandom", "Courseware", "Localization", "TestSupport"]),
        .testTarget(
            name: "GradingTests", dependencies: ["Grading", "ExamAssembly", "Courseware", "CourseLoading", "TestSupport"]),
        .testTarget(name: "ExamsTests", dependencies: [
            "Exams", "ItemAnalysis", "Localization", "OfficerUI", "TerminalUI", "Grading", "Records", "ExamAssembly", "Courseware", "CourseLoading",
            "TestSupport",
        ]),
        .testTarget(name: "SpreadsheetsTests", dependencies: ["Spreadsheets", "XMLSupport", "TestSupport"]),
        .testTarget(
            name: "RecordsTests",
            dependencies: [
                "Records", "StaffFiles", "Spreadsheets", "SeededRandom", "Courseware", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            exclude: ["Fixtures"]),
        .testTarget(name: "RostersTests", dependencies: ["Localization", "Rosters", "Records", "SeededRandom", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "TextViewsTests", dependencies: ["TextViews", "Rosters", "Records", "Localization", "TestSupport"]),
        .testTarget(name: "BankInterchangeTests", dependencies: [
            "BankInterchange", "CourseLoading", "Courseware", "Spreadsheets", "TestSupport",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "ItemAnalysisTests", dependencies: ["ItemAnalysis", "Courseware", "TestSupport"]),
        .testTarget(name: "HandoutsTests", dependencies: ["Handouts", "CourseLoading", "Courseware", "ExamAssembly", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "TerminalUI"]),
        .testTarget(
            name: "HallTests", dependencies: ["Hall", "Localization", "Courseware", "Records", "Exams", "TerminalUI", "TestSupport"]),
    ]
)
