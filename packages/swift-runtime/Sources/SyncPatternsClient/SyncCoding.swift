import Foundation

/// The JSON coders of generated code. Dates: ISO-8601 with or without fractional seconds, any
/// number of fraction digits, and Postgres' text form (`2026-01-02 03:04:05.123456+00`, what an
/// Electric shape sends); encoded as ISO-8601 UTC with milliseconds.
public enum SyncCoding {
  public static func makeDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let container = try decoder.singleValueContainer()
      let text = try container.decode(String.self)
      guard let date = SyncDates.parse(text) else {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "not an ISO-8601 date-time: \(text)")
      }
      return date
    }
    return decoder
  }

  public static func makeEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(SyncDates.format(date))
    }
    encoder.outputFormatting = [.withoutEscapingSlashes]
    return encoder
  }
}

/// Date-time parsing and formatting shared by the coders and the shape consumer.
public enum SyncDates {
  private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
  private static let withoutFraction = Date.ISO8601FormatStyle()

  /// Parses ISO-8601 (`T` or space separator, `Z`, `+hh:mm`, `+hhmm` or `+hh`).
  public static func parse(_ text: String) -> Date? {
    let normalized = normalize(text)
    let fraction = try? withFraction.parse(normalized)
    if let fraction { return fraction }
    return try? withoutFraction.parse(normalized)
  }

  public static func format(_ date: Date) -> String {
    withFraction.format(date)
  }

  /// `2026-01-02 03:04:05.123456+00` → `2026-01-02T03:04:05.123+00:00`. One pass over the UTF-8
  /// bytes, no regular expression: it runs for every date of every synced row.
  static func normalize(_ text: String) -> String {
    var bytes = Array(text.utf8)
    while bytes.last == space { bytes.removeLast() }
    let leading = bytes.prefix { $0 == space }.count
    if leading > 0 { bytes.removeFirst(leading) }
    if bytes.count > 10, bytes[10] == space { bytes[10] = letterT }
    guard bytes.count > 10, bytes[10] == letterT else {
      return String(decoding: bytes, as: UTF8.self)
    }
    normalizeZone(&bytes)
    normalizeFraction(&bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  private static let space = UInt8(ascii: " ")
  private static let letterT = UInt8(ascii: "T")
  private static let colon = UInt8(ascii: ":")
  private static let dot = UInt8(ascii: ".")

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  /// A trailing `+hh`, `+hhmm` or `+hh:mm` (or `-`) after the time becomes `+hh:mm`.
  private static func normalizeZone(_ bytes: inout [UInt8]) {
    let count = bytes.count
    for length in [6, 5, 3] where count - length > 10 {
      let sign = bytes[count - length]
      guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { continue }
      let rest = Array(bytes[(count - length + 1)...])
      let digits = rest.filter(isDigit)
      let shapeMatches: Bool
      switch length {
      case 6: shapeMatches = digits.count == 4 && rest[2] == colon
      case 5: shapeMatches = digits.count == 4
      default: shapeMatches = digits.count == 2
      }
      guard shapeMatches else { continue }
      let minutes = digits.count == 4 ? Array(digits[2...]) : [UInt8(ascii: "0"), UInt8(ascii: "0")]
      bytes.replaceSubrange((count - length)..., with: [sign] + digits[0...1] + [colon] + minutes)
      return
    }
  }

  /// Fractional seconds are cut or padded to milliseconds.
  private static func normalizeFraction(_ bytes: inout [UInt8]) {
    guard let point = bytes.firstIndex(of: dot) else { return }
    let start = point + 1
    let end = bytes[start...].firstIndex { !isDigit($0) } ?? bytes.endIndex
    let digits = Array(bytes[start..<end]) + Array(repeating: UInt8(ascii: "0"), count: 3)
    bytes.replaceSubrange(start..<end, with: digits.prefix(3))
  }
}
