CREATE INDEX IF NOT EXISTS routes_recipient_domain ON routes (recipient_domain, priority)
