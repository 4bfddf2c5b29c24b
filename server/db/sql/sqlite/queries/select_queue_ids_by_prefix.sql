SELECT id FROM queue_messages WHERE id LIKE :pattern ORDER BY id LIMIT :limit
