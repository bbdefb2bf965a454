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

  /// `2026-01-02 03:04:05.123456+00` → `2026-01-02T03:04:05.123+00:00`.
  static func normalize(_ text: String) -> String {
    var s = text.trimmingCharacters(in: .whitespaces)
    if s.count > 10, s[s.index(s.startIndex, offsetBy: 10)] == " " {
      s.replaceSubrange(s.index(s.startIndex, offsetBy: 10)...s.index(s.startIndex, offsetBy: 10), with: "T")
    }
    if let zone = s.range(of: "[+-]\\d{2}(:?\\d{2})?$", options: .regularExpression) {
      let digits = s[zone].filter(\.isNumber)
      let sign = s[zone].first!
      let hours = digits.prefix(2)
      let minutes = digits.count > 2 ? String(digits.suffix(2)) : "00"
      s.replaceSubrange(zone, with: "\(sign)\(hours):\(minutes)")
    }
    if let dot = s.firstIndex(of: "."), s.contains("T") {
      let end = s[dot...].dropFirst().firstIndex { !$0.isNumber } ?? s.endIndex
      let digits = s[s.index(after: dot)..<end]
      let millis = String((digits + "000").prefix(3))
      s.replaceSubrange(s.index(after: dot)..<end, with: millis)
    }
    return s
  }
}
