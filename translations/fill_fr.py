#!/usr/bin/env python3
"""Fills translations/tmail_fr.ts from the French texts below and tmail_en.ts with the
sources themselves (plural forms spelt out); run after translations/update.sh.
Fails when a source has no French text, so that nothing stays unfinished."""
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

N = "\u00a0"  # non-breaking space before French : ? ; !

FR = {
    "&Save": "&Enregistrer",
    "&Revert": "&Annuler les modifications",
    "Save the configuration": "Enregistrer la configuration",
    "Validate and write tmail.cfg (%1)": "Valider et écrire tmail.cfg (%1)",
    "Revert the changes": "Annuler les modifications",
    "Configuration message": "Message de la configuration",
    "Settings": "Réglages",
    "Changed in the file; tmail runs with “%1” until it restarts.":
        f"Modifié dans le fichier{N}; tmail fonctionne avec «{N}%1{N}» jusqu’à son redémarrage.",
    "tmail took its settings from the environment: they can be read here but not changed.":
        f"tmail a pris ses réglages dans l’environnement{N}: ils sont visibles ici mais non modifiables.",
    "Restart tmail to apply: %1": f"Redémarrez tmail pour appliquer{N}: %1",
    "Settings of %1": "Réglages de %1",
    "Nothing to save.": "Rien à enregistrer.",
    "Saved.": "Enregistré.",
    "Changed in the file; tmail runs with “%1” until it reloads the file.":
        f"Modifié dans le fichier{N}; tmail fonctionne avec «{N}%1{N}» jusqu’à ce qu’il relise le fichier.",
    "Save or reload tmail to apply: %1": f"Enregistrez ou rechargez tmail pour appliquer{N}: %1",
    "Applied as soon as it is saved.": "Appliqué dès l’enregistrement.",
    # The registry of settings (shared/config/configregistry.cpp, context "Config").
    "Accepted: true or false.": f"Valeurs admises{N}: true ou false.",
    "Accepted: %1 to %2.": f"Valeurs admises{N}: de %1 à %2.",
    "Set it to the reverse DNS name of the server's IP address.\nAccepted: a host name (letters, digits, '-' and '.'), not an IP address.":
        f"Indiquez le nom DNS inverse de l’adresse IP du serveur.\nValeurs admises{N}: un nom d’hôte (lettres, chiffres, «{N}-{N}» et «{N}.{N}»), pas une adresse IP.",
    "Log debug lines as well.": "Journaliser aussi les lignes de débogage.",
    "tmail appends to tmail.log in that directory, which must be writable.":
        "tmail ajoute ses lignes à tmail.log dans ce répertoire, qui doit être accessible en écriture.",
    "Accepted: empty (stay as the starting user) or a system user name, like tmail.":
        f"Valeurs admises{N}: vide (rester l’utilisateur de départ) ou un nom d’utilisateur système, comme tmail.",
    "mysql also serves MariaDB.": "mysql sert aussi pour MariaDB.",
    "sqlite3: the path of the database file, like db/tmail.db.\nmysql, postgres: \"host=HOST port=PORT user=USER password=PASSWORD dbname=NAME\"\n(values may be single-quoted).":
        f"sqlite3{N}: le chemin du fichier de la base, comme db/tmail.db.\nmysql, postgres{N}: «{N}host=HÔTE port=PORT user=UTILISATEUR password=MOT_DE_PASSE dbname=NOM{N}»\n(les valeurs peuvent être entre apostrophes).",
    "Accepted: a directory path tmail may write in.":
        f"Valeurs admises{N}: le chemin d’un répertoire où tmail peut écrire.",
    "SSL=true means TLS from the first byte (SMTPS, usually port 465);\nSSL=false means clear text with STARTTLS offered (ports 25 and 587).":
        f"SSL=true{N}: TLS dès le premier octet (SMTPS, en général le port 465){N};\nSSL=false{N}: en clair avec STARTTLS proposé (ports 25 et 587).",
    "Each complete line (a command, or a line of message data) must come in that time: silence and a client that trickles one byte at a time (slowloris) are both cut off.":
        f"Chaque ligne complète (une commande ou une ligne du message) doit arriver dans ce délai{N}: le silence comme un client qui envoie un octet à la fois (slowloris) sont coupés.",
    "Beyond that, clients get 421 4.7.0.": "Au-delà, les clients reçoivent 421 4.7.0.",
    "The chain may follow the certificate in the file.":
        "La chaîne de certification peut suivre le certificat dans le fichier.",
    "It must match the certificate of TMAIL_SMTPD_TLS_CERT.":
        "Elle doit correspondre au certificat de TMAIL_SMTPD_TLS_CERT.",
    "\"a|b\": one picked at random per connection (repeat one to weight it: a|a|b);\n\"a&b\": a first, b when a fails. Both combine: \"a|b&c\".\nAccepted: IPv4 or IPv6 addresses; 0.0.0.0 lets the system choose.":
        f"«{N}a|b{N}»{N}: l’une tirée au hasard à chaque connexion (répétez-en une pour la pondérer{N}: a|a|b){N};\n«{N}a&b{N}»{N}: a d’abord, b si a échoue. Les deux se combinent{N}: «{N}a|b&c{N}».\nValeurs admises{N}: des adresses IPv4 ou IPv6{N}; 0.0.0.0 laisse le système choisir.",
    "Accept any remote TLS certificate.": "Accepter tout certificat TLS distant.",
    "Most mail servers use self-signed certificates.":
        "La plupart des serveurs de messagerie utilisent des certificats auto-signés.",
    "Go on in clear text when STARTTLS fails.": "Continuer en clair quand STARTTLS échoue.",
    "They find the MX records. Write [IPv6]:PORT for IPv6 and separate them with ',', ';' or spaces, like \"127.0.0.1:53,[::1]:53\".":
        f"Ils trouvent les enregistrements MX. Écrivez [IPv6]:PORT pour IPv6 et séparez-les par «{N},{N}», «{N};{N}» ou des espaces, comme «{N}127.0.0.1:53,[::1]:53{N}».",
    "Only the user running tmail may connect.\nAccepted: a name, like tmail-manager, or an absolute socket path.":
        f"Seul l’utilisateur qui exécute tmail peut s’y connecter.\nValeurs admises{N}: un nom, comme tmail-manager, ou le chemin absolu d’un socket.",
    "Applied when tmail restarts.": "Appliqué au redémarrage de tmail.",
    "Applied now: %1": f"Appliqué immédiatement{N}: %1",
    "Not applied, tmail keeps the running value: %1": f"Non appliqué, tmail garde la valeur en cours{N}: %1",
    "General": "Général",
    "Database": "Base de données",
    "Store (bodies of queued messages)": "Stockage (corps des messages en file d’attente)",
    "smtpd: receiving mail": f"smtpd{N}: réception du courrier",
    "deliverd: sending mail": f"deliverd{N}: envoi du courrier",
    "DNS": "DNS",
    "Manager": "Gestionnaire",
    "Other": "Autres",
    "Host name used in the greeting, HELO/EHLO and Received headers (required).":
        "Nom d’hôte utilisé dans la bannière, HELO/EHLO et les en-têtes Received (obligatoire).",
    "Log debug lines: true or false.": f"Journaliser les lignes de débogage{N}: true ou false.",
    "Where logs go: stdout or an existing directory (tmail.log in it).":
        f"Destination du journal{N}: stdout ou un répertoire existant (tmail.log y est écrit).",
    "User to run as after binding the ports when started as root (empty: stay).":
        f"Utilisateur adopté après l’ouverture des ports si tmail démarre en root (vide{N}: aucun changement).",
    "Database backend: sqlite3, mysql or postgres.": f"Moteur de base de données{N}: sqlite3, mysql ou postgres.",
    'sqlite file path, or "host=… port=… user=… password=… dbname=…".':
        'Chemin du fichier sqlite, ou «\u00a0host=… port=… user=… password=… dbname=…\u00a0».',
    "Where queued message bodies are kept: disk.": f"Stockage des corps de messages en attente{N}: disk.",
    "Directory of the disk store (created if missing).": "Répertoire du stockage sur disque (créé s’il manque).",
    "smtpd listeners IP:PORT:SSL separated by ',' or ';' ([::1]:2525:false for IPv6).":
        "Écoutes smtpd IP:PORT:SSL séparées par «\u00a0,\u00a0» ou «\u00a0;\u00a0» ([::1]:2525:false pour IPv6).",
    "Seconds of client silence before 421 and close.": "Secondes de silence du client avant 421 et fermeture.",
    "Largest message in bytes, advertised with SIZE (0: no limit).":
        f"Taille maximale d’un message en octets, annoncée par SIZE (0{N}: aucune limite).",
    "Received headers before a mail loop is declared.": "Nombre d’en-têtes Received au-delà duquel une boucle est déclarée.",
    "Recipients per transaction (0: no limit).": f"Destinataires par transaction (0{N}: aucune limite).",
    "Refused recipients before the session is closed (0: no limit).":
        f"Destinataires refusés avant la fermeture de la session (0{N}: aucune limite).",
    "Simultaneous incoming sessions.": "Sessions entrantes simultanées.",
    "PEM certificate for STARTTLS and implicit TLS.": "Certificat PEM pour STARTTLS et le TLS implicite.",
    "PEM private key (RSA or EC, unencrypted).": "Clé privée PEM (RSA ou EC, non chiffrée).",
    "Failed AUTH attempts from one IP before it is refused.": "Échecs d’AUTH depuis une même IP avant qu’elle soit refusée.",
    "Seconds an IP stays refused after too many failed AUTHs.": "Secondes pendant lesquelles une IP reste refusée après trop d’échecs d’AUTH.",
    "Source addresses for delivery: a|b random, a&b failover.":
        f"Adresses sources pour la livraison{N}: a|b au hasard, a&b en secours.",
    "Concurrent outgoing deliveries.": "Livraisons sortantes simultanées.",
    "Seconds allowed for each step of an outgoing SMTP session.": "Secondes accordées à chaque étape d’une session SMTP sortante.",
    "Minutes a message may wait in the queue before it bounces.": "Minutes d’attente en file avant qu’un message soit renvoyé à l’expéditeur.",
    "Accept any remote TLS certificate: true or false.": f"Accepter tout certificat TLS distant{N}: true ou false.",
    "Go on in clear text when STARTTLS fails: true or false.": f"Continuer en clair si STARTTLS échoue{N}: true ou false.",
    "DNS resolvers IP[:PORT] (empty: the system's).": f"Résolveurs DNS IP[:PORT] (vide{N}: ceux du système).",
    "Name of the local socket the manager connects to.": "Nom de la socket locale à laquelle se connecte le gestionnaire.",
    "%n day(s), %1": ("%n jour, %1", "%n jours, %1"),
    "Connection state": "État de la connexion",
    "Daemon": "Démon",
    "Software:": f"Logiciel{N}:",
    "Host name:": f"Nom d’hôte{N}:",
    "Running for:": f"En marche depuis{N}:",
    "Listeners:": f"Écoutes{N}:",
    "Configuration:": f"Configuration{N}:",
    "Database:": f"Base de données{N}:",
    "Manager socket:": f"Socket du gestionnaire{N}:",
    "Counters": "Compteurs",
    "SMTP sessions now:": f"Sessions SMTP en cours{N}:",
    "Messages accepted:": f"Messages acceptés{N}:",
    "Recipients delivered:": f"Destinataires livrés{N}:",
    "Bounces:": f"Messages renvoyés{N}:",
    "Messages in the queue:": f"Messages en file d’attente{N}:",
    "Throughput": "Débit",
    "Connected to tmail on %1": "Connecté à tmail sur %1",
    "Connecting to %1…": "Connexion à %1…",
    "Not connected.": "Non connecté.",
    "Not connected: %1": f"Non connecté{N}: %1",
    "environment variables": "variables d’environnement",
    "Deliver mail for this domain locally": "Livrer localement le courrier de ce domaine",
    "Add a domain": "Ajouter un domaine",
    "example.com": "exemple.fr",
    "&Domain:": f"&Domaine{N}:",
    "Local:": f"Local{N}:",
    "“%1” is not a valid domain name.": f"«{N}%1{N}» n’est pas un nom de domaine valide.",
    "Domain": "Domaine",
    "Delivery": "Livraison",
    "local": "locale",
    "relayed": "relayée",
    "Domains": "Domaines",
    "&Add…": "&Ajouter…",
    "&Delete": "&Supprimer",
    "Delete the selected domain": "Supprimer le domaine sélectionné",
    "Domain added.": "Domaine ajouté.",
    "Delete the domain %1? Mail for it will be refused.": f"Supprimer le domaine %1{N}? Son courrier sera refusé.",
    "Domain %1 deleted.": "Domaine %1 supprimé.",
    "Time": "Heure",
    "Level": "Niveau",
    "Category": "Catégorie",
    "Message": "Message",
    "&Pause": "&Pause",
    "&Level:": f"&Niveau{N}:",
    "All levels": "Tous les niveaux",
    "Info and above": "Info et au-dessus",
    "Warnings and errors": "Avertissements et erreurs",
    "Errors only": "Erreurs seulement",
    "Minimum level": "Niveau minimal",
    "&Filter:": f"&Filtre{N}:",
    "Text in the message": "Texte dans le message",
    "Filter text": "Texte du filtre",
    "Pause the live log": "Mettre en pause le journal en direct",
    "&Copy": "&Copier",
    "Copy the selected lines": "Copier les lignes sélectionnées",
    "C&lear": "&Effacer",
    "Clear the log view": "Effacer l’affichage du journal",
    "Log lines": "Lignes du journal",
    "&Resume": "&Reprendre",
    "tmail manager": "Gestionnaire tmail",
    "&File": "&Fichier",
    "&Quit": "&Quitter",
    "Pages": "Pages",
    "Dashboard": "Tableau de bord",
    "Configuration": "Configuration",
    "Users": "Utilisateurs",
    "Relay IPs": "IP de relais",
    "Routes": "Routes",
    "Queue": "File d’attente",
    "Logs": "Journal",
    "&Refresh": "&Actualiser",
    "Re&connect": "Re&connecter",
    "&View": "&Affichage",
    "&Language": "&Langue",
    "&Help": "Aid&e",
    "&About tmail manager": "À &propos du gestionnaire tmail",
    "About tmail manager": "À propos du gestionnaire tmail",
    "<p><b>tmail manager %1</b></p><p>Manages a running tmail mail server through its local socket: settings, domains, users, relay IPs, routes, queue and live log.</p>":
        f"<p><b>Gestionnaire tmail %1</b></p><p>Administre un serveur de courrier tmail en marche par sa socket locale{N}: "
        "réglages, domaines, utilisateurs, IP de relais, routes, file d’attente et journal en direct.</p>",
    "Connected to %1": "Connecté à %1",
    "Not connected": "Non connecté",
    "Cannot create the directory %1.": "Impossible de créer le répertoire %1.",
    "Cannot write %1.": "Impossible d’écrire %1.",
    "The daemon stopped answering.": "Le démon ne répond plus.",
    "No tmail daemon listens on %1.": "Aucun démon tmail n’écoute sur %1.",
    "The tmail daemon at %1 refused the connection.": "Le démon tmail sur %1 a refusé la connexion.",
    "Access to %1 was denied: only the user running tmail may manage it.":
        f"Accès à %1 refusé{N}: seul l’utilisateur qui exécute tmail peut l’administrer.",
    "Connection to %1 failed: %2": f"La connexion à %1 a échoué{N}: %2",
    "The connection to the daemon was lost.": "La connexion au démon a été perdue.",
    "Not connected to the daemon.": "Non connecté au démon.",
    "The daemon sent a message that is too large.": "Le démon a envoyé un message trop grand.",
    "The program at %1 is not a compatible tmail daemon.": "Le programme sur %1 n’est pas un démon tmail compatible.",
    "The daemon refused this user: only the user running tmail may manage it.":
        f"Le démon a refusé cet utilisateur{N}: seul l’utilisateur qui exécute tmail peut l’administrer.",
    "The daemon speaks another version of the manager protocol.": "Le démon parle une autre version du protocole du gestionnaire.",
    "The daemon refused the connection.": "Le démon a refusé la connexion.",
    "The value of “%1” is not valid.": f"La valeur de «{N}%1{N}» n’est pas valide.",
    "This entry already exists.": "Cette entrée existe déjà.",
    "This entry no longer exists.": "Cette entrée n’existe plus.",
    "The database reported an error.": "La base de données a signalé une erreur.",
    "The new configuration is not valid.": "La nouvelle configuration n’est pas valide.",
    "The value of %1 is not valid.": "La valeur de %1 n’est pas valide.",
    "The daemon took its settings from the environment; there is no configuration file to change.":
        f"Le démon a pris ses réglages dans l’environnement{N}; il n’y a pas de fichier de configuration à modifier.",
    "The daemon could not write a file.": "Le démon n’a pas pu écrire un fichier.",
    "The daemon cannot do this yet.": "Le démon ne sait pas encore le faire.",
    "The daemon is busy; try again.": f"Le démon est occupé{N}; réessayez.",
    "The request failed.": "La requête a échoué.",
    "Details: %1": f"Détails{N}: %1",
    "Id": "Identifiant",
    "Sender": "Expéditeur",
    "Recipients": "Destinataires",
    "Size": "Taille",
    "Received": "Reçu",
    "Attempts": "Tentatives",
    "Next attempt": "Prochaine tentative",
    "Last error": "Dernière erreur",
    "&Show…": "&Afficher…",
    "Show the selected message": "Afficher le message sélectionné",
    "&Retry": "&Réessayer",
    "Retry the selected message now": "Réessayer maintenant le message sélectionné",
    "Retry a&ll": "Réessayer &tout",
    "Retry every message now": "Réessayer maintenant tous les messages",
    "&Bounce": "Ren&voyer",
    "Bounce the selected message to its sender": "Renvoyer le message sélectionné à son expéditeur",
    "&Discard": "&Supprimer",
    "Discard the selected message": "Supprimer le message sélectionné",
    "&Previous": "&Précédents",
    "Previous page of the queue": "Page précédente de la file d’attente",
    "Queue position": "Position dans la file d’attente",
    "&Next": "Sui&vants",
    "Next page of the queue": "Page suivante de la file d’attente",
    "The queue is empty.": "La file d’attente est vide.",
    "Messages %1–%2 of %3": "Messages %1 à %2 sur %3",
    "Id: %1": f"Identifiant{N}: %1",
    "Sender: %1": f"Expéditeur{N}: %1",
    "Authenticated user: %1": f"Utilisateur authentifié{N}: %1",
    "Client: %1 (HELO %2)": f"Client{N}: %1 (HELO %2)",
    "Size: %1": f"Taille{N}: %1",
    "Received: %1": f"Reçu{N}: %1",
    "Attempts: %1": f"Tentatives{N}: %1",
    "Next attempt: %1": f"Prochaine tentative{N}: %1",
    "Last error: %1": f"Dernière erreur{N}: %1",
    "Recipients:": f"Destinataires{N}:",
    "delivered": "livré",
    "failed": "échec",
    "pending": "en attente",
    "Queued message": "Message en file d’attente",
    "Message details": "Détails du message",
    "Message %1 will be retried now.": "Le message %1 va être réessayé maintenant.",
    "Every waiting message will be retried now.": "Tous les messages en attente vont être réessayés maintenant.",
    "Bounce message %1 to its sender?": f"Renvoyer le message %1 à son expéditeur{N}?",
    "Message %1 bounced.": "Message %1 renvoyé à l’expéditeur.",
    "Discard message %1? It will not be delivered.": f"Supprimer le message %1{N}? Il ne sera pas livré.",
    "Message %1 discarded.": "Message %1 supprimé.",
    "Error message": "Message d’erreur",
    "OK": "OK",
    "Cancel": "Annuler",
    "Add a relay IP": "Ajouter une IP de relais",
    "192.0.2.10 or 192.0.2.0/24": "192.0.2.10 ou 192.0.2.0/24",
    "&Address or network:": f"&Adresse ou réseau{N}:",
    "“%1” is not an IP address or a network like 192.0.2.0/24 (host bits must be zero).":
        f"«{N}%1{N}» n’est ni une adresse IP ni un réseau comme 192.0.2.0/24 (les bits d’hôte doivent être nuls).",
    "Address or network": "Adresse ou réseau",
    "Delete the selected relay IP": "Supprimer l’IP de relais sélectionnée",
    "Relay IP added.": "IP de relais ajoutée.",
    "Delete the relay IP %1?": f"Supprimer l’IP de relais %1{N}?",
    "Relay IP %1 deleted.": "IP de relais %1 supprimée.",
    "Add a route": "Ajouter une route",
    "Edit a route": "Modifier une route",
    "mx.example.com or 192.0.2.25": "mx.exemple.fr ou 192.0.2.25",
    "any sender": "tout expéditeur",
    "any user": "tout utilisateur",
    "the global setting": "le réglage général",
    "unchanged": "inchangé",
    "&Recipient domain:": f"Domaine du &destinataire{N}:",
    "Remote &host:": f"&Hôte distant{N}:",
    "Remote p&ort:": f"P&ort distant{N}:",
    "Pr&iority (lower first):": f"Pr&iorité (la plus basse d’abord){N}:",
    "&Sender domain:": f"Domaine de l’&expéditeur{N}:",
    "&Authenticated user:": f"Utilisateur &authentifié{N}:",
    "Local &IPs:": f"&IP locales{N}:",
    "SMTP &user:": f"&Utilisateur SMTP{N}:",
    "SMTP pass&word:": f"&Mot de passe SMTP{N}:",
    "“%1” is not a host name or an IP address.": f"«{N}%1{N}» n’est ni un nom d’hôte ni une adresse IP.",
    "“%1” is not a valid e-mail address.": f"«{N}%1{N}» n’est pas une adresse électronique valide.",
    "“%1” is not a list of IP addresses separated by | or &.":
        f"«{N}%1{N}» n’est pas une liste d’adresses IP séparées par | ou &.",
    "A route with an SMTP user needs a password.": "Une route avec un utilisateur SMTP demande un mot de passe.",
    "Recipient domain": "Domaine du destinataire",
    "Priority": "Priorité",
    "Remote host": "Hôte distant",
    "Sender domain": "Domaine de l’expéditeur",
    "any": "tous",
    "Authenticated user": "Utilisateur authentifié",
    "Local IPs": "IP locales",
    "global setting": "réglage général",
    "SMTP user": "Utilisateur SMTP",
    "none": "aucun",
    "&Edit…": "&Modifier…",
    "Edit the selected route": "Modifier la route sélectionnée",
    "Move &up": "Monter (&H)",
    "Give the selected route a higher priority": "Donner une priorité plus haute à la route sélectionnée",
    "Move do&wn": "Descendre (&B)",
    "Give the selected route a lower priority": "Donner une priorité plus basse à la route sélectionnée",
    "Delete the selected route": "Supprimer la route sélectionnée",
    "Route added.": "Route ajoutée.",
    "Route saved.": "Route enregistrée.",
    "Delete the route %1?": f"Supprimer la route %1{N}?",
    "Route %1 deleted.": "Route %1 supprimée.",
    "Priorities updated.": "Priorités mises à jour.",
    "Page message": "Message de la page",
    "Please confirm": "Confirmation",
    "Messages per minute chart": "Graphique des messages par minute",
    "Messages per minute": "Messages par minute",
    "accepted": "acceptés",
    "%n minute(s) ago": ("il y a %n minute", "il y a %n minutes"),
    "now": "maintenant",
    "Add a user": "Ajouter un utilisateur",
    "Change the password": "Changer le mot de passe",
    "user@example.com": "utilisateur@exemple.fr",
    "&Login:": f"&Identifiant{N}:",
    "&Password:": f"&Mot de passe{N}:",
    "&Confirm password:": f"&Confirmer le mot de passe{N}:",
    "May send mail to any domain once authenticated": "Peut envoyer du courrier vers tout domaine une fois authentifié",
    "Relay:": f"Relais{N}:",
    "The password is empty.": "Le mot de passe est vide.",
    "The two passwords differ.": "Les deux mots de passe diffèrent.",
    "Login": "Identifiant",
    "May relay": "Peut relayer",
    "yes": "oui",
    "no": "non",
    "Created": "Créé le",
    "Change &password…": "Changer le &mot de passe…",
    "Change the password of the selected user": "Changer le mot de passe de l’utilisateur sélectionné",
    "Delete the selected user": "Supprimer l’utilisateur sélectionné",
    "User added.": "Utilisateur ajouté.",
    "Password of %1 changed.": "Mot de passe de %1 changé.",
    "Delete the user %1?": f"Supprimer l’utilisateur %1{N}?",
    "User %1 deleted.": "Utilisateur %1 supprimé.",
}

