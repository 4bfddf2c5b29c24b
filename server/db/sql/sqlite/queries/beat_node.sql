INSERT INTO nodes (id, host, version, started_at_ms, last_beat_at_ms, claims)
VALUES (:id, :host, :version, :started_at_ms, :now, :claims)
ON CONFLICT (id) DO UPDATE SET host = excluded.host, version = excluded.version,
    started_at_ms = excluded.started_at_ms, last_beat_at_ms = excluded.last_beat_at_ms, claims = excluded.claims, stopped_at_ms = NULL
