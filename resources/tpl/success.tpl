This is the mail system at host {{ME}}.

Your message was successfully sent to the recipients below, as
you asked. When it was relayed to a server that does not report on
deliveries (RFC 3461), this is the last notice about it.

{{RECIPIENTS}}
