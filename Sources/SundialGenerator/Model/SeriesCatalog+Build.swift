extension SeriesCatalog {
    /// Builds the catalogue of one instance.
    /// - Parameters:
    ///   - options: the corpus options.
    ///   - schedule: the instance's timeline (its restarts add and retire series).
    ///   - extraLabels: labels added verbatim to every series (the OpenMetrics `instance` label).
    init(options: CorpusOptions, schedule: InstanceSchedule, extraLabels: [(String, String)] = []) {
        var builder = CatalogBuilder(options: options, schedule: schedule, extraLabels: extraLabels)
        builder.addBaseSeries()
        builder.addChurnAtRestarts()
        self = builder.finish()
    }
}

/// The mutable state of catalogue construction.
private struct CatalogBuilder {
    let options: CorpusOptions
    let schedule: InstanceSchedule
    let scale: CorpusScale
    let namespaces: [NamespaceProfile]
    let lateNamespaceIndex: Int
    let lateBirthMs: Int64
    let instanceFactor: Double
    var layout: SeriesLayoutBuilder
    var catalog = SeriesCatalog()
    var usedRPCs: Int
    var usedPersistence: [TemporalService: Int] = [:]

    init(options: CorpusOptions, schedule: InstanceSchedule, extraLabels: [(String, String)]) {
        self.options = options
        self.schedule = schedule
        scale = options.scale
        let namespaces = NamespaceCatalog.namespaces(count: scale.namespaceCount, seed: options.seed)
        self.namespaces = namespaces
        if options.lateNamespace && namespaces.count >= 3,
           let late = namespaces.indices.last(where: { !namespaces[$0].isSystem }) {
            lateNamespaceIndex = late
        } else {
            lateNamespaceIndex = -1
        }
        lateBirthMs = options.startMs + max(0, options.durationMs) / 2
        var rng = SplitMix64(seed: SplitMix64.derive(options.seed, 0x1257, UInt64(schedule.instance)))
        instanceFactor = scale.instanceCount == 1 ? 1 : (0.85 + 0.3 * rng.nextUnitDouble()) / Double(scale.instanceCount)
        layout = SeriesLayoutBuilder(
            naming: options.naming, extraLabels: extraLabels, bucketBoundsSeconds: scale.latencyBucketsSeconds
        )
        catalog.boundsSeconds = scale.latencyBucketsSeconds
        catalog.namespaces = namespaces
        usedRPCs = min(scale.serviceOperationCount, OperationCatalog.rpcs.count)
    }

    // MARK: Series of the configured scale

    mutating func addBaseSeries() {
        for service in TemporalService.allCases {
            addProcessGauges(service)
        }
        for profile in OperationCatalog.rpcs.prefix(usedRPCs) {
            addRPC(profile, birthMs: .min)
        }
        for service in scale.persistenceServices {
            let profiles = OperationCatalog.persistence(of: service)
            let count = min(scale.persistenceOperationCount, profiles.count)
            usedPersistence[service] = count
            for profile in profiles.prefix(count) {
                addPersistence(profile, service: service, birthMs: .min)
            }
        }
        for (index, namespace) in namespaces.enumerated() {
            for workflow in NamespaceCatalog.workflows(of: namespace, count: scale.workflowTypesPerNamespace) {
                addWorkflowGroup(namespaceIndex: index, type: workflow.type, taskQueue: workflow.taskQueue, birthMs: .min)
            }
        }
    }

    /// When the namespace's series may start: half-way for the late namespace, else always.
    func birth(_ birthMs: Int64, namespaceIndex: Int) -> Int64 {
        namespaceIndex == lateNamespaceIndex ? max(birthMs, lateBirthMs) : birthMs
    }

