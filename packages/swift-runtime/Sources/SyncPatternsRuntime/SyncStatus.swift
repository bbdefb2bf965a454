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
  /// The last write the server refused (a `SyncWriteError`); cleared by the next successful
  /// write (contract §2).
  public private(set) var lastError: (any Error)?
  /// The last request that got no answer (network error, timeout); cleared by the next answer.
  public private(set) var connectionError: (any Error)?
  /// Refused writes kept for the errors API (`SyncEngine.failedWrites()`, `retryWrite`,
  /// `discardWrite`), oldest first; their local changes were rolled back.
  public private(set) var failedWrites: [FailedWrite] = []

  public init() {}

  func shape(_ table: String, upToDate: Bool) {
    if upToDate { upToDateTables.insert(table) } else { upToDateTables.remove(table) }
    phase = upToDate ? .upToDate : .syncing
    connectionError = nil
  }

  func offline(_ error: any Error) {
    phase = .offline
    connectionError = error
  }

  func writeSucceeded() {
    lastError = nil
    connectionError = nil
    if phase == .offline { phase = .syncing }
  }

  func refused(_ error: SyncWriteError) {
    lastError = error
  }

  func setFailed(_ writes: [FailedWrite]) {
    failedWrites = writes
  }
}
