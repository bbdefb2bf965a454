import Foundation
import GRDB
import SyncPatternsClient
import XCTest

@testable import SyncPatternsRuntime

/// Contract §1: the view is recreated when its definition changes, without a resync; a changed
/// schema hash rebuilds the synced table.
final class SchemaInstallTests: XCTestCase {
  static let columns = "\"id\" TEXT PRIMARY KEY NOT NULL, \"title\" TEXT"

  static func trigger(_ operation: String) -> String {
    "CREATE TRIGGER \"notes_\(operation)\" INSTEAD OF \(operation.uppercased()) ON \"notes\" "
      + "BEGIN SELECT 1; END"
  }

  private func table(view: String, hash: String = "h1") -> SyncTable {
    let sql = SyncTableSQL(
      createSynced: "CREATE TABLE IF NOT EXISTS \"notes_synced\" (\(Self.columns))",
      createLocal: "CREATE TABLE IF NOT EXISTS \"notes_local\" (\(Self.columns))",
      createView: view,
      insertTrigger: Self.trigger("insert"), updateTrigger: Self.trigger("update"),
      deleteTrigger: Self.trigger("delete"), dropView: "DROP VIEW IF EXISTS \"notes\"",
      dropSynced: "DROP TABLE IF EXISTS \"notes_synced\"",
      selectAll: "", selectByKey: "", insert: "", update: "", delete: "", upsertSynced: "",
      deleteSynced: "", clearSynced: "", reconcile: "", reconcileDeleted: "", deleteEmptyLocal: "",
      restoreLocal: "")
    return SyncTable(
      name: "notes", primaryKey: "id",
      columns: [
        SyncColumn("id", .text, nullable: false, synced: true, placeholder: .string("")),
        SyncColumn("title", .text, nullable: true, synced: true, placeholder: .null),
      ],
      confirmed: false, schemaHash: hash, create: nil, update: nil, delete: nil, sql: sql)
  }

  private func install(_ table: SyncTable, in database: DatabaseQueue) throws {
    var migrator = DatabaseMigrator()
    SyncSharedSchema.register(in: &migrator)
    try migrator.migrate(database)
    try database.write { db in try SyncSharedSchema.install(table, in: db) }
  }

  func testAChangedViewIsRecreatedAndKeepsTheSyncedRows() throws {
    let database = try DatabaseQueue()
    let oldView = "CREATE VIEW \"notes\" AS SELECT \"id\", \"title\" FROM \"notes_synced\""
    try install(table(view: oldView), in: database)
    try database.write { db in
      try db.execute(sql: "INSERT INTO \"notes_synced\" (\"id\", \"title\") VALUES ('a', 'abc')")
    }
    let newView =
      "CREATE VIEW \"notes\" AS SELECT \"id\", upper(\"title\") AS \"title\" "
      + "FROM \"notes_synced\""
    try install(table(view: newView), in: database)
    // The synced row is kept (no resync) and read through the new definition.
    let title = try database.read { db in
      try String.fetchOne(db, sql: "SELECT \"title\" FROM \"notes\" WHERE \"id\" = 'a'")
    }
    XCTAssertEqual(title, "ABC")
    let triggers = try database.read { db in
      try Int.fetchOne(
        db,
        sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notes'")
    }
    XCTAssertEqual(triggers, 3)
  }

  func testTheSameDefinitionIsLeftAlone() throws {
    let database = try DatabaseQueue()
    let view = "CREATE VIEW \"notes\" AS SELECT \"id\", \"title\" FROM \"notes_synced\""
    try install(table(view: view), in: database)
    try database.write { db in
      try db.execute(sql: "INSERT INTO \"notes_synced\" (\"id\", \"title\") VALUES ('a', 'x')")
    }
    try install(table(view: view), in: database)
    let count = try database.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM \"notes\"")
    }
    XCTAssertEqual(count, 1)
  }
}
