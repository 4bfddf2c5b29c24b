UPDATE queue_messages SET claim_expires_at_ms = :claim_expires_at_ms, next_attempt_at_ms = :claim_expires_at_ms
WHERE id = :id AND claimed_by = :claimed_by
