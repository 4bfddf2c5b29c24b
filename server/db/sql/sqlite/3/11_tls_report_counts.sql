CREATE TABLE IF NOT EXISTS tls_report_counts (
    policy_domain TEXT NOT NULL,
    day TEXT NOT NULL,
    policy_type TEXT NOT NULL,
    policy_string TEXT NOT NULL DEFAULT '',
    mx_host TEXT NOT NULL DEFAULT '',
    receiving_ip TEXT NOT NULL DEFAULT '',
    result_type TEXT NOT NULL DEFAULT '',
    sessions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (policy_domain, day, policy_type, mx_host, receiving_ip, result_type)
)
