UPDATE routes SET recipient_domain = :recipient_domain, sender_domain = :sender_domain, auth_user = :auth_user,
    remote_host = :remote_host, remote_port = :remote_port, priority = :priority, local_ips = :local_ips,
    smtp_user = :smtp_user, smtp_password = :smtp_password, tls_policy = :tls_policy
WHERE id = :id
