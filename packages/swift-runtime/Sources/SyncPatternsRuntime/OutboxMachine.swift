import Foundation
import SyncPatternsClient

/// How the outbox treats the answer to one sent write (contract §2). `OutboxMachine` and
/// `OutboxWorker` both decide through `OutboxVerdict.of(status:op:)`, so the vector
/// `outbox.json` checks the rule the worker applies to `_sync_outbox` and `T_local`.
public enum OutboxVerdict: Sendable, Hashable {
  /// 2xx: sent (or reconciled at once when the txid was seen or there is none).
  case acknowledged
  /// 404 on a delete: the delete's intent is met; the row leaves the outbox, the mutation
  /// resolves, and the key is hidden until the shape's delete.
  case gone
  /// Any other 4xx: refused for good, with the later writes of its key. `hide` (404 on an
  /// update) makes the key a tombstone until the shape's delete.
  case refused(hide: Bool)
  /// 5xx, 408, 429 (`network` false) or no answer at all: network error, timeout (`network`
  /// true, the server counts as unreachable). Retried with backoff, the head holding the queue.
  case retry(network: Bool)

  /// The verdict for an HTTP status (nil: no answer) of a write of kind `op`.
  public static func of(status: Int?, op: String) -> OutboxVerdict {
    guard let status else { return .retry(network: true) }
    switch status {
    case 200..<300: return .acknowledged
    case 404 where op == "delete": return .gone
    case 408, 429, 500...: return .retry(network: false)
    default: return .refused(hide: status == 404 && op == "update")
    }
  }
}

/// The outbox state machine of contract §2–§4 (vector `outbox.json`), free of storage and I/O:
/// one FIFO over every table in `seq` order, one row in flight at a time; 2xx → sent or
/// reconciled; 4xx → rollback of the row and the later rows of its key, each kept as `failed`;
/// 404 on a delete → success, 404 hides the key until the shape confirms; 5xx/429/network/timeout
/// → retry with full-jitter backoff, the head holding the queue until it is due.
public struct OutboxMachine: Sendable {
  /// An outbox row as the machine sees it (the `_sync_outbox` columns that drive sending).
  public struct Row: Sendable, Hashable {
    public var seq: Int64
    public var writeId: String
    public var table: String
    public var pk: String
    public var op: String
    public var confirmed: Bool
    public var status: String = "pending"
    public var attempts: Int = 0
    public var nextAttemptAt: Int64
    public var txid: String?

    /// `<table>/<pk>`: the key whose `T_local._write_id` this row may own.
    public var key: String { "\(table)/\(pk)" }
  }

  /// A refused write, as the sync status shows it.
  public struct Refusal: Sendable, Hashable {
    public var writeId: String
    public var status: Int
  }

  /// A confirmed mutation rejected: the HTTP status, nil when the caller cancelled it.
  public struct Rejection: Sendable, Hashable {
    public var writeId: String
    public var status: Int?
  }

  public let policy: BackoffPolicy
  /// Rows in `seq` order, `failed` ones included (kept until discarded).
  public private(set) var rows: [Row] = []
  /// `<table>/<pk>` → `T_local._write_id`.
  public private(set) var localWriteIds: [String: String] = [:]
  public private(set) var seenTxids: Set<String> = []
  /// Mutations settled, in order (optimistic writes resolve at enqueue).
  public private(set) var resolved: [String] = []
  /// Confirmed mutations rejected, in order.
  public private(set) var rejected: [Rejection] = []
  public private(set) var rolledBack: [String] = []
  /// Keys hidden until the shape confirms (404 tombstones).
  public private(set) var hidden: Set<String> = []
  /// Write ids in the order they were handed to the transport (each retry counts again).
  public private(set) var sentLog: [String] = []
  public private(set) var lastError: Refusal?
  /// The last request got no HTTP answer: the next success elsewhere is a reconnect.
  public private(set) var unreachable = false
  private var nextSeq: Int64 = 1

  public init(policy: BackoffPolicy = BackoffPolicy()) {
    self.policy = policy
  }

  /// A write through the view; an optimistic write resolves at once.
  public mutating func enqueue(
    writeId: String, table: String, pk: String, op: String, confirmed: Bool, now: Int64
  ) {
    let row = Row(
      seq: nextSeq, writeId: writeId, table: table, pk: pk, op: op, confirmed: confirmed,
      nextAttemptAt: now)
    nextSeq += 1
    rows.append(row)
    localWriteIds[row.key] = writeId
    hidden.remove(row.key)
    if !confirmed { resolved.append(writeId) }
  }

  /// The row to send now (marked `inflight`), or nil: nothing while a row is in flight, else the
  /// first row that is neither `sent` nor `failed` when it is due. A head not due holds the queue.
  @discardableResult
  public mutating func dispatch(now: Int64) -> Row? {
    guard !rows.contains(where: { $0.status == "inflight" }),
      let index = rows.firstIndex(where: { $0.status != "sent" && $0.status != "failed" }),
      rows[index].status == "pending", rows[index].nextAttemptAt <= now
    else { return nil }
    rows[index].status = "inflight"
    sentLog.append(rows[index].writeId)
    return rows[index]
  }

