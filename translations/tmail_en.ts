<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Config</name>
    <message>
        <source>General</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>Store (bodies of queued messages)</source>
        <translation>Store (bodies of queued messages)</translation>
    </message>
    <message>
        <source>smtpd: receiving mail</source>
        <translation>smtpd: receiving mail</translation>
    </message>
    <message>
        <source>deliverd: sending mail</source>
        <translation>deliverd: sending mail</translation>
    </message>
    <message>
        <source>DNS</source>
        <translation>DNS</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>Accepted: true or false.</source>
        <translation>Accepted: true or false.</translation>
    </message>
    <message>
        <source>Accepted: %1 to %2.</source>
        <translation>Accepted: %1 to %2.</translation>
    </message>
    <message>
        <source>Host name used in the greeting, HELO/EHLO and Received headers (required).</source>
        <translation>Host name used in the greeting, HELO/EHLO and Received headers (required).</translation>
    </message>
    <message>
        <source>Set it to the reverse DNS name of the server&apos;s IP address.
Accepted: a host name (letters, digits, &apos;-&apos; and &apos;.&apos;), not an IP address.</source>
        <translation>Set it to the reverse DNS name of the server&apos;s IP address.
Accepted: a host name (letters, digits, &apos;-&apos; and &apos;.&apos;), not an IP address.</translation>
    </message>
    <message>
        <source>Log debug lines as well.</source>
        <translation>Log debug lines as well.</translation>
    </message>
    <message>
        <source>Where logs go: stdout or an existing directory (tmail.log in it).</source>
        <translation>Where logs go: stdout or an existing directory (tmail.log in it).</translation>
    </message>
    <message>
        <source>tmail appends to tmail.log in that directory, which must be writable.</source>
        <translation>tmail appends to tmail.log in that directory, which must be writable.</translation>
    </message>
    <message>
        <source>User to run as after binding the ports when started as root (empty: stay).</source>
        <translation>User to run as after binding the ports when started as root (empty: stay).</translation>
    </message>
    <message>
        <source>Accepted: empty (stay as the starting user) or a system user name, like tmail.</source>
        <translation>Accepted: empty (stay as the starting user) or a system user name, like tmail.</translation>
    </message>
    <message>
        <source>Database backend: sqlite3, mysql or postgres.</source>
        <translation>Database backend: sqlite3, mysql or postgres.</translation>
    </message>
    <message>
        <source>mysql also serves MariaDB.</source>
        <translation>mysql also serves MariaDB.</translation>
    </message>
    <message>
        <source>sqlite file path, or &quot;host=… port=… user=… password=… dbname=…&quot;.</source>
        <translation>sqlite file path, or &quot;host=… port=… user=… password=… dbname=…&quot;.</translation>
    </message>
    <message>
        <source>sqlite3: the path of the database file, like db/tmail.db.
mysql, postgres: &quot;host=HOST port=PORT user=USER password=PASSWORD dbname=NAME&quot;
(values may be single-quoted).</source>
        <translation>sqlite3: the path of the database file, like db/tmail.db.
mysql, postgres: &quot;host=HOST port=PORT user=USER password=PASSWORD dbname=NAME&quot;
(values may be single-quoted).</translation>
    </message>
    <message>
        <source>Where queued message bodies are kept: disk.</source>
        <translation>Where queued message bodies are kept: disk.</translation>
    </message>
    <message>
        <source>Directory of the disk store (created if missing).</source>
        <translation>Directory of the disk store (created if missing).</translation>
    </message>
    <message>
        <source>Accepted: a directory path tmail may write in.</source>
        <translation>Accepted: a directory path tmail may write in.</translation>
    </message>
    <message>
        <source>smtpd listeners IP:PORT:SSL separated by &apos;,&apos; or &apos;;&apos; ([::1]:2525:false for IPv6).</source>
        <translation>smtpd listeners IP:PORT:SSL separated by &apos;,&apos; or &apos;;&apos; ([::1]:2525:false for IPv6).</translation>
    </message>
    <message>
        <source>SSL=true means TLS from the first byte (SMTPS, usually port 465);
