import Foundation

/// `Decimal` on the wire: decoded from a JSON string (`"1250000.00"`, exact) or number, encoded as
/// a string so no precision is lost. Generated models call these for every decimal field.
enum DecimalCoding {
  static func parse(_ text: String) -> Decimal? {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
  }

  static func text(_ value: Decimal) -> String {
    NSDecimalNumber(decimal: value).description(withLocale: Locale(identifier: "en_US_POSIX"))
  }
}

extension KeyedDecodingContainer {
  public func decodeDecimal(forKey key: Key) throws -> Decimal {
    if let text = try? decode(String.self, forKey: key) {
      guard let value = DecimalCoding.parse(text) else {
        throw DecodingError.dataCorruptedError(
          forKey: key, in: self, debugDescription: "not a decimal: \(text)")
      }
      return value
    }
    return try decode(Decimal.self, forKey: key)
  }

  public func decodeDecimalIfPresent(forKey key: Key) throws -> Decimal? {
    guard contains(key), try !decodeNil(forKey: key) else { return nil }
    return try decodeDecimal(forKey: key)
  }
}

extension KeyedEncodingContainer {
  public mutating func encodeDecimal(_ value: Decimal, forKey key: Key) throws {
    try encode(DecimalCoding.text(value), forKey: key)
  }

  /// A required nullable decimal: `nil` is written as `null`.
  public mutating func encodeDecimal(_ value: Decimal?, forKey key: Key) throws {
    if let value {
      try encodeDecimal(value, forKey: key)
    } else {
      try encodeNil(forKey: key)
    }
  }

  public mutating func encodeDecimalIfPresent(_ value: Decimal?, forKey key: Key) throws {
    if let value { try encodeDecimal(value, forKey: key) }
  }
}

/// A decimal inside an array, a map or an alias, with the same string/number coding.
public struct FlexibleDecimal: Codable, Sendable, Hashable, ExpressibleByIntegerLiteral {
  public var value: Decimal

  public init(_ value: Decimal) {
    self.value = value
  }

  public init(integerLiteral value: Int) {
    self.value = Decimal(value)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let text = try? container.decode(String.self), let value = DecimalCoding.parse(text) {
      self.value = value
    } else {
      self.value = try container.decode(Decimal.self)
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(DecimalCoding.text(value))
  }
}
