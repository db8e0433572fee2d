import CCRC32C

/// CRC-32C (Castagnoli), the checksum of every frame Sundial writes; the same polynomial as
/// Prometheus' WAL and index (0x82F63B78, reflected). Computed with the CPU's CRC-32C instructions
/// (SSE4.2, ARMv8 CRC) where it has them, about six times faster than the table-driven
/// fallback (eight bytes per step) that every other CPU uses; both give the same bits.
enum CRC32C {
    /// True when this CPU computes CRC-32C in hardware (checked once).
    static let usesHardware = sundial_crc32c_hardware_available() != 0

    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for i in 0..<256 {
            var crc = UInt32(i)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            tables[0][i] = crc
        }
        for i in 0..<256 {
            for t in 1..<8 {
                let previous = tables[t - 1][i]
                tables[t][i] = (previous >> 8) ^ tables[0][Int(previous & 0xff)]
            }
        }
        return tables
    }()

    /// The checksum of `bytes`, continuing from `seed` (the checksum of what came before).
    static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard usesHardware, let base = bytes.baseAddress else { return softwareChecksum(bytes, seed: seed) }
        return ~sundial_crc32c_hardware_update(~seed, base, bytes.count)
    }

    /// The table-driven checksum, for CPUs without CRC-32C instructions (and to test the hardware path).
    static func softwareChecksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        var crc = ~seed
        let count = bytes.count
        var i = 0
        tables.withUnsafeBufferPointer { t in
            let t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7]
            while i + 8 <= count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) ^ UInt64(crc)
                crc = t7[Int(word & 0xff)] ^ t6[Int((word >> 8) & 0xff)] ^ t5[Int((word >> 16) & 0xff)]
                    ^ t4[Int((word >> 24) & 0xff)] ^ t3[Int((word >> 32) & 0xff)] ^ t2[Int((word >> 40) & 0xff)]
                    ^ t1[Int((word >> 48) & 0xff)] ^ t0[Int(word >> 56)]
                i += 8
            }
            while i < count {
                crc = (crc >> 8) ^ t0[Int((crc ^ UInt32(bytes[i])) & 0xff)]
                i += 1
            }
        }
        return ~crc
    }

    /// The checksum of a byte array.
    static func checksum(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, seed: seed) }
    }
}
