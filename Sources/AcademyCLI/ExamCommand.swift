import ArgumentParser

/// `academy exam …`: papers, statistics, taking the exam, regrading.
struct ExamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exam",
        abstract: "考试：预览试卷、抽题统计、参加考试、重新评分 / Exams: preview, statistics, take, regrade.",
        subcommands: [
            ExamTakeCommand.self, ExamPreviewCommand.self, ExamStatsCommand.self, ExamRegradeCommand.self,
            ExamBenchCommand.self, ExamAnalyzeCommand.self,
        ]
    )
}
