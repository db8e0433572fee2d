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

extension StaleMarker {
    /// True when some value of `values` is a stale marker. Eight values at a time are first tested for
    /// any NaN (a marker is one), so a run without NaN costs one compare per eight values.
    public static func occurs(in values: UnsafeBufferPointer<Double>) -> Bool {
        guard let base = values.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let stride = MemoryLayout<Double>.stride
        var i = 0
        while i + 8 <= values.count {
            let block = raw.loadUnaligned(fromByteOffset: i &* stride, as: SIMD8<Double>.self)
            if any(block .!= block) {
                for j in i..<(i + 8) where isStale(values[j]) { return true }
            }
            i += 8
        }
        while i < values.count {
            if isStale(values[i]) { return true }
            i += 1
        }
        return false
    }
}
