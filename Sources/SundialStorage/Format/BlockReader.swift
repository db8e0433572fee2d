#if canImport(Glibc)
import Glibc
#endif

/// An open, immutable block: the file mapped into memory, its index parsed, data frames decoded on
/// demand and kept in a small cache. Safe to share between threads.
final class BlockReader: Sendable {
    /// The block's file name.
    let name: String
    let path: String
    let summary: BlockSummary
    /// The block format version the file was written in.
    let version: UInt16
    let index: BlockIndex
    /// The index's symbols, as the table its series' ``SymbolLabels`` refer to.
    let symbolTable: SymbolTable
    /// The file offset of the index frame.
    let indexOffset: Int
    private let mapping: MappedFile
    var mappingBytes: UnsafeRawBufferPointer { mapping.bytes }
    private let frameCache: Locked<RecentlyUsed<UInt8>>
    private let columnCache: Locked<RecentlyUsed<Int64>>
    /// Decoded reference chunks of difference chunks (a histogram's `+Inf` bucket, per window). A reader
    /// going through a histogram in label order takes every reference of the family once per bucket, so
    /// the cache must hold a whole family's references or it is emptied before any is used again: at 4 MiB
    /// it missed on the 24 h corpus and decoding references took 14 % of a decode-all pass.
    private let referenceCache = Locked(RecentlyUsed<Double>(limitBytes: 16 << 20))
    /// Whether the index lists its series in label order, found on first use (``seriesAreInLabelOrder``).
    private let seriesOrder = Locked<Bool?>(nil)

    /// True when the index lists its series in ``LabelSet``'s order, so that series taken in increasing number
    /// are in label order: a writer sorts them, but a reader checks once per block rather than relying on it.
    /// A selection of one block then checks only that its numbers increase, instead of comparing every
    /// neighbouring pair's labels (1.6 % of an instant latency query's instructions).
    var seriesAreInLabelOrder: Bool {
        if let known = seriesOrder.withLock({ $0 }) { return known }
        let labels = index.seriesLabels
        let result = symbolTable.isStrictlyOrdered && zip(labels, labels.dropFirst()).allSatisfy { SymbolLabels.precedes($0, $1) }
        seriesOrder.withLock { $0 = result }
        return result
    }

