import Foundation
import GRDB
import SyncPatternsClient

/// Txid reconciliation (contract §3): a `sent` outbox row whose txid the shape has delivered is
/// deleted, and its local overrides are dropped when it is still the row's latest write.
enum Reconciler {
  /// Runs inside the caller's transaction; returns the reconciled write ids.
  @discardableResult
  static func reconcile(_ db: Database, tables: [String: SyncTable]) throws -> [String] {
    var done: [String] = []
    for row in try Row.fetchAll(db, sql: SyncSharedSQL.reconcilable) {
      let seq: Int64 = row["seq"]
      let tableName: String = row["table_name"]
      let pk: String = row["pk"]
      let writeId: String = row["write_id"]
      if let table = tables[tableName] {
        try db.execute(sql: table.sql.reconcile, arguments: [pk, writeId])
        try db.execute(sql: table.sql.reconcileDeleted, arguments: [pk, writeId])
        try db.execute(sql: table.sql.deleteEmptyLocal, arguments: [pk])
      }
      try db.execute(sql: SyncSharedSQL.deleteRow, arguments: [seq])
      done.append(writeId)
    }
    return done
  }

  /// A 2xx without a txid: nothing on the shape will carry it, so the write is settled now.
  static func settleWithoutTxid(_ db: Database, table: SyncTable, seq: Int64, pk: String, writeId: String) throws {
    try db.execute(sql: table.sql.reconcile, arguments: [pk, writeId])
    try db.execute(sql: table.sql.reconcileDeleted, arguments: [pk, writeId])
    try db.execute(sql: table.sql.deleteEmptyLocal, arguments: [pk])
    try db.execute(sql: SyncSharedSQL.deleteRow, arguments: [seq])
  }

  /// Rollback (contract §2) of a refused write and of the later writes of the same key.
  static func rollBack(
    _ db: Database, table: SyncTable, seq: Int64, pk: String, writeId: String, error: String
  ) throws -> [String] {
    let later = try String.fetchAll(
      db,
      sql: """
        SELECT "write_id" FROM "_sync_outbox"
        WHERE "table_name" = ?1 AND "pk" = ?2 AND "seq" > ?3 AND "status" IN ('pending', 'inflight')
        """,
      arguments: [table.name, pk, seq])
    try db.execute(sql: SyncSharedSQL.markFailed, arguments: [seq, error])
    try db.execute(sql: SyncSharedSQL.failLaterSameKey, arguments: [table.name, pk, seq, error])
    for id in [writeId] + later {
      try db.execute(sql: table.sql.restoreLocal, arguments: [pk, id])
    }
    try db.execute(sql: table.sql.deleteEmptyLocal, arguments: [pk])
    return [writeId] + later
  }
}
