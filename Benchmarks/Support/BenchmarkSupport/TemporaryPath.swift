import Foundation

/// A fresh path in the temporary directory, `sundial-bench-<name>-<UUID>`; nothing is created.
/// - Parameter name: A word saying what the path is for.
/// - Returns: The path.
public func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "sundial-bench-\(name)-\(UUID().uuidString)"
}