    /// Opens and validates a block: header, footer, and the index frame's checksum.
    init(path: String, level: Int) throws(StorageError) {
        self.path = path
        let name = String(path.split(separator: "/").last ?? Substring(path))
        self.name = name
        let mapping = try MappedFile(path: path)
        self.mapping = mapping
        let bytes = mapping.bytes
        func damaged(_ offset: Int, _ reason: String) -> StorageError {
            .corruptBlock(block: name, offset: offset, reason: reason)
        }
        guard bytes.count >= BlockFile.headerSize + BlockFile.footerSize else {
            throw damaged(0, "the file is \(bytes.count) bytes, shorter than a header and footer")
        }
        guard Array(bytes[0..<4]) == BlockFile.magic else { throw damaged(0, "header (bytes 0..<8): the magic is wrong") }
        let version = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt16.self)))
        guard let version = UInt16(exactly: version), BlockFile.readableVersions.contains(version) else {
            throw .unsupportedVersion(path: path, found: version, supported: Int(BlockFile.version))
        }
        // Versions 1 and 2 define no flags: anything else is damage (no byte of a block goes unchecked).
        let flags = UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
        guard flags == 0 else { throw damaged(6, "header (bytes 0..<8): flags are \(flags), not 0") }
        let footerStart = bytes.count - BlockFile.footerSize
        let footerRange = "footer (bytes \(footerStart)..<\(bytes.count))"
        guard Array(bytes[(bytes.count - 4)...]) == BlockFile.endMagic else {
            throw damaged(bytes.count - 4, "\(footerRange): the end magic is wrong (a truncated file?)")
        }
        let footer = UnsafeRawBufferPointer(rebasing: bytes[footerStart..<(bytes.count - 4)])
        let crc = UInt32(littleEndian: footer.loadUnaligned(fromByteOffset: 36, as: UInt32.self))
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: footer[0..<36])) == crc else {
            throw damaged(footerStart, "\(footerRange): the checksum does not match")
        }
        guard let indexOffset = Int(exactly: UInt64(littleEndian: footer.loadUnaligned(fromByteOffset: 0, as: UInt64.self))),
              let samples = Int(exactly: UInt64(littleEndian: footer.loadUnaligned(fromByteOffset: 24, as: UInt64.self))) else {
            throw damaged(footerStart, "the footer's index offset or sample count is out of range")
        }
        let minT = Int64(littleEndian: footer.loadUnaligned(fromByteOffset: 8, as: Int64.self))
        let maxT = Int64(littleEndian: footer.loadUnaligned(fromByteOffset: 16, as: Int64.self))
        let series = Int(UInt32(littleEndian: footer.loadUnaligned(fromByteOffset: 32, as: UInt32.self)))
        let dataArea = UnsafeRawBufferPointer(rebasing: bytes[0..<footerStart])
        do throws(FormatError) {
            let payload = try Frame.decode(in: dataArea, at: indexOffset)
            var parsed: BlockIndex?
            var failure: FormatError?
            payload.withUnsafeBytes { raw in
                do throws(FormatError) { parsed = try BlockIndex(parsing: raw, version: version) } catch { failure = error }
            }
            if let failure { throw failure }
            guard let parsed, parsed.seriesCount == series else {
                throw FormatError("the index holds a different number of series than the footer (\(series))")
            }
            for offset in parsed.frameOffsets where offset >= indexOffset || offset < BlockFile.headerSize {
                throw FormatError("a data frame offset \(offset) lies outside the data area")
            }
            self.index = parsed
            symbolTable = SymbolTable(parsed.symbols)
            frameCache = Locked(RecentlyUsed(limitBytes: 8 << 20, denseKeys: parsed.frameOffsets.count))
            columnCache = Locked(RecentlyUsed(limitBytes: 4 << 20, denseKeys: parsed.columns.count))
            self.indexOffset = indexOffset
            self.version = version
        } catch {
            throw damaged(indexOffset, "index frame (bytes \(indexOffset)..<\(footerStart)): \(error.message)")
        }
        self.summary = BlockSummary(name: name, minTimeMs: minT, maxTimeMs: maxT, seriesCount: series,
                                    sampleCount: samples, bytes: bytes.count, level: level)
    }

    /// The decoded payload of data frame `frame`, from the cache when it is there.
    func framePayload(_ frame: Int) throws(StorageError) -> [UInt8] {
        if let cached = frameCache.withLock({ $0.payload(frame) }) { return cached }
        let offset = index.frameOffsets[frame]
        let payload: [UInt8]
        do throws(FormatError) {
            let dataEnd = mapping.bytes.count - BlockFile.footerSize
            payload = try Frame.decode(in: UnsafeRawBufferPointer(rebasing: mapping.bytes[0..<dataEnd]), at: offset)
        } catch {
            let end = frame + 1 < index.frameOffsets.count ? index.frameOffsets[frame + 1] : indexOffset
            throw .corruptBlock(block: name, offset: offset, reason: "data frame \(frame) (bytes \(offset)..<\(end)): \(error.message)")
        }
        frameCache.withLock { $0.store(payload, for: frame) }
        return payload
    }

    /// Empties the caches of decoded frames, columns and reference values. Compaction reads a block
    /// front to back once and calls this now and then, so that merging many blocks does not hold every
    /// block's full caches at the same time.
    func dropCachedData() {
        frameCache.withLock { $0.removeAll() }
        columnCache.withLock { $0.removeAll() }
        referenceCache.withLock { $0.removeAll() }
    }

    /// Runs `body` over the bytes of a chunk location.
    func withChunkBytes<R>(_ location: ChunkLocation, _ body: (UnsafeRawBufferPointer) throws(FormatError) -> R) throws(StorageError) -> R {
        let payload = try framePayload(location.frame)
        guard location.offset >= 0, location.length >= 0, location.offset <= payload.count,
              location.length <= payload.count - location.offset else {
            throw .corruptBlock(block: name, offset: index.frameOffsets[location.frame],
                                reason: "a chunk runs past the end of frame \(location.frame)")
        }
        var result: Result<R, FormatError>!
        payload.withUnsafeBytes { raw in
            let slice = UnsafeRawBufferPointer(rebasing: raw[location.offset..<(location.offset + location.length)])
            do throws(FormatError) { result = .success(try body(slice)) } catch { result = .failure(error) }
        }
        switch result! {
        case let .success(value): return value
        case let .failure(error):
            throw .corruptBlock(block: name, offset: index.frameOffsets[location.frame],
                                reason: "chunk at offset \(location.offset) of frame \(location.frame): \(error.message)")
        }
    }

    /// The decoded timestamps of column `id`, from the cache when there: the series of one scrape share
    /// a column, so it is decoded once for all of them.
    func timestamps(ofColumn id: Int) throws(StorageError) -> [Int64] {
        if let cached = columnCache.withLock({ $0.payload(id) }) { return cached }
        let column = index.columns[id]
        guard column.count <= 100_000_000 else {
            throw .corruptBlock(block: name, offset: 0, reason: "a column claims \(column.count) samples")
        }
        let count = column.count
        let decoded = try withChunkBytes(column.location) { (raw) throws(FormatError) -> [Int64] in
            var out = [Int64](repeating: 0, count: count)
            var failure: FormatError?
            out.withUnsafeMutableBufferPointer { buffer in
                do throws(FormatError) {
                    let n = try TimestampCodec.decode(raw, into: buffer)
                    if n != count { failure = FormatError("column holds \(n) timestamps, \(count) expected") }
                } catch { failure = error }
            }
            if let failure { throw failure }
            return out
        }
        columnCache.withLock { $0.store(decoded, for: id) }
        return decoded
    }

    /// How this block's value chunks are laid out: with seek points from format version 4 on, their integer tables
    /// anchored at both ends from version 8.
    var valueLayout: ValueCodec.Layout { version >= 8 ? .anchored : version >= 4 ? .seekable : .plain }

    /// Decodes one chunk of a series into `timestamps` and `values`, replacing their contents.
    /// `values` keeps its storage when it already has the right size (the next chunk of a window usually
    /// does), so a reader decoding chunk after chunk allocates nothing per chunk; a difference chunk is
    /// decoded into it too, against its reference's values (decoded once and cached).
    func decode(_ chunk: SeriesChunk, timestamps: inout [Int64], values: inout [Double]) throws(StorageError) {
        _ = try decode(chunk, from: .min, through: .max, timestamps: &timestamps, values: &values)
    }

    /// ``decode(_:from:through:timestamps:values:memo:)`` with nothing remembered from an earlier chunk.
    func decode(_ chunk: SeriesChunk, from minTimeMs: Int64, through maxTimeMs: Int64,
                timestamps: inout [Int64], values: inout [Double]) throws(StorageError) -> Range<Int> {
        var memo = ChunkReadMemo()
        return try decode(chunk, from: minTimeMs, through: maxTimeMs, timestamps: &timestamps, values: &values, memo: &memo)
    }

    /// Decodes the samples of `chunk` at times `minTimeMs...maxTimeMs` and returns their indices:
    /// `timestamps` becomes the chunk's whole column and `values` as long, but only the values at the
    /// returned indices are sure to be decoded. Decoding starts at the chunk's last seek point before the
    /// first of them and stops after the last: a query over the end of a long chunk decodes little of it.
    /// `memo` is the calling thread's (``ChunkReadMemo``); `timestamps` must be the buffer it was last used with.
    func decode(_ chunk: SeriesChunk, from minTimeMs: Int64, through maxTimeMs: Int64,
                timestamps: inout [Int64], values: inout [Double], memo: inout ChunkReadMemo) throws(StorageError) -> Range<Int> {
        if memo.column != chunk.column || memo.columnBlock !== self {
            memo.column = -1  // in case the next line throws
            if let copy = memo.columns.copy(of: chunk.column, in: self) {
                timestamps = copy
            } else {
                timestamps = memo.columns.keep(try self.timestamps(ofColumn: chunk.column), of: chunk.column, in: self)
            }
            memo.holdColumn(chunk.column, of: self)
        }
        let low = timestamps.partitionPoint { $0 >= minTimeMs }
        let high = timestamps.partitionPoint { $0 > maxTimeMs }
        guard low < high else { return low..<low }
        try decodeValues(chunk, count: timestamps.count, wanted: low..<high, into: &values, memo: &memo)
        return low..<high
    }

    /// Decodes the values `wanted` of `chunk`, whose column holds `count` samples, into `values` (resized to
    /// `count`), taking the frame and reference through `memo` (``ValueCodec/decode(_:reference:into:layout:wanted:)``,
    /// or a copy from the block's cache of decoded references when the chunk is one).
    func decodeValues(_ chunk: SeriesChunk, count: Int, wanted: Range<Int>, into values: inout [Double],
                      memo: inout ChunkReadMemo) throws(StorageError) {
        let location = chunk.values
        if !memo.useFrame(location.frame, of: self) {
            memo.hold(frame: location.frame, of: self, payload: try framePayload(location.frame))
        }
        guard location.offset >= 0, location.offset <= memo.payload.count, location.length > 0,
              location.length <= memo.payload.count - location.offset else {
            throw .corruptBlock(block: name, offset: index.frameOffsets[location.frame],
                                reason: "a chunk runs past the end of frame \(location.frame)")
        }
        let bytesRange = location.offset..<(location.offset + location.length)
        let isDifference = Self.isDifference(memo.payload, at: location.offset)
        if isDifference {
            let referenced = Self.referencedSeries(memo.payload, bytesRange)
            let key = referenced.map { $0 << 32 | chunk.column } ?? -1
            if key < 0 || memo.referenceKey != key || memo.referenceBlock !== self {
                memo.referenceKey = -1  // in case the next lines throw
                // This thread's copies go by series and column (a histogram's references take different slots
                // that way), the block's cache by the reference chunk's location (its own readers look it up).
                if key >= 0, let copy = memo.references.copy(of: key, in: self) {
                    memo.reference = copy
                } else {
                    let base = try referenceChunk(of: chunk, series: referenced)
                    memo.reference = memo.references.keep(try reference(base, cacheKey: Self.cacheKey(of: base.values), count: count),
                                                          of: key, in: self)
                }
                memo.holdReference(key, of: self)
            }
        }
        // Resized in place: the storage is kept, and only a growth is zeroed.
        if values.count > count {
            values.removeLast(values.count - count)
        } else if values.count < count {
            values.append(contentsOf: repeatElement(0, count: count - values.count))
        }
        // A chunk other chunks are stored against (a histogram's `+Inf` bucket) is usually decoded already, as
        // their reference: its values are copied from there instead of decoded again (the `+Inf` buckets' own
        // chunks took 6 % of the 24 h latency query's instructions).
        if memo.payload[location.offset] == ValueCodec.Kind.integer.rawValue, let cacheKey = Self.cacheKey(of: location),
           copyDecoded(cacheKey, count: count, wanted: wanted, into: &values) {
            return
        }
        switch Self.decode(memo.payload, bytesRange, reference: memo.reference, isDifference: isDifference, layout: valueLayout,
                           into: &values, wanted: wanted) {
        case .success: return
        case let .failure(failure):
            throw .corruptBlock(block: name, offset: index.frameOffsets[location.frame],
                                reason: "chunk at offset \(location.offset) of frame \(location.frame): \(failure.message)")
        }
    }

    /// The key of the chunk at `location` in the caches of decoded chunks: its frame and offset, nil when they
    /// do not fit one (a damaged index).
    private static func cacheKey(of location: ChunkLocation) -> Int? {
        guard location.frame >= 0, location.frame < 1 << 30, location.offset >= 0, location.offset < 1 << 32 else { return nil }
        return location.frame << 32 | location.offset
    }

    /// Copies `values[wanted]` of the chunk of `cacheKey` from the block's cache of decoded references when it
    /// holds it with `count` values; false when it does not.
    private func copyDecoded(_ cacheKey: Int, count: Int, wanted: Range<Int>, into values: inout [Double]) -> Bool {
        let wanted = wanted.clamped(to: 0..<count)
        // Copied under the lock, in place: the cached array is shared with the other reading threads.
        return referenceCache.withLock { cache in
            cache.withPayload(cacheKey) { decoded in
                guard decoded.count == count else { return false }
                values.withUnsafeMutableBufferPointer { out in
                    for i in wanted { out[i] = decoded[i] }
                }
                return true
            } ?? false
        }
    }

    // The frame and the reference come from the block's caches and are shared by every reading thread: these
    // helpers borrow them, so that reading a chunk counts no reference on them (two workers counting
    // references on the same arrays slowed each other: docs/PERFORMANCE.md, stop 16).

    /// True when the chunk at `offset` of `payload` is a difference chunk.
    private static func isDifference(_ payload: borrowing [UInt8], at offset: Int) -> Bool {
        payload[offset] == ValueCodec.Kind.difference.rawValue
    }

    /// The series a difference chunk at `bytes` of `payload` names, nil when its bytes do not name one.
    private static func referencedSeries(_ payload: borrowing [UInt8], _ bytes: Range<Int>) -> Int? {
        payload.withUnsafeBytes { raw in (try? ValueCodec.referencedSeries(UnsafeRawBufferPointer(rebasing: raw[bytes]))) ?? nil }
    }

    /// Decodes the chunk at `bytes` of `payload` (against `reference` when `isDifference`) into `values`.
    private static func decode(_ payload: borrowing [UInt8], _ bytes: Range<Int>, reference: borrowing [Double], isDifference: Bool,
                               layout: ValueCodec.Layout, into values: inout [Double],
                               wanted: Range<Int>) -> Result<(first: Int, end: ValueCodec.SeekState), FormatError> {
        var result: Result<(first: Int, end: ValueCodec.SeekState), FormatError> = .failure(FormatError("not decoded"))
        payload.withUnsafeBytes { raw in
            let chunk = UnsafeRawBufferPointer(rebasing: raw[bytes])
            values.withUnsafeMutableBufferPointer { out in
                do throws(FormatError) {
                    if isDifference {
                        result = .success(try reference.withUnsafeBufferPointer { (ref) throws(FormatError) in
                            try ValueCodec.decode(chunk, reference: ref, into: out, layout: layout, wanted: wanted)
                        })
                    } else {
                        result = .success(try ValueCodec.decode(chunk, reference: nil, into: out, layout: layout, wanted: wanted))
                    }
                } catch { result = .failure(error) }
            }
        }
        return result
    }

    /// The chunk a difference chunk is stored against: its reference series' chunk in the same window.
    /// `referenced` is the series the difference chunk names, nil when its bytes do not name one.
    private func referenceChunk(of chunk: SeriesChunk, series referenced: Int?) throws(StorageError) -> SeriesChunk {
        guard let referenced, referenced < index.seriesCount,
              let base = index.seriesChunks[referenced].first(where: { $0.column == chunk.column }) else {
            throw .corruptBlock(block: name, offset: index.frameOffsets[chunk.values.frame],
                                reason: referenced.map { "a difference chunk refers to series \($0), which has no chunk in its window" }
                                    ?? "a difference chunk does not say which series it refers to")
        }
        return base
    }

    /// The values of `base`, a chunk difference chunks are stored against, which must not itself be a difference.
    /// Cached under `cacheKey` (its location), since every bucket of a histogram shares one.
    private func reference(_ base: SeriesChunk, cacheKey: Int?, count: Int) throws(StorageError) -> [Double] {
        if let cacheKey, let cached = referenceCache.withLock({ $0.payload(cacheKey) }) { return cached }
        let reference = try withChunkBytes(base.values) { (raw) throws(FormatError) -> [Double] in
            if try ValueCodec.referencedSeries(raw) != nil {
                throw FormatError("a difference chunk refers to another difference chunk")
            }
            var out = [Double](repeating: 0, count: count)
            var failure: FormatError?
            let layout = valueLayout
            out.withUnsafeMutableBufferPointer { buffer in
                do throws(FormatError) {
                    _ = try ValueCodec.decode(raw, reference: nil, into: buffer, layout: layout, wanted: 0..<count)
                } catch { failure = error }
            }
            if let failure { throw failure }
            return out
        }
        if let cacheKey { referenceCache.withLock { $0.store(reference, for: cacheKey) } }
        return reference
    }
}

