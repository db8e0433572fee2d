import ArgumentParser
import Sundial

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show where each block's bytes go: timestamp columns, value codecs, index, LZ4 savings.",
        discussion: "Example: sundial inspect --store ./sundial-data")

    @OptionGroup var location: StoreLocation

    func run() throws {
        let store = try location.open(writable: false)
        for block in try store.composition() { print(block) }
    }
}
