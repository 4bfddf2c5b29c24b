ALTER TABLE routes ADD COLUMN tls_policy TEXT NOT NULL DEFAULT 'opportunistic'