SSL=false means clear text with STARTTLS offered (ports 25 and 587).</source>
        <translation>SSL=true means TLS from the first byte (SMTPS, usually port 465);
SSL=false means clear text with STARTTLS offered (ports 25 and 587).</translation>
    </message>
    <message>
        <source>Seconds of client silence before 421 and close.</source>
        <translation>Seconds of client silence before 421 and close.</translation>
    </message>
    <message>
        <source>Each complete line (a command, or a line of message data) must come in that time: silence and a client that trickles one byte at a time (slowloris) are both cut off.</source>
        <translation>Each complete line (a command, or a line of message data) must come in that time: silence and a client that trickles one byte at a time (slowloris) are both cut off.</translation>
    </message>
    <message>
        <source>Largest message in bytes, advertised with SIZE (0: no limit).</source>
        <translation>Largest message in bytes, advertised with SIZE (0: no limit).</translation>
    </message>
    <message>
        <source>Received headers before a mail loop is declared.</source>
        <translation>Received headers before a mail loop is declared.</translation>
    </message>
    <message>
        <source>Recipients per transaction (0: no limit).</source>
        <translation>Recipients per transaction (0: no limit).</translation>
    </message>
    <message>
        <source>Refused recipients before the session is closed (0: no limit).</source>
        <translation>Refused recipients before the session is closed (0: no limit).</translation>
    </message>
    <message>
        <source>Simultaneous incoming sessions.</source>
        <translation>Simultaneous incoming sessions.</translation>
    </message>
    <message>
        <source>Beyond that, clients get 421 4.7.0.</source>
        <translation>Beyond that, clients get 421 4.7.0.</translation>
    </message>
    <message>
        <source>PEM certificate for STARTTLS and implicit TLS.</source>
        <translation>PEM certificate for STARTTLS and implicit TLS.</translation>
    </message>
    <message>
        <source>The chain may follow the certificate in the file.</source>
        <translation>The chain may follow the certificate in the file.</translation>
    </message>
    <message>
        <source>PEM private key (RSA or EC, unencrypted).</source>
        <translation>PEM private key (RSA or EC, unencrypted).</translation>
    </message>
    <message>
        <source>It must match the certificate of TMAIL_SMTPD_TLS_CERT.</source>
        <translation>It must match the certificate of TMAIL_SMTPD_TLS_CERT.</translation>
    </message>
    <message>
        <source>Failed AUTH attempts from one IP before it is refused.</source>
        <translation>Failed AUTH attempts from one IP before it is refused.</translation>
    </message>
    <message>
        <source>Seconds an IP stays refused after too many failed AUTHs.</source>
        <translation>Seconds an IP stays refused after too many failed AUTHs.</translation>
    </message>
    <message>
        <source>Source addresses for delivery: a|b random, a&amp;b failover.</source>
        <translation>Source addresses for delivery: a|b random, a&amp;b failover.</translation>
    </message>
    <message>
        <source>&quot;a|b&quot;: one picked at random per connection (repeat one to weight it: a|a|b);
&quot;a&amp;b&quot;: a first, b when a fails. Both combine: &quot;a|b&amp;c&quot;.
Accepted: IPv4 or IPv6 addresses; 0.0.0.0 lets the system choose.</source>
        <translation>&quot;a|b&quot;: one picked at random per connection (repeat one to weight it: a|a|b);