/// Decoded frames or columns of one block, the oldest entry dropped first once over a byte budget.
/// Keys below `denseKeys` (frame and column numbers) are looked up in an array, others in a dictionary:
/// hashing the keys took about 2 % of a decode-all pass.
struct RecentlyUsed<Element> {
    private var dense: [[Element]?]
    private var sparse: [Int: [Element]] = [:]
    private var order: [Int] = []
    private var bytes = 0
    let limitBytes: Int

    init(limitBytes: Int, denseKeys: Int = 0) {
        self.limitBytes = limitBytes
        dense = [[Element]?](repeating: nil, count: denseKeys)
    }

    func payload(_ key: Int) -> [Element]? {
        key >= 0 && key < dense.count ? dense[key] : sparse[key]
    }

    /// `body` over the elements of `key` read in place, nil when there are none.
    func withPayload<R>(_ key: Int, _ body: (UnsafeBufferPointer<Element>) -> R) -> R? {
        if key >= 0 && key < dense.count { return dense[key]?.withUnsafeBufferPointer(body) }
        return sparse[key]?.withUnsafeBufferPointer(body)
    }

    mutating func removeAll() {
        for key in dense.indices { dense[key] = nil }
        sparse.removeAll()
        order.removeAll()
        bytes = 0
    }

    mutating func store(_ payload: [Element], for key: Int) {
        guard self.payload(key) == nil else { return }
        replace(key, with: payload)
        order.append(key)
        bytes += payload.count * MemoryLayout<Element>.stride
        while bytes > limitBytes, order.count > 1 {
            let evicted = order.removeFirst()
            bytes -= (replace(evicted, with: nil)?.count ?? 0) * MemoryLayout<Element>.stride
        }
    }

    /// Sets the entry of `key`, returning the one it replaces.
    @discardableResult
    private mutating func replace(_ key: Int, with payload: [Element]?) -> [Element]? {
        guard key >= 0 && key < dense.count else {
            guard let payload else { return sparse.removeValue(forKey: key) }
            return sparse.updateValue(payload, forKey: key)
        }
        let old = dense[key]
        dense[key] = payload
        return old
    }
}

/// A read-only memory mapping of a whole file, unmapped when released.
final class MappedFile: @unchecked Sendable {
    // The mapping is read-only and immutable for the object's lifetime.
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws(StorageError) {
        let file = try SystemFile.openForReading(path)
        let size = try file.size()
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_SHARED, file.descriptor, 0), address != MAP_FAILED else {
            throw .io(path: path, operation: "mmap", errno: errno)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
