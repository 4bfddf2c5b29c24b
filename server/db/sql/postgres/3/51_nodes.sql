CREATE TABLE IF NOT EXISTS nodes (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    host TEXT NOT NULL,
    version TEXT NOT NULL,
    started_at_ms BIGINT NOT NULL,
    last_beat_at_ms BIGINT NOT NULL,
    claims INTEGER NOT NULL DEFAULT 0,
    stopped_at_ms BIGINT NULL
)
