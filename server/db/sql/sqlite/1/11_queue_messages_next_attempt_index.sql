CREATE INDEX IF NOT EXISTS queue_messages_next_attempt ON queue_messages (next_attempt_at_ms)
