import Foundation

/// Any JSON value. Used for schemas without a usable type, outbox payloads and shape rows.
/// Integers are kept apart from doubles so 64-bit ids survive a round trip.
public enum JSONValue: Codable, Sendable, Hashable {
  case null
  case bool(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let value = try? container.decode(Bool.self) {
      self = .bool(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else if let value = try? container.decode(String.self) {
      self = .string(value)
    } else if let value = try? container.decode([JSONValue].self) {
      self = .array(value)
    } else {
      self = .object(try container.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .integer(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  /// The JSON form of any `Encodable` value, through `SyncCoding`'s encoder (dates as ISO-8601,
  /// decimals as strings, UUIDs lowercased by `SyncBridge` where it matters).
  public init(encoding value: some Encodable) throws {
    if let uuid = value as? UUID {
      self = .string(uuid.uuidString.lowercased())
      return
    }
    let data = try SyncCoding.makeEncoder().encode(value)
    self = try SyncCoding.makeDecoder().decode(JSONValue.self, from: data)
  }

  /// Decodes a `Decodable` value from this JSON.
  public func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try SyncCoding.makeDecoder().decode(T.self, from: try SyncCoding.makeEncoder().encode(self))
  }

  /// Parses JSON text.
  public init(parsing text: String) throws {
    self = try SyncCoding.makeDecoder().decode(JSONValue.self, from: Data(text.utf8))
  }

  /// Compact JSON text.
  public func jsonText() throws -> String {
    String(decoding: try SyncCoding.makeEncoder().encode(self), as: UTF8.self)
  }

  public var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  public subscript(key: String) -> JSONValue? {
    if case .object(let object) = self { return object[key] }
    return nil
  }
}
