CREATE TABLE IF NOT EXISTS mta_sts_policies (
    domain VARCHAR(253) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL PRIMARY KEY,
    policy_id VARCHAR(32) NOT NULL,
    mode VARCHAR(16) NOT NULL,
    mx TEXT NOT NULL,
    max_age BIGINT NOT NULL,
    fetched_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
