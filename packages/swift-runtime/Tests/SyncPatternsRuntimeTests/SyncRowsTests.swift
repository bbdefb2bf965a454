import Foundation
import GRDB
import SyncPatternsClient
import XCTest

@testable import SyncPatternsRuntime

/// Typed view rows (issue #19): each column read once as the model's type, the row states and
/// the refused writes a live store shows.
final class SyncRowsTests: XCTestCase {
  func testDatesInEveryFormSQLiteHolds() {
    let base = 1_704_164_645.0  // 2024-01-02T03:04:05Z
    let cases: [(String, Double)] = [
      ("2024-01-02 03:04:05.123456+00", base + 0.123456),
      ("2024-01-02T03:04:05Z", base),
      ("2024-01-02T03:04:05.5Z", base + 0.5),
      ("2024-01-02T05:04:05+02:00", base),
      ("2024-01-02T05:04:05+0200", base),
      ("2024-01-01T22:04:05-05", base),
      ("2024-01-02 03:04", base - 5),
      ("2024-01-02", 1_704_153_600),
      ("1969-12-31T23:59:59Z", -1),
    ]
    for (text, expected) in cases {
      let date = SyncRows.date(text)
      XCTAssertNotNil(date, text)
      XCTAssertEqual(date?.timeIntervalSince1970 ?? .nan, expected, accuracy: 0.000_001, text)
    }
    XCTAssertNil(SyncRows.date("yesterday"))
    XCTAssertNil(SyncRows.date("2024-13-02"))
  }

  func testScalarColumns() {
    let uuid = UUID.syncValue(from: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")
    XCTAssertEqual(uuid?.uuidString, "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")
    XCTAssertEqual(Decimal.syncValue(from: "12.50"), Decimal(string: "12.5"))
    XCTAssertEqual(Decimal.syncValue(from: Int64(3)), Decimal(3))
    XCTAssertEqual(Bool.syncValue(from: Int64(1)), true)
    XCTAssertEqual(Int.syncValue(from: Int64(42)), 42)
    XCTAssertNil(Int.syncValue(from: 1.5))
    XCTAssertNil(UUID.syncValue(from: "not a uuid"))
  }

  func testRowColumnsEnumsJsonAndErrors() throws {
    let row: Row = [
      "status": "vip",
      "tags": "[\"a\",\"b\"]",
      "count": 3,
      "name": nil,
      "bad": "x",
    ]
    XCTAssertEqual(
      try SyncRows.enumValue(row, "status", as: Status.self, table: "t"), .other("vip"))
    XCTAssertEqual(try SyncRows.json(row, "tags", as: [String].self, table: "t"), ["a", "b"])
    XCTAssertEqual(try SyncRows.value(row, "count", as: Int64.self, table: "t"), 3)
    XCTAssertNil(try SyncRows.value(row, "name", as: String.self, table: "t"))
    XCTAssertThrowsError(try SyncRows.value(row, "bad", as: UUID.self, table: "t")) { error in
      XCTAssertEqual(
        error as? SyncRowError,
        .invalidValue(table: "t", column: "bad", type: "UUID", text: "x"))
    }
    XCTAssertThrowsError(try SyncRows.required(String?.none, table: "t", column: "name")) {
      XCTAssertEqual($0 as? SyncRowError, .missingValue(table: "t", column: "name"))
    }
  }

  func testSnapshotStatesAndFailedWrites() throws {
    let database = try DatabaseQueue()
    try database.write { db in
      try db.execute(sql: SyncSharedSQL.createOutbox)
      try db.execute(
        sql: """
          INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "status",
            "error", "created_at")
          VALUES ('w1', 'notes', 'update', 'b', '{"title":"x"}', 'failed',
            '{"status":422,"message":"title is taken"}', 0)
          """)
    }
    let table = SyncTable(
      name: "notes", primaryKey: "id", columns: [], confirmed: false, schemaHash: "",
      create: nil, update: nil, delete: nil, sql: Self.emptySQL)
    let failed = try database.read { db in try SyncRows.failedWrites(db, table: table) }
    XCTAssertEqual(failed.map(\.writeId), ["w1"])
    XCTAssertEqual(failed.first?.status, 422)
    XCTAssertEqual(failed.first?.message, "title is taken")
    XCTAssertEqual(failed.first?.values, ["title": .string("x")])

    let records = [
      Note(key: "a", pending: true),
      Note(key: "b", pending: false),
      Note(key: "c", pending: false),
    ]
    let snapshot = SyncSnapshot(records: records, failedWrites: failed)
    XCTAssertEqual(try snapshot.rows().map(\.state), [.pending, .failed, .synced])
  }

  private enum Status: RawRepresentable, Hashable {
    case active
    case other(String)
    init(rawValue: String) { self = rawValue == "active" ? .active : .other(rawValue) }
    var rawValue: String {
      switch self {
      case .active: return "active"
      case .other(let value): return value
      }
    }
  }

  private struct Note: SyncViewRecord, Hashable {
    var key: String
    var pending: Bool
    init(key: String, pending: Bool) {
      self.key = key
      self.pending = pending
    }
    init(row: Row) throws {
      key = row["id"]
      pending = row["_pending"]
    }
    var syncKey: String { key }
    func model() throws -> String { key }
  }

  private static let emptySQL = SyncTableSQL(
    createSynced: "", createLocal: "", createView: "", insertTrigger: "", updateTrigger: "",
    deleteTrigger: "", dropView: "", dropSynced: "", selectAll: "", selectByKey: "", insert: "",
    update: "", delete: "", upsertSynced: "", deleteSynced: "", clearSynced: "", reconcile: "",
    reconcileDeleted: "", deleteEmptyLocal: "", restoreLocal: "")
}