    mutating func addRPC(_ profile: RPCProfile, birthMs: Int64) {
        let targets: [(String, Int)] = profile.namespaced
            ? namespaces.enumerated().map { ($0.element.name, $0.offset) } : [("_unknown_", -1)]
        for (namespace, index) in targets {
            let weight = index >= 0 ? namespaces[index].weight : 1
            var incidentKinds: [(ErrorKind, Double)] = [(.unavailable, 5e-7), (.deadlineExceeded, 3e-7)]
            if profile.service == .frontend { incidentKinds.append((.resourceExhausted, 1e-6)) }
            addStream(
                isPersistence: false, service: profile.service, operation: profile.operation, namespace: namespace,
                namespaceIndex: index, rate: profile.rate * weight, medianMs: profile.medianMs, sigma: profile.sigma,
                errors: profile.errors, incidentErrors: incidentKinds, birthMs: birth(birthMs, namespaceIndex: index)
            )
        }
    }

    mutating func addPersistence(_ profile: PersistenceProfile, service: TemporalService, birthMs: Int64) {
        var targets: [(String, Int)]
        switch profile.caller {
        case .system: targets = [("system", -1)]
        case .unknown: targets = [("_unknown_", -1)]
        case .namespace:
            let count = min(scale.persistenceCallerNamespaceCount, namespaces.count)
            targets = (0..<count).map { (namespaces[$0].name, $0) }
        }
        for (namespace, index) in targets {
            let weight = index >= 0 ? namespaces[index].weight : 1
            addStream(
                isPersistence: true, service: service, operation: profile.operation, namespace: namespace,
                namespaceIndex: index, rate: profile.rate * weight, medianMs: profile.medianMs, sigma: profile.sigma,
                errors: profile.errors, incidentErrors: [(.persistenceTimeout, 3e-6), (.unavailable, 3e-7)],
                birthMs: birth(birthMs, namespaceIndex: index)
            )
        }
    }

    mutating func addStream(
        isPersistence: Bool, service: TemporalService, operation: String, namespace: String, namespaceIndex: Int,
        rate: Double, medianMs: Double, sigma: Double, errors: [(ErrorKind, Double)],
        incidentErrors: [(ErrorKind, Double)], birthMs: Int64
    ) {
        let identity = "\(isPersistence ? "persistence" : "rpc")|\(service.rawValue)|\(operation)|\(namespace)"
        let seed = SplitMix64.derive(options.seed, SeriesCatalog.identity(identity))
        var rng = Xoshiro256StarStar(seed: seed)
        let labels = [("namespace", namespace), ("operation", operation), ("service_name", service.rawValue)]
        let requests = layout.add(isPersistence ? .persistenceRequests : .serviceRequests, labels)
        let unexpected = layout.add(isPersistence ? .persistenceErrors : .serviceErrors, labels)
        let histogram = layout.add(isPersistence ? .persistenceLatency : .serviceLatency, labels)
        let errorFamily: MetricFamily = isPersistence ? .persistenceErrorWithType : .serviceErrorWithType
        let channelStart = catalog.channels.count
        var kinds = errors.map { ($0.0, $0.1 * rng.nextLognormal(mu: 0, sigma: 0.5)) }
        for (kind, p) in incidentErrors where !kinds.contains(where: { $0.0 == kind }) {
            kinds.append((kind, p))
        }
        for (kind, probability) in kinds {
            let counter = layout.add(errorFamily, labels + [("error_type", kind.goTypeName)])
            catalog.channels.append(ErrorChannel(counter: counter, kind: kind, probability: probability))
        }
        let mu = DeterministicMath.log(medianMs / 1000) + 0.2 * rng.nextNormal()
        let spread = sigma * (0.9 + 0.2 * rng.nextUnitDouble())
        let tables = SeriesCatalog.bucketTables(mu: mu, sigma: spread, bounds: scale.latencyBucketsSeconds)
        catalog.normalSplits += tables.splits
        catalog.normalMeans += tables.means
        let diurnal = diurnalShape(namespaceIndex: namespaceIndex)
        catalog.streams.append(RequestStream(
            seed: seed, isPersistence: isPersistence, service: service, namespaceIndex: namespaceIndex,
            requestsCounter: requests, unexpectedCounter: unexpected, histogram: histogram,
            channels: channelStart..<catalog.channels.count,
            ratePerSecond: max(0.0005, rate * SeriesCatalog.trafficFactor * instanceFactor * rng.nextLognormal(mu: 0, sigma: 0.35)),
            diurnalAmplitude: diurnal.amplitude, diurnalPhase: diurnal.phase, mu: mu, sigma: spread,
            meanLatencySeconds: DeterministicMath.exp(mu + spread * spread / 2),
            birthMs: birthMs, deathMs: .max
        ))
    }

