import Foundation

/// A `multipart/form-data` body: `Data` fields become file parts, other values text parts
/// (their JSON text, without quotes for strings). `nil` fields are left out.
public struct MultipartFormData: Sendable {
  public let boundary: String
  private var parts: [Data] = []

  public init(boundary: String = "sync-patterns-\(UUID().uuidString)") {
    self.boundary = boundary
  }

  public var contentType: String {
    "multipart/form-data; boundary=\(boundary)"
  }

  /// A file part.
  public mutating func append(
    _ name: String, _ data: Data?, filename: String? = nil,
    contentType: String = "application/octet-stream"
  ) throws {
    guard let data else { return }
    var head =
      "Content-Disposition: form-data; name=\"\(escape(name))\"; "
      + "filename=\"\(escape(filename ?? name))\"\r\n"
    head += "Content-Type: \(contentType)\r\n\r\n"
    parts.append(Data(head.utf8) + data)
  }

  /// A text part.
  public mutating func append(_ name: String, _ value: (any Encodable)?) throws {
    guard let value else { return }
    let json = try JSONValue(encoding: value)
    let text: String
    if case .string(let s) = json { text = s } else { text = try json.jsonText() }
    let head = "Content-Disposition: form-data; name=\"\(escape(name))\"\r\n\r\n"
    parts.append(Data((head + text).utf8))
  }

  public var body: Data {
    var out = Data()
    for part in parts {
      out += Data("--\(boundary)\r\n".utf8) + part + Data("\r\n".utf8)
    }
    out += Data("--\(boundary)--\r\n".utf8)
    return out
  }

  private func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
      .replacingOccurrences(of: "\n", with: "%0A")
  }
}
