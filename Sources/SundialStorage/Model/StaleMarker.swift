/// Prometheus' staleness marker: a NaN with a specific payload (0x7ff0000000000002) that says
/// "this series ended here". It is stored like any value and recognised by its bit pattern.
public enum StaleMarker {
    /// The marker's bit pattern, as Prometheus writes it (`value.StaleNaN`).
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    /// The marker as a `Double`.
    public static var value: Double { Double(bitPattern: bitPattern) }
    /// True when `value` is a stale marker (not merely any NaN).
    @inlinable public static func isStale(_ value: Double) -> Bool { value.bitPattern == 0x7ff0_0000_0000_0002 }
}
