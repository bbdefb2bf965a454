import Foundation
import SyncPatternsClient

/// Parses Electric's Postgres text values with the `electric-schema` header (contract §5,
/// vector `shape-values.json`).
public enum ShapeValueParser {
  /// One column's type from `electric-schema`: `{"type": "int8", "dims": 1}`.
  public struct ColumnType: Sendable, Hashable, Codable {
    public var type: String
    public var dims: Int?

    public init(type: String, dims: Int? = nil) {
      self.type = type
      self.dims = dims
    }
  }

  /// Parses the header (a JSON object column → type).
  public static func schema(_ header: String?) -> [String: ColumnType] {
    guard let header else { return [:] }
    return (try? JSONDecoder().decode([String: ColumnType].self, from: Data(header.utf8))) ?? [:]
  }

  /// A value as JSON: integers, 64-bit integers, doubles, decimal strings, booleans, parsed JSON,
  /// strings for dates/uuids/text, arrays for `dims: 1`.
  public static func parse(_ text: String?, as column: ColumnType) -> JSONValue {
    guard let text else { return .null }
    if let dims = column.dims, dims > 0 {
      return .array(arrayElements(text).map { parse($0, as: ColumnType(type: column.type)) })
    }
    switch column.type {
    case "int2", "int4", "int8", "oid":
      return Int64(text).map(JSONValue.integer) ?? .string(text)
    case "float4", "float8":
      return Double(text).map(JSONValue.number) ?? .string(text)
    case "bool":
      return .bool(text == "t" || text == "true")
    case "json", "jsonb":
      return (try? JSONValue(parsing: text)) ?? .string(text)
    default:
      // numeric (exact decimal string), timestamptz/timestamp (as sent), date, time, uuid, text…
      return .string(text)
    }
  }

  /// Elements of a one-dimensional Postgres array literal (`{a,"b c",NULL}`); nil for NULL.
  static func arrayElements(_ literal: String) -> [String?] {
    var body = Substring(literal)
    guard body.first == "{", body.last == "}" else { return [literal] }
    body = body.dropFirst().dropLast()
    if body.isEmpty { return [] }
    var out: [String?] = []
    var current = ""
    var quoted = false
    var wasQuoted = false
    var escaped = false
    for ch in body {
      if escaped {
        current.append(ch)
        escaped = false
      } else if ch == "\\" {
        escaped = true
      } else if ch == "\"" {
        quoted.toggle()
        wasQuoted = true
      } else if ch == "," && !quoted {
        out.append(!wasQuoted && current == "NULL" ? nil : current)
        current = ""
        wasQuoted = false
      } else {
        current.append(ch)
      }
    }
    out.append(!wasQuoted && current == "NULL" ? nil : current)
    return out
  }
}