&quot;a&amp;b&quot;: a first, b when a fails. Both combine: &quot;a|b&amp;c&quot;.
Accepted: IPv4 or IPv6 addresses; 0.0.0.0 lets the system choose.</translation>
    </message>
    <message>
        <source>Concurrent outgoing deliveries.</source>
        <translation>Concurrent outgoing deliveries.</translation>
    </message>
    <message>
        <source>Seconds allowed for each step of an outgoing SMTP session.</source>
        <translation>Seconds allowed for each step of an outgoing SMTP session.</translation>
    </message>
    <message>
        <source>Minutes a message may wait in the queue before it bounces.</source>
        <translation>Minutes a message may wait in the queue before it bounces.</translation>
    </message>
    <message>
        <source>Accept any remote TLS certificate.</source>
        <translation>Accept any remote TLS certificate.</translation>
    </message>
    <message>
        <source>Most mail servers use self-signed certificates.</source>
        <translation>Most mail servers use self-signed certificates.</translation>
    </message>
    <message>
        <source>Go on in clear text when STARTTLS fails.</source>
        <translation>Go on in clear text when STARTTLS fails.</translation>
    </message>
    <message>
        <source>DNS resolvers IP[:PORT] (empty: the system&apos;s).</source>
        <translation>DNS resolvers IP[:PORT] (empty: the system&apos;s).</translation>
    </message>
    <message>
        <source>They find the MX records. Write [IPv6]:PORT for IPv6 and separate them with &apos;,&apos;, &apos;;&apos; or spaces, like &quot;127.0.0.1:53,[::1]:53&quot;.</source>
        <translation>They find the MX records. Write [IPv6]:PORT for IPv6 and separate them with &apos;,&apos;, &apos;;&apos; or spaces, like &quot;127.0.0.1:53,[::1]:53&quot;.</translation>
    </message>
    <message>
        <source>Name of the local socket the manager connects to.</source>
        <translation>Name of the local socket the manager connects to.</translation>
    </message>
    <message>
        <source>Only the user running tmail may connect.
Accepted: a name, like tmail-manager, or an absolute socket path.</source>
        <translation>Only the user running tmail may connect.
Accepted: a name, like tmail-manager, or an absolute socket path.</translation>
    </message>
</context>
<context>
    <name>ConfigPage</name>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>&amp;Revert</source>
        <translation>&amp;Revert</translation>
    </message>
    <message>
        <source>Save the configuration</source>
        <translation>Save the configuration</translation>
    </message>
    <message>
        <source>Validate and write tmail.cfg (%1)</source>
        <translation>Validate and write tmail.cfg (%1)</translation>
    </message>
    <message>
        <source>Revert the changes</source>
        <translation>Revert the changes</translation>
    </message>
    <message>
        <source>Configuration message</source>
        <translation>Configuration message</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Changed in the file; tmail runs with “%1” until it restarts.</source>
        <translation>Changed in the file; tmail runs with “%1” until it restarts.</translation>
    </message>
    <message>
        <source>tmail took its settings from the environment: they can be read here but not changed.</source>
        <translation>tmail took its settings from the environment: they can be read here but not changed.</translation>
    </message>
    <message>
        <source>Restart tmail to apply: %1</source>
        <translation>Restart tmail to apply: %1</translation>
    </message>
    <message>
        <source>Settings of %1</source>
        <translation>Settings of %1</translation>
    </message>
    <message>
        <source>Nothing to save.</source>
        <translation>Nothing to save.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>Applied as soon as it is saved.</source>
        <translation>Applied as soon as it is saved.</translation>
    </message>
    <message>
        <source>Applied when tmail restarts.</source>
        <translation>Applied when tmail restarts.</translation>
    </message>
    <message>
        <source>Changed in the file; tmail runs with “%1” until it reloads the file.</source>
        <translation>Changed in the file; tmail runs with “%1” until it reloads the file.</translation>
    </message>
    <message>
        <source>Save or reload tmail to apply: %1</source>
        <translation>Save or reload tmail to apply: %1</translation>
    </message>
    <message>
        <source>Applied now: %1</source>
        <translation>Applied now: %1</translation>
    </message>
    <message>
        <source>Not applied, tmail keeps the running value: %1</source>
        <translation>Not applied, tmail keeps the running value: %1</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Details: %1</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message numerus="yes">
        <source>%n day(s), %1</source>
        <translation>
            <numerusform>%n day, %1</numerusform>
            <numerusform>%n days, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Connection state</translation>
    </message>
    <message>
        <source>Daemon</source>
        <translation>Daemon</translation>
    </message>
    <message>
        <source>Software:</source>
        <translation>Software:</translation>
    </message>
    <message>
        <source>Host name:</source>
        <translation>Host name:</translation>
    </message>
    <message>
        <source>Running for:</source>
        <translation>Running for:</translation>
    </message>
    <message>
        <source>Listeners:</source>
        <translation>Listeners:</translation>
    </message>
    <message>
        <source>Configuration:</source>
        <translation>Configuration:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Database:</translation>
    </message>
    <message>
        <source>Manager socket:</source>
        <translation>Manager socket:</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>Counters</translation>
    </message>
    <message>
        <source>SMTP sessions now:</source>
        <translation>SMTP sessions now:</translation>
    </message>
    <message>
        <source>Messages accepted:</source>
        <translation>Messages accepted:</translation>
    </message>
    <message>
        <source>Recipients delivered:</source>
        <translation>Recipients delivered:</translation>
    </message>
    <message>
        <source>Bounces:</source>
        <translation>Bounces:</translation>
    </message>
    <message>
        <source>Messages in the queue:</source>
        <translation>Messages in the queue:</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Throughput</translation>
    </message>
    <message>
        <source>Connected to tmail on %1</source>
        <translation>Connected to tmail on %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connecting to %1…</translation>
    </message>
    <message>
        <source>Not connected.</source>
        <translation>Not connected.</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Not connected: %1</translation>
    </message>
    <message>
        <source>environment variables</source>
        <translation>environment variables</translation>
    </message>
