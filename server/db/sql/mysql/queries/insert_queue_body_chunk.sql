INSERT INTO queue_bodies (message_id, chunk, data) VALUES (:message_id, :chunk, :data)
