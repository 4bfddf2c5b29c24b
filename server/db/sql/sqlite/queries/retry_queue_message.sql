UPDATE queue_messages SET next_attempt_at_ms = :now WHERE id = :id AND claimed_by IS NULL
