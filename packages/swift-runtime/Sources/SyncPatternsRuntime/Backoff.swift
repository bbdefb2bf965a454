import Foundation

/// Retry delays of the outbox and the shape consumer (contract §2): full jitter,
/// `floor(random() * min(maxMs, baseMs * factor^(n-1)))`.
public struct BackoffPolicy: Sendable, Hashable, Codable {
  public var baseMs: Double
  public var factor: Double
  public var maxMs: Double

  public init(baseMs: Double = 500, factor: Double = 2, maxMs: Double = 30_000) {
    self.baseMs = baseMs
    self.factor = factor
    self.maxMs = maxMs
  }

  /// The delay before attempt `attempt` (1-based) for a uniform `random` in [0, 1).
  public func delayMs(attempt: Int, random: Double) -> Int64 {
    let ceiling = min(maxMs, baseMs * pow(factor, Double(max(attempt, 1) - 1)))
    return Int64((random * ceiling).rounded(.down))
  }

  /// `Retry-After` as milliseconds: delta-seconds, or an HTTP date (IMF-fixdate, RFC 850 or
  /// asctime, RFC 9110 §5.6.7) counted from `now`; nil when absent or unreadable.
  public static func retryAfterMs(_ header: String?, now: Date = Date()) -> Int64? {
    guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
      return nil
    }
    if let seconds = Double(header) {
      guard seconds.isFinite, seconds >= 0 else { return nil }
      return Int64(min(seconds, 86_400) * 1000)
    }
    for format in httpDateFormats {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "GMT")
      formatter.dateFormat = format
      if let date = formatter.date(from: header) {
        return max(0, Int64(date.timeIntervalSince(now) * 1000))
      }
    }
    return nil
  }

  private static let httpDateFormats = [
    "EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy",
  ]
}

/// Milliseconds since the epoch (the unit of `next_attempt_at`).
func nowMs() -> Int64 {
  Int64(Date().timeIntervalSince1970 * 1000)
}
