import Foundation
import GRDB
import SyncPatternsClient

/// A column of a view row could not be read as its model type.
public enum SyncRowError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The column holds a value of another type (`text` is what SQLite holds).
  case invalidValue(table: String, column: String, type: String, text: String)
  /// A column the model requires is NULL, and the spec declares no default for it.
  case missingValue(table: String, column: String)

  public var description: String {
    switch self {
    case .invalidValue(let table, let column, let type, let text):
      return "\(table).\(column): cannot read \(text.debugDescription) as \(type)"
    case .missingValue(let table, let column):
      return "\(table).\(column) is NULL in a local row, and the model requires it"
    }
  }
}

/// A model type that one SQLite column of a live table holds (its IR storage class). Generated
/// view records read their typed columns through it: no JSON in between, except for nested
/// values (arrays, objects), which are stored as JSON text (``SyncRows/json(_:_:as:table:)``).
public protocol SyncColumnValue: Sendable {
  /// The value of a non-NULL SQLite value (`Int64`, `Double`, `String` or `Data`), or nil when it
  /// cannot be read as `Self`.
  static func syncValue(from raw: any DatabaseValueConvertible) -> Self?
}

extension String: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> String? {
    switch raw {
    case let text as String: return text
    case let number as Int64: return String(number)
    case let number as Double: return String(number)
    default: return nil
    }
  }
}

extension UUID: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> UUID? {
    switch raw {
    case let text as String: return UUID(uuidString: text)
    case let data as Data where data.count == 16:
      return data.withUnsafeBytes { UUID(uuid: $0.load(as: uuid_t.self)) }
    default: return nil
    }
  }
}

extension Date: SyncColumnValue {
  /// ISO-8601 or Postgres text (`2024-01-02 03:04:05.123456+00`), or Unix seconds.
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Date? {
    switch raw {
    case let text as String: return SyncRows.date(text)
    case let number as Int64: return Date(timeIntervalSince1970: TimeInterval(number))
    case let number as Double: return Date(timeIntervalSince1970: number)
    default: return nil
    }
  }
}

extension Decimal: SyncColumnValue {
  /// Exact decimal text (how `numeric` is stored), or a number.
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Decimal? {
    switch raw {
    case let text as String: return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    case let number as Int64: return Decimal(number)
    case let number as Double: return Decimal(string: String(number))
    default: return nil
    }
  }
}

extension URL: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> URL? {
    (raw as? String).flatMap { URL(string: $0) }
  }
}

extension Data: SyncColumnValue {
  /// A BLOB, or base64 text.
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Data? {
    switch raw {
    case let data as Data: return data
    case let text as String: return Data(base64Encoded: text)
    default: return nil
    }
  }
}

extension Bool: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Bool? {
    switch raw {
    case let number as Int64: return number != 0
    case let number as Double: return number != 0
    case let text as String: return text == "true" || text == "1"
    default: return nil
    }
  }
}

extension Int: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Int? {
    switch raw {
    case let number as Int64: return Int(exactly: number)
    case let number as Double: return Int(exactly: number)
    case let text as String: return Int(text)
    default: return nil
    }
  }
}

extension Int32: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Int32? {
    Int.syncValue(from: raw).flatMap { Int32(exactly: $0) }
  }
}

extension Int64: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Int64? {
    switch raw {
    case let number as Int64: return number
    case let number as Double: return Int64(exactly: number)
    case let text as String: return Int64(text)
    default: return nil
    }
  }
}

extension Double: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Double? {
    switch raw {
    case let number as Double: return number
    case let number as Int64: return Double(number)
    case let text as String: return Double(text)
    default: return nil
    }
  }
}

extension Float: SyncColumnValue {
  public static func syncValue(from raw: any DatabaseValueConvertible) -> Float? {
    Double.syncValue(from: raw).map { Float($0) }
  }
}

/// A primary or parent key value (`UUID`, `String`, `Int`, `Int64`, …).
public typealias SyncKeyValue = SyncColumnValue & CustomStringConvertible

/// Reading typed columns of view rows (generated `<Entity>Record.init(row:)`), the row states
/// and the failed writes of a table.
public enum SyncRows {
  /// The column's value as `type`, or nil when it is NULL.
  public static func value<V: SyncColumnValue>(
    _ row: Row, _ column: String, as type: V.Type, table: String
  ) throws -> V? {
    let raw: (any DatabaseValueConvertible)? = row[column]
    guard let raw else { return nil }
    guard let value = V.syncValue(from: raw) else {
      throw SyncRowError.invalidValue(
        table: table, column: column, type: "\(V.self)", text: "\(raw)")
    }
    return value
  }

  /// The column's value as an enum of the model (unknown values decode to its `unknown` case).
  public static func enumValue<E: RawRepresentable>(
    _ row: Row, _ column: String, as type: E.Type, table: String
  ) throws -> E? where E.RawValue: SyncColumnValue {
    guard let raw = try value(row, column, as: E.RawValue.self, table: table) else { return nil }
    guard let value = E(rawValue: raw) else {
      throw SyncRowError.invalidValue(
        table: table, column: column, type: "\(E.self)", text: "\(raw)")
    }
    return value
  }

