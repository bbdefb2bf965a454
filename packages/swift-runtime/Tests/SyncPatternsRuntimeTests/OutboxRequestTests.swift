import Foundation
import GRDB
import SyncPatternsClient
import XCTest

@testable import SyncPatternsRuntime

/// Requests built from outbox rows: the key, the parent and the parameters core binds to columns
/// (`x-sync-bind`) go where the route says, with the values of the write or of the current row.
final class OutboxRequestTests: XCTestCase {
  private let sql = SyncTableSQL(
    createSynced: "", createLocal: "", createView: "", insertTrigger: "", updateTrigger: "",
    deleteTrigger: "", dropView: "", dropSynced: "", selectAll: "", selectByKey: "", insert: "",
    update: "", delete: "", upsertSynced: "", deleteSynced: "", clearSynced: "", reconcile: "",
    reconcileDeleted: "", deleteEmptyLocal: "", restoreLocal: "")

  private func table(update: SyncRoute) -> SyncTable {
    SyncTable(
      name: "vendors", primaryKey: "id",
      columns: [
        SyncColumn("id", .text, nullable: false, synced: true, placeholder: .string("")),
        SyncColumn("version", .int64, nullable: false, synced: true, placeholder: .number(0)),
        SyncColumn("name", .text, nullable: true, synced: true, placeholder: .null),
      ],
      confirmed: false, schemaHash: "test", create: nil, update: update, delete: nil, sql: sql)
  }

  private func row(payload: String) -> OutboxRow {
    OutboxRow(
      row: [
        "seq": 1, "write_id": "w-1", "table_name": "vendors", "op": "update", "pk": "v 1",
        "payload": payload, "attempts": 0, "next_attempt_at": 0,
      ])
  }

  func testBoundQueryAndHeaderParametersComeFromTheRow() throws {
    let route = SyncRoute(
      method: .patch, path: "/vendors/{id}",
      parameters: [
        .init("id", .primaryKey),
        .init("expectedVersion", .payload("version"), in: .query),
        .init("If-Match", .payload("version"), in: .header),
      ])
    let current: [String: JSONValue] = ["id": .string("v 1"), "version": .number(7)]
    let request = try OutboxRequest.make(
      row(payload: "{\"id\":\"v 1\",\"name\":\"Acme\"}"), table: table(update: route),
      current: current)
    XCTAssertEqual(request.path, "/vendors/v%201")
    XCTAssertEqual(request.query, [HTTPRequest.QueryItem(name: "expectedVersion", value: "7")])
    XCTAssertEqual(request.headers["If-Match"], "7")
    XCTAssertEqual(request.headers["Idempotency-Key"], "w-1")
    XCTAssertEqual(request.timeout, OutboxRequest.writeTimeout)
    XCTAssertEqual(OutboxRequest.writeTimeout, 15)
  }

  func testTheWritesOwnValueWinsOverTheCurrentRow() throws {
    let route = SyncRoute(
      method: .patch, path: "/vendors/{id}",
      parameters: [
        .init("id", .primaryKey), .init("expectedVersion", .payload("version"), in: .query),
      ])
    let request = try OutboxRequest.make(
      row(payload: "{\"id\":\"v 1\",\"version\":3}"), table: table(update: route),
      current: ["version": .number(7)])
    XCTAssertEqual(request.query, [HTTPRequest.QueryItem(name: "expectedVersion", value: "3")])
  }
}
