SELECT id FROM relay_ips WHERE ip_range = :ip_range