  /// The answer to an inflight row: an HTTP status, or nil for a network error or a timeout.
  public mutating func response(
    writeId: String, status: Int?, txid: String?, retryAfterMs: Int64?, now: Int64,
    random: Double
  ) {
    guard let index = rows.firstIndex(where: { $0.writeId == writeId && $0.status == "inflight" })
    else { return }
    let row = rows[index]
    switch OutboxVerdict.of(status: status, op: row.op) {
    case .acknowledged:
      unreachable = false
      lastError = nil
      if row.confirmed { resolved.append(writeId) }
      if let txid, !seenTxids.contains(txid) {
        rows[index].status = "sent"
        rows[index].txid = txid
      } else {
        reconcile(row)
      }
    case .gone:
      unreachable = false
      lastError = nil
      rows.remove(at: index)
      if row.confirmed { resolved.append(writeId) }
      if localWriteIds[row.key] == writeId {
        localWriteIds[row.key] = nil
        hidden.insert(row.key)
      }
    case .refused(let hide):
      unreachable = false
      let code = status ?? 0
      lastError = Refusal(writeId: writeId, status: code)
      let doomed = rows.filter { $0.key == row.key && $0.seq >= row.seq && $0.status != "failed" }
      for doomedRow in doomed {
        rollBack(doomedRow, keep: true)
        if doomedRow.confirmed {
          rejected.append(Rejection(writeId: doomedRow.writeId, status: code))
        }
      }
      if hide {
        localWriteIds[row.key] = nil
        hidden.insert(row.key)
      }
    case .retry(let network):
      unreachable = network
      let attempts = row.attempts + 1
      var delay = policy.delayMs(attempt: attempts, random: random)
      if status == 429, let retryAfterMs { delay = max(delay, retryAfterMs) }
      rows[index].status = "pending"
      rows[index].attempts = attempts
      rows[index].nextAttemptAt = now + delay
    }
  }

  /// A shape batch carrying `txids` committed: every `sent` row with a seen txid is reconciled.
  public mutating func seen(_ txids: [String]) {
    seenTxids.formUnion(txids)
    let done = rows.filter { row in
      guard row.status == "sent", let txid = row.txid else { return false }
      return seenTxids.contains(txid)
    }
    for row in done { reconcile(row) }
  }

  /// Online again, app foreground, a probe answered: every pending row is due now.
  public mutating func reconnect(now: Int64) {
    unreachable = false
    for index in rows.indices where rows[index].status == "pending" {
      rows[index].nextAttemptAt = now
    }
  }

  /// A shape response: a reconnect only when it is the first success after a request got no
  /// answer (a batch caused by other users' writes never resets the backoff).
  public mutating func shapeSucceeded(now: Int64) {
    if unreachable { reconnect(now: now) }
  }

  /// A shape request got no answer.
  public mutating func shapeFailed() {
    unreachable = true
  }

  /// The shape delivered the delete of a key: a hidden key is forgotten.
  public mutating func shapeDeleted(table: String, pk: String) {
    hidden.remove("\(table)/\(pk)")
  }

  /// The app discarded a failed write (errors API). False when it is not a failed row.
  @discardableResult
  public mutating func discard(writeId: String) -> Bool {
    guard let index = rows.firstIndex(where: { $0.writeId == writeId && $0.status == "failed" })
    else { return false }
    rows.remove(at: index)
    return true
  }

  /// The caller gave up on a write not yet acknowledged: rolled back (deleted), rejected with nil.
  public mutating func cancel(writeId: String) {
    guard
      let row = rows.first(where: {
        $0.writeId == writeId && $0.status != "sent" && $0.status != "failed"
      })
    else { return }
    rollBack(row, keep: false)
    if row.confirmed { rejected.append(Rejection(writeId: writeId, status: nil)) }
  }

  /// The txid of a 2xx answer (the contract's txid type is text): `x-sync-txid`, else a
  /// top-level `txid` of the JSON body, a number or a string, as decimal text.
  public static func txid(header: String?, body: JSONValue?) -> String? {
    if let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty {
      return header
    }
    guard let txid = body?["txid"], !txid.isNull else { return nil }
    switch txid {
    case .integer, .string: return ParameterEncodingText.text(of: txid)
    case .number(let number) where number.rounded() == number && abs(number) < 9.0e18:
      return String(Int64(number))
    default: return nil
    }
  }

  private mutating func reconcile(_ row: Row) {
    rows.removeAll { $0.writeId == row.writeId }
    if localWriteIds[row.key] == row.writeId { localWriteIds[row.key] = nil }
  }

  /// The row leaves the queue (kept as `failed` when refused); the key falls back to its latest
  /// remaining write.
  private mutating func rollBack(_ row: Row, keep: Bool) {
    if keep, let index = rows.firstIndex(where: { $0.writeId == row.writeId }) {
      rows[index].status = "failed"
    } else {
      rows.removeAll { $0.writeId == row.writeId }
    }
    rolledBack.append(row.writeId)
    if localWriteIds[row.key] == row.writeId {
      let latest = rows.last { $0.key == row.key && $0.status != "failed" }
      localWriteIds[row.key] = latest?.writeId
    }
  }
}
