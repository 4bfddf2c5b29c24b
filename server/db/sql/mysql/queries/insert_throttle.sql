INSERT INTO throttles (pattern, concurrency, rate_per_hour) VALUES (:pattern, :concurrency, :rate_per_hour)
