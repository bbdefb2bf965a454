import CRMGenerated
import Foundation
import GRDB
import SyncPatternsClient
import SyncPatternsRuntime
import XCTest

/// The generated GRDB schema and live store on an in-memory database (network stubbed).
@MainActor
final class LiveStoreTests: XCTestCase {
  func testCreateWritesTheViewAndTheOutbox() async throws {
    let database = try DatabaseQueue()
    let baseURL = URL(string: "http://api.test")!
    let client = APIClient(baseURL: baseURL, transport: StubTransport(status: 500))
    let engine = try SyncDatabase.makeEngine(database: database, client: client)
    let store = ContactsStore(engine: engine)
    let contact = try await store.create(ContactCreate(firstName: "Ada", email: "ada@example.com"))
    XCTAssertEqual(contact.firstName, "Ada")
    let outbox = try await database.read { db in
      try Row.fetchAll(db, sql: "SELECT \"op\", \"payload\" FROM \"_sync_outbox\"")
    }
    XCTAssertEqual(outbox.count, 1)
    XCTAssertEqual(outbox.first?["op"], "insert")
    let local = try await database.read { db in try ContactLocalRecord.fetchAll(db) }
    XCTAssertEqual(local.first?.firstName, "Ada")
    await engine.stop()
  }

  func testLocalOnlyNotesNeverReachTheOutbox() async throws {
    let database = try DatabaseQueue()
    let baseURL = URL(string: "http://api.test")!
    let client = APIClient(baseURL: baseURL, transport: StubTransport(status: 500))
    let engine = try SyncDatabase.makeEngine(database: database, client: client)
    let store = ContactsStore(engine: engine)
    var contact = try await store.create(ContactCreate(firstName: "Ada", email: "a@x"))
    contact.notes = "call back"
    _ = try await store.save(contact)
    let payloads = try await database.read { db in
      try String.fetchAll(db, sql: "SELECT \"payload\" FROM \"_sync_outbox\"")
    }
    XCTAssertFalse(payloads.contains { $0.contains("notes") })
    await engine.stop()
  }

  /// A pending create shows no invented values (#19): server-set fields are nil, omitted client
  /// fields take the spec's default, and the row is pending in `rows`.
  func testAPendingCreateInventsNothingAndIsPending() async throws {
    let database = try DatabaseQueue()
    let baseURL = URL(string: "http://api.test")!
    let client = APIClient(baseURL: baseURL, transport: StubTransport(status: 500))
    let engine = try SyncDatabase.makeEngine(database: database, client: client)
    let store = ContactsStore(engine: engine)
    let contact = try await store.create(ContactCreate(firstName: "Ada", email: "a@x"))
    XCTAssertNil(contact.createdAt)
    XCTAssertNil(contact.updatedAt)
    XCTAssertEqual(contact.status, .lead)
    XCTAssertEqual(contact.tags, [])
    await store.load()
    try await waitUntil { store.rows.count == 1 }
    XCTAssertEqual(store.rows.first?.state, .pending)
    XCTAssertEqual(store.items.first?.id, contact.id)
    XCTAssertNil(store.readError)
    XCTAssertNil(store.writeError)
    XCTAssertEqual(store.failedWrites, [])
    store.stop()
    await engine.stop()
  }

  /// The view record reads Postgres text (as the shape sends it) once, into the model's types.
  func testTheViewRecordReadsShapeValuesIntoModelTypes() async throws {
    let database = try DatabaseQueue()
    let baseURL = URL(string: "http://api.test")!
    let client = APIClient(baseURL: baseURL, transport: StubTransport(status: 500))
    let engine = try SyncDatabase.makeEngine(database: database, client: client)
    let id = "e621e1f8-c36c-495a-93fc-0c247a3e6e5f"
    try await database.write { db in
      try db.execute(
        sql: """
          INSERT INTO "contacts_synced"
            ("id", "first_name", "email", "status", "tags", "created_at", "updated_at")
          VALUES (?1, 'Ada', 'a@x', 'vip', '["x"]', '2024-01-02 03:04:05.5+00', '2024-01-02T03:04:05Z')
          """,
        arguments: [id])
    }
    let record = try await database.read { db in
      try ContactRecord.fetchOne(db, sql: ContactSQL.selectByKey, arguments: [id])
    }
    let contact = try XCTUnwrap(record).model()
    XCTAssertEqual(contact.id, UUID(uuidString: id))
    XCTAssertEqual(contact.status, .unknown("vip"))
    XCTAssertEqual(contact.tags, ["x"])
    XCTAssertEqual(contact.createdAt?.timeIntervalSince1970, 1_704_164_645.5)
    XCTAssertEqual(contact.updatedAt?.timeIntervalSince1970, 1_704_164_645)
    XCTAssertEqual(record?.pending, false)
    await engine.stop()
  }

  private func waitUntil(
    _ condition: @MainActor () -> Bool, timeout: Duration = .seconds(2)
  ) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while !condition() {
      guard clock.now < deadline else {
        XCTFail("timed out")
        return
      }
      try await Task.sleep(for: .milliseconds(10))
    }
  }
}
