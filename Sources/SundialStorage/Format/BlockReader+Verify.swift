extension BlockReader {
    /// Reads every frame and decodes every chunk: what `sundial check` runs. Besides the layout, the
    /// series' order, the chunk summaries and the timestamps, it checks every seek point
    /// (``ValueCodec/checkSeekPoints(_:reference:values:layout:)``).
    func verify() throws(StorageError) {
        var ts: [Int64] = []
        var vs: [Double] = []
        for frame in index.frameOffsets.indices { _ = try framePayload(frame) }
        try verifyLayout()
        for id in index.seriesLabels.indices.dropFirst() where !(index.labels(ofSeries: id - 1) < index.labels(ofSeries: id)) {
            throw .corruptBlock(block: name, offset: indexOffset, reason: "the index's series are not in label order at series \(id)")
        }
        for chunks in index.seriesChunks {
            var previousMax = Int64.min
            for chunk in chunks {
                var memo = ChunkReadMemo()
                _ = try decode(chunk, from: .min, through: .max, timestamps: &ts, values: &vs, memo: &memo)
                // A writer never makes an empty chunk, and an empty one leaves nothing decoded to check below.
                guard !ts.isEmpty else {
                    throw .corruptBlock(block: name, offset: indexOffset, reason: "a chunk's timestamp column holds no samples")
                }
                if let summary = chunk.summary, summary != vs.withUnsafeBufferPointer({ ChunkValueSummary($0) }) {
                    throw .corruptBlock(block: name, offset: indexOffset, reason: "a chunk summary in the index does not match the chunk's values")
                }
                try verifySeekPoints(chunk, values: vs, memo: memo)
                for i in ts.indices.dropFirst() where ts[i] <= ts[i - 1] {
                    throw .corruptBlock(block: name, offset: 0, reason: "timestamps are not increasing inside a chunk")
                }
                if let first = ts.first, first <= previousMax {
                    throw .corruptBlock(block: name, offset: 0, reason: "chunks of a series overlap")
                }
                previousMax = ts.last ?? previousMax
            }
        }
    }

    /// Checks a chunk's seek points against `values`, the chunk decoded from its start through `memo`, which
    /// holds its frame and reference (``ValueCodec/checkSeekPoints(_:reference:values:layout:)``).
    func verifySeekPoints(_ chunk: SeriesChunk, values: [Double], memo: ChunkReadMemo) throws(StorageError) {
        let location = chunk.values
        let layout = valueLayout
        let isDifference = memo.payload[location.offset] == ValueCodec.Kind.difference.rawValue
        do throws(FormatError) {
            try withBytes(memo.payload) { (raw) throws(FormatError) in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[location.offset..<(location.offset + location.length)])
                try values.withUnsafeBufferPointer { (decoded) throws(FormatError) in
                    guard isDifference else {
                        try ValueCodec.checkSeekPoints(bytes, reference: nil, values: decoded, layout: layout)
                        return
                    }
                    try memo.reference.withUnsafeBufferPointer { (referenced) throws(FormatError) in
                        try ValueCodec.checkSeekPoints(bytes, reference: referenced, values: decoded, layout: layout)
                    }
                }
            }
        } catch {
            throw .corruptBlock(block: name, offset: index.frameOffsets[location.frame],
                                reason: "chunk at offset \(location.offset) of frame \(location.frame): \(error.message)")
        }
    }
}
