import Foundation
import SyncPatternsClient

/// The pure part of the shape consumer: given the stored position and one HTTP response, what to
/// do (vector `shape-log.json`). No I/O, so the bookkeeping is testable on its own.
public struct ShapeLog: Sendable, Hashable {
  public var handle: String?
  public var offset: String
  public var upToDate: Bool
  public var cursor: String?
  public var schema: [String: ShapeValueParser.ColumnType]

  public init(handle: String? = nil, offset: String = "-1") {
    self.handle = handle
    self.offset = offset
    self.upToDate = false
    self.cursor = nil
    self.schema = [:]
  }

  public enum Action: String, Sendable, Hashable {
    case apply, refetch, none
  }

  /// One change to `T_synced`, with values parsed by the schema.
  public struct Change: Sendable, Hashable {
    public enum Operation: String, Sendable, Hashable { case insert, update, delete }
    public var operation: Operation
    public var key: String
    public var value: [String: JSONValue]
    public var txids: [String]
  }

  public struct Outcome: Sendable, Hashable {
    public var action: Action
    public var changes: [Change]
    /// Every txid carried by the batch (recorded in `_sync_seen_txids`).
    public var txids: [String]
  }

  /// Query items of the next request (`table` is added by the caller).
  public var queryItems: [URLQueryItem] {
    var items = [URLQueryItem(name: "offset", value: offset)]
    if let handle { items.append(URLQueryItem(name: "handle", value: handle)) }
    if upToDate {
      items.append(URLQueryItem(name: "live", value: "true"))
      if let cursor { items.append(URLQueryItem(name: "cursor", value: cursor)) }
    }
    return items
  }

  /// Applies a response: moves handle/offset, parses messages, or asks for a refetch (409 or a
  /// `must-refetch` control message: restart from `-1` with the new handle, if any).
  public mutating func receive(status: Int, headers: [String: String], body: Data) -> Outcome {
    let header = { (name: String) in headers.first { $0.key.lowercased() == name }?.value }
    if status == 409 {
      restart(handle: header("electric-handle"))
      return Outcome(action: .refetch, changes: [], txids: [])
    }
    guard (200..<300).contains(status) else {
      return Outcome(action: .none, changes: [], txids: [])
    }
    if let value = header("electric-handle") { handle = value }
    if let value = header("electric-offset") { offset = value }
    if let value = header("electric-cursor") { cursor = value }
    if let value = header("electric-schema") { schema = ShapeValueParser.schema(value) }
    if header("electric-up-to-date") != nil { upToDate = true }
    let messages = (try? JSONDecoder().decode([Message].self, from: body)) ?? []
    var changes: [Change] = []
    for message in messages {
      if let control = message.headers.control {
        if control == "must-refetch" {
          restart(handle: header("electric-handle"))
          return Outcome(action: .refetch, changes: [], txids: [])
        }
        if control == "up-to-date" { upToDate = true }
        continue
      }
      guard let op = message.headers.operation.flatMap(Change.Operation.init(rawValue:)),
        let key = message.key
      else { continue }
      var value: [String: JSONValue] = [:]
      for (column, text) in message.value ?? [:] {
        value[column] = ShapeValueParser.parse(text, as: schema[column] ?? .init(type: "text"))
      }
      changes.append(
        Change(operation: op, key: key, value: value, txids: message.headers.txids ?? []))
    }
    let txids = changes.flatMap(\.txids)
    return Outcome(action: changes.isEmpty ? .none : .apply, changes: changes, txids: txids)
  }

  private mutating func restart(handle newHandle: String?) {
    handle = newHandle
    offset = "-1"
    upToDate = false
    cursor = nil
  }

  struct Message: Decodable {
    struct Headers: Decodable {
      var operation: String?
      var control: String?
      var txids: [String]?

      enum CodingKeys: String, CodingKey { case operation, control, txids }

      init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        operation = try c.decodeIfPresent(String.self, forKey: .operation)
        control = try c.decodeIfPresent(String.self, forKey: .control)
        let raw = try c.decodeIfPresent([JSONValue].self, forKey: .txids) ?? []
        txids = raw.map(ParameterEncodingText.text(of:))
      }
    }

    var headers: Headers
    var key: String?
    var value: [String: String?]?
  }
}
