INSERT OR IGNORE INTO meta (name, value) VALUES ('change_serial', 0)
