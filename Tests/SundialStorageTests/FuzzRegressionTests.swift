import Foundation
import Testing
@testable import SundialStorage

/// Inputs the fuzzers (Fuzz/, tools/fuzz) found crashing the process, each now a typed error. The raw
/// inputs are in Fuzz/Corpus/<target>/crash-*; the checksums a fuzzed file carries are set right here as
/// the block target's harness sets them, since a checksum does not stop a crafted file.
@Suite struct FuzzRegressionTests {
    /// The golden block with its footer changed by `edit` and the footer checksum set right again.
    static func goldenBlock(editingFooter edit: (inout [UInt8], Int) -> Void) throws -> [UInt8] {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: GoldenFormatTests.fixtures + "/golden-v1.block")))
        let footer = bytes.count - BlockFile.footerSize
        edit(&bytes, footer)
        let crc = CRC32C.checksum(Array(bytes[footer..<(footer + 36)]))
        for i in 0..<4 { bytes[footer + 36 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        return bytes
    }

    static func open(_ bytes: [UInt8]) throws -> Result<BlockReader, StorageError> {
        let directory = TemporaryDirectory("fuzz")
        defer { directory.remove() }
        let path = directory.path + "/fuzz.block"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do throws(StorageError) { return .success(try BlockReader(path: path, level: 0)) } catch { return .failure(error) }
    }

    /// Found by the block fuzzer (stop 17): a chunk whose timestamp column holds no samples left nothing decoded,
    /// and the seek point check then read the chunk's kind byte from an empty frame: an index out of range in
    /// `sundial check`. The input with its checksums set right is `Fixtures/fuzz-empty-column.block`.
    @Test func aChunkWithAnEmptyColumnIsACorruptBlock() throws {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: GoldenFormatTests.fixtures + "/fuzz-empty-column.block")))
        guard case let .success(reader) = try Self.open(bytes) else {
            Issue.record("the block no longer opens: it no longer reaches the check it was found in")
            return
        }
        #expect(reader.index.columns.contains { $0.count == 0 })
        #expect(throws: StorageError.self) { try reader.verify() }
        do throws(StorageError) { try reader.verify() } catch {
            guard case let .corruptBlock(_, _, reason) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(reason.contains("no samples"), "\(reason)")
        }
    }

    @Test func footerIndexOffsetBeyondIntIsACorruptBlock() throws {
        let bytes = try Self.goldenBlock { bytes, footer in bytes[footer + 7] = 0x80 }
        guard case let .failure(.corruptBlock(_, offset, reason)) = try Self.open(bytes) else {
            Issue.record("an index offset of 2^63 was accepted")
            return
        }
        #expect(offset == bytes.count - BlockFile.footerSize)
        #expect(reason.contains("out of range"))
    }

    /// Found by the 10-second CI run of the block fuzzer: an index offset just below 2^63 overflowed the
    /// frame header's bounds check (`offset + 16`).
    @Test func footerIndexOffsetNearIntMaxIsACorruptBlock() throws {
        let bytes = try Self.goldenBlock { bytes, footer in
            let offset = UInt64(Int.max - 13)
            for i in 0..<8 { bytes[footer + i] = UInt8(truncatingIfNeeded: offset >> (8 * UInt64(i))) }
        }
        guard case .failure(.corruptBlock) = try Self.open(bytes) else {
            Issue.record("an index offset of 2^63 - 14 was accepted")
            return
        }
    }

    @Test func footerSampleCountBeyondIntIsACorruptBlock() throws {
        let bytes = try Self.goldenBlock { bytes, footer in bytes[footer + 31] = 0xff }
        guard case .failure(.corruptBlock) = try Self.open(bytes) else {
            Issue.record("a sample count of 2^64 - 1 was accepted")
            return
        }
    }

    @Test func manifestSampleCountBeyondIntIsACorruptManifest() throws {
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: GoldenFormatTests.fixtures + "/golden-v1.manifest")))
        // The golden manifest's one block ends `series 4, samples 22, bytes 400, level 1, crc`: samples becomes 2^64 - 1.
        let samples = bytes.count - 4 - 4
        #expect(bytes[samples] == 22)
        bytes.replaceSubrange(samples...samples, with: [UInt8](repeating: 0xff, count: 9) + [0x01])
        let crc = CRC32C.checksum(Array(bytes[..<(bytes.count - 4)]))
        for i in 0..<4 { bytes[bytes.count - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        #expect(throws: StorageError.self) { try Manifest(parsing: bytes, path: "MANIFEST") }
    }

    @Test func postingNamingASymbolOfAnEmptyTableIsAFormatError() {
        // No symbols, frames, columns or series; one posting name, which must index the empty symbol table.
        let index: [UInt8] = [0, 0, 0, 0, 1, 0, 0, 0]
        // withBytes, not withUnsafeBytes: a typed-throws closure under a rethrowing one crashes Swift 6.3's IRGen.
        #expect(throws: FormatError.self) { try withBytes(index) { (raw) throws(FormatError) in _ = try BlockIndex(parsing: raw) } }
    }
}
