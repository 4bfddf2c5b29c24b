CREATE TABLE IF NOT EXISTS queue_recipients (
    message_id CHAR(40) NOT NULL REFERENCES queue_messages (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    address TEXT NOT NULL,
    status SMALLINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (message_id, position)
)
