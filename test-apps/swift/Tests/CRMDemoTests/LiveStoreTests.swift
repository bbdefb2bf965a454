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
}
