CREATE INDEX IF NOT EXISTS queue_messages_created ON queue_messages (created_at_ms, id)
