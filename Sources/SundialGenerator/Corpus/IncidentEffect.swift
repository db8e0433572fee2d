/// What an incident does to one request stream: a latency factor and extra error probabilities.
///
/// Which streams an incident touches, and how hard, is decided by a hash of the incident's and the
/// stream's seeds, so it is the same at every scrape of the window.
struct IncidentEffect: Sendable {
    var latencyFactor = 1.0
    var extraUnavailable = 0.0
    var extraDeadlineExceeded = 0.0
    var extraResourceExhausted = 0.0
    var extraTimeout = 0.0

    static let none = IncidentEffect()

    init() {}

    init(incident: IncidentWindow, stream: RequestStream) {
        var rng = SplitMix64(seed: SplitMix64.mix(incident.seed ^ stream.seed))
        let touched = rng.nextUnitDouble()
        let spread = 0.6 + 0.8 * rng.nextUnitDouble()
        let s = incident.severity
        switch incident.kind {
        case .persistenceSlowdown:
            if stream.isPersistence {
                guard touched < 0.6 else { return }
                latencyFactor = (3 + 12 * s) * spread
                extraTimeout = 0.02 * s
                extraUnavailable = 0.006 * s
            } else {
                guard stream.service != .matching, touched < 0.5 else { return }
                latencyFactor = max(1.2, (1.5 + 3 * s) * spread)
                extraUnavailable = 0.004 * s
                extraDeadlineExceeded = 0.002 * s
            }
        case .namespaceRateLimited:
            guard !stream.isPersistence, stream.service == .frontend,
                  stream.namespaceIndex == incident.namespaceIndex else { return }
            latencyFactor = 1.3
            extraResourceExhausted = 0.05 + 0.25 * s
        }
    }

    /// The probability added to the normal share of requests failing with `kind`.
    func extraErrorProbability(_ kind: ErrorKind) -> Double {
        switch kind {
        case .unavailable: extraUnavailable
        case .deadlineExceeded: extraDeadlineExceeded
        case .resourceExhausted: extraResourceExhausted
        case .persistenceTimeout: extraTimeout
        default: 0
        }
    }
}
