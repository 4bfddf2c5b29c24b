CREATE TABLE IF NOT EXISTS queue_messages (
    id CHAR(40) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    envelope_sender VARCHAR(320) NOT NULL,
    auth_user VARCHAR(320) NOT NULL DEFAULT '',
    client_ip VARCHAR(64) NOT NULL DEFAULT '',
    helo TEXT NOT NULL DEFAULT '',
    size_bytes BIGINT NOT NULL,
    store_key VARCHAR(255) NOT NULL,
    created_at_ms BIGINT NOT NULL,
    next_attempt_at_ms BIGINT NOT NULL,
    attempts INT NOT NULL DEFAULT 0,
    claimed_by VARCHAR(64) NULL,
    claim_expires_at_ms BIGINT NULL,
    last_error TEXT NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
