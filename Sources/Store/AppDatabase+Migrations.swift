import GRDB

extension AppDatabase {
    /// The schema's history. A migration that has shipped is never edited: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 tickets and inbound mail") { db in
            try db.create(table: "customer") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("email", .text).notNull().unique().collate(.nocase)
                t.column("name", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "ticket") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("ref", .text).notNull().unique()
                t.belongsTo("customer", onDelete: .restrict).notNull()
                t.column("subject", .text).notNull()
                t.column("status", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("assignee", .text)
                t.column("source", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull().indexed()
                t.column("resolvedAt", .datetime)
                t.column("resolution", .text)
                t.column("csatRating", .integer)
                t.column("csatComment", .text)
            }
            try db.create(table: "inboundMail") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("source", .text).notNull()
                t.column("uidValidity", .integer)
                t.column("sourceKey", .text).notNull()
                t.column("sha256", .text).notNull().unique()
                t.column("messageId", .text).indexed()
                t.column("outcome", .text).notNull()
                t.column("reason", .text)
                t.belongsTo("ticket", onDelete: .setNull)
                t.column("rawPath", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("receivedAt", .datetime).notNull()
            }
            try db.create(
                index: "inboundMail_on_locator", on: "inboundMail", columns: ["source", "uidValidity", "sourceKey"])
            try db.create(table: "message") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("ticket", onDelete: .cascade).notNull()
                t.column("kind", .text).notNull()
                t.column("visibility", .text).notNull()
                t.column("authorEmail", .text)
                t.column("authorName", .text)
                t.column("text", .text).notNull()
                t.column("visibleText", .text).notNull()
                t.column("html", .text)
                t.column("messageId", .text).indexed()
                t.column("inReplyTo", .text)
                t.column("references", .text)
                t.belongsTo("inboundMail", onDelete: .setNull)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(table: "attachment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("message", onDelete: .cascade).notNull()
                t.column("filename", .text)
                t.column("contentType", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("sha256", .text).notNull()
                t.column("isInline", .boolean).notNull()
                t.column("contentId", .text)
            }
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.belongsTo("ticket", onDelete: .cascade)
                t.column("recipient", .text).notNull()
                t.column("messageId", .text).notNull().unique()
                t.column("inReplyTo", .text)
                t.column("context", .text).notNull()
                t.column("state", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("nextAttemptAt", .datetime).notNull()
                t.column("lastError", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("sentAt", .datetime)
            }
            try db.create(index: "outbox_on_due", on: "outbox", columns: ["state", "nextAttemptAt"])
            try db.create(table: "mailboxState") { t in
                t.primaryKey("source", .text)
                t.column("uidValidity", .integer)
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.belongsTo("ticket", onDelete: .cascade)
                t.column("detail", .text)
            }
        }
        migrator.registerMigration("v2 linked tickets and undeliverable addresses") { db in
            try db.alter(table: "ticket") { t in
                // A ticket opened by a reply to a closed one names the closed one here.
                t.add(column: "followUpOf", .text)
            }
            try db.create(table: "suppression") { t in
                t.primaryKey("address", .text).collate(.nocase)
                t.column("reason", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("until", .datetime).notNull()
            }
        }
        migrator.registerMigration("v3 outbox threading and automation") { db in
            try db.alter(table: "outbox") { t in
                // The References ids of the mail, space-separated, oldest first.
                t.add(column: "references", .text)
                // Automated mail (confirmations, notices) passes the gate; a person's reply is not automated.
                t.add(column: "automated", .boolean).notNull().defaults(to: true)
            }
            try db.create(index: "outbox_on_recipient", on: "outbox", columns: ["recipient", "createdAt"])
        }
        migrator.registerMigration("v4 access tokens") { db in
            try db.create(table: "accessToken") { t in
                t.autoIncrementedPrimaryKey("id")
                // Only the SHA-256 of a token is kept: the token itself exists in the mail alone.
                t.column("tokenHash", .text).notNull().unique()
                t.belongsTo("customer", onDelete: .cascade).notNull()
                t.belongsTo("ticket", onDelete: .cascade)
                t.column("purpose", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("usedAt", .datetime)
            }
        }
        migrator.registerMigration("v5 portal sessions and requests") { db in
            try db.create(table: "portalSession") { t in
                t.autoIncrementedPrimaryKey("id")
                // Only the SHA-256 of the session id in the cookie is kept.
                t.column("tokenHash", .text).notNull().unique()
                t.belongsTo("customer", onDelete: .cascade).notNull()
                // A session opened from a ticket link sees that ticket only.
                t.belongsTo("ticket", onDelete: .cascade)
                t.column("createdAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
            }
            try db.create(table: "portalRequest") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("customer", onDelete: .cascade).notNull()
                t.column("subject", .text).notNull()
                t.column("text", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                // The ticket it became, once the address was proven.
                t.column("ticketRef", .text)
            }
            try db.alter(table: "accessToken") { t in
                // A sign-in link that also confirms a request made without signing in.
                t.add(column: "requestId", .integer).references("portalRequest", onDelete: .cascade)
            }
            try db.create(index: "ticket_on_customer_updated", on: "ticket", columns: ["customerId", "updatedAt"])
            try db.create(index: "message_on_ticket_visibility", on: "message", columns: ["ticketId", "visibility", "id"])
        }
        migrator.registerMigration("v6 portal generation") { db in
            // A counter that every change customers could see in the portal moves forward, whichever
            // process makes it: the portal keeps pages and sessions in memory while it stands still.
            try db.execute(
                sql: """
                    CREATE TABLE portalGeneration (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
                    INSERT INTO portalGeneration (id, n) VALUES (1, 0);
                    """)
            let watched = [
                ("ticket", "INSERT"), ("ticket", "UPDATE"), ("ticket", "DELETE"), ("message", "INSERT"),
                ("message", "UPDATE"), ("message", "DELETE"), ("customer", "UPDATE"), ("customer", "DELETE"),
                ("portalSession", "UPDATE"), ("portalSession", "DELETE"),
            ]
            for (table, change) in watched {
                try db.execute(
                    sql: """
                        CREATE TRIGGER portalGeneration_\(table)_\(change.lowercased()) AFTER \(change) ON \(table)
                        BEGIN UPDATE portalGeneration SET n = n + 1; END
                        """)
            }
        }
        migrator.registerMigration("v7 participants and what customers see") { db in
            // Who takes part in a ticket: its customer, the people on the first mail, people added later, agents.
            try db.create(table: "participant") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("ticket", onDelete: .cascade).notNull()
                t.column("email", .text).notNull().collate(.nocase)
                t.column("name", .text)
                t.column("role", .text).notNull()
                // Who added them: "first-mail", a customer's or an agent's address.
                t.column("addedBy", .text)
                t.column("createdAt", .datetime).notNull()
                t.uniqueKey(["ticketId", "email"])
            }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO participant (ticketId, email, name, role, addedBy, createdAt)
                    SELECT t.id, c.email, c.name, 'customer', 'first-mail', t.createdAt
                    FROM ticket t JOIN customer c ON c.id = t.customerId;
                    INSERT OR IGNORE INTO participant (ticketId, email, name, role, addedBy, createdAt)
                    SELECT ticketId, authorEmail, authorName, CASE kind WHEN 'customer' THEN 'cc' ELSE 'agent' END,
                           'earlier mail', MIN(createdAt)
                    FROM message WHERE authorEmail IS NOT NULL AND kind IN ('customer', 'agent', 'note')
                    GROUP BY ticketId, authorEmail COLLATE NOCASE;
                    """)
            try db.alter(table: "ticket") { t in
                // The ticket a stranger's mail referred to, when that mail opened this one instead.
                t.add(column: "relatedTo", .text)
            }
            try db.alter(table: "message") { t in
                // The author's whole mail when it differs from what the customer was sent: agents only.
                t.add(column: "fullText", .text)
                t.add(column: "fullHtml", .text)
            }
            try db.alter(table: "attachment") { t in
                // Files that came with an agent's mail were not sent to the customer: agents only.
                t.add(column: "isInternal", .boolean).notNull().defaults(to: false)
            }
            try db.alter(table: "outbox") { t in
                // Further recipients in Cc, one address a line.
                t.add(column: "cc", .text)
            }
            // The automated-mail gate asks for one recipient's recent mail on every mail it lets through.
            try db.execute(
                sql: "CREATE INDEX outbox_on_recipient_nocase ON outbox (recipient COLLATE NOCASE, createdAt)")
        }
        migrator.registerMigration("v8 outbox claims") { db in
            try db.alter(table: "outbox") { t in
                // A row being sent is claimed (state `sending`) until this time.
                t.add(column: "leaseUntil", .datetime)
            }
        }
        migrator.registerMigration("v9 database identity") { db in
            // A random id, also kept in the data folder's `database.id`: a database swapped for
            // another folder's, or an empty one in place of the real one, is caught at open.
            try db.create(table: "databaseIdentity") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("value", .text).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("v10 pruned raw mail") { db in
            try db.alter(table: "inboundMail") { t in
                // When housekeeping removed the raw file (`[storage] keep_raw_days`); rawPath says where it was.
                t.add(column: "rawPrunedAt", .datetime)
            }
            // Housekeeping looks for the oldest raw files still kept.
            try db.execute(
                sql: "CREATE INDEX inboundMail_raw_kept ON inboundMail (receivedAt) WHERE rawPrunedAt IS NULL")
        }
        return migrator
    }
}
