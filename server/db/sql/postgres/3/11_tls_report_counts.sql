CREATE TABLE IF NOT EXISTS tls_report_counts (
    policy_domain VARCHAR(253) NOT NULL,
    day VARCHAR(10) NOT NULL,
    policy_type VARCHAR(32) NOT NULL,
    policy_string TEXT NOT NULL DEFAULT '',
    mx_host VARCHAR(253) NOT NULL DEFAULT '',
    receiving_ip VARCHAR(45) NOT NULL DEFAULT '',
    result_type VARCHAR(40) NOT NULL DEFAULT '',
    sessions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (policy_domain, day, policy_type, mx_host, receiving_ip, result_type)
)
