/// One answered scrape: what `GET /metrics` returned at a moment.
public struct TemporalScrape: Sendable {
    /// The scrape's index in the corpus (`0 ..< scrapeCount`).
    public let index: Int
    /// The server instance scraped (0-based).
    public let instance: Int
    /// Unix ms of the scrape.
    public let timestampMs: Int64
    /// The Prometheus text (0.0.4) body, without timestamps.
    public let text: [UInt8]
}

/// Generates the scrapes of one instance in order, keeping the cumulative state between them.
///
/// This is the fast way through a corpus: each scrape costs one state update and one render. Failed
/// scrapes (the server was restarting) are skipped, so indices can jump.
///
/// ```swift
/// var scrapes = corpus.makeIterator()
/// var body: [UInt8] = []
/// while let (index, timestampMs) = scrapes.nextScrape(replacing: &body) {
///     try write(body, to: "scrape-\(timestampMs).prom")   // `index` counts failed scrapes too
/// }
/// ```
public struct TemporalScrapeIterator: IteratorProtocol, Sendable {
    private var engine: ScrapeEngine
    private let scrapeCount: Int
    /// Bytes of the largest scrape so far, to size the next buffer in one allocation.
    private var largestScrape = 0

    init(engine: ScrapeEngine, scrapeCount: Int) {
        self.engine = engine
        self.scrapeCount = scrapeCount
    }

    /// The instance this iterator generates.
    public var instance: Int { engine.schedule.instance }

    /// The index of the next scrape to be considered (answered or not).
    public var nextIndex: Int { engine.nextIndex }

    /// Returns the next answered scrape, or `nil` after the last.
    public mutating func next() -> TemporalScrape? {
        var text: [UInt8] = []
        guard let (index, timestampMs) = nextScrape(replacing: &text) else { return nil }
        return TemporalScrape(index: index, instance: instance, timestampMs: timestampMs, text: text)
    }

    /// Generates the next answered scrape into `buffer` (emptied first, capacity kept), avoiding a new
    /// allocation per scrape.
    /// - Parameter buffer: receives the Prometheus text body.
    /// - Returns: the scrape's index and Unix ms timestamp, or `nil` after the last scrape.
    public mutating func nextScrape(replacing buffer: inout [UInt8]) -> (index: Int, timestampMs: Int64)? {
        guard let index = advanceToNextAnswered() else { return nil }
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(largestScrape + largestScrape / 8)
        var noHeaders: [Bool]? = nil
        engine.render(into: &buffer, timestampSuffix: nil, headerWritten: &noHeaders)
        largestScrape = max(largestScrape, buffer.count)
        return (index, engine.schedule.timestampMs(index))
    }

    /// Advances the state past every scrape before `index` without rendering them (no-op if already there).
    /// - Parameter index: the next scrape to consider.
    public mutating func skip(to index: Int) {
        while engine.nextIndex < min(index, scrapeCount) {
            _ = engine.step()
        }
    }

    /// Steps to the next answered scrape; returns its index.
    mutating func advanceToNextAnswered() -> Int? {
        while engine.nextIndex < scrapeCount {
            let index = engine.nextIndex
            if engine.step() { return index }
        }
        return nil
    }

    /// Renders the current state as OpenMetrics sample lines with a timestamp suffix.
    func renderOpenMetrics(into buffer: inout [UInt8], timestampSuffix: [UInt8], headerWritten: inout [Bool]?) {
        engine.render(into: &buffer, timestampSuffix: timestampSuffix, headerWritten: &headerWritten)
    }
}