</context>
<context>
    <name>DomainDialog</name>
    <message>
        <source>Deliver mail for this domain locally</source>
        <translation>Deliver mail for this domain locally</translation>
    </message>
    <message>
        <source>Add a domain</source>
        <translation>Add a domain</translation>
    </message>
    <message>
        <source>example.com</source>
        <translation>example.com</translation>
    </message>
    <message>
        <source>&amp;Domain:</source>
        <translation>&amp;Domain:</translation>
    </message>
    <message>
        <source>Local:</source>
        <translation>Local:</translation>
    </message>
    <message>
        <source>“%1” is not a valid domain name.</source>
        <translation>“%1” is not a valid domain name.</translation>
    </message>
</context>
<context>
    <name>DomainsPage</name>
    <message>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Delivery</translation>
    </message>
    <message>
        <source>local</source>
        <translation>local</translation>
    </message>
    <message>
        <source>relayed</source>
        <translation>relayed</translation>
    </message>
    <message>
        <source>Domains</source>
        <translation>Domains</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Add…</translation>
    </message>
    <message>
        <source>Add a domain</source>
        <translation>Add a domain</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>Delete the selected domain</source>
        <translation>Delete the selected domain</translation>
    </message>
    <message>
        <source>Domain added.</source>
        <translation>Domain added.</translation>
    </message>
    <message>
        <source>Delete the domain %1? Mail for it will be refused.</source>
        <translation>Delete the domain %1? Mail for it will be refused.</translation>
    </message>
    <message>
        <source>Domain %1 deleted.</source>
        <translation>Domain %1 deleted.</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>&amp;Level:</source>
        <translation>&amp;Level:</translation>
    </message>
    <message>
        <source>All levels</source>
        <translation>All levels</translation>
    </message>
    <message>
        <source>Info and above</source>
        <translation>Info and above</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnings and errors</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Errors only</translation>
    </message>
    <message>
        <source>Minimum level</source>
        <translation>Minimum level</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <source>Text in the message</source>
        <translation>Text in the message</translation>
    </message>
    <message>
        <source>Filter text</source>
        <translation>Filter text</translation>
    </message>
    <message>
        <source>Pause the live log</source>
        <translation>Pause the live log</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>Copy the selected lines</source>
        <translation>Copy the selected lines</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>C&amp;lear</translation>
    </message>
    <message>
        <source>Clear the log view</source>
        <translation>Clear the log view</translation>
    </message>
    <message>
        <source>Log lines</source>
        <translation>Log lines</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Resume</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>tmail manager</source>
        <translation>tmail manager</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Configuration</translation>
    </message>
    <message>
        <source>Domains</source>
        <translation>Domains</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Users</translation>
    </message>
    <message>
        <source>Relay IPs</source>
        <translation>Relay IPs</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>Routes</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Re&amp;connect</source>
        <translation>Re&amp;connect</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About tmail manager</source>
        <translation>&amp;About tmail manager</translation>
    </message>
    <message>
        <source>About tmail manager</source>
        <translation>About tmail manager</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;tmail manager %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Manages a running tmail mail server through its local socket: settings, domains, users, relay IPs, routes, queue and live log.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;tmail manager %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Manages a running tmail mail server through its local socket: settings, domains, users, relay IPs, routes, queue and live log.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Connection state</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Connected to %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connecting to %1…</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Not connected</translation>
    </message>
    <message>
        <source>Cannot create the directory %1.</source>
        <translation>Cannot create the directory %1.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>Cannot write %1.</translation>
    </message>
