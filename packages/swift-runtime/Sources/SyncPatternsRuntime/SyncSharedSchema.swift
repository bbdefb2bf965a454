import Foundation
import GRDB
import SyncPatternsClient

/// Installs the shared sync tables and each live table (docs/sync-runtime-contract.md §1, §6).
public enum SyncSharedSchema {
  /// Registers the shared tables; call before the per-table migrations.
  public static func register(in migrator: inout DatabaseMigrator) {
    migrator.registerMigration("sync-patterns:shared:v1") { db in
      for sql in SyncSharedSQL.schema { try db.execute(sql: sql) }
    }
  }

  /// Creates `table`'s tables, view and triggers, or upgrades them when the stored schema hash
  /// differs: `T_synced` and the view are recreated, the shape is forgotten (full resync),
  /// `T_local` keeps the columns that still exist, and the outbox is left alone. When only the
  /// view's definition changed (a new visibility rule, contract §1), the view and its triggers
  /// are recreated and the synced rows are kept.
  public static func install(_ table: SyncTable, in db: Database) throws {
    let key = "schema_hash:\(table.name)"
    let stored = try String.fetchOne(db, sql: SyncSharedSQL.metaValue, arguments: [key])
    if stored == table.schemaHash {
      try refreshView(table, in: db)
      return
    }
    let localName = "\(table.name)_local"
    if try db.tableExists(localName) {
      try db.execute(sql: table.sql.dropView)
      try db.execute(sql: table.sql.dropSynced)
      try migrateLocal(table, named: localName, in: db)
      try db.execute(sql: SyncSharedSQL.clearShape, arguments: [table.shapeKey])
      // A must-refetch in progress is abandoned: the full resync replaces it.
      try db.execute(sql: TableStatements(table).dropStaging)
      try db.execute(sql: SyncSharedSQL.deleteMeta, arguments: ["refetch:\(table.name)"])
    } else {
      try db.execute(sql: table.sql.createLocal)
    }
    try db.execute(sql: table.sql.createSynced)
    for sql in viewStatements(table) {
      try db.execute(sql: sql)
    }
    try db.execute(sql: SyncSharedSQL.setMeta, arguments: [key, table.schemaHash])
    try db.execute(sql: SyncSharedSQL.setMeta, arguments: [viewKey(table), viewDefinition(table)])
  }

  /// Recreates the view and its triggers when their SQL differs from what was installed (the
  /// meta row holds the installed text; a database made before it existed gets it now).
  private static func refreshView(_ table: SyncTable, in db: Database) throws {
    let definition = viewDefinition(table)
    let installed = try String.fetchOne(
      db, sql: SyncSharedSQL.metaValue, arguments: [viewKey(table)])
    if installed == definition { return }
    // Dropping the view drops its INSTEAD OF triggers too.
    try db.execute(sql: table.sql.dropView)
    for sql in viewStatements(table) {
      try db.execute(sql: sql)
    }
    try db.execute(sql: SyncSharedSQL.setMeta, arguments: [viewKey(table), definition])
  }

  private static func viewKey(_ table: SyncTable) -> String { "view_sql:\(table.name)" }

  /// The view and its INSTEAD OF triggers, in creation order.
  private static func viewStatements(_ table: SyncTable) -> [String] {
    let sql = table.sql
    return [sql.createView, sql.insertTrigger, sql.updateTrigger, sql.deleteTrigger]
  }

  private static func viewDefinition(_ table: SyncTable) -> String {
    viewStatements(table).joined(separator: ";\n")
  }

  /// Recreates `T_local` with the new columns and copies over those present in both versions.
  private static func migrateLocal(_ table: SyncTable, named name: String, in db: Database) throws {
    let old = "\(name)_previous"
    try db.execute(sql: "ALTER TABLE \(quote(name)) RENAME TO \(quote(old))")
    try db.execute(sql: table.sql.createLocal)
    let oldColumns = Set(try db.columns(in: old).map(\.name))
    let newColumns = try db.columns(in: name).map(\.name)
    let common = newColumns.filter(oldColumns.contains).map(quote).joined(separator: ", ")
    try db.execute(
      sql: "INSERT INTO \(quote(name)) (\(common)) SELECT \(common) FROM \(quote(old))")
    try db.execute(sql: "DROP TABLE \(quote(old))")
  }

  /// An SQL identifier, always quoted (`"` doubled).
  static func quote(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
