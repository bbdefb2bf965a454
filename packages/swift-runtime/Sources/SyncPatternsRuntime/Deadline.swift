import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A hard deadline for one request (contract §2: every write and shape request has a timeout).
/// `URLRequest.timeoutInterval` only bounds the silence between two packets, and a transport may
/// not honour it at all; this returns at the deadline whatever the operation does, cancelling it
/// and failing with `URLError(.timedOut)`, which the loops treat as a network error.
enum Deadline {
  static func run<T: Sendable>(
    seconds: TimeInterval, _ operation: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    let gate = DeadlineGate<T>()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let work = Task {
          do {
            let value = try await operation()
            gate.finish(.success(value))
          } catch {
            gate.finish(.failure(error))
          }
        }
        let timer = Task {
          try? await Task.sleep(nanoseconds: UInt64(max(seconds, 0) * 1_000_000_000))
          if !Task.isCancelled { gate.finish(.failure(URLError(.timedOut))) }
        }
        gate.install(continuation, tasks: [work, timer])
      }
    } onCancel: {
      gate.finish(.failure(CancellationError()))
    }
  }
}

/// Resumes a continuation once, with the first outcome (the operation, the timer or the caller's
/// cancellation), and cancels the tasks that lost.
private final class DeadlineGate<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var continuation: CheckedContinuation<T, any Error>?
  private var early: Result<T, any Error>?
  private var done = false
  private var tasks: [Task<Void, Never>] = []

  func install(_ continuation: CheckedContinuation<T, any Error>, tasks: [Task<Void, Never>]) {
    lock.lock()
    if let early {
      lock.unlock()
      for task in tasks { task.cancel() }
      continuation.resume(with: early)
      return
    }
    self.continuation = continuation
    self.tasks = tasks
    lock.unlock()
  }

  func finish(_ result: Result<T, any Error>) {
    lock.lock()
    if done {
      lock.unlock()
      return
    }
    done = true
    let continuation = self.continuation
    let tasks = self.tasks
    self.continuation = nil
    self.tasks = []
    if continuation == nil { early = result }
    lock.unlock()
    for task in tasks { task.cancel() }
    continuation?.resume(with: result)
  }
}
