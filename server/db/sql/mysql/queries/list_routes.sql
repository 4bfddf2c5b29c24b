SELECT id, recipient_domain, sender_domain, auth_user, remote_host, remote_port, priority, local_ips, smtp_user, smtp_password, tls_policy FROM routes ORDER BY recipient_domain, priority, id
