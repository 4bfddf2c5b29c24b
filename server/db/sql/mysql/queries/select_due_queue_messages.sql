SELECT id, envelope_sender, auth_user, client_ip, helo, size_bytes, store_key, created_at_ms, next_attempt_at_ms, attempts, claimed_by, claim_expires_at_ms, last_error, dsn_ret, dsn_envid, held FROM queue_messages
WHERE next_attempt_at_ms <= :now AND held = 0 AND (claimed_by IS NULL OR claim_expires_at_ms <= :now)
ORDER BY next_attempt_at_ms
LIMIT :limit
FOR UPDATE SKIP LOCKED
