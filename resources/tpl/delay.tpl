This is the mail system at host {{ME}}.

This is a warning only: you do not need to send your message again.

Your message could not be delivered yet to the recipients below.
It was received on {{ARRIVAL}} and will be tried again until
{{UNTIL}}; you will be told if it still fails then.

{{RECIPIENTS}}
