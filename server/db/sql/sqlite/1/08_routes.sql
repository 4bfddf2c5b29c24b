CREATE TABLE IF NOT EXISTS routes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient_domain TEXT NOT NULL,
    sender_domain TEXT NOT NULL DEFAULT '',
    auth_user TEXT NOT NULL DEFAULT '',
    remote_host TEXT NOT NULL,
    remote_port INTEGER NOT NULL DEFAULT 25,
    priority INTEGER NOT NULL DEFAULT 1,
    local_ips TEXT NOT NULL DEFAULT '',
    smtp_user TEXT NOT NULL DEFAULT '',
    smtp_password TEXT NOT NULL DEFAULT ''
)