# The same English word in two places with two French forms.
FR_BY_CONTEXT = {
    ("ThroughputChart", "delivered"): "livrés",
}

EN_PLURALS = {
    "%n day(s), %1": ("%n day, %1", "%n days, %1"),
    "%n minute(s) ago": ("%n minute ago", "%n minutes ago"),
}


def fill(path, translate):
    tree = ET.parse(path)
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.find("name").text
        for message in context.iter("message"):
            source = message.find("source").text
            translation = message.find("translation")
            text = translate(name, source)
            if text is None:
                missing.append(source)
                continue
            translation.attrib.pop("type", None)
            for child in list(translation):
                translation.remove(child)
            if message.get("numerus") == "yes":
                translation.text = None
                forms = text if isinstance(text, tuple) else (text, text)
                for form in forms:
                    element = ET.SubElement(translation, "numerusform")
                    element.text = form
            else:
                translation.text = text
    if missing:
        sys.exit("no translation in %s for:\n  %s" % (path, "\n  ".join(missing)))
    # Keep lupdate's own layout: write back through its formatter by running update.sh again.
    tree.write(path, encoding="utf-8", xml_declaration=True)


root = Path(__file__).resolve().parent
fill(root / "tmail_fr.ts", lambda context, source: FR_BY_CONTEXT.get((context, source), FR.get(source)))
fill(root / "tmail_en.ts", lambda context, source: EN_PLURALS.get(source, source))
