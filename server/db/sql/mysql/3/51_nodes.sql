CREATE TABLE IF NOT EXISTS nodes (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    host VARCHAR(255) NOT NULL,
    version VARCHAR(64) NOT NULL,
    started_at_ms BIGINT NOT NULL,
    last_beat_at_ms BIGINT NOT NULL,
    claims INT NOT NULL DEFAULT 0,
    stopped_at_ms BIGINT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
