SELECT COUNT(*) FROM queue_messages
