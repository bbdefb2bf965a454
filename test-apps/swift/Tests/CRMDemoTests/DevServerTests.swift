import CRMGenerated
import Foundation
import GRDB
import SyncPatternsClient
import SyncPatternsRuntime
import XCTest

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The generated CRM live store (`ContactsStore` on a GRDB database, the runtime's `SyncEngine`)
/// against a real `sync-patterns dev` over HTTP: shapes, outbox, txid reconciliation, refusals,
/// must-refetch. test-apps/swift/run-tests.sh starts the server on a free port and passes its URL
/// as `SYNC_DEV_SERVER`; without it every test here is skipped. Rows carry a per-test tag in their
/// email, so tests do not see each other's data.
@MainActor
final class DevServerTests: XCTestCase {
  private let tag = UUID().uuidString.prefix(8).lowercased()

  private struct Live {
    let database: DatabaseQueue
    let engine: SyncEngine
    let store: ContactsStore
  }

  private func serverURL() throws -> URL {
    guard let text = ProcessInfo.processInfo.environment["SYNC_DEV_SERVER"],
      let url = URL(string: text)
    else {
      throw XCTSkip(
        "SYNC_DEV_SERVER is not set: run test-apps/swift/run-tests.sh, which starts "
          + "`sync-patterns dev` and passes its URL")
    }
    return url
  }

  private func start() async throws -> Live {
    let base = try serverURL()
    let database = try DatabaseQueue()
    let client = APIClient(baseURL: base, tokenProvider: { "swift-xctest" })
    let engine = try SyncDatabase.makeEngine(
      database: database, client: client, electricURL: base.appendingPathComponent("v1/shape"))
    let store = ContactsStore(engine: engine)
    await store.load()
    return Live(database: database, engine: engine, store: store)
  }

  /// A request straight to the server (another user's writes, dev endpoints).
  private func api(_ method: String, _ path: String, _ body: String? = nil) async throws
    -> (status: Int, body: Data)
  {
    var base = try serverURL().absoluteString
    while base.hasSuffix("/") { base.removeLast() }
    var request = URLRequest(url: try XCTUnwrap(URL(string: "\(base)/\(path)")))
    request.httpMethod = method
    request.setValue("Bearer swift-xctest-other", forHTTPHeaderField: "Authorization")
    if let body {
      request.httpBody = Data(body.utf8)
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    }
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
  }

  private func eventually(
    _ what: String, seconds: TimeInterval = 10, _ condition: () async throws -> Bool
  ) async throws {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      let done = try await condition()
      if done { return }
      try await Task.sleep(nanoseconds: 25_000_000)
    }
    XCTFail("timed out after \(seconds) s waiting for: \(what)")
    throw CancellationError()
  }

  private func outboxCount(_ live: Live) async throws -> Int {
    try await live.database.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM \"_sync_outbox\"") ?? -1
    }
  }

  private func tagged(_ live: Live) -> [Contact] {
    live.store.items.filter { $0.email.contains(tag) }
  }

  func testACreateReachesTheServerAndIsReconciledByItsTxid() async throws {
    let live = try await start()
    let created = try await live.store.create(
      ContactCreate(firstName: "Ada", email: "ada-\(tag)@example.com"))
    XCTAssertEqual(created.firstName, "Ada")
    try await eventually("the outbox is empty") { try await self.outboxCount(live) == 0 }
    try await eventually("the local override is gone (reconciled)") {
      try await live.database.read { db in
        try Int.fetchOne(db, sql: "SELECT count(*) FROM \"contacts_local\"") == 0
      }
    }
    let answer = try await api("GET", "contacts/\(created.id.uuidString.lowercased())")
    XCTAssertEqual(answer.status, 200)
    try await eventually("the store shows the server's row") {
      self.tagged(live).map(\.firstName) == ["Ada"]
    }
    await live.engine.stop()
  }

  func testServerInsertsPartialUpdatesAndDeletesReachTheStore() async throws {
    let live = try await start()
    let email = "other-\(tag)@example.com"
    let created = try await api(
      "POST", "contacts", "{\"first_name\":\"Bo\",\"email\":\"\(email)\",\"phone\":\"123\"}")
    XCTAssertEqual(created.status, 201)
    let id = try XCTUnwrap(
      (try JSONSerialization.jsonObject(with: created.body) as? [String: Any])?["id"] as? String)
    try await eventually("the insert arrives") { self.tagged(live).count == 1 }
    let patched = try await api("PATCH", "contacts/\(id)", "{\"first_name\":\"Bea\"}")
    XCTAssertEqual(patched.status, 200)
    try await eventually("the partial update arrives") {
      self.tagged(live).first?.firstName == "Bea"
    }
    XCTAssertEqual(tagged(live).first?.phone, "123")
    let deleted = try await api("DELETE", "contacts/\(id)")
    XCTAssertLessThan(deleted.status, 300)
    try await eventually("the delete arrives") { self.tagged(live).isEmpty }
    await live.engine.stop()
  }

  func testARefusedCreateIsRolledBackAndListedThenDiscarded() async throws {
    let live = try await start()
    _ = try await live.store.create(ContactCreate(firstName: "Bad", email: "nope-\(tag)"))
    try await eventually("refused") { try await live.engine.failedWrites().count == 1 }
    let failed = try await live.engine.failedWrites()
    XCTAssertEqual(failed.first?.status, 422)
    XCTAssertEqual(failed.first?.op, "insert")
    XCTAssertFalse(failed.first?.fieldErrors.isEmpty ?? true)
    try await eventually("rolled back") { self.tagged(live).isEmpty }
    XCTAssertEqual((live.engine.status.lastError as? SyncWriteError)?.status, 422)

    // Later writes go on, and a success clears lastError.
    _ = try await live.store.create(ContactCreate(firstName: "Good", email: "good-\(tag)@x.io"))
    try await eventually("the next write is accepted") {
      try await self.outboxCount(live) == 1  // the failed row only
    }
    XCTAssertNil(live.engine.status.lastError)
    try await live.engine.discardWrite(try XCTUnwrap(failed.first?.writeId))
    let left = try await outboxCount(live)
    XCTAssertEqual(left, 0)
    await live.engine.stop()
  }

  func testMustRefetchNeverEmptiesTheStore() async throws {
    let live = try await start()
    for index in 1...3 {
      let answer = try await api(
        "POST", "contacts", "{\"first_name\":\"R\(index)\",\"email\":\"r\(index)-\(tag)@x.io\"}")
      XCTAssertEqual(answer.status, 201)
    }
    try await eventually("three rows") { self.tagged(live).count == 3 }
    let handle = try await live.database.read { db in
      try String.fetchOne(
        db, sql: "SELECT \"handle\" FROM \"_sync_shapes\" WHERE \"shape_key\" = 'contacts'")
    }
    // Sample what the store shows, every few milliseconds, through the refetch.
    let fewest = Minimum(3)
    let sampler = Task { @MainActor in
      while !Task.isCancelled {
        fewest.note(self.tagged(live).count)
        try? await Task.sleep(nanoseconds: 2_000_000)
      }
    }
    let rotated = try await api("POST", "__dev/rotate-shapes?table=contacts")
    XCTAssertEqual(rotated.status, 200)
    try await eventually("a new handle, the refetch done") {
      try await live.database.read { db in
        let now = try String.fetchOne(
          db, sql: "SELECT \"handle\" FROM \"_sync_shapes\" WHERE \"shape_key\" = 'contacts'")
        let refetching = try String.fetchOne(
          db, sql: "SELECT \"value\" FROM \"_sync_meta\" WHERE \"key\" = 'refetch:contacts'")
        return now != handle && refetching == nil
      }
    }
    try await Task.sleep(nanoseconds: 200_000_000)
    sampler.cancel()
    XCTAssertEqual(fewest.value, 3, "the store showed \(fewest.value) of 3 rows during the refetch")
    XCTAssertEqual(tagged(live).count, 3)
    await live.engine.stop()
  }
}

/// The smallest value seen (main actor only).
@MainActor
private final class Minimum {
  private(set) var value: Int

  init(_ value: Int) {
    self.value = value
  }

  func note(_ candidate: Int) {
    value = min(value, candidate)
  }
}
