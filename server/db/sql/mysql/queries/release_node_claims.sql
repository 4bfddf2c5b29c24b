UPDATE queue_messages SET claimed_by = NULL, claim_expires_at_ms = NULL, next_attempt_at_ms = :now
WHERE claimed_by = :claimed_by
