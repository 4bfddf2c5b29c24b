INSERT INTO tls_reports_sent (policy_domain, day, message_id, sent_at_ms) VALUES (:policy_domain, :day, :message_id, :sent_at_ms)
