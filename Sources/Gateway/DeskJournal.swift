/// What the ticket desk did inside one transaction that the caller reports once it has committed:
/// automated mail the gate stopped, for a log line at info.
final class DeskJournal {
    /// One line per suppressed mail: kind, recipient and the gate's reason.
    var suppressed: [String] = []
}
