import ArgumentParser
import Foundation
import Gateway
import Logging
import MailModel
import Store

/// `postdesk deliver --config FILE < mail`: for an MTA's pipe transport (Postfix `pipe`, a
/// `.forward`, procmail). Exit 0 when the mail is recorded (a quarantined mail included), 75
/// (EX_TEMPFAIL) on a temporary failure so that the MTA keeps the mail and tries again.
struct DeliverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver", abstract: "Take in one mail from standard input (for an MTA pipe).")

    static let exitTemporaryFailure: Int32 = 75

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let config: PostdeskConfig
        do { config = try options.load() } catch {
            FileHandle.standardError.write(Data("postdesk deliver: \(error)\n".utf8))
            throw ExitCode(Self.exitTemporaryFailure)
        }
        LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let logger = Logger(label: "postdesk.deliver")
        do {
            let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            guard !bytes.isEmpty else {
                FileHandle.standardError.write(Data("postdesk deliver: no mail on standard input\n".utf8))
                throw ExitCode(Self.exitTemporaryFailure)
            }
            let app = try PostdeskApp(config: config, logger: logger)
            let key = BlobStore.sha256(bytes)
            let results = try await app.ingestor.ingest([
                RawMail(locator: MailLocator(source: "deliver", uidValidity: nil, key: key), bytes: bytes)
            ])
            if let result = results.first {
                print("\(result.outcome.rawValue)\(result.ticketRef.map { " \($0)" } ?? "")")
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            logger.error("delivery failed, the MTA will retry", metadata: ["error": "\(error)"])
            throw ExitCode(Self.exitTemporaryFailure)
        }
    }
}
