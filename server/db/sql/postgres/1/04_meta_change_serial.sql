INSERT INTO meta (name, value) VALUES ('change_serial', 0) ON CONFLICT (name) DO NOTHING
