SELECT LOWER(SUBSTR(r.address, LENGTH(RTRIM(r.address, REPLACE(r.address, '@', ''))) + 1)) AS domain,
    COUNT(DISTINCT r.message_id), COUNT(*), MIN(m.created_at_ms)
FROM queue_recipients r JOIN queue_messages m ON m.id = r.message_id
WHERE r.status = 0
GROUP BY domain ORDER BY COUNT(DISTINCT r.message_id) DESC, domain LIMIT :limit
