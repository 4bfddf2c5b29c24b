UPDATE queue_messages SET next_attempt_at_ms = :now WHERE next_attempt_at_ms > :now AND claimed_by IS NULL
