SELECT id, pattern, concurrency, rate_per_hour FROM throttles ORDER BY pattern
