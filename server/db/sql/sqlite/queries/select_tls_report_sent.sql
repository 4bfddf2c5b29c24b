SELECT message_id, sent_at_ms FROM tls_reports_sent WHERE policy_domain = :policy_domain AND day = :day
