import Foundation

/// A coding key made from any string: discriminator properties and additional keys.
public struct DynamicCodingKey: CodingKey, Hashable, Sendable {
  public var stringValue: String
  public var intValue: Int?

  public init(_ string: String) {
    stringValue = string
    intValue = nil
  }

  public init?(stringValue: String) {
    self.init(stringValue)
  }

  public init?(intValue: Int) {
    stringValue = String(intValue)
    self.intValue = intValue
  }
}
