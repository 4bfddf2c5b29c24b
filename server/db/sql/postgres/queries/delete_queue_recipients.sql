DELETE FROM queue_recipients WHERE message_id = :message_id
