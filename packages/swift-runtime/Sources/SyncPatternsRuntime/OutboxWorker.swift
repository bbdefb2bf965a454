import Foundation
import GRDB
import SyncPatternsClient

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Sends the outbox (contract §2): one FIFO over every table, rows in global `seq` order, one
/// request at a time, so the server sees writes in the order they were made (a row created offline
/// reaches it before a row of another entity that references it). Full-jitter backoff for
/// 5xx/429/network errors, during which the head holds the queue; rollback for 4xx, after which the
/// queue goes on; `Idempotency-Key` = write id. Being an actor with a single drain task, it is the
/// single drainer of its database.
actor OutboxWorker {
  private let database: any DatabaseWriter
  private let http: HTTPClient
  private let tables: [String: SyncTable]
  /// The table names as a JSON array: `SyncSharedSQL.queueHead`'s argument.
  private let tableNames: String
  private let policy: BackoffPolicy
  private let random: @Sendable () -> Double
  private let status: SyncStatus
  /// The drain loop, nil when stopped.
  private var drainer: Task<Void, Never>?
  /// The last loop `stop()` cancelled: it may still be finishing a request, so the next loop
  /// starts after it (never two requests in flight).
  private var stopping: Task<Void, Never>?
  /// The loop, while it waits for a write, a reconnect or its head's next attempt.
  private var sleeper: CheckedContinuation<Void, Never>?
  private var timer: Task<Void, Never>?
  /// A wake-up that came while the loop was not asleep (it was reading or sending): the loop
  /// looks again instead of sleeping on a head it read before the change.
  private var woken = false
  private var waiters: [String: [CheckedContinuation<Void, any Error>]] = [:]
  /// The reachability probe (contract §2), running while the server is unreachable.
  private var probe: Task<Void, Never>?

  init(
    database: any DatabaseWriter, http: HTTPClient, tables: [SyncTable], policy: BackoffPolicy,
    random: @escaping @Sendable () -> Double, status: SyncStatus
  ) {
    self.database = database
    self.http = http
    self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
    self.tableNames = Self.jsonArray(tables.map(\.name).sorted())
    self.policy = policy
    self.random = random
    self.status = status
  }

  /// Starts the drain loop (idempotent).
  func start() {
    guard drainer == nil else { return }
    let previous = stopping
    drainer = Task {
      if let previous { await previous.value }
      await self.drain()
    }
  }

  /// Cancels the drain loop; pending rows stay in the outbox for the next start (an `inflight`
  /// row whose answer was not seen is sent again then, under the same `Idempotency-Key`).
  func stop() {
    probe?.cancel()
    probe = nil
    guard let drainer else { return }
    drainer.cancel()
    stopping = drainer
    self.drainer = nil
    resume()
  }

  /// Something changed (a new write, a reconnect): the loop looks at the head again now.
  func wake() {
    woken = true
    resume()
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

  /// The single loop: send the head when it is due, else sleep until it is (a head that is not due
  /// holds the queue) or until a wake-up. Each send is awaited before the next head is read.
  private func drain() async {
    while !Task.isCancelled {
      woken = false
      let names = tableNames
      let head = try? await database.read { db in
        try Row.fetchOne(db, sql: SyncSharedSQL.queueHead, arguments: [names]).map(OutboxRow.init)
      }
      guard let row = head, let table = tables[row.tableName] else {
        await sleep(ms: nil)
        continue
      }
      let wait = row.nextAttemptAt - nowMs()
      if wait > 0 {
        await sleep(ms: wait)
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
      reachable()
      finish(row.writeId, error: nil)
    } catch let error as APIError where (400..<500).contains(error.status) && error.status != 429 {
      reachable()
      await refuse(row, table: table, error: error, text: error.bodyText)
    } catch let error as SyncError {
      await refuse(row, table: table, error: error, text: "\(error)")
    } catch is CancellationError {
      return
    } catch {
      // Stopped mid-request (URLSession reports it as an error): the row stays `inflight` and is
      // sent again on the next start, without counting an attempt.
      if Task.isCancelled { return }
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
    if error is APIError {
      reachable()
    } else {
      // No HTTP answer: the server is unreachable until something answers.
      await status.offline(error)
      startProbe()
    }
  }

  /// Contract §2: while the server is unreachable and writes wait, probe it every second (`GET`
  /// of the API's base URL; any answer below 500 counts, 5xx being what a proxy answers while the
  /// API behind it is down) and reconnect as soon as it answers, so the first write goes out
  /// within about a second of the server's return, whatever the head's backoff.
  private func startProbe() {
    guard probe == nil else { return }
    let http = http
    probe = Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(1))
        if Task.isCancelled { return }
        if await Self.answers(http) {
          await self.probeAnswered()
          return
        }
      }
    }
  }

  private func probeAnswered() async {
    probe = nil
    await reconnected()
  }

  /// An HTTP answer came: stop probing.
  private func reachable() {
    probe?.cancel()
    probe = nil
  }

  private static func answers(_ http: HTTPClient) async -> Bool {
    var request = HTTPRequest(method: .get, path: "")
    request.timeout = 5
    guard let urlRequest = try? await http.urlRequest(for: request) else { return false }
    guard let response = try? await http.transport.send(urlRequest) else { return false }
    return response.status < 500
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

  /// Sleeps until `resume()` (a wake-up or `stop()`) or, when `ms` is given, until then.
  private func sleep(ms: Int64?) async {
    guard !woken, !Task.isCancelled else { return }
    if let ms {
      // Isolated to this actor, so it cannot fire before the continuation below is stored.
      timer = Task {
        try? await Task.sleep(for: .milliseconds(ms))
        if !Task.isCancelled { self.resume() }
      }
    }
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      sleeper = continuation
    }
  }

  private func resume() {
    timer?.cancel()
    timer = nil
    let continuation = sleeper
    sleeper = nil
    continuation?.resume()
  }

  private static func jsonArray(_ names: [String]) -> String {
    let data = (try? JSONEncoder().encode(names)) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self)
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
