import Foundation
import SyncPatternsClient

/// Storage class of a column (the IR's `ColumnStorage`): how its value is held in SQLite.
public enum SyncStorage: String, Sendable, Hashable {
  case text, uuid, int32, int64, float, double, decimal, boolean, date, timestamp, time, json, bytes
}

/// One column of a live table, in view order (key first, then synced, then local-only).
public struct SyncColumn: Sendable, Hashable {
  /// Wire name: JSON key in models, payloads and shape rows.
  public let name: String
  public let storage: SyncStorage
  /// SQLite name (differs when two wire names differ only in case).
  public let sqlName: String
  public let nullable: Bool
  /// False for `x-sync-exclude` (local-only) columns.
  public let synced: Bool
  /// Only `SyncBridge.model` reads it (kept for hand-written tables); generated tables leave it
  /// `.null`: their records never show a value no one wrote (issue #19).
  public let placeholder: JSONValue

  public init(
    _ name: String, _ storage: SyncStorage, sqlName: String? = nil, nullable: Bool, synced: Bool,
    placeholder: JSONValue = .null
  ) {
    self.name = name
    self.storage = storage
    self.sqlName = sqlName ?? name
    self.nullable = nullable
    self.synced = synced
    self.placeholder = placeholder
  }
}

/// The API operation the outbox calls for one kind of write.
public struct SyncRoute: Sendable {
  /// Where a parameter's value comes from.
  public enum Source: Sendable, Hashable {
    case primaryKey
    /// A column of the row (payload first, then the current view row).
    case payload(String)
  }

  /// Where a parameter goes in the request.
  public enum Location: Sendable, Hashable {
    case path, query, header
  }

  /// A path parameter, or a required query or header parameter bound to a column
  /// (`x-sync-bind`, or a column of the same name: the IR's `Entity.bindings`).
  public struct Parameter: Sendable, Hashable {
    public let name: String
    public let source: Source
    public let location: Location

    public init(_ name: String, _ source: Source, in location: Location = .path) {
      self.name = name
      self.source = source
      self.location = location
    }
  }

  public let method: HTTPMethod
  /// Path template as in the spec (`/contacts/{contact_id}`).
  public let path: String
  public let parameters: [Parameter]
  public let security: [SecurityRequirement]

  public init(
    method: HTTPMethod, path: String, parameters: [Parameter], security: [SecurityRequirement] = []
  ) {
    self.method = method
    self.path = path
    self.parameters = parameters
    self.security = security
  }
}

/// The generated statements of one table (see the generator's `<Entity>SQL` files).
public struct SyncTableSQL: Sendable {
  public let createSynced, createLocal, createView: String
  public let insertTrigger, updateTrigger, deleteTrigger: String
  public let dropView, dropSynced: String
  public let selectAll, selectByKey, insert, update, delete: String
  public let upsertSynced, deleteSynced, clearSynced: String
  public let reconcile, reconcileDeleted, deleteEmptyLocal, restoreLocal: String

  public init(
    createSynced: String, createLocal: String, createView: String, insertTrigger: String,
    updateTrigger: String, deleteTrigger: String, dropView: String, dropSynced: String,
    selectAll: String, selectByKey: String, insert: String, update: String, delete: String,
    upsertSynced: String, deleteSynced: String, clearSynced: String, reconcile: String,
    reconcileDeleted: String, deleteEmptyLocal: String, restoreLocal: String
  ) {
    self.createSynced = createSynced
    self.createLocal = createLocal
    self.createView = createView
    self.insertTrigger = insertTrigger
    self.updateTrigger = updateTrigger
    self.deleteTrigger = deleteTrigger
    self.dropView = dropView
    self.dropSynced = dropSynced
    self.selectAll = selectAll
    self.selectByKey = selectByKey
    self.insert = insert
    self.update = update
    self.delete = delete
    self.upsertSynced = upsertSynced
    self.deleteSynced = deleteSynced
    self.clearSynced = clearSynced
    self.reconcile = reconcile
    self.reconcileDeleted = reconcileDeleted
    self.deleteEmptyLocal = deleteEmptyLocal
    self.restoreLocal = restoreLocal
  }

  /// Tables, view and triggers, in creation order.
  public var schema: [String] {
    [createSynced, createLocal, createView, insertTrigger, updateTrigger, deleteTrigger]
  }
}

/// Everything the runtime knows about one live table (generated `<Entity>SyncTable.table`).
public struct SyncTable: Sendable {
  public let name: String
  public let primaryKey: String
  public let columns: [SyncColumn]
  /// `local_first: false`: writes wait for the server.
  public let confirmed: Bool
  public let schemaHash: String
  public let create: SyncRoute?
  public let update: SyncRoute?
  public let delete: SyncRoute?
  public let sql: SyncTableSQL

  public init(
    name: String, primaryKey: String, columns: [SyncColumn], confirmed: Bool, schemaHash: String,
    create: SyncRoute?, update: SyncRoute?, delete: SyncRoute?, sql: SyncTableSQL
  ) {
    self.name = name
    self.primaryKey = primaryKey
    self.columns = columns
    self.confirmed = confirmed
    self.schemaHash = schemaHash
    self.create = create
    self.update = update
    self.delete = delete
    self.sql = sql
  }

  public var keyColumn: SyncColumn { columns[0] }
  /// Synced columns, key first: the order of `sql.upsertSynced`'s arguments.
  public var syncedColumns: [SyncColumn] { columns.filter(\.synced) }
  /// The `_sync_shapes` key of this table's shape.
  public var shapeKey: String { name }
}
