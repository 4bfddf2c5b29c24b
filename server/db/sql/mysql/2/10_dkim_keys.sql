CREATE TABLE IF NOT EXISTS dkim_keys (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    domain VARCHAR(255) NOT NULL,
    selector VARCHAR(63) NOT NULL,
    algorithm VARCHAR(32) NOT NULL,
    bits INT NOT NULL DEFAULT 0,
    private_key TEXT NOT NULL,
    public_key TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE KEY dkim_keys_domain_selector (domain, selector)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