  /// A nested value (array, object, union, free-form JSON) stored as JSON text.
  public static func json<V: Decodable>(
    _ row: Row, _ column: String, as type: V.Type, table: String
  ) throws -> V? {
    guard let text = try value(row, column, as: String.self, table: table) else { return nil }
    do {
      return try SyncCoding.makeDecoder().decode(V.self, from: Data(text.utf8))
    } catch {
      throw SyncRowError.invalidValue(table: table, column: column, type: "\(V.self)", text: text)
    }
  }

  /// `value`, or a clear error when a column the model requires is NULL.
  public static func required<V>(_ value: V?, table: String, column: String) throws -> V {
    guard let value else { throw SyncRowError.missingValue(table: table, column: column) }
    return value
  }

  /// The refused writes of `table`, oldest first (the engine prunes those older than 24 hours).
  public static func failedWrites(_ db: Database, table: SyncTable) throws -> [FailedWrite] {
    try Row.fetchAll(db, sql: failedWritesSQL, arguments: [table.name])
      .map(FailedWrite.init(outboxRow:))
  }

  static let failedWritesSQL = """
    SELECT "seq", "write_id", "table_name", "op", "pk", "payload", "error", "created_at"
    FROM "_sync_outbox"
    WHERE "table_name" = ?1 AND "status" = 'failed'
    ORDER BY "seq"
    """

  /// A key or parent key as a query argument: UUIDs as the lowercased text SQLite holds, integers
  /// as integers, anything else as its text.
  public static func argument(_ key: some SyncKeyValue) -> DatabaseValue {
    switch key {
    case let uuid as UUID: return uuid.uuidString.lowercased().databaseValue
    case let number as Int: return number.databaseValue
    case let number as Int64: return number.databaseValue
    case let number as Int32: return Int64(number).databaseValue
    default: return key.description.databaseValue
    }
  }

  /// A key as outbox text (how ``FailedWrite/key`` holds it).
  public static func keyText(_ key: some SyncKeyValue) -> String {
    if let uuid = key as? UUID { return uuid.uuidString.lowercased() }
    return key.description
  }

  /// Fast path for the dates SQLite holds: `YYYY-MM-DD`, then optionally `T` or a space,
  /// `HH:MM[:SS[.fraction]]` and `Z`, `±HH`, `±HHMM` or `±HH:MM` (Postgres and ISO-8601). Other
  /// text goes through ``SyncDates/parse(_:)``.
  public static func date(_ text: String) -> Date? {
    let fast = text.utf8.withContiguousStorageIfAvailable { fastDate($0) }
    if case .some(.some(let date)) = fast { return date }
    return SyncDates.parse(text)
  }

  private static func fastDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
    var index = 0
    func number(_ width: Int) -> Int? {
      guard index + width <= bytes.count else { return nil }
      var value = 0
      for offset in 0..<width {
        let byte = bytes[index + offset]
        guard byte >= 48, byte <= 57 else { return nil }
        value = value * 10 + Int(byte - 48)
      }
      index += width
      return value
    }
    func skip(_ byte: UInt8) -> Bool {
      guard index < bytes.count, bytes[index] == byte else { return false }
      index += 1
      return true
    }
    guard let year = number(4), skip(45), let month = number(2), skip(45), let day = number(2),
      (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    var seconds = Double(daysFromCivil(year: year, month: month, day: day) * 86_400)
    guard index < bytes.count else { return Date(timeIntervalSince1970: seconds) }
    guard skip(84) || skip(32), let hour = number(2), skip(58), let minute = number(2) else {
      return nil
    }
    seconds += Double(hour * 3_600 + minute * 60)
    if skip(58) {
      guard let second = number(2) else { return nil }
      seconds += Double(second)
      if skip(46) {
        var scale = 0.1
        var fraction = 0.0
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
          fraction += Double(bytes[index] - 48) * scale
          scale /= 10
          index += 1
        }
        seconds += fraction
      }
    }
    if index == bytes.count { return Date(timeIntervalSince1970: seconds) }
    if skip(90) { return index == bytes.count ? Date(timeIntervalSince1970: seconds) : nil }
    let sign: Double
    if skip(43) {
      sign = 1
    } else if skip(45) {
      sign = -1
    } else {
      return nil
    }
    guard let zoneHours = number(2) else { return nil }
    _ = skip(58)
    let zoneMinutes = index < bytes.count ? number(2) : 0
    guard let zoneMinutes, index == bytes.count else { return nil }
    seconds -= sign * Double(zoneHours * 3_600 + zoneMinutes * 60)
    return Date(timeIntervalSince1970: seconds)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let shifted = month <= 2 ? year - 1 : year
    let era = (shifted >= 0 ? shifted : shifted - 399) / 400
    let yearOfEra = shifted - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