</context>
<context>
    <name>ManagerConnection</name>
    <message>
        <source>The daemon stopped answering.</source>
        <translation>The daemon stopped answering.</translation>
    </message>
    <message>
        <source>No tmail daemon listens on %1.</source>
        <translation>No tmail daemon listens on %1.</translation>
    </message>
    <message>
        <source>The tmail daemon at %1 refused the connection.</source>
        <translation>The tmail daemon at %1 refused the connection.</translation>
    </message>
    <message>
        <source>Access to %1 was denied: only the user running tmail may manage it.</source>
        <translation>Access to %1 was denied: only the user running tmail may manage it.</translation>
    </message>
    <message>
        <source>Connection to %1 failed: %2</source>
        <translation>Connection to %1 failed: %2</translation>
    </message>
    <message>
        <source>The connection to the daemon was lost.</source>
        <translation>The connection to the daemon was lost.</translation>
    </message>
    <message>
        <source>Not connected to the daemon.</source>
        <translation>Not connected to the daemon.</translation>
    </message>
    <message>
        <source>The daemon sent a message that is too large.</source>
        <translation>The daemon sent a message that is too large.</translation>
    </message>
    <message>
        <source>The program at %1 is not a compatible tmail daemon.</source>
        <translation>The program at %1 is not a compatible tmail daemon.</translation>
    </message>
    <message>
        <source>The daemon refused this user: only the user running tmail may manage it.</source>
        <translation>The daemon refused this user: only the user running tmail may manage it.</translation>
    </message>
    <message>
        <source>The daemon speaks another version of the manager protocol.</source>
        <translation>The daemon speaks another version of the manager protocol.</translation>
    </message>
    <message>
        <source>The daemon refused the connection.</source>
        <translation>The daemon refused the connection.</translation>
    </message>
    <message>
        <source>The value of “%1” is not valid.</source>
        <translation>The value of “%1” is not valid.</translation>
    </message>
    <message>
        <source>This entry already exists.</source>
        <translation>This entry already exists.</translation>
    </message>
    <message>
        <source>This entry no longer exists.</source>
        <translation>This entry no longer exists.</translation>
    </message>
    <message>
        <source>The database reported an error.</source>
        <translation>The database reported an error.</translation>
    </message>
    <message>
        <source>The new configuration is not valid.</source>
        <translation>The new configuration is not valid.</translation>
    </message>
    <message>
        <source>The value of %1 is not valid.</source>
        <translation>The value of %1 is not valid.</translation>
    </message>
    <message>
        <source>The daemon took its settings from the environment; there is no configuration file to change.</source>
        <translation>The daemon took its settings from the environment; there is no configuration file to change.</translation>
    </message>
    <message>
        <source>The daemon could not write a file.</source>
        <translation>The daemon could not write a file.</translation>
    </message>
    <message>
        <source>The daemon cannot do this yet.</source>
        <translation>The daemon cannot do this yet.</translation>
    </message>
    <message>
        <source>The daemon is busy; try again.</source>
        <translation>The daemon is busy; try again.</translation>
    </message>
    <message>
        <source>The request failed.</source>
        <translation>The request failed.</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Details: %1</translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Sender</translation>
    </message>
    <message>
        <source>Recipients</source>
        <translation>Recipients</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Next attempt</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Last error</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Queue</translation>
    </message>
    <message>
        <source>&amp;Show…</source>
        <translation>&amp;Show…</translation>
    </message>
    <message>
        <source>Show the selected message</source>
        <translation>Show the selected message</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Retry</translation>
    </message>
    <message>
        <source>Retry the selected message now</source>
        <translation>Retry the selected message now</translation>
    </message>
    <message>
        <source>Retry a&amp;ll</source>
        <translation>Retry a&amp;ll</translation>
    </message>
    <message>
        <source>Retry every message now</source>
        <translation>Retry every message now</translation>
    </message>
    <message>
        <source>&amp;Bounce</source>
        <translation>&amp;Bounce</translation>
    </message>
    <message>
        <source>Bounce the selected message to its sender</source>
        <translation>Bounce the selected message to its sender</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Discard</translation>
    </message>
    <message>
        <source>Discard the selected message</source>
        <translation>Discard the selected message</translation>
    </message>
    <message>
        <source>&amp;Previous</source>
        <translation>&amp;Previous</translation>
    </message>
    <message>
        <source>Previous page of the queue</source>
        <translation>Previous page of the queue</translation>
    </message>
    <message>
        <source>Queue position</source>
        <translation>Queue position</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>&amp;Next</translation>
    </message>
    <message>
        <source>Next page of the queue</source>
        <translation>Next page of the queue</translation>
    </message>
    <message>
        <source>The queue is empty.</source>
        <translation>The queue is empty.</translation>
    </message>
    <message>
        <source>Messages %1–%2 of %3</source>
        <translation>Messages %1–%2 of %3</translation>
    </message>
    <message>
        <source>Id: %1</source>
        <translation>Id: %1</translation>
    </message>
    <message>
        <source>Sender: %1</source>
        <translation>Sender: %1</translation>
    </message>
    <message>
        <source>Authenticated user: %1</source>
        <translation>Authenticated user: %1</translation>
    </message>
    <message>
        <source>Client: %1 (HELO %2)</source>
        <translation>Client: %1 (HELO %2)</translation>
    </message>
    <message>
        <source>Size: %1</source>
        <translation>Size: %1</translation>
    </message>
    <message>
        <source>Received: %1</source>
        <translation>Received: %1</translation>
    </message>
    <message>
        <source>Attempts: %1</source>
        <translation>Attempts: %1</translation>
    </message>
    <message>
        <source>Next attempt: %1</source>
        <translation>Next attempt: %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Last error: %1</translation>
    </message>
    <message>
        <source>Recipients:</source>
        <translation>Recipients:</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pending</translation>
    </message>
    <message>
        <source>Queued message</source>
        <translation>Queued message</translation>
    </message>
    <message>
        <source>Message details</source>
        <translation>Message details</translation>
    </message>
    <message>
        <source>Message %1 will be retried now.</source>
        <translation>Message %1 will be retried now.</translation>
    </message>
    <message>
        <source>Every waiting message will be retried now.</source>
        <translation>Every waiting message will be retried now.</translation>
    </message>
    <message>
        <source>Bounce message %1 to its sender?</source>
        <translation>Bounce message %1 to its sender?</translation>
    </message>
    <message>
        <source>Message %1 bounced.</source>
        <translation>Message %1 bounced.</translation>
    </message>
    <message>
        <source>Discard message %1? It will not be delivered.</source>
        <translation>Discard message %1? It will not be delivered.</translation>
    </message>
    <message>
        <source>Message %1 discarded.</source>
        <translation>Message %1 discarded.</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Error message</source>
        <translation>Error message</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RelayIpDialog</name>
    <message>
        <source>Add a relay IP</source>
        <translation>Add a relay IP</translation>
    </message>
    <message>
        <source>192.0.2.10 or 192.0.2.0/24</source>
        <translation>192.0.2.10 or 192.0.2.0/24</translation>
    </message>
    <message>
        <source>&amp;Address or network:</source>
        <translation>&amp;Address or network:</translation>
    </message>
    <message>
        <source>“%1” is not an IP address or a network like 192.0.2.0/24 (host bits must be zero).</source>
        <translation>“%1” is not an IP address or a network like 192.0.2.0/24 (host bits must be zero).</translation>
    </message>
