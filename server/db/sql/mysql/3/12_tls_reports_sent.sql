CREATE TABLE IF NOT EXISTS tls_reports_sent (
    policy_domain VARCHAR(253) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
    day VARCHAR(10) CHARACTER SET ascii NOT NULL,
    message_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
    sent_at_ms BIGINT NOT NULL,
    PRIMARY KEY (policy_domain, day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
