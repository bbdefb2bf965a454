import Foundation

/// Boxes a property whose type contains the enclosing struct by value (`Category.parent`): a
/// struct cannot contain itself, a reference to an immutable box can. Copy-on-write semantics.
@propertyWrapper
public struct Indirect<Value: Sendable & Hashable>: Sendable, Hashable {
  private final class Box: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
  }

  private var box: Box

  public init(wrappedValue: Value) {
    box = Box(wrappedValue)
  }

  public var wrappedValue: Value {
    get { box.value }
    set { box = Box(newValue) }
  }

  public static func == (lhs: Indirect, rhs: Indirect) -> Bool {
    lhs.wrappedValue == rhs.wrappedValue
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(wrappedValue)
  }
}

extension Indirect: Codable where Value: Codable {
  public init(from decoder: any Decoder) throws {
    self.init(wrappedValue: try Value(from: decoder))
  }

  public func encode(to encoder: any Encoder) throws {
    try wrappedValue.encode(to: encoder)
  }
}
