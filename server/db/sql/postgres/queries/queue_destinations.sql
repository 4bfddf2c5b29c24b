SELECT LOWER(SUBSTRING(r.address FROM '@([^@]*)$')) AS domain,
    COUNT(DISTINCT r.message_id), COUNT(*), MIN(m.created_at_ms)
FROM queue_recipients r JOIN queue_messages m ON m.id = r.message_id
WHERE r.status = 0
GROUP BY 1 ORDER BY COUNT(DISTINCT r.message_id) DESC, 1 LIMIT :limit
