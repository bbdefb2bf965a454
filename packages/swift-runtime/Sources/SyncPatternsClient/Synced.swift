import Foundation

/// Where a row stands against the server (docs/sync-runtime-contract.md §1–§2). It is kept
/// beside the model, not in it, so that push and live stores of an entity share one model type.
public enum RowState: String, Sendable, Hashable, CaseIterable {
  /// What the server last sent (push stores: always).
  case synced
  /// A local write of this row waits for the server (outbox `pending`, `inflight` or `sent`).
  case pending
  /// The server refused a write of this row: it was rolled back and is listed in `failedWrites`.
  case failed
}

/// A model value and its ``RowState``: the element of every store's `rows`.
public struct Synced<Value> {
  public var value: Value
  public var state: RowState

  public init(_ value: Value, state: RowState) {
    self.value = value
    self.state = state
  }

  public var isPending: Bool { state == .pending }
  public var isFailed: Bool { state == .failed }

  /// The state of a view row: a pending write wins over an older refused one of the same key.
  public static func state(pending: Bool, failed: Bool) -> RowState {
    pending ? .pending : failed ? .failed : .synced
  }
}

extension Synced: Sendable where Value: Sendable {}
extension Synced: Equatable where Value: Equatable {}
extension Synced: Hashable where Value: Hashable {}

extension Synced: Identifiable where Value: Identifiable {
  public var id: Value.ID { value.id }
}

/// A write the server refused for good (contract §2, the errors API): kept in `_sync_outbox` with
/// `status = failed` until the app retries or discards it, or 24 hours after it failed. Its local
/// change was rolled back when it was refused. Push stores list none.
public struct FailedWrite: Sendable, Hashable, Identifiable {
  public var id: String { writeId }
  /// The write's id (its `Idempotency-Key`): what `retryWrite` and `discardWrite` take.
  public let writeId: String
  /// The live table (`SyncTable.name`).
  public let table: String
  /// The row's primary key, as text.
  public let key: String
  /// `insert`, `update` or `delete`.
  public let op: String
  /// The HTTP status; 0 when the runtime itself could not send it (no route for the operation).
  public let status: Int
  /// The server's message (`message`, `detail`, `error` or `title`), else `HTTP <status>`.
  public let message: String
  /// Field → message, from the server's answer (dev server `fields[]`, FastAPI `detail[]`,
  /// `errors{}` maps).
  public let fieldErrors: [String: String]
  /// The refused values: the write's payload (synced columns only, the key included).
  public let values: [String: JSONValue]
  /// The server's answer as text.
  public let body: String?
  public let failedAt: Date

  public init(
    writeId: String, table: String, key: String, op: String, status: Int, message: String,
    fieldErrors: [String: String], values: [String: JSONValue], body: String?, failedAt: Date
  ) {
    self.writeId = writeId
    self.table = table
    self.key = key
    self.op = op
    self.status = status
    self.message = message
    self.fieldErrors = fieldErrors
    self.values = values
    self.body = body
    self.failedAt = failedAt
  }
}
