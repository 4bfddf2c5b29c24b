INSERT INTO relay_ips (ip_range) VALUES (:ip_range)
