CREATE TABLE IF NOT EXISTS tls_report_counts (
    policy_domain VARCHAR(253) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
    day VARCHAR(10) CHARACTER SET ascii NOT NULL,
    policy_type VARCHAR(32) CHARACTER SET ascii NOT NULL,
    policy_string TEXT NOT NULL,
    mx_host VARCHAR(253) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL DEFAULT '',
    receiving_ip VARCHAR(45) CHARACTER SET ascii NOT NULL DEFAULT '',
    result_type VARCHAR(40) CHARACTER SET ascii NOT NULL DEFAULT '',
    sessions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (policy_domain, day, policy_type, mx_host, receiving_ip, result_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
