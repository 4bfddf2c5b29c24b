INSERT INTO mta_sts_policies (domain, policy_id, mode, mx, max_age, fetched_at_ms, expires_at_ms) VALUES (:domain, :policy_id, :mode, :mx, :max_age, :fetched_at_ms, :expires_at_ms)
