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
                try decode(chunk, timestamps: &ts, values: &vs)
                if let summary = chunk.summary, summary != vs.withUnsafeBufferPointer({ ChunkValueSummary($0) }) {
                    throw .corruptBlock(block: name, offset: indexOffset, reason: "a chunk summary in the index does not match the chunk's values")
                }
                try verifySeekPoints(chunk, values: vs)
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

    /// Checks a chunk's seek points against `values`, the chunk decoded from its start
    /// (``ValueCodec/checkSeekPoints(_:reference:values:layout:)``).
    func verifySeekPoints(_ chunk: SeriesChunk, values: [Double]) throws(StorageError) {
        let count = values.count
        let layout = valueLayout
        let payload = try framePayload(chunk.values.frame)
        // The reference is the one the whole decode just used (cached); a damaged one failed it already.
        let reference = payload[chunk.values.offset] == ValueCodec.Kind.difference.rawValue
            ? try referenceValues(of: chunk, in: payload, count: count) : nil
        try withChunkBytes(chunk.values) { (raw) throws(FormatError) in
            try values.withUnsafeBufferPointer { (decoded) throws(FormatError) in
                guard let reference else {
                    try ValueCodec.checkSeekPoints(raw, reference: nil, values: decoded, layout: layout)
                    return
                }
                try reference.withUnsafeBufferPointer { (referenced) throws(FormatError) in
                    try ValueCodec.checkSeekPoints(raw, reference: referenced, values: decoded, layout: layout)
                }
            }
        }
    }
}
