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
    var refetching: [String: Bool] = [:]
    for row in try Row.fetchAll(db, sql: SyncSharedSQL.reconcilable) {
      let seq: Int64 = row["seq"]
      let tableName: String = row["table_name"]
      // During a must-refetch `T_synced` still holds the old rows: dropping the override now
      // would show the old value until the swap, which reconciles these rows (contract §5).
      if refetching[tableName] == nil {
        refetching[tableName] =
          try String.fetchOne(
            db, sql: SyncSharedSQL.metaValue, arguments: ["refetch:\(tableName)"]) != nil
      }
      if refetching[tableName] == true { continue }
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

  /// `sent` rows known to be in the server's rows although their txid was never seen (they were
  /// acknowledged before a snapshot was requested): reconciled like seen ones.
  static func reconcileSent(_ db: Database, tables: [String: SyncTable], writeIds: [String])
    throws
  {
    for writeId in writeIds {
      guard
        let row = try Row.fetchOne(db, sql: SyncSharedSQL.rowByWriteId, arguments: [writeId]),
        let state = row["status"] as String?, state == "sent"
      else { continue }
      let outbox = OutboxRow(row: row)
      guard let table = tables[outbox.tableName] else { continue }
      try settleWithoutTxid(
        db, table: table, seq: outbox.seq, pk: outbox.pk, writeId: outbox.writeId)
    }
  }

  /// A 2xx without a txid: nothing on the shape will carry it, so the write is settled now.
  static func settleWithoutTxid(
    _ db: Database, table: SyncTable, seq: Int64, pk: String, writeId: String
  ) throws {
    try db.execute(sql: table.sql.reconcile, arguments: [pk, writeId])
    try db.execute(sql: table.sql.reconcileDeleted, arguments: [pk, writeId])
    try db.execute(sql: table.sql.deleteEmptyLocal, arguments: [pk])
    try db.execute(sql: SyncSharedSQL.deleteRow, arguments: [seq])
  }

  /// Rollback (contract §2) of a refused write and of the later unfinished writes of the same
  /// key, each kept with `status = failed` and the error record `error` (JSON); returns their
  /// write ids, the refused one first.
  static func rollBack(
    _ db: Database, table: SyncTable, seq: Int64, pk: String, writeId: String, error: String
  ) throws -> [String] {
    let later = try String.fetchAll(
      db,
      sql: """
        SELECT "write_id" FROM "_sync_outbox"
        WHERE "table_name" = ?1 AND "pk" = ?2 AND "seq" > ?3 AND "status" IN ('pending', 'inflight')
        ORDER BY "seq"
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

  /// Rollback of a write its caller cancelled (contract §4): the row is deleted, not kept.
  static func cancel(_ db: Database, table: SyncTable, seq: Int64, pk: String, writeId: String)
    throws
  {
    try db.execute(sql: SyncSharedSQL.deleteRow, arguments: [seq])
    try db.execute(sql: table.sql.restoreLocal, arguments: [pk, writeId])
    try db.execute(sql: table.sql.deleteEmptyLocal, arguments: [pk])
  }

  /// 404 (contract §2): the key becomes a tombstone until the shape's delete, or goes at once
  /// when the shape no longer has it. A 404 on a delete hides the key only while that delete is
  /// still its latest write.
  static func hide(
    _ db: Database, table: SyncTable, statements: TableStatements, pk: String,
    ownedBy writeId: String?
  ) throws {
    if let writeId {
      let current = try String.fetchOne(db, sql: statements.localWriteId, arguments: [pk])
      guard current == writeId else { return }
    }
    for sql in statements.tombstone { try db.execute(sql: sql, arguments: [pk]) }
  }
}
