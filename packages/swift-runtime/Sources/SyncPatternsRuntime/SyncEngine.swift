import Foundation
import GRDB
import SyncPatternsClient

/// The sync engine of one database: shape consumers (server → `T_synced`), the outbox worker
/// (local writes → API) and the write API the generated live stores call. Structured
/// concurrency: every loop is a task owned by an actor and ends on `stop()`.
public actor SyncEngine {
  public nonisolated let database: any DatabaseWriter
  public nonisolated let status: SyncStatus
  private let tables: [String: SyncTable]
  private let outbox: OutboxWorker
  private var shapes: [String: ShapeConsumer] = [:]
  private let http: HTTPClient
  private let electricURL: URL
  private let policy: BackoffPolicy
  private var started = false

  @MainActor
  public init(
    database: any DatabaseWriter, http: HTTPClient, electricURL: URL, tables: [SyncTable],
    policy: BackoffPolicy = BackoffPolicy()
  ) {
    let status = SyncStatus()
    self.database = database
    self.status = status
    self.http = http
    self.electricURL = electricURL
    self.policy = policy
    self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
    self.outbox = OutboxWorker(
      database: database, http: http, tables: tables, policy: policy,
      random: { Double.random(in: 0..<1) }, status: status)
  }

  /// Starts syncing every table (idempotent).
  public func start() async {
    guard !started else { return }
    started = true
    let outbox = outbox
    for table in tables.values {
      let consumer = ShapeConsumer(
        table: table, tables: Array(tables.values), database: database, http: http,
        electricURL: electricURL, policy: policy, status: status,
        onReconnect: { await outbox.reconnected() })
      shapes[table.name] = consumer
      await consumer.start()
    }
    await outbox.start()
  }

  /// Stops every loop; local data and the outbox stay.
  public func stop() async {
    for shape in shapes.values { await shape.stop() }
    shapes = [:]
    await outbox.stop()
    started = false
  }

  /// Requests the table's shape now and retries pending writes.
  public func refresh(_ table: SyncTable) async {
    await shapes[table.name]?.refresh()
    await outbox.reconnected()
  }

  /// Inserts through the view. A missing key is generated (UUID for uuid/text keys). Confirmed
  /// tables return once the server accepted the write and throw `APIError` when it refused.
  public func insert<Draft: Encodable & Sendable, R: FetchableRecord & Sendable>(
    _ draft: Draft, extra: [String: JSONValue] = [:], into table: SyncTable, as type: R.Type
  ) async throws -> R {
    var object = try SyncBridge.object(draft)
    for (name, value) in extra { object[name] = value }
    let key = object[table.primaryKey].flatMap { $0.isNull ? nil : $0 } ?? Self.newKey(table)
    object[table.primaryKey] = key
    let values = SyncBridge.insertArguments(object, table: table)
    return try await write(table, key: key) { db in
      try db.execute(sql: table.sql.insert, arguments: StatementArguments(values))
    }
  }

  /// Updates the given fields through the view (see `sql.update`).
  public func update<Patch: Encodable & Sendable, R: FetchableRecord & Sendable>(
    key: JSONValue, with patch: Patch, in table: SyncTable, as type: R.Type
  ) async throws -> R {
    var object = try SyncBridge.object(patch)
    object[table.primaryKey] = nil
    let values = SyncBridge.updateArguments(key: key, object, table: table)
    return try await write(table, key: key) { db in
      try db.execute(sql: table.sql.update, arguments: StatementArguments(values))
    }
  }

  /// Deletes through the view.
  public func delete(key: JSONValue, in table: SyncTable) async throws {
    let value = SyncBridge.databaseValue(key, storage: table.keyColumn.storage)
    let writeId = try await database.write { db -> String? in
      let before = try Int64.fetchOne(db, sql: SyncSharedSQL.maxSeq) ?? 0
      try db.execute(sql: table.sql.delete, arguments: [value])
      return try String.fetchOne(db, sql: SyncSharedSQL.writeIdAfter, arguments: [before])
    }
    try await settle(table, writeId: writeId)
  }

  private func write<R: FetchableRecord & Sendable>(
    _ table: SyncTable, key: JSONValue, _ statement: @escaping @Sendable (Database) throws -> Void
  ) async throws -> R {
    let keyValue = SyncBridge.databaseValue(key, storage: table.keyColumn.storage)
    let (writeId, _): (String?, R) = try await database.write { db in
      let before = try Int64.fetchOne(db, sql: SyncSharedSQL.maxSeq) ?? 0
      try statement(db)
      let writeId = try String.fetchOne(db, sql: SyncSharedSQL.writeIdAfter, arguments: [before])
      guard let record = try R.fetchOne(db, sql: table.sql.selectByKey, arguments: [keyValue]) else {
        throw SyncError.rowMissing
      }
      return (writeId, record)
    }
    try await settle(table, writeId: writeId)
    let record = try await database.read { db in
      try R.fetchOne(db, sql: table.sql.selectByKey, arguments: [keyValue])
    }
    guard let record else { throw SyncError.rowMissing }
    return record
  }

  /// Wakes the outbox; for confirmed tables waits for the server's answer.
  private func settle(_ table: SyncTable, writeId: String?) async throws {
    await outbox.start()
    await outbox.wake()
    if table.confirmed, let writeId = writeId {
      try await outbox.awaitOutcome(of: writeId, table: table)
    }
  }

  static func newKey(_ table: SyncTable) -> JSONValue {
    switch table.keyColumn.storage {
    case .int32, .int64:
      // Servers that let clients choose integer ids must accept any positive 53-bit value.
      return .integer(Int64.random(in: 1..<(1 << 53)))
    default:
      return .string(UUID().uuidString.lowercased())
    }
  }
}
