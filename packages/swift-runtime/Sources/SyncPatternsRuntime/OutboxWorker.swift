import Foundation
import GRDB
import SyncPatternsClient

/// Sends the outbox (contract §2): one drainer task per table, rows in `seq` order, full-jitter
/// backoff for 5xx/429/network errors, rollback for 4xx, `Idempotency-Key` = write id. Being an
/// actor, it is the single drainer of its database.
actor OutboxWorker {
  private let database: any DatabaseWriter
  private let http: HTTPClient
  private let tables: [String: SyncTable]
  private let policy: BackoffPolicy
  private let random: @Sendable () -> Double
  private let status: SyncStatus
  private var drainers: [String: Task<Void, Never>] = [:]
  private var sleepers: [String: CheckedContinuation<Void, Never>] = [:]
  private var waiters: [String: [CheckedContinuation<Void, any Error>]] = [:]

  init(
    database: any DatabaseWriter, http: HTTPClient, tables: [SyncTable], policy: BackoffPolicy,
    random: @escaping @Sendable () -> Double, status: SyncStatus
  ) {
    self.database = database
    self.http = http
    self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
    self.policy = policy
    self.random = random
    self.status = status
  }

  /// Starts one drainer per table (idempotent).
  func start() {
    for name in tables.keys where drainers[name] == nil {
      drainers[name] = Task { await self.drain(name) }
    }
  }

  /// Cancels the drainers; pending rows stay in the outbox for the next start.
  func stop() {
    for task in drainers.values { task.cancel() }
    drainers = [:]
    for name in Array(sleepers.keys) { resume(name) }
  }

  /// Something changed (a new write, a reconnect): drainers look again now.
  func wake() {
    for name in Array(sleepers.keys) { resume(name) }
  }

  /// Reconnected: every pending row may be retried at once.
  func reconnected() async {
    _ = try? await database.write { db in
      try db.execute(sql: SyncSharedSQL.resetBackoff, arguments: [nowMs()])
    }
    wake()
  }

  /// Waits until the write is accepted (returns) or refused (throws its `APIError`). Cancelling
  /// the caller rolls the write back (confirmed mode, contract §4).
  func awaitOutcome(of writeId: String, table: SyncTable) async throws {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        waiters[writeId, default: []].append(continuation)
      }
    } onCancel: {
      Task { await self.cancelWrite(writeId, table: table) }
    }
  }

  private func cancelWrite(_ writeId: String, table: SyncTable) async {
    _ = try? await database.write { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \"_sync_outbox\" WHERE \"write_id\" = ?1", arguments: [writeId])
      else { return }
      let outbox = OutboxRow(row: row)
      _ = try Reconciler.rollBack(db, table: table, seq: outbox.seq, pk: outbox.pk, writeId: writeId, error: "cancelled")
    }
    finish(writeId, error: CancellationError())
  }

  /// Resumes the callers waiting for `writeId`: success when `error` is nil.
  func finish(_ writeId: String, error: (any Error)?) {
    for waiter in waiters.removeValue(forKey: writeId) ?? [] {
      if let error = error { waiter.resume(throwing: error) } else { waiter.resume() }
    }
  }

  private func drain(_ name: String) async {
    guard let table = tables[name] else { return }
    while !Task.isCancelled {
      let next = try? await database.read { db in
        try Row.fetchOne(db, sql: SyncSharedSQL.nextForTable, arguments: [name]).map(OutboxRow.init)
      }
      guard let row = next else {
        await sleep(name, ms: nil)
        continue
      }
      let wait = row.nextAttemptAt - nowMs()
      if wait > 0 {
        await sleep(name, ms: wait)
        continue
      }
      await send(row, table: table)
    }
  }

  private func send(_ row: OutboxRow, table: SyncTable) async {
    do {
      let current = try await currentRow(table, pk: row.pk)
      _ = try await database.write { db in try db.execute(sql: SyncSharedSQL.markInflight, arguments: [row.seq]) }
      let response = try await http.send(try OutboxRequest.make(row, table: table, current: current))
      let txid = OutboxRequest.txid(of: response)
      let allTables = tables
      _ = try await database.write { db in
        try db.execute(sql: SyncSharedSQL.markSent, arguments: [row.seq, txid])
        if txid == nil {
          try Reconciler.settleWithoutTxid(db, table: table, seq: row.seq, pk: row.pk, writeId: row.writeId)
        }
        // The txid may already have arrived on the shape (contract §3, both orders).
        try Reconciler.reconcile(db, tables: allTables)
      }
      finish(row.writeId, error: nil)
    } catch let error as APIError where (400..<500).contains(error.status) && error.status != 429 {
      await refuse(row, table: table, error: error, text: error.bodyText)
    } catch let error as SyncError {
      await refuse(row, table: table, error: error, text: "\(error)")
    } catch is CancellationError {
      return
    } catch {
      await retry(row, error: error)
    }
  }

  private func refuse(_ row: OutboxRow, table: SyncTable, error: any Error, text: String) async {
    let failed = (try? await database.write { db in
      try Reconciler.rollBack(db, table: table, seq: row.seq, pk: row.pk, writeId: row.writeId, error: text)
    }) ?? [row.writeId]
    for id in failed { finish(id, error: error) }
    await status.refused(writeId: row.writeId, error: error)
  }

  private func retry(_ row: OutboxRow, error: any Error) async {
    let attempts = row.attempts + 1
    var delay = policy.delayMs(attempt: attempts, random: random())
    if let api = error as? APIError, api.status == 429,
      let after = BackoffPolicy.retryAfterMs(api.headers["retry-after"])
    {
      delay = max(delay, after)
    }
    let next = nowMs() + delay
    _ = try? await database.write { db in
      try db.execute(sql: SyncSharedSQL.markRetry, arguments: [row.seq, next, "\(error)"])
    }
    if !(error is APIError) { await status.offline(error) }
  }

  /// The view row of a key as JSON (for PUT bodies and path parameters missing from a payload).
  private func currentRow(_ table: SyncTable, pk: String) async throws -> [String: JSONValue]? {
    try await database.read { db in
      guard let row = try Row.fetchOne(db, sql: table.sql.selectByKey, arguments: [pk]) else { return nil }
      var object: [String: JSONValue] = [:]
      for column in table.columns {
        let value: DatabaseValue = row[column.sqlName]
        object[column.name] = JSONValue(databaseValue: value, storage: column.storage)
      }
      return object
    }
  }

  private func sleep(_ name: String, ms: Int64?) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      sleepers[name] = continuation
      if let ms = ms {
        Task {
          try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
          self.resume(name)
        }
      }
    }
  }

  private func resume(_ name: String) {
    sleepers.removeValue(forKey: name)?.resume()
  }
}

extension JSONValue {
  /// A SQLite value of a column as JSON (booleans and JSON text restored).
  init(databaseValue: DatabaseValue, storage: SyncStorage) {
    switch databaseValue.storage {
    case .null: self = .null
    case .int64(let number): self = storage == .boolean ? .bool(number != 0) : .integer(number)
    case .double(let number): self = .number(number)
    case .string(let text):
      self = storage == .json ? ((try? JSONValue(parsing: text)) ?? .string(text)) : .string(text)
    case .blob(let data): self = .string(data.base64EncodedString())
    }
  }
}
