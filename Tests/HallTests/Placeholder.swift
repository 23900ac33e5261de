import XCTest
@testable import Hall
