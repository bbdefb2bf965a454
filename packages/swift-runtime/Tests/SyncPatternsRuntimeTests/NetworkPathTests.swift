import XCTest

@testable import SyncPatternsRuntime

/// The decision of the engine's reconnect trigger: only a path that becomes satisfied again is
/// a reconnect. (The `NWPathMonitor` around it exists on Apple platforms only.)
final class NetworkPathTests: XCTestCase {
  func testOnlyAPathThatBecomesSatisfiedAgainIsAReconnect() {
    var transitions = PathTransitions()
    XCTAssertFalse(transitions.update(satisfied: true), "the path at start is no reconnect")
    XCTAssertFalse(transitions.update(satisfied: true))
    XCTAssertFalse(transitions.update(satisfied: false))
    XCTAssertTrue(transitions.update(satisfied: true))
    XCTAssertFalse(transitions.update(satisfied: true))
  }

  func testStartingOfflineThenGoingOnlineIsAReconnect() {
    var transitions = PathTransitions()
    XCTAssertFalse(transitions.update(satisfied: false))
    XCTAssertFalse(transitions.update(satisfied: false))
    XCTAssertTrue(transitions.update(satisfied: true))
  }
}
