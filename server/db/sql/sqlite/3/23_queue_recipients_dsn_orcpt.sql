ALTER TABLE queue_recipients ADD COLUMN dsn_orcpt TEXT NOT NULL DEFAULT ''
