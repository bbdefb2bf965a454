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

  /// `Retry-After` as milliseconds: delta-seconds or an HTTP date.
  public static func retryAfterMs(_ header: String?, now: Date = Date()) -> Int64? {
    guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
    if let seconds = Double(header) { return Int64(seconds * 1000) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = formatter.date(from: header) else { return nil }
    return max(0, Int64(date.timeIntervalSince(now) * 1000))
  }
}

/// Milliseconds since the epoch (the unit of `next_attempt_at`).
func nowMs() -> Int64 {
  Int64(Date().timeIntervalSince1970 * 1000)
}
