SELECT id, ip_range FROM relay_ips ORDER BY id