    /// Each namespace has its own day: an amplitude of 25–55 % and a phase (its users' time zone).
    func diurnalShape(namespaceIndex: Int) -> (amplitude: Double, phase: Double) {
        let name = namespaceIndex >= 0 ? namespaces[namespaceIndex].name : "system"
        var rng = SplitMix64(seed: SplitMix64.derive(options.seed, SeriesCatalog.identity("diurnal|" + name)))
        return (0.25 + 0.3 * rng.nextUnitDouble(), 2 * Double.pi * rng.nextUnitDouble())
    }

    mutating func addWorkflowGroup(namespaceIndex: Int, type: String, taskQueue: String, birthMs: Int64) {
        let namespace = namespaces[namespaceIndex]
        let seed = SplitMix64.derive(options.seed, SeriesCatalog.identity("workflow|\(namespace.name)|\(taskQueue)|\(type)"))
        var rng = Xoshiro256StarStar(seed: seed)
        let labels = [
            ("namespace", namespace.name), ("namespace_state", "active"), ("operation", "CompletionStats"),
            ("service_name", "history"), ("taskqueue", taskQueue), ("workflowType", type),
        ]
        let counters = MetricFamily.workflowOutcomes.map { layout.add($0, labels) }
        var weights = [0.965, 0.02, 0.004, 0.003, 0.008]
        for k in 1..<weights.count { weights[k] *= rng.nextLognormal(mu: 0, sigma: 0.5) }
        let total = weights.reduce(0, +)
        let share = 15.0 * namespace.weight / Double(max(1, scale.workflowTypesPerNamespace))
        let rate = namespace.isSystem ? 0.002 : share * rng.nextLognormal(mu: 0, sigma: 0.5)
        let diurnal = diurnalShape(namespaceIndex: namespaceIndex)
        catalog.groups.append(WorkflowGroup(
            seed: seed, namespaceIndex: namespaceIndex, counters: counters,
            outcomeProbabilities: weights.map { $0 / total }, ratePerSecond: rate * instanceFactor,
            diurnalAmplitude: diurnal.amplitude, diurnalPhase: diurnal.phase,
            birthMs: birth(birthMs, namespaceIndex: namespaceIndex), deathMs: .max
        ))
    }

    mutating func addProcessGauges(_ service: TemporalService) {
        let labels = [("service_name", service.rawValue)]
        let heap = layout.add(.memoryHeap, labels)
        let goroutines = layout.add(.numGoroutines, labels)
        let pending = layout.add(.servicePendingRequests, labels)
        let restarts = layout.add(.restarts, labels)
        let base: (Double, Double) = switch service {
        case .frontend: (350, 90e6)
        case .history: (1200, 420e6)
        case .matching: (500, 150e6)
        }
        catalog.gauges.append(ProcessGauges(
            service: service, goroutines: goroutines, heap: heap, pending: pending, restartsCounter: restarts,
            baseGoroutines: base.0, baseHeapBytes: base.1
        ))
    }

    // MARK: Churn

