UPDATE queue_recipients SET status = :status, last_error = :last_error, delay_notified = :delay_notified WHERE message_id = :message_id AND position = :position
