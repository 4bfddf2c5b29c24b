<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AdminDialog</name>
    <message>
        <location filename="../gui/admindialog.cpp" line="+16"/>
        <source>Add an administrator</source>
        <translation>Ajouter un administrateur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change an administrator&apos;s password</source>
        <translation>Changer le mot de passe d’un administrateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>alice</source>
        <translation>alice</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Viewer: reads everything except secrets. Operator: also acts on the queue and changes domains, users, relay IPs, routes and DKIM keys. Administrator: also changes the configuration and the administrators.</source>
        <translation>Lecteur&#xa0;: lit tout sauf les secrets. Opérateur&#xa0;: agit aussi sur la file d’attente et modifie domaines, utilisateurs, IP de relais, routes et clés DKIM. Administrateur&#xa0;: modifie aussi la configuration et les administrateurs.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Role:</source>
        <translation>&amp;Rôle&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Confirm password:</source>
        <translation>&amp;Confirmer le mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Administrator</source>
        <translation>Administrateur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Viewer</source>
        <translation>Lecteur</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The name %1.</source>
        <translation>Le nom %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The password %1.</source>
        <translation>Le mot de passe %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe diffèrent.</translation>
    </message>
</context>
<context>
    <name>AdminsPage</name>
    <message>
        <location filename="../gui/adminspage.cpp" line="+13"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Administrators</source>
        <translation>Administrateurs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add an administrator</source>
        <translation>Ajouter un administrateur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change &amp;password…</source>
        <translation>Changer le mot de &amp;passe…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change the password of the selected administrator</source>
        <translation>Changer le mot de passe de l’administrateur sélectionné</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the selected administrator</source>
        <translation>Supprimer l’administrateur sélectionné</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Administrator added.</source>
        <translation>Administrateur ajouté.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Password of the administrator %1 changed.</source>
        <translation>Mot de passe de l’administrateur %1 changé.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete the administrator %1? They can no longer log in.</source>
        <translation>Supprimer l’administrateur %1&#xa0;? Il ne pourra plus se connecter.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Administrator %1 deleted.</source>
        <translation>Administrateur %1 supprimé.</translation>
    </message>
</context>
<context>
    <name>CertificateQuestion</name>
    <message>
        <location filename="../gui/connectdialog.cpp" line="+246"/>
        <source>Server certificate</source>
        <translation>Certificat du serveur</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>First connection to %1.</source>
        <translation>Première connexion à %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Its certificate has the SHA-256 fingerprint:
%1

Compare it with the one in the daemon&apos;s log (&quot;remote manager listening on …&quot;) before you trust it. Once trusted, it is remembered and checked at every connection.</source>
        <translation>Son certificat a l’empreinte SHA-256&#xa0;:
%1

