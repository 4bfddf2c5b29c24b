CREATE TABLE IF NOT EXISTS tls_reports_sent (
    policy_domain TEXT NOT NULL,
    day TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sent_at_ms BIGINT NOT NULL,
    PRIMARY KEY (policy_domain, day)
)
