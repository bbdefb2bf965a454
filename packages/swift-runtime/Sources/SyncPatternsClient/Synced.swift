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

/// A write the server refused for good (a 4xx answer): its local change was rolled back and it
/// is never sent again unless retried (the contract's errors API, §2).
public struct FailedWrite: Sendable, Hashable, Identifiable {
  /// The write's id (its `Idempotency-Key`): what `retryWrite` and `discardWrite` take.
  public let writeId: String
  /// The table (entity) it wrote.
  public let table: String
  /// The row's primary key, as text.
  public let key: String
  /// `insert`, `update` or `delete`.
  public let operation: String
  /// The HTTP status of the refusal, when the server answered.
  public let status: Int?
  /// What the server said (its error message, or the answer's text).
  public let message: String
  /// The refused values (synced columns only).
  public let payload: JSONValue

  public init(
    writeId: String, table: String, key: String, operation: String, status: Int?,
    message: String, payload: JSONValue
  ) {
    self.writeId = writeId
    self.table = table
    self.key = key
    self.operation = operation
    self.status = status
    self.message = message
    self.payload = payload
  }

  public var id: String { writeId }
}