Comparez-la avec celle du journal du démon («&#xa0;remote manager listening on …&#xa0;») avant de lui faire confiance. Une fois approuvé, il est mémorisé et vérifié à chaque connexion.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Trust this certificate</source>
        <translation>&amp;Faire confiance à ce certificat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The certificate of %1 has changed!</source>
        <translation>Le certificat de %1 a changé&#xa0;!</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Someone may be impersonating the server to capture your password, or the certificate was replaced. The connection was refused.

Trusted fingerprint:
%1

Fingerprint now presented:
%2

Trust the new certificate only if you know it was replaced.</source>
        <translation>Quelqu’un se fait peut-être passer pour le serveur afin de capturer votre mot de passe, ou le certificat a été remplacé. La connexion a été refusée.

Empreinte approuvée&#xa0;:
%1

Empreinte présentée maintenant&#xa0;:
%2

Ne faites confiance au nouveau certificat que si vous savez qu’il a été remplacé.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Trust the &amp;new certificate</source>
        <translation>Faire confiance au &amp;nouveau certificat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Refuse</source>
        <translation>&amp;Refuser</translation>
    </message>
</context>
<context>
    <name>Config</name>
    <message>
        <location filename="../shared/config/configregistry.cpp" line="+12"/>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Store (bodies of queued messages)</source>
        <translation>Stockage (corps des messages en file d’attente)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>smtpd: receiving mail</source>
        <translation>smtpd&#xa0;: réception du courrier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>deliverd: sending mail</source>
        <translation>deliverd&#xa0;: envoi du courrier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DNS</source>
        <translation>DNS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Manager</source>
        <translation>Gestionnaire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Monitoring</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Accepted: true or false.</source>
        <translation>Valeurs admises&#xa0;: true ou false.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Accepted: %1 to %2.</source>
        <translation>Valeurs admises&#xa0;: de %1 à %2.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Host name used in the greeting, HELO/EHLO and Received headers (required).</source>
        <translation>Nom d’hôte utilisé dans la bannière, HELO/EHLO et les en-têtes Received (obligatoire).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set it to the reverse DNS name of the server&apos;s IP address.
Accepted: a host name (letters, digits, &apos;-&apos; and &apos;.&apos;), not an IP address.</source>
        <translation>Indiquez le nom DNS inverse de l’adresse IP du serveur.
Valeurs admises&#xa0;: un nom d’hôte (lettres, chiffres, «&#xa0;-&#xa0;» et «&#xa0;.&#xa0;»), pas une adresse IP.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Log debug lines as well.</source>
        <translation>Journaliser aussi les lignes de débogage.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Where logs go: stdout or an existing directory (tmail.log in it).</source>
        <translation>Destination du journal&#xa0;: stdout ou un répertoire existant (tmail.log y est écrit).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tmail appends to tmail.log in that directory, which must be writable.</source>
        <translation>tmail ajoute ses lignes à tmail.log dans ce répertoire, qui doit être accessible en écriture.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>User to run as after binding the ports when started as root (empty: stay).</source>
        <translation>Utilisateur adopté après l’ouverture des ports si tmail démarre en root (vide&#xa0;: aucun changement).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accepted: empty (stay as the starting user) or a system user name, like tmail.</source>
        <translation>Valeurs admises&#xa0;: vide (rester l’utilisateur de départ) ou un nom d’utilisateur système, comme tmail.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Database backend: sqlite3, mysql or postgres.</source>
        <translation>Moteur de base de données&#xa0;: sqlite3, mysql ou postgres.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mysql also serves MariaDB.</source>
        <translation>mysql sert aussi pour MariaDB.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sqlite file path, or &quot;host=… port=… user=… password=… dbname=…&quot;.</source>
        <translation>Chemin du fichier sqlite, ou «&#xa0;host=… port=… user=… password=… dbname=…&#xa0;».</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sqlite3: the path of the database file, like db/tmail.db.
mysql, postgres: &quot;host=HOST port=PORT user=USER password=PASSWORD dbname=NAME&quot;
(values may be single-quoted).</source>
        <translation>sqlite3&#xa0;: le chemin du fichier de la base, comme db/tmail.db.
mysql, postgres&#xa0;: «&#xa0;host=HÔTE port=PORT user=UTILISATEUR password=MOT_DE_PASSE dbname=NOM&#xa0;»
(les valeurs peuvent être entre apostrophes).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Key file that encrypts the routes&apos; SMTP passwords in the database.</source>
        <translation>Fichier de la clé qui chiffre les mots de passe SMTP des routes dans la base.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Made (mode 0600) the first time a route gets a password.
Every node of a cluster needs a copy of this file, and so does a backup of the database.</source>
        <translation>Créé (mode 0600) la première fois qu&apos;une route reçoit un mot de passe.
Chaque nœud d&apos;une grappe a besoin d&apos;une copie de ce fichier, tout comme une sauvegarde de la base.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Where queued message bodies are kept: disk or database.</source>
        <translation>Où sont gardés les corps des messages en file d’attente : disk (disque) ou database (base de données).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>disk: one file per message under TMAIL_STORE_SOURCE.
database: in the configured database, committed with the queue rows; every node of a cluster can then deliver every message.
`tmail store migrate --to database|disk` moves what is queued (tmail stopped).</source>
        <translation>disk : un fichier par message sous TMAIL_STORE_SOURCE.
database : dans la base de données configurée, validés avec les lignes de la file d’attente ; chaque nœud d’une grappe peut alors remettre chaque message.
`tmail store migrate --to database|disk` déplace ce qui est en file d’attente (tmail arrêté).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Directory of the disk store (created if missing).</source>
        <translation>Répertoire du stockage sur disque (créé s’il manque).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted: a directory path tmail may write in.</source>
        <translation>Valeurs admises&#xa0;: le chemin d’un répertoire où tmail peut écrire.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>smtpd listeners IP:PORT:SSL separated by &apos;,&apos; or &apos;;&apos; ([::1]:2525:false for IPv6).</source>
        <translation>Écoutes smtpd IP:PORT:SSL séparées par «&#xa0;,&#xa0;» ou «&#xa0;;&#xa0;» ([::1]:2525:false pour IPv6).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SSL=true means TLS from the first byte (SMTPS, usually port 465);
SSL=false means clear text with STARTTLS offered (ports 25 and 587).</source>
        <translation>SSL=true&#xa0;: TLS dès le premier octet (SMTPS, en général le port 465)&#xa0;;
SSL=false&#xa0;: en clair avec STARTTLS proposé (ports 25 et 587).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Seconds of client silence before 421 and close.</source>
        <translation>Secondes de silence du client avant 421 et fermeture.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each complete line (a command, or a line of message data) must come in that time: silence and a client that trickles one byte at a time (slowloris) are both cut off.</source>
        <translation>Chaque ligne complète (une commande ou une ligne du message) doit arriver dans ce délai&#xa0;: le silence comme un client qui envoie un octet à la fois (slowloris) sont coupés.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Largest message in bytes, advertised with SIZE (0: no limit).</source>
        <translation>Taille maximale d’un message en octets, annoncée par SIZE (0&#xa0;: aucune limite).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Received headers before a mail loop is declared.</source>
        <translation>Nombre d’en-têtes Received au-delà duquel une boucle est déclarée.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recipients per transaction (0: no limit).</source>
        <translation>Destinataires par transaction (0&#xa0;: aucune limite).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refused recipients before the session is closed (0: no limit).</source>
        <translation>Destinataires refusés avant la fermeture de la session (0&#xa0;: aucune limite).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Simultaneous incoming sessions.</source>
        <translation>Sessions entrantes simultanées.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beyond that, clients get 421 4.7.0.</source>
        <translation>Au-delà, les clients reçoivent 421 4.7.0.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PEM certificate for STARTTLS and implicit TLS.</source>
        <translation>Certificat PEM pour STARTTLS et le TLS implicite.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The chain may follow the certificate in the file.</source>
        <translation>La chaîne de certification peut suivre le certificat dans le fichier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PEM private key (RSA or EC, unencrypted).</source>
        <translation>Clé privée PEM (RSA ou EC, non chiffrée).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It must match the certificate of TMAIL_SMTPD_TLS_CERT.</source>
        <translation>Elle doit correspondre au certificat de TMAIL_SMTPD_TLS_CERT.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>TLS 1.2 cipher suites offered by the listeners and used by deliverd.</source>
        <translation>Suites de chiffrement TLS 1.2 proposées par les points d’écoute et utilisées par deliverd.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An OpenSSL cipher string (see `openssl ciphers -v &apos;STRING&apos;`). TLS 1.3 is always offered with its own suites. The default is Mozilla&apos;s &quot;intermediate&quot; profile, forward secrecy with AES-GCM or ChaCha20-Poly1305 only, graded A by scanners.
Accepted: a cipher string that selects at least one suite, like &quot;HIGH:!aNULL&quot;.</source>
        <translation>Une chaîne de chiffrements OpenSSL (voir `openssl ciphers -v &apos;CHAÎNE&apos;`). TLS 1.3 est toujours proposé avec ses propres suites. Par défaut, le profil « intermediate » de Mozilla : confidentialité persistante avec AES-GCM ou ChaCha20-Poly1305 uniquement, noté A par les scanners.
Valeurs admises : une chaîne qui retient au moins une suite, comme « HIGH:!aNULL ».</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Failed AUTH attempts from one IP before it is refused.</source>
        <translation>Échecs d’AUTH depuis une même IP avant qu’elle soit refusée.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seconds an IP stays refused after too many failed AUTHs.</source>
        <translation>Secondes pendant lesquelles une IP reste refusée après trop d’échecs d’AUTH.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Source addresses for delivery: a|b random, a&amp;b failover.</source>
        <translation>Adresses sources pour la livraison&#xa0;: a|b au hasard, a&amp;b en secours.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;a|b&quot;: one picked at random per connection (repeat one to weight it: a|a|b);
&quot;a&amp;b&quot;: a first, b when a fails. Both combine: &quot;a|b&amp;c&quot;.
Accepted: IPv4 or IPv6 addresses; 0.0.0.0 lets the system choose.</source>
        <translation>«&#xa0;a|b&#xa0;»&#xa0;: l’une tirée au hasard à chaque connexion (répétez-en une pour la pondérer&#xa0;: a|a|b)&#xa0;;
«&#xa0;a&amp;b&#xa0;»&#xa0;: a d’abord, b si a échoue. Les deux se combinent&#xa0;: «&#xa0;a|b&amp;c&#xa0;».
Valeurs admises&#xa0;: des adresses IPv4 ou IPv6&#xa0;; 0.0.0.0 laisse le système choisir.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Concurrent outgoing deliveries.</source>
        <translation>Livraisons sortantes simultanées.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seconds allowed for each step of an outgoing SMTP session.</source>
        <translation>Secondes accordées à chaque étape d’une session SMTP sortante.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Minutes a message may wait in the queue before it bounces.</source>
        <translation>Minutes d’attente en file avant que le message soit abandonné et qu’un avis de non-remise soit envoyé à l’expéditeur.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How long a message waits before its sender is told it is late (0: never).</source>
        <translation>Attente d’un message avant que son expéditeur soit prévenu du retard (0 : jamais).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One delay notice (RFC 3464, Action: delayed, from tpl/delay.tpl) per late recipient, never to the null sender nor when the recipient&apos;s NOTIFY leaves DELAY out.
Accepted: 0 or a whole number with s, m, h or d, like 30m or 4h.</source>
        <translation>Un avis de retard (RFC 3464, Action: delayed, d’après tpl/delay.tpl) par destinataire en retard, jamais à l’expéditeur nul &lt;&gt; ni quand le NOTIFY du destinataire exclut DELAY.
Valeurs admises : 0 ou un nombre entier suivi de s, m, h ou d, comme 30m ou 4h.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Seconds a node&apos;s claim on a queued message lasts unless renewed.</source>
        <translation>Secondes que dure la prise d’un message en file d’attente par un nœud, sauf renouvellement.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Renewed while the delivery runs; when a node dies, its messages go to the other nodes once this has passed.</source>
        <translation>Renouvelée pendant la remise ; quand un nœud meurt, ses messages passent aux autres nœuds une fois ce délai écoulé.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This node&apos;s name in the queue&apos;s claims and in `tmail nodes`.</source>
        <translation>Le nom de ce nœud dans les prises de la file d’attente et dans `tmail nodes`.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: the host name and the first listener&apos;s port, like mx1:25.
Accepted: up to 64 printable characters without spaces, unique in the cluster.</source>
        <translation>Vide : le nom d’hôte et le port du premier écouteur, comme mx1:25.
Accepté : jusqu’à 64 caractères imprimables sans espace, unique dans la grappe.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Accept any remote TLS certificate.</source>
        <translation>Accepter tout certificat TLS distant.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most mail servers use self-signed certificates.</source>
        <translation>La plupart des serveurs de messagerie utilisent des certificats auto-signés.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Go on in clear text when STARTTLS fails.</source>
        <translation>Continuer en clair quand STARTTLS échoue.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DANE for delivery through MX (RFC 7672).</source>
        <translation>DANE pour la livraison par MX (RFC 7672).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With &quot;auto&quot;, when the MX answer, the MX host&apos;s address and its TLSA records are DNSSEC-authenticated (AD bit of the resolvers in TMAIL_DNS_SERVERS, which must be a local validating resolver), STARTTLS is mandatory and the certificate must match the TLSA records, else the message waits (4.7.5).
Accepted: auto or off.</source>
        <translation>Avec « auto », quand la réponse MX, l’adresse de l’hôte MX et ses enregistrements TLSA sont authentifiés par DNSSEC (bit AD des résolveurs de TMAIL_DNS_SERVERS, qui doivent être un résolveur local validant), STARTTLS est obligatoire et le certificat doit correspondre aux enregistrements TLSA ; sinon le message est différé (4.7.5).
Valeurs admises : auto ou off.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>MTA-STS for delivery through MX (RFC 8461).</source>
        <translation>MTA-STS pour la livraison par MX (RFC 8461).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The policy of _mta-sts.DOMAIN is fetched over HTTPS, cached and enforced. DANE wins when both apply.
Accepted: on or off.</source>
        <translation>La politique de _mta-sts.DOMAINE est récupérée en HTTPS, mise en cache et appliquée. DANE l’emporte quand les deux s’appliquent.
Valeurs admises : on ou off.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PEM file of CA certificates trusted besides the system&apos;s.</source>
        <translation>Fichier PEM de certificats d’autorité reconnus en plus de ceux du système.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For MTA-STS policy fetches and MX certificates (empty: the system&apos;s only).</source>
        <translation>Pour la récupération des politiques MTA-STS et les certificats des MX (vide : ceux du système uniquement).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Concurrent deliveries to one destination (recipient domain).</source>
        <translation>Remises simultanées vers une même destination (domaine du destinataire).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>`tmail throttle add` overrides it per domain or MX host pattern. A 421 or a &quot;too many&quot; 4xx from the destination halves it for a while.</source>
        <translation>`tmail throttle add` la remplace par domaine ou par motif d’hôte MX. Un 421 ou un 4xx «&#xa0;too many&#xa0;» de la destination la divise par deux pendant un moment.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Messages per minute to one destination (0: no limit).</source>
        <translation>Messages par minute vers une même destination (0&#xa0;: sans limite).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>`tmail throttle add` overrides it per domain or MX host pattern.</source>
        <translation>`tmail throttle add` la remplace par domaine ou par motif d’hôte MX.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>LMTP server for the local domains (rcpthost -l), empty: none.</source>
        <translation>Serveur LMTP des domaines locaux (rcpthost -l), vide&#xa0;: aucun.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mail for a local domain goes there over LMTP (RFC 2033), as Dovecot&apos;s lmtp service takes it; one answer per recipient.
Accepted: empty, unix:/PATH, HOST:PORT or [IPv6]:PORT.</source>
        <translation>Le courrier d’un domaine local y est remis en LMTP (RFC 2033), comme le service lmtp de Dovecot le reçoit&#xa0;; une réponse par destinataire.
Valeurs admises&#xa0;: vide, unix:/CHEMIN, HÔTE:PORT ou [IPv6]:PORT.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>How smtpd checks a local recipient at RCPT: lmtp, users or off.</source>
        <translation>Comment smtpd vérifie un destinataire local au RCPT&#xa0;: lmtp, users ou off.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lmtp asks the LMTP server (RCPT probe, answers kept a minute), users looks in tmail&apos;s users table, off accepts every address. An unknown recipient gets 550 5.1.1; an LMTP server that does not answer, 451 4.4.1.
Accepted: empty (lmtp when TMAIL_LMTP_TARGET is set, else off), lmtp, users or off.</source>
        <translation>lmtp interroge le serveur LMTP (sonde RCPT, réponses gardées une minute), users cherche dans la table des utilisateurs de tmail, off accepte toute adresse. Un destinataire inconnu reçoit 550 5.1.1&#xa0;; un serveur LMTP qui ne répond pas, 451 4.4.1.
Valeurs admises&#xa0;: vide (lmtp si TMAIL_LMTP_TARGET est défini, sinon off), lmtp, users ou off.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>DNS resolvers IP[:PORT] (empty: the system&apos;s).</source>
        <translation>Résolveurs DNS IP[:PORT] (vide&#xa0;: ceux du système).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>They find the MX records. Write [IPv6]:PORT for IPv6 and separate them with &apos;,&apos;, &apos;;&apos; or spaces, like &quot;127.0.0.1:53,[::1]:53&quot;.</source>
        <translation>Ils trouvent les enregistrements MX. Écrivez [IPv6]:PORT pour IPv6 et séparez-les par «&#xa0;,&#xa0;», «&#xa0;;&#xa0;» ou des espaces, comme «&#xa0;127.0.0.1:53,[::1]:53&#xa0;».</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name of the local socket the manager connects to.</source>
        <translation>Nom de la socket locale à laquelle se connecte le gestionnaire.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only the user running tmail may connect.
Accepted: a name, like tmail-manager, or an absolute socket path.</source>
        <translation>Seul l’utilisateur qui exécute tmail peut s’y connecter.
Valeurs admises&#xa0;: un nom, comme tmail-manager, ou le chemin absolu d’un socket.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Address where a remote tmail-manager connects over TLS (empty: off).</source>
        <translation>Adresse où un tmail-manager distant se connecte en TLS (vide&#xa0;: désactivé).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It speaks TLS from the first byte and asks for an administrator&apos;s name and password (tmail admin add).
Accepted: empty, IP:PORT or [IPv6]:PORT, like 192.0.2.10:9930.</source>
        <translation>Elle parle TLS dès le premier octet et demande le nom et le mot de passe d’un administrateur (tmail admin add).
Valeurs admises&#xa0;: vide, IP:PORT ou [IPv6]:PORT, par exemple 192.0.2.10:9930.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>PEM certificate of the remote manager listener (empty: smtpd&apos;s).</source>
        <translation>Certificat PEM du point d’écoute du gestionnaire distant (vide&#xa0;: celui de smtpd).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set it together with TMAIL_MANAGER_TLS_KEY.</source>
        <translation>À définir avec TMAIL_MANAGER_TLS_KEY.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PEM private key of the remote manager listener (empty: smtpd&apos;s).</source>
        <translation>Clé privée PEM du point d’écoute du gestionnaire distant (vide&#xa0;: celle de smtpd).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>It must match the certificate of TMAIL_MANAGER_TLS_CERT.</source>
        <translation>Elle doit correspondre au certificat de TMAIL_MANAGER_TLS_CERT.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Address where Prometheus reads tmail&apos;s metrics (empty: off).</source>
        <translation>Adresse où Prometheus lit les métriques de tmail (vide&#xa0;: désactivé).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tmail answers GET /metrics there in the Prometheus text format, over plain HTTP without authentication: keep it on a loopback or private address.
Accepted: empty, IP:PORT or [IPv6]:PORT, like 127.0.0.1:9925.</source>
        <translation>tmail y répond à GET /metrics au format texte de Prometheus, en HTTP simple sans authentification&#xa0;: gardez-la sur une adresse de boucle locale ou privée.
Valeurs admises&#xa0;: vide, IP:PORT ou [IPv6]:PORT, comme 127.0.0.1:9925.</translation>
    </message>
</context>
<context>
    <name>ConfigField</name>
    <message>
        <location filename="../gui/configfield.cpp" line="+53"/>
        <source>Enabled</source>
        <translation>Activé</translation>
    </message>
    <message>
        <location line="+109"/>
        <source>Add listener</source>
        <translation>Ajouter une écoute</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove listener</source>
        <translation>Retirer l’écoute</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>IP address</source>
        <translation>Adresse IP</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+128"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="-128"/>
        <source>TLS from the first byte</source>
        <translation>TLS dès le premier octet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>listeners</source>
        <translation>écoutes</translation>
    </message>
    <message>
        <location line="+111"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
</context>
<context>
    <name>ConfigPage</name>
    <message>
        <location filename="../gui/configpage.cpp" line="+22"/>
        <source>&amp;Save</source>
        <translation>Enre&amp;gistrer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Revert</source>
        <translation>&amp;Annuler les modifications</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save the configuration</source>
        <translation>Enregistrer la configuration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Validate and write tmail.cfg (%1)</source>
        <translation>Valider et écrire tmail.cfg (%1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revert the changes</source>
        <translation>Annuler les modifications</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Configuration message</source>
        <translation>Message de la configuration</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
    <message>
        <location line="+110"/>
        <source>Set in tmail&apos;s environment, which wins over the file: change it where tmail is started.</source>
        <translation>Défini dans l’environnement de tmail, qui l’emporte sur le fichier : changez-le là où tmail est lancé.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Changed in the file; tmail runs with “%1” until it restarts.</source>
        <translation>Modifié dans le fichier&#xa0;; tmail fonctionne avec «&#xa0;%1&#xa0;» jusqu’à son redémarrage.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>tmail took its settings from the environment: they can be read here but not changed.</source>
        <translation>tmail a pris ses réglages dans l’environnement&#xa0;: ils sont visibles ici mais non modifiables.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+96"/>
        <source>Restart tmail to apply: %1</source>
        <translation>Redémarrez tmail pour appliquer&#xa0;: %1</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>Settings of %1. Read-only, set in tmail&apos;s environment: %2</source>
        <translation>Réglages de %1. En lecture seule, définis dans l’environnement de tmail : %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settings of %1</source>
        <translation>Réglages de %1</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Nothing to save.</source>
        <translation>Rien à enregistrer.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <location line="-145"/>
        <source>Applied as soon as it is saved.</source>
        <translation>Appliqué dès l’enregistrement.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Applied when tmail restarts.</source>
        <translation>Appliqué au redémarrage de tmail.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Changed in the file; tmail runs with “%1” until it reloads the file.</source>
        <translation>Modifié dans le fichier&#xa0;; tmail fonctionne avec «&#xa0;%1&#xa0;» jusqu’à ce qu’il relise le fichier.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Save or reload tmail to apply: %1</source>
        <translation>Enregistrez ou rechargez tmail pour appliquer&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>Applied now: %1</source>
        <translation>Appliqué immédiatement&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not applied, tmail keeps the running value: %1</source>
        <translation>Non appliqué, tmail garde la valeur en cours&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details: %1</source>
        <translation>Détails&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>ConnectDialog</name>
    <message>
        <location filename="../gui/connectdialog.cpp" line="-230"/>
        <source>&amp;This computer (local socket)</source>
        <translation>Ce &amp;poste (socket local)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remote server (TLS)</source>
        <translation>Serveur &amp;distant (TLS)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Connect to tmail</source>
        <translation>Se connecter à tmail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer (local socket)</source>
        <translation>Ce poste (socket local)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remote server (TLS)</source>
        <translation>Serveur distant (TLS)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>mail.example.com</source>
        <translation>mail.example.com</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(new server)</source>
        <translation>(nouveau serveur)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Socket:</source>
        <translation>&amp;Socket&#xa0;:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sa&amp;ved servers:</source>
        <translation>Serveurs &amp;enregistrés&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Host:</source>
        <translation>&amp;Hôte&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Port:</source>
        <translation>P&amp;ort&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Administrator:</source>
        <translation>&amp;Administrateur&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pass&amp;word:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The password is sent over TLS and never saved.</source>
        <translation>Le mot de passe est envoyé par TLS et n’est jamais enregistré.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Connect</source>
        <translation>Se &amp;connecter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Enter the name or path of the daemon&apos;s socket.</source>
        <translation>Saisissez le nom ou le chemin du socket du démon.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter the host name or IP address of the server.</source>
        <translation>Saisissez le nom d’hôte ou l’adresse IP du serveur.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the administrator&apos;s name (letters a-z, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;).</source>
        <translation>Saisissez le nom de l’administrateur (lettres a-z, chiffres, «&#xa0;.&#xa0;», «&#xa0;_&#xa0;» et «&#xa0;-&#xa0;»).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the password.</source>
        <translation>Saisissez le mot de passe.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message numerus="yes">
        <location filename="../gui/dashboardpage.cpp" line="+29"/>
        <source>%n day(s), %1</source>
        <translation>
            <numerusform>%n jour, %1</numerusform>
            <numerusform>%n jours, %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 d %2 h</source>
        <translation>%1 j %2 h</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Connection state</source>
        <translation>État de la connexion</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Daemon</source>
        <translation>Démon</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Software:</source>
        <translation>Logiciel&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host name:</source>
        <translation>Nom d’hôte&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Running for:</source>
        <translation>En service depuis&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Listeners:</source>
        <translation>Points d’écoute&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Configuration:</source>
        <translation>Configuration&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database:</source>
        <translation>Base de données&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Manager socket:</source>
        <translation>Socket du gestionnaire&#xa0;:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Counters</source>
        <translation>Compteurs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SMTP sessions now:</source>
        <translation>Sessions SMTP en cours&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages accepted:</source>
        <translation>Messages acceptés&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recipients delivered:</source>
        <translation>Destinataires livrés&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bounces:</source>
        <translation>Avis de non-remise&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages in the queue:</source>
        <translation>Messages en file d’attente&#xa0;:</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+1"/>
        <source>Deliveries by TLS</source>
        <translation>Remises par TLS</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DANE:</source>
        <translation>DANE&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MTA-STS:</source>
        <translation>MTA-STS&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opportunistic TLS:</source>
        <translation>TLS opportuniste&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear text:</source>
        <translation>En clair&#xa0;:</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+1"/>
        <source>Throughput</source>
        <translation>Débit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last hour</source>
        <translation>Dernière heure</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 6 hours</source>
        <translation>6 dernières heures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation>24 dernières heures</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show:</source>
        <translation>Afficher&#xa0;:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>TLS share</source>
        <translation>Part de TLS</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+1"/>
        <location line="+3"/>
        <source>Queue by destination</source>
        <translation>File d’attente par destination</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Oldest</source>
        <translation>Le plus ancien</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <location line="+2"/>
        <source>Nodes</source>
        <translation>Nœuds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last heartbeat</source>
        <translation>Dernier signal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Claims</source>
        <translation>Réservations</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Connected to tmail on %1</source>
        <translation>Connecté à tmail sur %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not connected.</source>
        <translation>Non connecté.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not connected: %1</source>
        <translation>Non connecté&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>environment variables</source>
        <translation>variables d’environnement</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1, source: %2</source>
        <translation>%1, source&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 (%2 %)</source>
        <extracomment>A number of deliveries and their share of all, e.g. &quot;12 (40 %)&quot;.</extracomment>
        <translation>%1 (%2&#xa0;%)</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>TLS: %1 % of accepted messages, %2 % of delivery sessions</source>
        <extracomment>The share of messages received and of delivery sessions that had TLS, e.g. &quot;TLS: 80 % of …&quot;.</extracomment>
        <translation>TLS&#xa0;: %1&#xa0;% des messages acceptés, %2&#xa0;% des sessions de livraison</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>running</source>
        <translation>en marche</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stopped</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>silent</source>
        <extracomment>A node that sends no heartbeat any more (its claims go to the other nodes).</extracomment>
        <translation>muet</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 ago</source>
        <extracomment>How long ago a node&apos;s last heartbeat was, e.g. &quot;12 s ago&quot;.</extracomment>
        <translation>il y a %1</translation>
    </message>
</context>
<context>
    <name>DkimKeyDialog</name>
    <message>
        <location filename="../gui/dkimkeydialog.cpp" line="+16"/>
        <source>Add DKIM keys</source>
        <translation>Ajouter des clés DKIM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>example.com</source>
        <translation>exemple.fr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>automatic (tmail + year and month)</source>
        <translation>automatique (tmail + année et mois)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>RSA and Ed25519</source>
        <translation>RSA et Ed25519</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>RSA</source>
        <translation>RSA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ed25519</source>
        <translation>Ed25519</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 bits</source>
        <translation>%1 bits</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Domain:</source>
        <translation>&amp;Domaine&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Selector:</source>
        <translation>&amp;Sélecteur&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Algorithm:</source>
        <translation>&amp;Algorithme&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;RSA key size:</source>
        <translation>Taille de la clé &amp;RSA&#xa0;:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>“%1” is not a domain name of at least two labels (example.com).</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom de domaine d’au moins deux niveaux (exemple.fr).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>“%1” is not a selector: letters, digits and “-” (not first or last), at most 63 characters (59 with both algorithms).</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un sélecteur&#xa0;: lettres, chiffres et «&#xa0;-&#xa0;» (ni au début ni à la fin), 63 caractères au plus (59 avec les deux algorithmes).</translation>
    </message>
</context>
<context>
    <name>DkimPage</name>
    <message>
        <location filename="../gui/dkimpage.cpp" line="+32"/>
        <source>DNS TXT records to p&amp;ublish:</source>
        <translation>Enregistrements TXT à p&amp;ublier&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Selector</source>
        <translation>Sélecteur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Algorithm</source>
        <translation>Algorithme</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>RSA, %1 bits</source>
        <translation>RSA, %1 bits</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ed25519</source>
        <translation>Ed25519</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Created</source>
        <translation>Créée le</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Signing</source>
        <translation>Signature</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>active</source>
        <translation>active</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>retired</source>
        <translation>retirée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DNS</source>
        <translation>DNS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DKIM keys</source>
        <translation>Clés DKIM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Make DKIM keys for a domain</source>
        <translation>Créer des clés DKIM pour un domaine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Rotate</source>
        <translation>&amp;Renouveler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Make new keys for the selected key&apos;s domain; the old ones stop signing</source>
        <translation>Créer de nouvelles clés pour le domaine de la clé choisie&#xa0;; les anciennes ne signent plus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the selected key</source>
        <translation>Supprimer la clé choisie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Check DNS</source>
        <translation>&amp;Vérifier le DNS</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Look up the selected key&apos;s domain in DNS</source>
        <translation>Chercher dans le DNS les enregistrements du domaine de la clé choisie</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Select a key to see the records of its domain.</source>
        <translation>Choisissez une clé pour voir les enregistrements de son domaine.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DNS TXT records to publish</source>
        <translation>Enregistrements TXT à publier</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>C&amp;opy</source>
        <translation>C&amp;opier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the DNS records to the clipboard</source>
        <translation>Copier les enregistrements DNS dans le presse-papiers</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>not checked</source>
        <translation>non vérifié</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>published</source>
        <translation>publié</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>missing</source>
        <translation>absent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>different key</source>
        <translation>autre clé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no answer from DNS</source>
        <translation>pas de réponse du DNS</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The DNS records of %1 are in the clipboard.</source>
        <translation>Les enregistrements DNS de %1 sont dans le presse-papiers.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Keys %1 added for %2: publish the DNS records below.</source>
        <translation>Clés %1 ajoutées pour %2&#xa0;: publiez les enregistrements DNS ci-dessous.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Make new DKIM keys for %1? They sign from now on; publish their records at once. The old keys stop signing and stay listed until you delete them.</source>
        <translation>Créer de nouvelles clés DKIM pour %1&#xa0;? Elles signent dès maintenant&#xa0;; publiez tout de suite leurs enregistrements. Les anciennes clés ne signent plus et restent dans la liste jusqu’à ce que vous les supprimiez.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has no active DKIM key to rotate: add keys instead.</source>
        <translation>%1 n’a aucune clé DKIM active à renouveler&#xa0;: ajoutez plutôt des clés.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Keys %1 now sign for %2: publish the DNS records below.</source>
        <translation>Les clés %1 signent désormais pour %2&#xa0;: publiez les enregistrements DNS ci-dessous.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Delete the DKIM key %1 of %2? Mail it signed no longer verifies once its DNS record is removed.</source>
        <translation>Supprimer la clé DKIM %1 de %2&#xa0;? Le courrier qu’elle a signé ne sera plus vérifiable une fois son enregistrement DNS retiré.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>DKIM key %1 of %2 deleted.</source>
        <translation>Clé DKIM %1 de %2 supprimée.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Looking up the records of %1 in DNS…</source>
        <translation>Recherche des enregistrements de %1 dans le DNS…</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>DNS serves the records of every key of %1.</source>
        <translation>Le DNS publie les enregistrements de toutes les clés de %1.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DNS serves the records of %1 of the %2 keys of %3: publish the others.</source>
        <translation>Le DNS publie les enregistrements de %1 des %2 clés de %3&#xa0;: publiez les autres.</translation>
    </message>
</context>
<context>
    <name>DomainDialog</name>
    <message>
        <location filename="../gui/domaindialog.cpp" line="+12"/>
        <source>Deliver mail for this domain locally</source>
        <translation>Livrer localement le courrier de ce domaine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a domain</source>
        <translation>Ajouter un domaine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>example.com</source>
        <translation>exemple.fr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Domain:</source>
        <translation>&amp;Domaine&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local:</source>
        <translation>Local&#xa0;:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>“%1” is not a valid domain name.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom de domaine valide.</translation>
    </message>
</context>
<context>
    <name>DomainsPage</name>
    <message>
        <location filename="../gui/domainspage.cpp" line="+11"/>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delivery</source>
        <translation>Livraison</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>local</source>
        <translation>locale</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>relayed</source>
        <translation>relayée</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Domains</source>
        <translation>Domaines</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a domain</source>
        <translation>Ajouter un domaine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the selected domain</source>
        <translation>Supprimer le domaine sélectionné</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Domain added.</source>
        <translation>Domaine ajouté.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete the domain %1? Mail for it will be refused.</source>
        <translation>Supprimer le domaine %1&#xa0;? Son courrier sera refusé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Domain %1 deleted.</source>
        <translation>Domaine %1 supprimé.</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <location filename="../gui/logmodel.cpp" line="+125"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Level</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <location filename="../gui/logspage.cpp" line="+28"/>
        <location line="+63"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>L&amp;evel:</source>
        <translation>&amp;Niveau&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All levels</source>
        <translation>Tous les niveaux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Info and above</source>
        <translation>Info et au-dessus</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings and errors</source>
        <translation>Avertissements et erreurs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors only</source>
        <translation>Erreurs seulement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Minimum level</source>
        <translation>Niveau minimal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F&amp;ilter:</source>
        <translation>Fil&amp;tre&#xa0;:</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Cle&amp;ar</source>
        <translation>Eff&amp;acer</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Text in the message</source>
        <translation>Texte dans le message</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter text</source>
        <translation>Texte du filtre</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>Clear the filter</source>
        <translation>Effacer le filtre</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pause the live log</source>
        <translation>Mettre en pause le journal en direct</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Copy the selected lines</source>
        <translation>Copier les lignes sélectionnées</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>Clear the log view</source>
        <translation>Effacer l’affichage du journal</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Log lines</source>
        <translation>Lignes du journal</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Resume</source>
        <translation>&amp;Reprendre</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../gui/mainwindow.cpp" line="+162"/>
        <source>tmail manager</source>
        <translation>Gestionnaire tmail</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+2"/>
        <source>Pages</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Dashboard</source>
        <translation>Tableau de bord</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration</source>
        <translation>Configuration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Domains</source>
        <translation>Domaines</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relay IPs</source>
        <translation>IP de relais</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Routes</source>
        <translation>Routes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DKIM</source>
        <translation>DKIM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue</source>
        <translation>File d’attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logs</source>
        <translation>Journal</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Refresh</source>
        <translation>Ac&amp;tualiser</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect &amp;to…</source>
        <translation>&amp;Se connecter à…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re&amp;connect</source>
        <translation>Re&amp;connecter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;dministrators…</source>
        <translation>&amp;Administrateurs…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation>Aff&amp;ichage</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About tmail manager</source>
        <translation>À &amp;propos du gestionnaire tmail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About tmail manager</source>
        <translation>À propos du gestionnaire tmail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;p&gt;&lt;b&gt;tmail manager %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Manages a running tmail mail server through its local socket: settings, domains, users, relay IPs, routes, DKIM keys, queue and live log.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Gestionnaire tmail %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Administre un serveur de courrier tmail en marche par sa socket locale&#xa0;: réglages, domaines, utilisateurs, IP de relais, routes, clés DKIM, file d’attente et journal en direct.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Connection state</source>
        <translation>État de la connexion</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>administrator</source>
        <translation>administrateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>operator</source>
        <translation>opérateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>viewer</source>
        <translation>lecteur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connected to %1 over TLS as %2 (%3)</source>
        <translation>Connecté à %1 par TLS en tant que %2 (%3)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connected to %1</source>
        <translation>Connecté à %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not connected</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Administrators</source>
        <translation>Administrateurs</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Cannot create the directory %1.</source>
        <translation>Impossible de créer le répertoire %1.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cannot write %1.</source>
        <translation>Impossible d’écrire %1.</translation>
    </message>
</context>
<context>
    <name>ManagerConnection</name>
    <message>
        <location filename="../gui/managerconnection.cpp" line="+28"/>
        <source>The daemon stopped answering.</source>
        <translation>Le démon ne répond plus.</translation>
    </message>
    <message>
        <location line="+160"/>
        <location line="+32"/>
        <source>No tmail daemon listens on %1.</source>
        <translation>Aucun démon tmail n’écoute sur %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The tmail daemon at %1 refused the connection.</source>
        <translation>Le démon tmail sur %1 a refusé la connexion.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Access to %1 was denied: only the user running tmail may manage it.</source>
        <translation>Accès à %1 refusé&#xa0;: seul l’utilisateur qui exécute tmail peut l’administrer.</translation>
    </message>
    <message>
        <location line="-31"/>
        <location line="+35"/>
        <source>Connection to %1 failed: %2</source>
        <translation>La connexion à %1 a échoué&#xa0;: %2</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>The certificate of %1 is not trusted yet.</source>
        <translation>Le certificat de %1 n’est pas encore approuvé.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The certificate of %1 has changed: the connection was refused.</source>
        <translation>Le certificat de %1 a changé&#xa0;: la connexion a été refusée.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The host %1 was not found.</source>
        <translation>L’hôte %1 est introuvable.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>The connection to the daemon was lost.</source>
        <translation>La connexion au démon a été perdue.</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+221"/>
        <source>Not connected to the daemon.</source>
        <translation>Non connecté au démon.</translation>
    </message>
    <message>
        <location line="-200"/>
        <source>The daemon sent a message that is too large.</source>
        <translation>Le démon a envoyé un message trop grand.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The program at %1 is not a compatible tmail daemon.</source>
        <translation>Le programme sur %1 n’est pas un démon tmail compatible.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The daemon refused this user: only the user running tmail may manage it.</source>
        <translation>Le démon a refusé cet utilisateur&#xa0;: seul l’utilisateur qui exécute tmail peut l’administrer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The daemon speaks another version of the manager protocol.</source>
        <translation>Le démon parle une autre version du protocole du gestionnaire.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The daemon refused the connection.</source>
        <translation>Le démon a refusé la connexion.</translation>
    </message>
    <message>
        <location line="+154"/>
        <source>The value of “%1” is not valid.</source>
        <translation>La valeur de «&#xa0;%1&#xa0;» n’est pas valide.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This entry already exists.</source>
        <translation>Cette entrée existe déjà.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This entry no longer exists.</source>
        <translation>Cette entrée n’existe plus.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The database reported an error.</source>
        <translation>La base de données a signalé une erreur.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The new configuration is not valid.</source>
        <translation>La nouvelle configuration n’est pas valide.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The value of %1 is not valid.</source>
        <translation>La valeur de %1 n’est pas valide.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The daemon took its settings from the environment; there is no configuration file to change.</source>
        <translation>Le démon a pris ses réglages dans l’environnement&#xa0;; il n’y a pas de fichier de configuration à modifier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The daemon could not write a file.</source>
        <translation>Le démon n’a pas pu écrire un fichier.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The daemon cannot do this yet.</source>
        <translation>Le démon ne sait pas encore le faire.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The daemon is busy; try again.</source>
        <translation>Le démon est occupé&#xa0;; réessayez.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your role does not allow this.</source>
        <translation>Votre rôle ne le permet pas.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unknown administrator or wrong password.</source>
        <translation>Administrateur inconnu ou mot de passe erroné.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many failed logins from this address; try again later.</source>
        <translation>Trop d’échecs de connexion depuis cette adresse&#xa0;; réessayez plus tard.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log in first.</source>
        <translation>Connectez-vous d’abord.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request failed.</source>
        <translation>La requête a échoué.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Details: %1</source>
        <translation>Détails&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <location filename="../gui/queuepage.cpp" line="+35"/>
        <source>DANE</source>
        <translation>DANE</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>MTA-STS</source>
        <translation>MTA-STS</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TLS required by the route</source>
        <translation>TLS exigé par la route</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verified TLS required by the route</source>
        <translation>TLS vérifié exigé par la route</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Id</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+66"/>
        <source>Sender</source>
        <translation>Expéditeur</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>Recipients</source>
        <translation>Destinataires</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Received</source>
        <translation>Reçu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attempts</source>
        <translation>Tentatives</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Last error</source>
        <translation>Dernière erreur</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Held by TLS policy</source>
        <translation>Retenu par la politique TLS</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Queue</source>
        <translation>File d’attente</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Show…</source>
        <translation>&amp;Afficher…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Retry</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Retry the selected message now</source>
        <translation>Réessayer maintenant le message sélectionné</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Retry every message now</source>
        <translation>Réessayer maintenant tous les messages</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Retry &amp;all</source>
        <translation>Réessayer &amp;tout</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>&amp;Discard</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Discard the selected message</source>
        <translation>Supprimer le message sélectionné</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>&amp;Previous</source>
        <translation>&amp;Précédents</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous page of the queue</source>
        <translation>Page précédente de la file d’attente</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Queue position</source>
        <translation>Position dans la file d’attente</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>held</source>
        <translation>bloqué</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>being delivered</source>
        <translation>en cours de livraison</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>deferred</source>
        <translation>différé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>queued</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+71"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>Show the selected message: envelope, headers and body</source>
        <translation>Afficher le message sélectionné&#xa0;: enveloppe, en-têtes et corps</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>H&amp;old</source>
        <translation>&amp;Bloquer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hold the selected message: it is not tried until released</source>
        <translation>Bloquer le message sélectionné&#xa0;: il ne sera pas tenté avant d’être débloqué</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rel&amp;ease</source>
        <translation>&amp;Débloquer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Release the selected message: it is tried again</source>
        <translation>Débloquer le message sélectionné&#xa0;: il sera tenté de nouveau</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Re&amp;turn to sender</source>
        <translation>Ret&amp;ourner à l’expéditeur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Give up on the selected message and send its sender a non-delivery report</source>
        <translation>Abandonner le message sélectionné et envoyer un avis de non-remise à son expéditeur</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>example.com or *.example.com</source>
        <translation>example.com ou *.example.com</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>address, &lt;&gt; or domain</source>
        <translation>adresse, &lt;&gt; ou domaine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any</source>
        <translation>Tous</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Do&amp;main:</source>
        <translation>Do&amp;maine&#xa0;:</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Se&amp;nder:</source>
        <translation>E&amp;xpéditeur&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stat&amp;us:</source>
        <translation>Stat&amp;ut&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>F&amp;ilter</source>
        <translation>Appli&amp;quer le filtre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter</source>
        <translation>Appliquer le filtre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show only the messages that match the filter</source>
        <translation>N’afficher que les messages conformes au filtre</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All matchin&amp;g:</source>
        <translation>Tous les messa&amp;ges filtrés&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All matching</source>
        <translation>Tous les messages filtrés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The action for every message the filter selects</source>
        <translation>L’action à appliquer à chaque message retenu par le filtre</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Appl&amp;y…</source>
        <translation>Ex&amp;écuter…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply the chosen action to every message the filter selects</source>
        <translation>Appliquer l’action choisie à chaque message retenu par le filtre</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Previous</source>
        <translation>Précédents</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ne&amp;xt</source>
        <translation>Sui&amp;vants</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next</source>
        <translation>Suivants</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next page of the queue</source>
        <translation>Page suivante de la file d’attente</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hold</source>
        <translation>Bloquer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Release</source>
        <translation>Débloquer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Return to sender</source>
        <translation>Retourner à l’expéditeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Discard</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The sender filter is not an address, &lt;&gt; or a domain.</source>
        <translation>Le filtre d’expéditeur n’est ni une adresse, ni &lt;&gt;, ni un domaine.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The domain filter is not a domain or *.domain pattern.</source>
        <translation>Le filtre de domaine n’est ni un domaine ni un motif *.domaine.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>The queue is empty.</source>
        <translation>La file d’attente est vide.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No message matches.</source>
        <translation>Aucun message ne correspond.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages %1–%2 of %3</source>
        <translation>Messages %1 à %2 sur %3</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Id: %1</source>
        <translation>Identifiant&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sender: %1</source>
        <translation>Expéditeur&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Authenticated user: %1</source>
        <translation>Utilisateur authentifié&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client: %1 (HELO %2)</source>
        <translation>Client&#xa0;: %1 (HELO %2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Size: %1</source>
        <translation>Taille&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Received: %1</source>
        <translation>Reçu&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attempts: %1</source>
        <translation>Tentatives&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next attempt: %1</source>
        <translation>Prochaine tentative&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Held: %1</source>
        <translation>Bloqué&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last error: %1</source>
        <translation>Dernière erreur&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recipients:</source>
        <translation>Destinataires&#xa0;:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>delivered</source>
        <translation>livré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>[The rest of the message is not shown.]</source>
        <translation>[La suite du message n’est pas affichée.]</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Queued message %1</source>
        <translation>Message en file d’attente %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message parts</source>
        <translation>Parties du message</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Message %1 is held: it will not be tried until released.</source>
        <translation>Le message %1 est bloqué&#xa0;: il ne sera pas tenté avant d’être débloqué.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Message %1 is released.</source>
        <translation>Le message %1 est débloqué.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Return message %1 to its sender with a non-delivery report?</source>
        <translation>Retourner le message %1 à son expéditeur avec un avis de non-remise&#xa0;?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message %1 returned to its sender.</source>
        <translation>Message %1 retourné à son expéditeur.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>No message matches the filter.</source>
        <translation>Aucun message n’est conforme au filtre.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2 message(s) match the filter. Go ahead?</source>
        <translation>%1&#xa0;: %2 message(s) conforme(s) au filtre. Continuer&#xa0;?</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: done for %2 message(s).</source>
        <translation>%1&#xa0;: fait pour %2 message(s).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: done for %2 message(s), %3 had left the queue.</source>
        <translation>%1&#xa0;: fait pour %2 message(s)&#xa0;; %3 avaient quitté la file d’attente.</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>Message details</source>
        <translation>Détails du message</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>En&amp;velope</source>
        <translation>&amp;Enveloppe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Headers</source>
        <translation>En-têtes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Headers</source>
        <translation>E&amp;n-têtes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body</source>
        <translation>Corps</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Body</source>
        <translation>&amp;Corps</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Message %1 will be retried now.</source>
        <translation>Nouvelle tentative immédiate pour le message %1.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Every waiting message will be retried now.</source>
        <translation>Nouvelle tentative immédiate pour tous les messages de la file d’attente.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Discard message %1? It will not be delivered.</source>
        <translation>Supprimer le message %1&#xa0;? Il ne sera pas livré.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message %1 discarded.</source>
        <translation>Message %1 supprimé.</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../gui/recorddialog.cpp" line="+25"/>
        <source>Error message</source>
        <translation>Message d’erreur</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>%1: error</source>
        <translation>%1 : erreur</translation>
    </message>
</context>
<context>
    <name>RelayIpDialog</name>
    <message>
        <location filename="../gui/relayipdialog.cpp" line="+11"/>
        <source>Add a relay IP</source>
        <translation>Ajouter une IP de relais</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>192.0.2.10 or 192.0.2.0/24</source>
        <translation>192.0.2.10 ou 192.0.2.0/24</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Address or network:</source>
        <translation>&amp;Adresse ou réseau&#xa0;:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>“%1” is not an IP address or a network like 192.0.2.0/24 (host bits must be zero).</source>
        <translation>«&#xa0;%1&#xa0;» n’est ni une adresse IP ni un réseau comme 192.0.2.0/24 (les bits d’hôte doivent être nuls).</translation>
    </message>
</context>
<context>
    <name>RelayIpsPage</name>
    <message>
        <location filename="../gui/relayipspage.cpp" line="+11"/>
        <source>Address or network</source>
        <translation>Adresse ou réseau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relay IPs</source>
        <translation>IP de relais</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a relay IP</source>
        <translation>Ajouter une IP de relais</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the selected relay IP</source>
        <translation>Supprimer l’IP de relais sélectionnée</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Relay IP added.</source>
        <translation>IP de relais ajoutée.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete the relay IP %1?</source>
        <translation>Supprimer l’IP de relais %1&#xa0;?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Relay IP %1 deleted.</source>
        <translation>IP de relais %1 supprimée.</translation>
    </message>
</context>
<context>
    <name>RouteDialog</name>
    <message>
        <location filename="../gui/routedialog.cpp" line="+25"/>
        <source>Add a route</source>
        <translation>Ajouter une route</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Edit a route</source>
        <translation>Modifier une route</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>example.com</source>
        <translation>exemple.fr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mx.example.com or 192.0.2.25</source>
        <translation>mx.exemple.fr ou 192.0.2.25</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>any sender</source>
        <translation>tout expéditeur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>any user</source>
        <translation>tout utilisateur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the global setting</source>
        <translation>le réglage général</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opportunistic (STARTTLS when offered)</source>
        <translation>Opportuniste (STARTTLS quand il est proposé)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Required (STARTTLS, any certificate)</source>
        <translation>Obligatoire (STARTTLS, tout certificat)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verify (STARTTLS, certificate valid for the host)</source>
        <translation>Vérifié (STARTTLS, certificat valide pour l’hôte)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DANE (certificate matches the host&apos;s TLSA records)</source>
        <translation>DANE (certificat conforme aux enregistrements TLSA de l’hôte)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>unchanged</source>
        <translation>inchangé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Recipient domain:</source>
        <translation>Domaine du &amp;destinataire&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remote &amp;host:</source>
        <translation>&amp;Hôte distant&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remote p&amp;ort:</source>
        <translation>P&amp;ort distant&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pr&amp;iority (lower first):</source>
        <translation>Pr&amp;iorité (la plus basse d’abord)&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Sender domain:</source>
        <translation>Domaine de l’&amp;expéditeur&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Authenticated user:</source>
        <translation>Utilisateur &amp;authentifié&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Local IPs:</source>
        <translation>IP &amp;locales&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;TLS:</source>
        <translation>&amp;TLS&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SMTP &amp;user:</source>
        <translation>&amp;Utilisateur SMTP&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SMTP pass&amp;word:</source>
        <translation>&amp;Mot de passe SMTP&#xa0;:</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+8"/>
        <source>“%1” is not a valid domain name.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas un nom de domaine valide.</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>“%1” is not a host name or an IP address.</source>
        <translation>«&#xa0;%1&#xa0;» n’est ni un nom d’hôte ni une adresse IP.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>“%1” is not a valid e-mail address.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une adresse électronique valide.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>“%1” is not a list of IP addresses separated by | or &amp;.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une liste d’adresses IP séparées par | ou &amp;.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose a TLS policy.</source>
        <translation>Choisissez une politique TLS.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The SMTP user has control characters or is too long.</source>
        <translation>L’utilisateur SMTP contient des caractères de contrôle ou est trop long.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The SMTP password has control characters or is too long.</source>
        <translation>Le mot de passe SMTP contient des caractères de contrôle ou est trop long.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A route with an SMTP user needs a password.</source>
        <translation>Une route avec un utilisateur SMTP demande un mot de passe.</translation>
    </message>
</context>
<context>
    <name>RoutesPage</name>
    <message>
        <location filename="../gui/routespage.cpp" line="+15"/>
        <source>required</source>
        <translation>obligatoire</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>verify</source>
        <translation>vérifié</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DANE</source>
        <translation>DANE</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>opportunistic</source>
        <translation>opportuniste</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Recipient domain</source>
        <translation>Domaine du destinataire</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remote host</source>
        <translation>Hôte distant</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sender domain</source>
        <translation>Domaine de l’expéditeur</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>any</source>
        <translation>tous</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Authenticated user</source>
        <translation>Utilisateur authentifié</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local IPs</source>
        <translation>IP locales</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>global setting</source>
        <translation>réglage général</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SMTP user</source>
        <translation>Utilisateur SMTP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Routes</source>
        <translation>Routes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a route</source>
        <translation>Ajouter une route</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Edit…</source>
        <translation>&amp;Modifier…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Edit the selected route</source>
        <translation>Modifier la route sélectionnée</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move &amp;up</source>
        <translation>Mon&amp;ter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Give the selected route a higher priority</source>
        <translation>Donner une priorité plus haute à la route sélectionnée</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Move do&amp;wn</source>
        <translation>&amp;Descendre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Give the selected route a lower priority</source>
        <translation>Donner une priorité plus basse à la route sélectionnée</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the selected route</source>
        <translation>Supprimer la route sélectionnée</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Route added.</source>
        <translation>Route ajoutée.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Route saved.</source>
        <translation>Route enregistrée.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete the route %1?</source>
        <translation>Supprimer la route %1&#xa0;?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Route %1 deleted.</source>
        <translation>Route %1 supprimée.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Priorities updated.</source>
        <translation>Priorités mises à jour.</translation>
    </message>
</context>
<context>
    <name>TablePage</name>
    <message>
        <location filename="../gui/tablepage.cpp" line="+36"/>
        <source>Page message</source>
        <translation>Message de la page</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>Please confirm</source>
        <translation>Confirmation</translation>
    </message>
</context>
<context>
    <name>ThroughputChart</name>
    <message>
        <location filename="../gui/throughputchart.cpp" line="+22"/>
        <source>Messages per minute chart</source>
        <translation>Graphique des messages par minute</translation>
    </message>
    <message>
        <location line="+86"/>
        <location line="+19"/>
        <source>Messages per minute</source>
        <translation>Messages par minute</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>accepted</source>
        <translation>acceptés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delivered</source>
        <translation>livrés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>deferred</source>
        <translation>différés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bounced</source>
        <translation>non-remises</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refused</source>
        <translation>refusés</translation>
    </message>
    <message numerus="yes">
        <location line="+48"/>
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>il y a %n heure</numerusform>
            <numerusform>il y a %n heures</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>il y a %n minute</numerusform>
            <numerusform>il y a %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>now</source>
        <translation>maintenant</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../gui/userdialog.cpp" line="+18"/>
        <source>Add a user</source>
        <translation>Ajouter un utilisateur</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change the password</source>
        <translation>Changer le mot de passe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>user@example.com</source>
        <translation>utilisateur@exemple.fr</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Login:</source>
        <translation>&amp;Identifiant&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Password:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Confirm password:</source>
        <translation>&amp;Confirmer le mot de passe&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>May send mail to any domain once authenticated</source>
        <translation>Peut envoyer du courrier vers tout domaine une fois authentifié</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Relay:</source>
        <translation>Relais&#xa0;:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>“%1” is not a valid e-mail address.</source>
        <translation>«&#xa0;%1&#xa0;» n’est pas une adresse électronique valide.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The password is empty.</source>
        <translation>Le mot de passe est vide.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The password %1.</source>
        <translation>Le mot de passe %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The two passwords differ.</source>
        <translation>Les deux mots de passe diffèrent.</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../gui/userspage.cpp" line="+13"/>
        <source>Login</source>
        <translation>Identifiant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>May relay</source>
        <translation>Peut relayer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>yes</source>
        <translation>oui</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Created</source>
        <translation>Créé le</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Users</source>
        <translation>Utilisateurs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Add…</source>
        <translation>&amp;Ajouter…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a user</source>
        <translation>Ajouter un utilisateur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change &amp;password…</source>
        <translation>Changer le mot de &amp;passe…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change the password of the selected user</source>
        <translation>Changer le mot de passe de l’utilisateur sélectionné</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Delete</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Delete the selected user</source>
        <translation>Supprimer l’utilisateur sélectionné</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>User added.</source>
        <translation>Utilisateur ajouté.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Password of %1 changed.</source>
        <translation>Mot de passe de %1 changé.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete the user %1?</source>
        <translation>Supprimer l’utilisateur %1&#xa0;?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>User %1 deleted.</source>
        <translation>Utilisateur %1 supprimé.</translation>
    </message>
</context>
</TS>
