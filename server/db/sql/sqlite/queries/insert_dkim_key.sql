INSERT INTO dkim_keys (domain, selector, algorithm, bits, private_key, public_key, created_at_ms, active)
VALUES (:domain, :selector, :algorithm, :bits, :private_key, :public_key, :created_at_ms, :active)
