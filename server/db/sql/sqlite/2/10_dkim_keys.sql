CREATE TABLE IF NOT EXISTS dkim_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    domain TEXT NOT NULL,
    selector TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    bits INTEGER NOT NULL DEFAULT 0,
    private_key TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    UNIQUE (domain, selector)
)
