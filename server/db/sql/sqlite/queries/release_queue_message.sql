UPDATE queue_messages SET claimed_by = NULL, claim_expires_at_ms = NULL, next_attempt_at_ms = :next_attempt_at_ms,
    attempts = attempts + 1, last_error = :last_error
WHERE id = :id
