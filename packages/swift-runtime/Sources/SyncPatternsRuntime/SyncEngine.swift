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
  private let timeouts: SyncTimeouts
  private var started = false
  #if canImport(Network)
    private var pathMonitor: NetworkPathMonitor?
  #endif

  /// `policy` is the backoff of writes and shapes (contract §2: base 500 ms, factor 2, max 30 s);
  /// `timeouts` bound every request (15 s; long polls 90 s) and pace the reachability probe.
  @MainActor
  public init(
    database: any DatabaseWriter, http: HTTPClient, electricURL: URL, tables: [SyncTable],
    policy: BackoffPolicy = BackoffPolicy(), timeouts: SyncTimeouts = SyncTimeouts()
  ) {
    let status = SyncStatus()
    self.database = database
    self.status = status
    self.http = http
    self.electricURL = electricURL
    self.policy = policy
    self.timeouts = timeouts
    self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
    self.outbox = OutboxWorker(
      database: database, http: http, tables: tables, policy: policy, timeouts: timeouts,
      random: { Double.random(in: 0..<1) }, status: status)
  }

  /// Starts syncing every table (idempotent).
  public func start() async {
    guard !started else { return }
    started = true
    let outbox = outbox
    await outbox.setReconnectHandler { [weak self] in await self?.retryShapes() }
    for table in tables.values {
      let consumer = ShapeConsumer(
        table: table, tables: Array(tables.values), database: database, http: http,
        electricURL: electricURL, policy: policy, timeouts: timeouts, status: status,
        onReconnect: { await outbox.reconnected() },
        onUnreachable: { await outbox.shapeUnreachable() })
      shapes[table.name] = consumer
      await consumer.start()
    }
    await outbox.start()
    #if canImport(Network)
      pathMonitor = NetworkPathMonitor { [weak self] in await self?.networkAvailable() }
    #endif
  }

  /// Stops every loop; local data and the outbox stay.
  public func stop() async {
    #if canImport(Network)
      pathMonitor?.cancel()
      pathMonitor = nil
    #endif
    for shape in shapes.values { await shape.stop() }
    shapes = [:]
    await outbox.stop()
    started = false
  }

  /// The device is online again, or the app came to the foreground: a reconnect (contract §2).
  /// Every pending write is due at once and failed shapes retry without waiting for their
  /// backoff. Where the Network framework exists, the engine calls it itself each time the
  /// network path becomes satisfied again (`NWPathMonitor`, from `start()` to `stop()`); call
  /// it on `scenePhase == .active` (see the README). Elsewhere the reachability probe (every
  /// second while writes wait) and the first shape success after a failure are the triggers.
  public func networkAvailable() async {
    await outbox.reconnected()
    await retryShapes()
  }

  private func retryShapes() async {
    for shape in shapes.values { await shape.retryNow() }
  }

  // MARK: - Errors API (contract §2)

  /// Writes the server refused, oldest first (also published on `status.failedWrites`). Each is
  /// kept until retried or discarded, or 24 hours after it failed.
  public func failedWrites() async throws -> [FailedWrite] {
    try await outbox.failedWrites()
  }

  /// Makes a failed write again through the view, as a new write with the same values and a new
  /// write id, and discards the failed one. Returns the new write id (nil when the row no longer
  /// differs from those values, or is gone).
  @discardableResult
  public func retryWrite(_ writeId: String) async throws -> String? {
    guard let failed = try await outbox.failedWrites().first(where: { $0.writeId == writeId })
    else { throw SyncError.noFailedWrite(writeId) }
    guard let table = tables[failed.table] else {
      throw SyncError.noRoute(table: failed.table, op: failed.op)
    }
    let key = failed.values[table.primaryKey] ?? .string(failed.key)
    let values = failed.values
    let newId = try await database.write { db -> String? in
      let before = try Int64.fetchOne(db, sql: SyncSharedSQL.maxSeq) ?? 0
      switch failed.op {
      case "insert":
        let arguments = SyncBridge.insertArguments(values, table: table)
        try db.execute(sql: table.sql.insert, arguments: StatementArguments(arguments))
      case "update":
        var patch = values
        patch[table.primaryKey] = nil
        let arguments = SyncBridge.updateArguments(key: key, patch, table: table)
        try db.execute(sql: table.sql.update, arguments: StatementArguments(arguments))
      default:
        let keyValue = SyncBridge.databaseValue(key, storage: table.keyColumn.storage)
        try db.execute(sql: table.sql.delete, arguments: [keyValue])
      }
      try db.execute(sql: SyncSharedSQL.discardFailed, arguments: [writeId])
      return try String.fetchOne(db, sql: SyncSharedSQL.writeIdAfter, arguments: [before])
    }
    await outbox.refreshFailed()
    await outbox.start()
    await outbox.wake()
    return newId
  }

  /// Forgets a failed write (its local change was rolled back when it was refused).
  public func discardWrite(_ writeId: String) async throws {
    _ = try await database.write { db in
      try db.execute(sql: SyncSharedSQL.discardFailed, arguments: [writeId])
    }
    await outbox.refreshFailed()
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

  /// Runs the write through the view; returns the row as the view shows it, or, for a confirmed
  /// table, once the server accepted it, with the server's values (contract §4: the response
  /// body when it is an object with the row's primary key).
  private func write<R: FetchableRecord & Sendable>(
    _ table: SyncTable, key: JSONValue, _ statement: @escaping @Sendable (Database) throws -> Void
  ) async throws -> R {
    let keyValue = SyncBridge.databaseValue(key, storage: table.keyColumn.storage)
    let writeId: String? = try await database.write { db in
      let before = try Int64.fetchOne(db, sql: SyncSharedSQL.maxSeq) ?? 0
      try statement(db)
      let writeId = try String.fetchOne(db, sql: SyncSharedSQL.writeIdAfter, arguments: [before])
      guard try Row.fetchOne(db, sql: table.sql.selectByKey, arguments: [keyValue]) != nil else {
        throw SyncError.rowMissing
      }
      return writeId
    }
    let answer = try await settle(table, writeId: writeId)
    let stored = try await database.read { db -> [String: DatabaseValue]? in
      guard let row = try Row.fetchOne(db, sql: table.sql.selectByKey, arguments: [keyValue])
      else { return nil }
      var values: [String: DatabaseValue] = [:]
      for (column, value) in row { values[column] = value }
      return values
    }
    guard var values = stored else { throw SyncError.rowMissing }
    if case .object(let server)? = answer, let serverKey = server[table.primaryKey],
      !serverKey.isNull
    {
      for column in table.columns where column.synced {
        guard let value = server[column.name] else { continue }
        values[column.sqlName] = SyncBridge.databaseValue(value, storage: column.storage)
      }
    }
    return try R(row: Row(values.mapValues { $0 as (any DatabaseValueConvertible)? }))
  }

  /// Wakes the outbox; for confirmed tables waits for the server's answer (its JSON body).
  @discardableResult
  private func settle(_ table: SyncTable, writeId: String?) async throws -> JSONValue? {
    await outbox.start()
    await outbox.wake()
    guard table.confirmed, let writeId else { return nil }
    return try await outbox.awaitOutcome(of: writeId, table: table)
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
