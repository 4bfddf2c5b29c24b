SELECT COUNT(*), COALESCE(MIN(created_at_ms), 0) FROM queue_messages
