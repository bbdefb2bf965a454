import Foundation

/// Statement templates the runtime completes per table from its names, for what the generated
/// `SyncTableSQL` does not cover: the must-refetch staging table (contract §5), the 404 tombstone
/// (§2) and the delete message's `T_local` cleanup (§5). Placeholders: `{synced}`, `{local}`,
/// `{staging}` (quoted table names), `{pk}` (the quoted key column), `{nullSynced}`
/// (`, "c" = NULL` per synced non-key column). `?1` is the key as text (`CAST(pk AS TEXT)`,
/// as in the outbox) except in `deleteLocalWithoutWrite`, whose `?1` is the typed key.
///
/// packages/swift-runtime/src/table-statements.test.ts completes them for a generated schema and
/// runs them in SQLite.
public enum SyncTableTemplates {
  /// 404: the key becomes a tombstone (hidden, no overrides, no write) until the shape's delete.
  public static let tombstoneLocal = """
    UPDATE {local} SET "_deleted" = 1, "_write_id" = NULL, "_changed" = '[]'{nullSynced}
    WHERE CAST({pk} AS TEXT) = ?1
    """

  /// 404 on a key without a `T_local` row: a tombstone over its synced row.
  public static let tombstoneSynced = """
    INSERT OR IGNORE INTO {local} ({pk}, "_deleted", "_changed", "_write_id")
    SELECT s.{pk}, 1, '[]', NULL FROM {synced} AS s WHERE CAST(s.{pk} AS TEXT) = ?1
    """

  /// 404 on a key the shape no longer has: nothing to hide, the tombstone goes at once.
  public static let dropUnsyncedTombstone = """
    DELETE FROM {local}
    WHERE CAST({pk} AS TEXT) = ?1 AND "_write_id" IS NULL
      AND NOT EXISTS (SELECT 1 FROM {synced} AS s WHERE CAST(s.{pk} AS TEXT) = ?1)
    """

  /// A delete message: the key's `T_local` row without a pending write goes too (its local-only
  /// values belong to a row that no longer exists; a 404 tombstone is forgotten).
  public static let deleteLocalWithoutWrite = """
    DELETE FROM {local} WHERE {pk} = ?1 AND "_write_id" IS NULL
    """

  /// The key's current write id (a 404 on a delete hides the key only when it still owns it).
  public static let localWriteId = """
    SELECT "_write_id" FROM {local} WHERE CAST({pk} AS TEXT) = ?1
    """

  public static let dropStaging = """
    DROP TABLE IF EXISTS {staging}
    """

  /// The end of a must-refetch, in one transaction with the last batch: `T_synced` takes the
  /// staging table's rows, and `T_local` rows left invisible (no synced row, no write) go.
  public static let swapClear = """
    DELETE FROM {synced}
    """

  public static let swapFill = """
    INSERT INTO {synced} SELECT * FROM {staging}
    """

  public static let deleteInvisibleLocal = """
    DELETE FROM {local}
    WHERE "_write_id" IS NULL AND {pk} NOT IN (SELECT {pk} FROM {synced})
    """
}

/// `SyncTableTemplates` completed for one table, plus the staging versions of the generated
/// `createSynced` / `upsertSynced` / `deleteSynced`.
struct TableStatements: Sendable {
  let tombstone: [String]
  let deleteLocalWithoutWrite: String
  let localWriteId: String
  let createStaging: String
  let upsertStaging: String
  let deleteStaging: String
  let dropStaging: String
  /// Swap, in order: clear `T_synced`, copy the staging rows, drop the staging table, delete
  /// invisible `T_local` rows.
  let swap: [String]

  init(_ table: SyncTable) {
    let synced = SyncSharedSchema.quote("\(table.name)_synced")
    let staging = SyncSharedSchema.quote("\(table.name)_synced_refetch")
    let local = SyncSharedSchema.quote("\(table.name)_local")
    let pk = SyncSharedSchema.quote(table.keyColumn.sqlName)
    let nullSynced = table.syncedColumns.dropFirst()
      .map { ", \(SyncSharedSchema.quote($0.sqlName)) = NULL" }.joined()
    func fill(_ template: String) -> String {
      template
        .replacingOccurrences(of: "{nullSynced}", with: nullSynced)
        .replacingOccurrences(of: "{synced}", with: synced)
        .replacingOccurrences(of: "{staging}", with: staging)
        .replacingOccurrences(of: "{local}", with: local)
        .replacingOccurrences(of: "{pk}", with: pk)
    }
    tombstone = [
      fill(SyncTableTemplates.tombstoneLocal), fill(SyncTableTemplates.tombstoneSynced),
      fill(SyncTableTemplates.dropUnsyncedTombstone),
    ]
    deleteLocalWithoutWrite = fill(SyncTableTemplates.deleteLocalWithoutWrite)
    localWriteId = fill(SyncTableTemplates.localWriteId)
    var create = table.sql.createSynced
    if let range = create.range(of: synced) { create.replaceSubrange(range, with: staging) }
    createStaging = create
    upsertStaging = table.sql.upsertSynced.replacingOccurrences(of: synced, with: staging)
    deleteStaging = table.sql.deleteSynced.replacingOccurrences(of: synced, with: staging)
    dropStaging = fill(SyncTableTemplates.dropStaging)
    swap = [
      fill(SyncTableTemplates.swapClear), fill(SyncTableTemplates.swapFill),
      dropStaging, fill(SyncTableTemplates.deleteInvisibleLocal),
    ]
  }
}
