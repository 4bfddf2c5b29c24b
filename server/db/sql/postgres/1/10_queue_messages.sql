CREATE TABLE IF NOT EXISTS queue_messages (
    id CHAR(40) NOT NULL PRIMARY KEY,
    envelope_sender TEXT NOT NULL,
    auth_user TEXT NOT NULL DEFAULT '',
    client_ip VARCHAR(64) NOT NULL DEFAULT '',
    helo TEXT NOT NULL DEFAULT '',
    size_bytes BIGINT NOT NULL,
    store_key TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    next_attempt_at_ms BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by VARCHAR(64) NULL,
    claim_expires_at_ms BIGINT NULL,
    last_error TEXT NOT NULL DEFAULT ''
)
