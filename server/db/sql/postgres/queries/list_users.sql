SELECT id, login, password_hash, may_relay, created_at FROM users ORDER BY login
