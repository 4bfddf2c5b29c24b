UPDATE queue_recipients SET status = :status, last_error = :last_error WHERE message_id = :message_id AND position = :position
