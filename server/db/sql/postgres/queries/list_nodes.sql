SELECT n.id, n.host, n.version, n.started_at_ms, n.last_beat_at_ms, n.stopped_at_ms,
    (SELECT COUNT(*) FROM queue_messages q WHERE q.claimed_by = n.id AND q.claim_expires_at_ms > :now)
FROM nodes n ORDER BY n.id