</context>
<context>
    <name>RelayIpsPage</name>
    <message>
        <source>Address or network</source>
        <translation>Address or network</translation>
    </message>
    <message>
        <source>Relay IPs</source>
        <translation>Relay IPs</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Add…</translation>
    </message>
    <message>
        <source>Add a relay IP</source>
        <translation>Add a relay IP</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>Delete the selected relay IP</source>
        <translation>Delete the selected relay IP</translation>
    </message>
    <message>
        <source>Relay IP added.</source>
        <translation>Relay IP added.</translation>
    </message>
    <message>
        <source>Delete the relay IP %1?</source>
        <translation>Delete the relay IP %1?</translation>
    </message>
    <message>
        <source>Relay IP %1 deleted.</source>
        <translation>Relay IP %1 deleted.</translation>
    </message>
</context>
<context>
    <name>RouteDialog</name>
    <message>
        <source>Add a route</source>
        <translation>Add a route</translation>
    </message>
    <message>
        <source>Edit a route</source>
        <translation>Edit a route</translation>
    </message>
    <message>
        <source>example.com</source>
        <translation>example.com</translation>
    </message>
    <message>
        <source>mx.example.com or 192.0.2.25</source>
        <translation>mx.example.com or 192.0.2.25</translation>
    </message>
    <message>
        <source>any sender</source>
        <translation>any sender</translation>
    </message>
    <message>
        <source>any user</source>
        <translation>any user</translation>
    </message>
    <message>
        <source>the global setting</source>
        <translation>the global setting</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>unchanged</translation>
    </message>
    <message>
        <source>&amp;Recipient domain:</source>
        <translation>&amp;Recipient domain:</translation>
    </message>
    <message>
        <source>Remote &amp;host:</source>
        <translation>Remote &amp;host:</translation>
    </message>
    <message>
        <source>Remote p&amp;ort:</source>
        <translation>Remote p&amp;ort:</translation>
    </message>
    <message>
        <source>Pr&amp;iority (lower first):</source>
        <translation>Pr&amp;iority (lower first):</translation>
    </message>
    <message>
        <source>&amp;Sender domain:</source>
        <translation>&amp;Sender domain:</translation>
    </message>
    <message>
        <source>&amp;Authenticated user:</source>
        <translation>&amp;Authenticated user:</translation>
    </message>
    <message>
        <source>Local &amp;IPs:</source>
        <translation>Local &amp;IPs:</translation>
    </message>
    <message>
        <source>SMTP &amp;user:</source>
        <translation>SMTP &amp;user:</translation>
    </message>
    <message>
        <source>SMTP pass&amp;word:</source>
        <translation>SMTP pass&amp;word:</translation>
    </message>
    <message>
        <source>“%1” is not a valid domain name.</source>
        <translation>“%1” is not a valid domain name.</translation>
    </message>
    <message>
        <source>“%1” is not a host name or an IP address.</source>
        <translation>“%1” is not a host name or an IP address.</translation>
    </message>
    <message>
        <source>“%1” is not a valid e-mail address.</source>
        <translation>“%1” is not a valid e-mail address.</translation>
    </message>
    <message>
        <source>“%1” is not a list of IP addresses separated by | or &amp;.</source>
        <translation>“%1” is not a list of IP addresses separated by | or &amp;.</translation>
    </message>
    <message>
        <source>A route with an SMTP user needs a password.</source>
        <translation>A route with an SMTP user needs a password.</translation>
    </message>
