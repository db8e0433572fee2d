/// A namespace of the modelled cluster: its name, its share of the traffic, its workflow types.
struct NamespaceProfile: Sendable {
    /// The raw name (`search-indexing`); tally exposes it sanitised (`search_indexing`).
    let name: String
    /// Traffic relative to `default`.
    let weight: Double
    /// (workflow type, task queue) pairs, most used first.
    let workflows: [(type: String, taskQueue: String)]
    /// Whether this is `temporal-system`, whose workflows are the server's own scanners (low, steady traffic).
    var isSystem: Bool { name == "temporal-system" }
}

/// The namespaces the corpus draws from, in the order ``CorpusScale/namespaceCount`` takes them.
enum NamespaceCatalog {
    private static let known: [NamespaceProfile] = [
        NamespaceProfile(name: "default", weight: 1.0, workflows: [
            ("HelloWorkflow", "hello-world"), ("MoneyTransferWorkflow", "money-transfer"),
            ("GreetingWorkflow", "hello-world"), ("ScheduledReportWorkflow", "reports"),
        ]),
        NamespaceProfile(name: "orders", weight: 3.0, workflows: [
            ("OrderWorkflow", "orders"), ("ShipmentWorkflow", "orders-shipping"),
            ("RefundWorkflow", "orders.refunds"), ("CartAbandonmentWorkflow", "orders"),
        ]),
        NamespaceProfile(name: "payments", weight: 1.5, workflows: [
            ("PaymentWorkflow", "payments-v2"), ("SettlementWorkflow", "payments.settlement"),
            ("ChargebackWorkflow", "payments-v2"), ("PayoutWorkflow", "payments.payouts"),
        ]),
        NamespaceProfile(name: "search-indexing", weight: 0.8, workflows: [
            ("IndexDocumentWorkflow", "indexer"), ("ReindexWorkflow", "indexer-bulk"),
            ("CompactIndexWorkflow", "indexer-bulk"), ("BackfillWorkflow", "indexer-backfill"),
        ]),
        NamespaceProfile(name: "temporal-system", weight: 0.1, workflows: [
            ("temporal-sys-history-scanner-workflow", "temporal-sys-history-scanner-taskqueue-0"),
            ("temporal-sys-tq-scanner-workflow", "temporal-sys-tq-scanner-taskqueue-0"),
            ("temporal-sys-batcher-workflow", "temporal-sys-batcher-taskqueue"),
            ("temporal-sys-delete-namespace-workflow", "temporal-sys-delete-namespace-activity-tq"),
        ]),
        NamespaceProfile(name: "billing", weight: 0.6, workflows: [
            ("InvoiceWorkflow", "billing"), ("SubscriptionRenewalWorkflow", "billing-cron"),
            ("DunningWorkflow", "billing"), ("UsageRollupWorkflow", "billing-cron"),
        ]),
        NamespaceProfile(name: "notifications", weight: 2.0, workflows: [
            ("SendEmailWorkflow", "notify-email"), ("SendPushWorkflow", "notify-push"),
            ("DigestWorkflow", "notify-email"), ("SendSmsWorkflow", "notify-sms"),
        ]),
        NamespaceProfile(name: "ml-pipeline", weight: 0.5, workflows: [
            ("TrainModelWorkflow", "gpu-workers"), ("FeatureBackfillWorkflow", "cpu-workers"),
            ("EvaluateModelWorkflow", "gpu-workers"), ("ExportModelWorkflow", "cpu-workers"),
        ]),
        NamespaceProfile(name: "reporting", weight: 0.3, workflows: [
            ("DailyReportWorkflow", "reports"), ("ExportCsvWorkflow", "reports.exports"),
            ("WeeklyDigestWorkflow", "reports"), ("AuditTrailWorkflow", "reports.audit"),
        ]),
        NamespaceProfile(name: "inventory", weight: 1.2, workflows: [
            ("ReserveStockWorkflow", "inventory"), ("RestockWorkflow", "inventory-sync"),
            ("StockAuditWorkflow", "inventory-sync"), ("PriceUpdateWorkflow", "inventory"),
        ]),
    ]

    /// The first `count` namespaces; beyond the named ten they are `tenant-11`, `tenant-12`, … with seeded weights.
    static func namespaces(count: Int, seed: UInt64) -> [NamespaceProfile] {
        (0..<max(1, count)).map { index in
            if index < known.count { return known[index] }
            let number = index + 1
            var rng = SplitMix64(seed: SplitMix64.derive(seed, 0x7E4A_17, UInt64(number)))
            let weight = 0.2 + 1.3 * rng.nextUnitDouble()
            let workflows = (1...4).map { k in (type: "Tenant\(number)Workflow\(k)", taskQueue: "tenant-\(number)-tq-\(k)") }
            return NamespaceProfile(name: "tenant-\(number)", weight: weight, workflows: workflows)
        }
    }

    /// The task queue and workflow type names of the completion counters of one namespace.
    static func workflows(of namespace: NamespaceProfile, count: Int) -> [(type: String, taskQueue: String)] {
        (0..<count).map { k in
            if k < namespace.workflows.count { return namespace.workflows[k] }
            let base = namespace.workflows[k % namespace.workflows.count]
            return (type: "\(base.type)\(k + 1)", taskQueue: base.taskQueue)
        }
    }
}
