import Foundation
import SyncPatternsClient

/// A write the server refused for good (contract §2, the errors API): kept in `_sync_outbox` with
/// `status = failed` until the app retries or discards it, or 24 hours after it failed. Its local
/// change was rolled back when it was refused.
public struct FailedWrite: Sendable, Hashable, Identifiable {
  public var id: String { writeId }
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

/// The last refused write, as `SyncStatus.lastError` holds it (cleared by the next success).
public struct SyncWriteError: Error, Sendable, Hashable, CustomStringConvertible {
  public let writeId: String
  public let table: String
  public let status: Int
  public let message: String

  public var description: String {
    "write \(writeId) to \(table) refused (HTTP \(status)): \(message)"
  }
}

/// Reads a refused write's answer, whatever the backend's format (as Kotlin's `ErrorBodies`).
enum ErrorBodies {
  /// `message`, `detail` (a string), `error` or `title`; else `HTTP <status>`.
  static func message(status: Int, body: String?) -> String {
    guard let object = parse(body) else { return "HTTP \(status)" }
    for name in ["message", "detail", "error", "title"] {
      if case .string(let text)? = object[name] { return text }
    }
    return "HTTP \(status)"
  }

  /// Field → message from `fields[] {field|path|name, message|msg}`, FastAPI's
  /// `detail[] {loc, msg}` and `errors {field: message | [messages]}`.
  static func fields(body: String?) -> [String: String] {
    guard let object = parse(body) else { return [:] }
    var out: [String: String] = [:]
    if case .array(let items)? = object["fields"] {
      for item in items {
        guard let name = text(item["field"]) ?? text(item["path"]) ?? text(item["name"]) else {
          continue
        }
        out[name] = text(item["message"]) ?? text(item["msg"]) ?? ""
      }
    }
    if case .array(let items)? = object["detail"] {
      for item in items {
        guard case .array(let location)? = item["loc"] else { continue }
        let path = location.map(ParameterEncodingText.text(of:)).filter { $0 != "body" }
        out[path.joined(separator: ".")] = text(item["msg"]) ?? ""
      }
    }
    if case .object(let errors)? = object["errors"] {
      for (name, value) in errors {
        switch value {
        case .string(let message): out[name] = message
        case .array(let messages):
          out[name] = messages.compactMap { text($0) }.joined(separator: "; ")
        default: out[name] = (try? value.jsonText()) ?? ""
        }
      }
    }
    return out
  }

  /// The `error` column of a refused row: `{status, message, body, failedAt}` (contract §2).
  static func record(status: Int, body: String?, failedAt: Int64) -> String {
    let object: JSONValue = .object([
      "status": .integer(Int64(status)),
      "message": .string(message(status: status, body: body)),
      "body": body.map(JSONValue.string) ?? .null,
      "failedAt": .integer(failedAt),
    ])
    return (try? object.jsonText()) ?? "{}"
  }

  private static func parse(_ body: String?) -> [String: JSONValue]? {
    guard let body, case .object(let object)? = try? JSONValue(parsing: body) else { return nil }
    return object
  }

  private static func text(_ value: JSONValue?) -> String? {
    if case .string(let text)? = value { return text }
    return nil
  }
}
