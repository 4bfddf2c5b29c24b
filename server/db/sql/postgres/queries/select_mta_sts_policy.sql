SELECT policy_id, mode, mx, max_age, fetched_at_ms, expires_at_ms FROM mta_sts_policies WHERE domain = :domain
