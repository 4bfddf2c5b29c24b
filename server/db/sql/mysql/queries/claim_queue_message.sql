UPDATE queue_messages SET claimed_by = :claimed_by, claim_expires_at_ms = :claim_expires_at_ms,
    next_attempt_at_ms = :claim_expires_at_ms
WHERE id = :id
