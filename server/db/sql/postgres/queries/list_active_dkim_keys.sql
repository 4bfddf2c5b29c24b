SELECT id, domain, selector, algorithm, bits, public_key, created_at_ms, active, private_key FROM dkim_keys WHERE active = :active ORDER BY domain, selector
