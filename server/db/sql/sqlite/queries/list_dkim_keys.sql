SELECT id, domain, selector, algorithm, bits, public_key, created_at_ms, active FROM dkim_keys ORDER BY domain, created_at_ms, selector
