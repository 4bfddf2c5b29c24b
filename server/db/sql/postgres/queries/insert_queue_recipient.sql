INSERT INTO queue_recipients (message_id, position, address, status, last_error) VALUES (:message_id, :position, :address, :status, :last_error)
