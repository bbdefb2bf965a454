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
  private let statements: [String: TableStatements]
  /// The table names as a JSON array: `SyncSharedSQL.queueHead`'s argument.
  private let tableNames: String
  private let policy: BackoffPolicy
  private let timeouts: SyncTimeouts
  private let random: @Sendable () -> Double
  private let status: SyncStatus
  /// Called when the server answers again after being unreachable (the shapes retry at once).
  private var onReconnect: (@Sendable () async -> Void)?
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
  /// Callers of confirmed writes: resumed with the server's answer (a JSON body or nil).
  private var waiters: [String: [CheckedContinuation<JSONValue?, any Error>]] = [:]
  /// The reachability probe (contract §2), running while the server is unreachable.
  private var probe: Task<Void, Never>?

  init(
    database: any DatabaseWriter, http: HTTPClient, tables: [SyncTable], policy: BackoffPolicy,
    timeouts: SyncTimeouts = SyncTimeouts(), random: @escaping @Sendable () -> Double,
    status: SyncStatus
  ) {
    self.database = database
    self.http = http
    self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
    self.statements = Dictionary(
      uniqueKeysWithValues: tables.map { ($0.name, TableStatements($0)) })
    self.tableNames = Self.jsonArray(tables.map(\.name).sorted())
    self.policy = policy
    self.timeouts = timeouts
    self.random = random
    self.status = status
  }

  func setReconnectHandler(_ handler: @escaping @Sendable () async -> Void) {
    onReconnect = handler
  }

  /// Starts the drain loop (idempotent). Failed writes older than 24 hours are pruned first.
  func start() {
    guard drainer == nil else { return }
    let previous = stopping
    drainer = Task {
      if let previous { await previous.value }
      await self.refreshFailed()
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

  /// Reconnected: every pending row may be retried at once (and the probe is no longer needed).
  func reconnected() async {
    reachable()
    _ = try? await database.write { db in
      try db.execute(sql: SyncSharedSQL.resetBackoff, arguments: [nowMs()])
    }
    wake()
  }

  /// A shape request got no answer: the server counts as unreachable, so the probe runs while
  /// writes wait (contract §2), whatever the shape's own backoff.
  func shapeUnreachable() {
    startProbe()
  }

  /// Waits until the write is accepted (returns the server's JSON answer, if any) or refused
  /// (throws its `APIError`). Cancelling the caller rolls the write back (contract §4).
  func awaitOutcome(of writeId: String, table: SyncTable) async throws -> JSONValue? {
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
      guard
        let row = try Row.fetchOne(db, sql: SyncSharedSQL.rowByWriteId, arguments: [writeId]),
        let state = row["status"] as String?, state == "pending" || state == "inflight"
      else { return }
      let outbox = OutboxRow(row: row)
      try Reconciler.cancel(db, table: table, seq: outbox.seq, pk: outbox.pk, writeId: writeId)
    }
    finish(writeId, error: CancellationError())
  }

  /// Resumes the callers waiting for `writeId`: with `body` when `error` is nil.
  func finish(_ writeId: String, body: JSONValue? = nil, error: (any Error)?) {
    for waiter in waiters.removeValue(forKey: writeId) ?? [] {
      if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: body) }
    }
  }

  /// The errors API (contract §2): refused writes, oldest first, after pruning those that
  /// failed more than 24 hours ago.
  func failedWrites() async throws -> [FailedWrite] {
    let cutoff = nowMs() - Self.failedTTLMs
    return try await database.write { db in
      try db.execute(sql: SyncSharedSQL.pruneFailed, arguments: [cutoff])
      return try Row.fetchAll(db, sql: SyncSharedSQL.failedRows).map(FailedWrite.init(outboxRow:))
    }
  }

  /// Publishes the failed writes on the status.
  func refreshFailed() async {
    guard let failed = try? await failedWrites() else { return }
    await status.setFailed(failed)
  }

  /// Failed rows are pruned 24 hours after they failed (contract §2).
  static let failedTTLMs: Int64 = 24 * 60 * 60 * 1000

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
    let request: HTTPRequest
    do {
      let current = try await currentRow(table, pk: row.pk)
      var made = try OutboxRequest.make(row, table: table, current: current)
      made.timeout = timeouts.request
      request = made
      _ = try await database.write { db in
        try db.execute(sql: SyncSharedSQL.markInflight, arguments: [row.seq])
      }
    } catch let error as SyncError {
      await refuse(row, table: table, status: 0, body: "\(error)", error: error, hide: false)
      return
    } catch {
      if Task.isCancelled { return }
      await retry(row, status: nil, retryAfter: nil, error: error)
      return
    }
    let http = http
    let response: HTTPResponse
    do {
      // Contract §2: a request not answered in time is abandoned and retried like a network
      // error, with the same Idempotency-Key; nothing behind it overtakes it.
      response = try await Deadline.run(seconds: timeouts.request) {
        try await http.transport.send(try await http.urlRequest(for: request))
      }
    } catch {
      // Stopped mid-request: the row stays `inflight` and is sent again on the next start,
      // without counting an attempt.
      if Task.isCancelled || error is CancellationError { return }
      await retry(row, status: nil, retryAfter: nil, error: error)
      return
    }
    switch OutboxVerdict.of(status: response.status, op: row.op) {
    case .acknowledged:
      await acknowledge(row, table: table, response: response)
    case .gone:
      await gone(row, table: table)
    case .refused(let hide):
      await refuse(
        row, table: table, status: response.status, body: response.text(),
        error: APIError(response: response), hide: hide)
    case .retry:
      let after =
        response.status == 429 ? BackoffPolicy.retryAfterMs(response.header("retry-after")) : nil
      await retry(
        row, status: response.status, retryAfter: after, error: APIError(response: response))
    }
  }

  private func acknowledge(_ row: OutboxRow, table: SyncTable, response: HTTPResponse) async {
    let txid = OutboxRequest.txid(of: response)
    let allTables = tables
    do {
      _ = try await database.write { db in
        try db.execute(sql: SyncSharedSQL.markSent, arguments: [row.seq, txid])
        if txid == nil {
          try Reconciler.settleWithoutTxid(
            db, table: table, seq: row.seq, pk: row.pk, writeId: row.writeId)
        }
        // The txid may already have arrived on the shape (contract §3, both orders).
        try Reconciler.reconcile(db, tables: allTables)
      }
    } catch {
      // The answer could not be stored: the row stays inflight and is sent again (same key).
      await retry(row, status: response.status, retryAfter: nil, error: error)
      return
    }
    reachable()
    await status.writeSucceeded()
    let body = try? SyncCoding.makeDecoder().decode(JSONValue.self, from: response.body)
    finish(row.writeId, body: body, error: nil)
  }

  /// 404 on a delete: the delete's intent is met. The row leaves the outbox and the key is hidden
  /// until the shape's delete (no A→B→A flicker back to the stale synced row).
  private func gone(_ row: OutboxRow, table: SyncTable) async {
    let statements = statements[table.name] ?? TableStatements(table)
    _ = try? await database.write { db in
      try db.execute(sql: SyncSharedSQL.deleteRow, arguments: [row.seq])
      try Reconciler.hide(
        db, table: table, statements: statements, pk: row.pk, ownedBy: row.writeId)
    }
    reachable()
    await status.writeSucceeded()
    finish(row.writeId, error: nil)
  }

  private func refuse(
    _ row: OutboxRow, table: SyncTable, status code: Int, body: String, error: any Error,
    hide: Bool
  ) async {
    if code > 0 { reachable() }
    let record = ErrorBodies.record(status: code, body: body, failedAt: nowMs())
    let statements = statements[table.name] ?? TableStatements(table)
    let failed =
      (try? await database.write { db in
        let ids = try Reconciler.rollBack(
          db, table: table, seq: row.seq, pk: row.pk, writeId: row.writeId, error: record)
        if hide {
          try Reconciler.hide(db, table: table, statements: statements, pk: row.pk, ownedBy: nil)
        }
        return ids
      }) ?? [row.writeId]
    for id in failed { finish(id, error: error) }
    let refusal = SyncWriteError(
      writeId: row.writeId, table: table.name, status: code,
      message: ErrorBodies.message(status: code, body: body))
    await status.refused(refusal)
    await refreshFailed()
  }

  private func retry(_ row: OutboxRow, status code: Int?, retryAfter: Int64?, error: any Error)
    async
  {
    let attempts = row.attempts + 1
    var delay = policy.delayMs(attempt: attempts, random: random())
    if let retryAfter { delay = max(delay, retryAfter) }
    let next = nowMs() + delay
    _ = try? await database.write { db in
      try db.execute(sql: SyncSharedSQL.markRetry, arguments: [row.seq, next, "\(error)"])
    }
    if code != nil {
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
    let database = database
    let interval = timeouts.probeInterval
    let probeTimeout = timeouts.probe
    probe = Task {
      while !Task.isCancelled {
        try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
        if Task.isCancelled { return }
        let waiting = (try? await database.read { db in
          try Bool.fetchOne(db, sql: SyncSharedSQL.hasQueued) ?? false
        }) ?? false
        if waiting, await Self.answers(http, timeout: probeTimeout) {
          await self.probeAnswered()
          return
        }
      }
    }
  }

  private func probeAnswered() async {
    probe = nil
    await reconnected()
    await onReconnect?()
  }

  /// An HTTP answer came: stop probing.
  private func reachable() {
    probe?.cancel()
    probe = nil
  }

  private static func answers(_ http: HTTPClient, timeout: TimeInterval) async -> Bool {
    var request = HTTPRequest(method: .get, path: "")
    request.timeout = timeout
    guard let urlRequest = try? await http.urlRequest(for: request) else { return false }
    let response = try? await Deadline.run(seconds: timeout) {
      try await http.transport.send(urlRequest)
    }
    guard let response else { return false }
    return response.status < 500
  }

  /// The view row of a key as JSON (for PUT bodies and path parameters missing from a payload).
  private func currentRow(_ table: SyncTable, pk: String) async throws -> [String: JSONValue]? {
    try await database.read { db in
      guard let row = try Row.fetchOne(db, sql: table.sql.selectByKey, arguments: [pk]) else {
        return nil
      }
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
        try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
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

/// Timeouts of the sync loops (contract §2), in seconds.
public struct SyncTimeouts: Sendable, Hashable {
  /// Every write request and every shape request that is not a long poll (contract: 15 s).
  public var request: TimeInterval
  /// A live (long-poll) shape request: the server holds it open until a change or its own
  /// timeout, so it gets longer than that.
  public var livePoll: TimeInterval
  /// One reachability probe.
  public var probe: TimeInterval
  /// The pause between two probes while the server is unreachable and writes wait.
  public var probeInterval: TimeInterval

  public init(
    request: TimeInterval = 15, livePoll: TimeInterval = 90, probe: TimeInterval = 5,
    probeInterval: TimeInterval = 1
  ) {
    self.request = request
    self.livePoll = livePoll
    self.probe = probe
    self.probeInterval = probeInterval
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
