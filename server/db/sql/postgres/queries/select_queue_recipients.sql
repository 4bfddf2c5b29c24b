SELECT address, status, last_error FROM queue_recipients WHERE message_id = :message_id ORDER BY position