</context>
<context>
    <name>RoutesPage</name>
    <message>
        <source>Recipient domain</source>
        <translation>Recipient domain</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priority</translation>
    </message>
    <message>
        <source>Remote host</source>
        <translation>Remote host</translation>
    </message>
    <message>
        <source>Sender domain</source>
        <translation>Sender domain</translation>
    </message>
    <message>
        <source>any</source>
        <translation>any</translation>
    </message>
    <message>
        <source>Authenticated user</source>
        <translation>Authenticated user</translation>
    </message>
    <message>
        <source>Local IPs</source>
        <translation>Local IPs</translation>
    </message>
    <message>
        <source>global setting</source>
        <translation>global setting</translation>
    </message>
    <message>
        <source>SMTP user</source>
        <translation>SMTP user</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Routes</source>
        <translation>Routes</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Add…</translation>
    </message>
    <message>
        <source>Add a route</source>
        <translation>Add a route</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>Edit the selected route</source>
        <translation>Edit the selected route</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Move &amp;up</translation>
    </message>
    <message>
        <source>Give the selected route a higher priority</source>
        <translation>Give the selected route a higher priority</translation>
    </message>
    <message>
        <source>Move do&amp;wn</source>
        <translation>Move do&amp;wn</translation>
    </message>
    <message>
        <source>Give the selected route a lower priority</source>
        <translation>Give the selected route a lower priority</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>Delete the selected route</source>
        <translation>Delete the selected route</translation>
    </message>
    <message>
        <source>Route added.</source>
        <translation>Route added.</translation>
    </message>
    <message>
        <source>Route saved.</source>
        <translation>Route saved.</translation>
    </message>
    <message>
        <source>Delete the route %1?</source>
        <translation>Delete the route %1?</translation>
    </message>
    <message>
        <source>Route %1 deleted.</source>
        <translation>Route %1 deleted.</translation>
    </message>
    <message>
        <source>Priorities updated.</source>
        <translation>Priorities updated.</translation>
    </message>
