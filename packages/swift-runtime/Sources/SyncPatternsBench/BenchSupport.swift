import Foundation
import SyncPatternsClient

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// What the benchmark reads from its environment (tools/bench/swift-runtime.ts sets it).
struct BenchConfig: Sendable {
  /// `SYNC_BENCH_SERVER`: the base URL of `sync-patterns dev` serving fixtures/todo.
  var server: URL
  /// `SYNC_BENCH_ROWS`: the todos the server holds at the start (default 10,000).
  var rows: Int
  /// `SYNC_BENCH_RUNS`: initial-sync rounds, floor and store alternating (default 3).
  var runs: Int
  /// `SYNC_BENCH_WRITES`: local writes with nothing observed (default 1,000).
  var writes: Int
  /// `SYNC_BENCH_OBSERVED_WRITES`: writes timed to the observed store (default 200).
  var observedWrites: Int
  /// `SYNC_BENCH_DRAIN`: writes queued offline, then drained (default 1,000).
  var drain: Int
  /// `SYNC_BENCH_TOKEN`: the bearer token sent to the server (default `bench`).
  var token: String

  var shapeURL: URL { server.appendingPathComponent("v1/shape") }

  static func fromEnvironment() throws -> BenchConfig {
    let env = ProcessInfo.processInfo.environment
    guard let text = env["SYNC_BENCH_SERVER"], let server = URL(string: text) else {
      throw BenchError.setup(
        "SYNC_BENCH_SERVER is not set: run `npm run bench swift-runtime`, which starts "
          + "`sync-patterns dev` on fixtures/todo and passes its URL")
    }
    func count(_ name: String, _ fallback: Int) throws -> Int {
      guard let raw = env[name] else { return fallback }
      guard let value = Int(raw), value > 0 else {
        throw BenchError.setup("\(name) must be a positive integer, not \"\(raw)\"")
      }
      return value
    }
    return BenchConfig(
      server: server,
      rows: try count("SYNC_BENCH_ROWS", 10_000),
      runs: try count("SYNC_BENCH_RUNS", 3),
      writes: try count("SYNC_BENCH_WRITES", 1_000),
      observedWrites: try count("SYNC_BENCH_OBSERVED_WRITES", 200),
      drain: try count("SYNC_BENCH_DRAIN", 1_000),
      token: env["SYNC_BENCH_TOKEN"] ?? "bench"
    )
  }
}

enum BenchError: Error, CustomStringConvertible {
  case setup(String)
  case http(String, Int, String)
  case timeout(String)

  var description: String {
    switch self {
    case .setup(let message): return message
    case .http(let what, let status, let body): return "\(what): HTTP \(status) \(body)"
    case .timeout(let what): return "timed out: \(what)"
    }
  }
}

/// The transport of the benchmark's engine: `URLSession`, or, while `online` is false, a
/// connection error before any byte is sent (the device is offline).
final class SwitchableTransport: HTTPTransport, @unchecked Sendable {
  // @unchecked: `isOnline` is only read and written under `lock`.
  private let lock = NSLock()
  private var isOnline = true
  private let wrapped = URLSessionTransport()

  var online: Bool {
    get {
      lock.lock()
      defer { lock.unlock() }
      return isOnline
    }
    set {
      lock.lock()
      defer { lock.unlock() }
      isOnline = newValue
    }
  }

  func send(_ request: URLRequest) async throws -> HTTPResponse {
    guard online else { throw URLError(.notConnectedToInternet) }
    return try await wrapped.send(request)
  }
}

/// Seconds elapsed since `start` on the continuous clock.
func seconds(since start: ContinuousClock.Instant) -> Double {
  let elapsed = ContinuousClock.now - start
  return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// The median of `values` (0 when empty).
func median(_ values: [Double]) -> Double {
  percentile(values, 50)
}

/// The nearest-rank percentile `p` (0–100) of `values` (0 when empty).
func percentile(_ values: [Double], _ p: Double) -> Double {
  guard !values.isEmpty else { return 0 }
  let sorted = values.sorted()
  let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
  return sorted[min(max(rank, 1), sorted.count) - 1]
}

/// `value` with `digits` decimals, in the POSIX locale.
func fixed(_ value: Double, _ digits: Int) -> String {
  String(format: "%.\(digits)f", locale: Locale(identifier: "en_US_POSIX"), value)
}

/// Prints one line on stdout at once (the wrapper echoes it while the benchmark runs).
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// A figure for tools/bench/swift-runtime.ts: `figure <key> <value>`, turned into a goal line.
func figure(_ key: String, _ value: Double) {
  say("figure \(key) \(fixed(value, 3))")
}
