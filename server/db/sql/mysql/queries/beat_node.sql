INSERT INTO nodes (id, host, version, started_at_ms, last_beat_at_ms, claims)
VALUES (:id, :host, :version, :started_at_ms, :now, :claims)
ON DUPLICATE KEY UPDATE host = VALUES(host), version = VALUES(version),
    started_at_ms = VALUES(started_at_ms), last_beat_at_ms = VALUES(last_beat_at_ms), claims = VALUES(claims), stopped_at_ms = NULL
