SELECT id, store_key, size_bytes FROM queue_messages ORDER BY created_at_ms, id
