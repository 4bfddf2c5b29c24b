CREATE TABLE IF NOT EXISTS queue_bodies (
    message_id CHAR(40) NOT NULL REFERENCES queue_messages (id) ON DELETE CASCADE,
    chunk INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (message_id, chunk)
)
