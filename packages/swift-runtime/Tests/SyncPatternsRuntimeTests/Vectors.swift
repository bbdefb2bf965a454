import Foundation
import XCTest

/// Loads a shared vector file from fixtures/runtime-vectors (docs/sync-runtime-contract.md §7).
/// The repository root is `SYNC_PATTERNS_ROOT`, else two folders above the working directory
/// (`swift test` runs in packages/swift-runtime), so the vectors are never copied. Skips when the
/// file does not exist yet.
func loadVector<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
  let environment = ProcessInfo.processInfo.environment
  let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  let root = environment["SYNC_PATTERNS_ROOT"].map { URL(fileURLWithPath: $0) }
    ?? cwd.deletingLastPathComponent().deletingLastPathComponent()
  let url = root.appendingPathComponent("fixtures/runtime-vectors/\(name)")
  guard FileManager.default.fileExists(atPath: url.path) else {
    throw XCTSkip("fixtures/runtime-vectors/\(name) is not there yet")
  }
  return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}
