CREATE TABLE IF NOT EXISTS mta_sts_policies (
    domain TEXT NOT NULL PRIMARY KEY,
    policy_id TEXT NOT NULL,
    mode TEXT NOT NULL,
    mx TEXT NOT NULL,
    max_age BIGINT NOT NULL,
    fetched_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
)
