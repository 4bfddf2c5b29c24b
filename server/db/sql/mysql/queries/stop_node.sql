UPDATE nodes SET stopped_at_ms = :now, last_beat_at_ms = :now, claims = 0 WHERE id = :id
