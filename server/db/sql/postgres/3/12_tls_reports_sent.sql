CREATE TABLE IF NOT EXISTS tls_reports_sent (
    policy_domain VARCHAR(253) NOT NULL,
    day VARCHAR(10) NOT NULL,
    message_id VARCHAR(64) NOT NULL,
    sent_at_ms BIGINT NOT NULL,
    PRIMARY KEY (policy_domain, day)
)