    /// At each restart about 4 % of namespace series are never called again, the next unused operations
    /// start being called, and some namespaces deploy a new workflow version: series that disappear and
    /// series that appear, as on a real server after a restart.
    mutating func addChurnAtRestarts() {
        for (k, restart) in schedule.restarts.enumerated() {
            let at = restart.processStartMs
            let churnSeed = SplitMix64.derive(schedule.seed, 0xC4_0A17, UInt64(k))
            for i in catalog.streams.indices where catalog.streams[i].namespaceIndex >= 0 {
                let stream = catalog.streams[i]
                guard stream.birthMs < at && stream.deathMs > at else { continue }
                var rng = SplitMix64(seed: SplitMix64.derive(churnSeed, stream.seed))
                if rng.nextUnitDouble() < 0.04 { catalog.streams[i].deathMs = at }
            }
            for i in catalog.groups.indices {
                let group = catalog.groups[i]
                guard group.birthMs < at && group.deathMs > at else { continue }
                var rng = SplitMix64(seed: SplitMix64.derive(churnSeed, group.seed))
                if rng.nextUnitDouble() < 0.04 { catalog.groups[i].deathMs = at }
            }
            if usedRPCs < OperationCatalog.rpcs.count {
                addRPC(OperationCatalog.rpcs[usedRPCs], birthMs: at)
                usedRPCs += 1
            }
            for service in scale.persistenceServices {
                let profiles = OperationCatalog.persistence(of: service)
                let used = usedPersistence[service] ?? 0
                if used < profiles.count && scale.persistenceOperationCount > 0 {
                    addPersistence(profiles[used], service: service, birthMs: at)
                    usedPersistence[service] = used + 1
                }
            }
            var rng = SplitMix64(seed: SplitMix64.derive(churnSeed, 0x7E45_10))
            for (index, namespace) in namespaces.enumerated() where !namespace.isSystem {
                guard rng.nextUnitDouble() < 0.35, scale.workflowTypesPerNamespace > 0 else { continue }
                let base = namespace.workflows[Int(rng.nextInt(below: UInt64(min(namespace.workflows.count, scale.workflowTypesPerNamespace))))]
                addWorkflowGroup(namespaceIndex: index, type: "\(base.type)V\(k + 2)", taskQueue: base.taskQueue, birthMs: at)
            }
        }
    }

    // MARK: Finish

    mutating func finish() -> SeriesCatalog {
        catalog.layout = layout.build()
        catalog.counterCount = Int(layout.counterCount)
        catalog.gaugeCount = Int(layout.gaugeCount)
        catalog.histogramCount = Int(layout.histogramCount)
        catalog.expectedSeriesAtEnd = expectedSeriesAtEnd()
        return catalog
    }

    /// Expected sample lines in the last answered scrape: each counter or histogram is there once it has
    /// been incremented since the process started (probability 1 - e^-expected count).
    func expectedSeriesAtEnd() -> Double {
        var last = schedule.scrapeCount - 1
        while last > 0 && schedule.isMissing(last) { last -= 1 }
        guard last >= 0 else { return 0 }
        let endMs = schedule.timestampMs(last)
        let processStart = schedule.processStartMs(forScrape: last)
        func seconds(birth: Int64, death: Int64) -> Double {
            guard death > endMs, birth <= endMs else { return 0 }
            return Double(endMs - max(birth, processStart)) / 1000
        }
        func present(_ expected: Double) -> Double { 1 - DeterministicMath.exp(-expected) }
        var total = Double(catalog.gauges.count * 4)
        for stream in catalog.streams {
            let calls = stream.ratePerSecond * seconds(birth: stream.birthMs, death: stream.deathMs)
            guard calls > 0 else { continue }
            total += present(calls) * Double(1 + catalog.linesPerHistogram)
            var unexpected = 0.0
            for channel in catalog.channels[stream.channels] {
                total += present(calls * channel.probability)
                if channel.kind.isUnexpected { unexpected += channel.probability }
            }
            total += present(calls * unexpected)
        }
        for group in catalog.groups {
            let completions = group.ratePerSecond * seconds(birth: group.birthMs, death: group.deathMs)
            for p in group.outcomeProbabilities { total += present(completions * p) }
        }
        return total
    }
}
