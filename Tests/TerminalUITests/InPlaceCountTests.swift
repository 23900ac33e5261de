import Testing

@testable import TerminalUI

/// The running count of `roster export` on a terminal.
@Suite struct InPlaceCountTests {
    final class Sink {
        var text = ""
    }

    @Test func countsInPlaceThenClearsTheLine() {
        let sink = Sink()
        let count = InPlaceCount(label: "导出", write: { sink.text += $0 })
        count.show(20000)
        count.show(40000)
        count.finish()
        #expect(sink.text == "\r导出 20000\r导出 40000\r\u{1B}[K")
    }

    @Test func anAbandonedCountEndsItsLineAndNothingIsWrittenBeforeTheFirstCount() {
        let sink = Sink()
        let count = InPlaceCount(label: "exporting", write: { sink.text += $0 })
        count.finish()
        count.abandon()
        #expect(sink.text == "")
        count.show(7)
        count.abandon()
        #expect(sink.text == "\rexporting 7\n")
    }
}