</context>
<context>
    <name>TablePage</name>
    <message>
        <source>Page message</source>
        <translation>Page message</translation>
    </message>
    <message>
        <source>Please confirm</source>
        <translation>Please confirm</translation>
    </message>
</context>
<context>
    <name>ThroughputChart</name>
    <message>
        <source>Messages per minute chart</source>
        <translation>Messages per minute chart</translation>
    </message>
    <message>
        <source>Messages per minute</source>
        <translation>Messages per minute</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>accepted</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minute ago</numerusform>
            <numerusform>%n minutes ago</numerusform>
        </translation>
    </message>
    <message>
        <source>now</source>
        <translation>now</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Add a user</source>
        <translation>Add a user</translation>
    </message>
    <message>
        <source>Change the password</source>
        <translation>Change the password</translation>
    </message>
    <message>
        <source>user@example.com</source>
        <translation>user@example.com</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>&amp;Login:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>&amp;Confirm password:</source>
        <translation>&amp;Confirm password:</translation>
    </message>
    <message>
        <source>May send mail to any domain once authenticated</source>
        <translation>May send mail to any domain once authenticated</translation>
    </message>
    <message>
        <source>Relay:</source>
        <translation>Relay:</translation>
    </message>
    <message>
        <source>“%1” is not a valid e-mail address.</source>
        <translation>“%1” is not a valid e-mail address.</translation>
    </message>
    <message>
        <source>The password is empty.</source>
        <translation>The password is empty.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>The two passwords differ.</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Login</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>May relay</source>
        <translation>May relay</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Users</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Add…</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>Add a user</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>Change &amp;password…</translation>
    </message>
    <message>
        <source>Change the password of the selected user</source>
        <translation>Change the password of the selected user</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Delete</translation>
    </message>
    <message>
        <source>Delete the selected user</source>
        <translation>Delete the selected user</translation>
    </message>
    <message>
        <source>User added.</source>
        <translation>User added.</translation>
    </message>
    <message>
        <source>Password of %1 changed.</source>
        <translation>Password of %1 changed.</translation>
    </message>
    <message>
        <source>Delete the user %1?</source>
        <translation>Delete the user %1?</translation>
    </message>
    <message>
        <source>User %1 deleted.</source>
        <translation>User %1 deleted.</translation>
    </message>
</context>
</TS>
