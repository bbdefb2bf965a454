import Foundation
import Observation

/// What the UI shows about syncing: observable on the main actor.
@Observable
@MainActor
public final class SyncStatus {
  public enum Phase: Sendable, Hashable {
    case idle
    case syncing
    case upToDate
    case offline
  }

  public private(set) var phase: Phase = .idle
  /// Tables whose shape is up to date.
  public private(set) var upToDateTables: Set<String> = []
  /// The last write the server refused, or the last transport error.
  public private(set) var lastError: (any Error)?
  /// Write ids refused for good (4xx); their local changes were rolled back.
  public private(set) var failedWrites: [String] = []

  public init() {}

  func shape(_ table: String, upToDate: Bool) {
    if upToDate { upToDateTables.insert(table) } else { upToDateTables.remove(table) }
    phase = upToDate ? .upToDate : .syncing
  }

  func offline(_ error: any Error) {
    phase = .offline
    lastError = error
  }

  func refused(writeId: String, error: any Error) {
    failedWrites.append(writeId)
    lastError = error
  }
}
