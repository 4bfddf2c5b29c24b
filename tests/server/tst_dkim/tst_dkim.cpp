// DKIM signing checked by two verifiers tmail did not write: dkimpy (python3-dkim) and
// OpenDKIM (opendkim -t, its keys from TestPublicKeys). Messages go through the real tmail
// binary (relay IP and AUTH clients) to a capturing sink; both verifiers must accept every
// signature, and reject a message altered after signing.
#include "tmailprocess.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTest>

namespace {

const QString Python = QStringLiteral("/usr/bin/python3");
const QString SourceDir = QStringLiteral(TMAIL_SOURCE_DIR "/tests/server/tst_dkim");

struct CorpusMessage
{
    QByteArray name;
    QByteArray from = "alice@example.test"; // envelope sender
    QList<QByteArray> recipients { "bob@dest.test" };
    QByteArray data; // the message, CRLF lines, without dot-stuffing
    bool smtpUtf8 = false;
};

QByteArray standardHeaders(const QByteArray &name, const QByteArray &subject = "test")
{
    return "From: Alice <alice@example.test>\r\nTo: Bob <bob@dest.test>\r\nSubject: " + subject
        + "\r\nDate: Wed, 02 Dec 2026 12:00:00 +0000\r\nMessage-ID: <" + name + "@example.test>\r\nX-Case: " + name
        + "\r\n";
}

QList<CorpusMessage> corpus()
{
    QList<CorpusMessage> list;
    auto add = [&](const QByteArray &name, const QByteArray &data) {
        CorpusMessage message;
        message.name = name;
        message.data = data;
        list.append(message);
        return &list.last();
    };
    add("plain", standardHeaders("plain") + "\r\nHello Bob.\r\n");
    add("eightbit",
        standardHeaders("eightbit")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
              "Content-Transfer-Encoding: 8bit\r\n\r\nCh\xc3\xa8re Bob, \xc3\xa7"
              "a va ? \xe2\x82\xac 100\r\n\xff\xfe raw octets\r\n");
    add("folded-headers",
        standardHeaders("folded-headers",
            "a long subject that goes on\r\n and on over several\r\n\tlines with tabs\r\n   and spaces")
            + "References: <a1@example.test>\r\n <a2@example.test>\r\n\t<a3@example.test> <a4@example.test>\r\n"
              "In-Reply-To: <a4@example.test>\r\n\r\nbody\r\n");
    add("trailing-whitespace",
        "From: Alice <alice@example.test>   \r\nTo: bob@dest.test\t \r\nSubject:   spaced    out   \r\n"
        "Date: Wed, 02 Dec 2026 12:00:00 +0000\r\nX-Case: trailing-whitespace\r\n\r\n"
        "line with trailing spaces   \r\nline with trailing tab\t\r\n  \t  \r\nmiddle   runs\t\tof  space\r\n \r\n");
    add("empty-body", standardHeaders("empty-body") + "\r\n");
    add("headers-only", standardHeaders("headers-only"));
    add("dot-lines", standardHeaders("dot-lines") + "\r\n.\r\n..\r\n.leading dot\r\n. \r\n...\r\nend\r\n");
    add("line-998",
        standardHeaders("line-998") + "\r\n" + QByteArray(998, 'x') + "\r\n" + QByteArray(997, 'y') + " \r\n");
    {
        CorpusMessage *many = add("many-recipients", standardHeaders("many-recipients") + "\r\nto many\r\n");
        many->recipients.clear();
        for (int i = 0; i < 60; ++i)
            many->recipients.append("rcpt" + QByteArray::number(i) + "@dest.test");
    }
    add("encoded-word",
        standardHeaders("encoded-word", "=?UTF-8?B?w4ljaMOpYW5jZSDDoCBtYXJkaQ==?= =?ISO-8859-1?Q?caf=E9?=")
            + "\r\nbody\r\n");
    {
        CorpusMessage *utf8 = add("smtputf8",
            "From: \xc3\x85lice <\xc3\xa5lice@example.test>\r\nTo: =?UTF-8?Q?J=C3=B6rg?= <j\xc3\xb6rg@dest.test>\r\n"
            "Subject: Gr\xc3\xbc\xc3\x9f"
            "e\r\nDate: Wed, 02 Dec 2026 12:00:00 +0000\r\nX-Case: smtputf8\r\n\r\n"
            "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\r\n");
        utf8->from = "\xc3\xa5lice@example.test";
        utf8->recipients = { "j\xc3\xb6rg@dest.test" };
        utf8->smtpUtf8 = true;
    }
    add("trailing-empty-lines", standardHeaders("trailing-empty-lines") + "\r\ntext\r\n\r\n\r\n\r\n");
    add("list-headers",
        standardHeaders("list-headers")
            + "List-Id: Test list <test.example.test>\r\n"
              "List-Unsubscribe: <mailto:unsub@example.test>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
              "\r\nlist mail\r\n");
    add("repeated-headers",
        "From: alice@example.test\r\nTo: b1@dest.test\r\nTo: b2@dest.test\r\nCc: c1@dest.test\r\nCc: c2@dest.test\r\n"
        "Subject: two of each\r\nX-Case: repeated-headers\r\n\r\nbody\r\n");
    add("odd-case",
        "FROM: alice@example.test\r\nsUbJeCt: odd case\r\nto: bob@dest.test\r\nX-Case: odd-case\r\n\r\nbody\r\n");
    add("colon-spacing",
        "From:alice@example.test\r\nSubject:no space after the colon\r\nTo:\tbob@dest.test\r\nX-Case: "
        "colon-spacing\r\n\r\nbody\r\n");
    add("multipart",
        standardHeaders("multipart")
            + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n"
              "--XYZ\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--XYZ\r\nContent-Type: "
              "application/octet-stream\r\n"
              "Content-Transfer-Encoding: base64\r\n\r\n"
            + QByteArray(3000, 'A').toBase64().left(76) + "\r\n" + QByteArray(3000, 'B').toBase64().left(76)
            + "\r\n--XYZ--\r\n");
    add(
        "very-long-header", standardHeaders("very-long-header") + "References:" + [] {
            QByteArray refs;
            for (int i = 0; i < 40; ++i)
                refs += " <ref" + QByteArray::number(i) + "@example.test>\r\n";
            refs.chop(2);
            return refs;
        }() + "\r\n\r\nbody\r\n");
    add("blank-lines-inside", standardHeaders("blank-lines-inside") + "\r\n\r\n\r\nmiddle\r\n\r\n\r\nend\r\n");
    add("display-name-comment",
        "From: \"Doe, Alice\" (the boss, really) <alice@example.test>\r\nTo: bob@dest.test\r\n"
        "Subject: comment\r\nReply-To: other@example.test\r\nX-Case: display-name-comment\r\n\r\nbody\r\n");
    add("parent-domain",
        "From: carol@mail.parent.test\r\nTo: bob@dest.test\r\nSubject: parent\r\nX-Case: "
        "parent-domain\r\n\r\nbody\r\n");
    add("tabs-and-spaces", standardHeaders("tabs-and-spaces") + "\r\n\tindented\r\n    four spaces\r\na \t b\r\n");
    add(
        "long-body", standardHeaders("long-body") + "\r\n" + [] {
            QByteArray body;
            for (int i = 0; i < 2000; ++i)
                body += "line " + QByteArray::number(i) + " of a long body  \r\n";
            return body;
        }());
    return list;
}

QByteArray dotStuffed(const QByteArray &data)
{
    QByteArray out;
    const QList<QByteArray> lines = data.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i)
    {
        if (i == lines.size() - 1 && lines.at(i).isEmpty())
            break;
        if (lines.at(i).startsWith('.'))
            out += '.';
        out += lines.at(i);
        if (i < lines.size() - 1)
            out += '\n';
    }
    if (!out.endsWith("\r\n"))
        out += "\r\n";
    return out;
}

// One SMTP transaction; socket is connected and past EHLO. Returns the final reply.
QByteArray sendMessage(QTcpSocket &socket, const CorpusMessage &message)
{
    QByteArray reply = smtpExchange(
        socket, "MAIL FROM:<" + message.from + ">" + (message.smtpUtf8 ? QByteArray(" SMTPUTF8") : QByteArray()));
    if (!reply.startsWith("250"))
        return reply;
    for (const QByteArray &recipient : message.recipients)
    {
        reply = smtpExchange(socket, "RCPT TO:<" + recipient + ">");
        if (!reply.startsWith("250"))
            return reply;
    }
    reply = smtpExchange(socket, "DATA");
    if (!reply.startsWith("354"))
        return reply;
    socket.write(dotStuffed(message.data));
    return smtpExchange(socket, ".");
}

bool connectSmtp(QTcpSocket &socket, const QString &sourceAddress, quint16 port)
{
    socket.bind(QHostAddress(sourceAddress));
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return false;
    return smtpExchange(socket, QByteArray()).startsWith("220")
        && smtpExchange(socket, "EHLO client.test").startsWith("250");
}

// The header section (all of a message without an empty line).
QByteArray headerOf(const QByteArray &message)
{
    const qsizetype end = message.indexOf("\r\n\r\n");
    return end < 0 ? message : message.left(end);
}

QByteArray headerValue(const QByteArray &message, const QByteArray &name)
{
    const QRegularExpression re(QStringLiteral("^%1:[ \\t]*(.*)$").arg(QString::fromLatin1(name)),
        QRegularExpression::MultilineOption | QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = re.match(QString::fromLatin1(headerOf(message)));
    return match.hasMatch() ? match.captured(1).trimmed().toLatin1() : QByteArray();
}

} // namespace

class TestDkim : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void badInputChangesNothing_data();
    void badInputChangesNothing();
    void corpusVerifiesWithDkimpyAndOpenDkim();
    void alteredMessageFailsBothVerifiers();
    void authenticatedSubmissionIsSigned();
    void inboundAndAmbiguousMailIsNotSigned();
    void rotationSignsWithTheNewSelector();
    void privateKeysAppearNowhere();
    void checkComparesDnsWithTheKeys();

private:
    TmailRun tmail(const QStringList &args) const { return m_env->run(args); }
    bool waitForCaptured(int count, int timeoutMs);
    QMap<QByteArray, QByteArray> capturedByCase();
    QString writeZoneFiles();
    // "ok N" lines of verify.py per file; true when all passed.
    bool dkimpyVerifies(const QStringList &files, QString *output);
    // Number of dkim=pass results of OpenDKIM for file, and its output.
    int openDkimPasses(const QString &file, QString *output);
    static int signatureCount(const QByteArray &message)
    {
        const QByteArray header = "\r\n" + headerOf(message);
        return int(header.count("\r\nDKIM-Signature:"));
    }

    std::unique_ptr<TmailEnvironment> m_env;
    std::unique_ptr<QProcess> m_daemon;
    std::unique_ptr<QProcess> m_sink;
    QByteArray m_log;
    quint16 m_smtpPort = 0;
    QString m_sinkDir;
    QString m_zoneFile;
    QString m_openDkimConf;
};

void TestDkim::initTestCase()
{
    if (!QFile::exists(QStringLiteral("/usr/sbin/opendkim"))
        || QProcess::execute(Python, { QStringLiteral("-c"), QStringLiteral("import dkim") }) != 0)
        QFAIL("the verifiers are missing: run scripts/install-deps.sh test (python3-dkim, opendkim)");
    m_env = std::make_unique<TmailEnvironment>();
    QVERIFY(m_env->isValid());
    m_smtpPort = freeLoopbackPort();
    const quint16 sinkPort = freeLoopbackPort();
    m_env->set(QStringLiteral("TMAIL_SMTPD_DSNS"), QStringLiteral("127.0.0.1:%1:false").arg(m_smtpPort));
    m_sinkDir = m_env->path(QStringLiteral("sink"));
    QVERIFY(QDir().mkpath(m_sinkDir));

    QCOMPARE(tmail({ QStringLiteral("db"), QStringLiteral("init") }).exitCode, 0);
    QCOMPARE(tmail({ QStringLiteral("relayip"), QStringLiteral("add"), QStringLiteral("127.0.0.1") }).exitCode, 0);
    QCOMPARE(tmail({ QStringLiteral("rcpthost"), QStringLiteral("add"), QStringLiteral("inbound.test") }).exitCode, 0);
    QCOMPARE(tmail({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("sender@example.test"),
                       QStringLiteral("secret-pw") })
                 .exitCode,
        0);
    for (const QString &domain : { QStringLiteral("dest.test"), QStringLiteral("inbound.test") })
        QCOMPARE(tmail({ QStringLiteral("routes"), QStringLiteral("add"), QStringLiteral("-d"), domain,
                           QStringLiteral("-rh"), QStringLiteral("127.0.0.1"), QStringLiteral("-rp"),
                           QString::number(sinkPort) })
                     .exitCode,
            0);
    const TmailRun added = tmail({ QStringLiteral("dkim"), QStringLiteral("add"), QStringLiteral("example.test") });
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY(added.out.contains(QLatin1String("-rsa (rsa-sha256)")));
    QVERIFY(added.out.contains(QLatin1String("-ed (ed25519-sha256)")));
    QCOMPARE(tmail({ QStringLiteral("dkim"), QStringLiteral("add"), QStringLiteral("parent.test"), QStringLiteral("-s"),
                       QStringLiteral("p1"), QStringLiteral("--bits"), QStringLiteral("3072") })
                 .exitCode,
        0);
    m_zoneFile = writeZoneFiles();

    m_sink = std::make_unique<QProcess>();
    m_sink->setProcessChannelMode(QProcess::MergedChannels);
    m_sink->start(Python,
        { SourceDir + QStringLiteral("/dkimsink.py"), QStringLiteral("127.0.0.1"), QString::number(sinkPort),
            m_sinkDir });
    QVERIFY(m_sink->waitForStarted(5000));
    QVERIFY(m_sink->waitForReadyRead(5000));
    QVERIFY(m_env->startDaemon(&m_daemon, &m_log));
}

void TestDkim::cleanupTestCase()
{
    if (m_daemon)
    {
        m_daemon->terminate();
        m_daemon->waitForFinished(10000);
    }
    if (m_sink)
    {
        m_sink->kill();
        m_sink->waitForFinished(5000);
    }
}

QString TestDkim::writeZoneFiles()
{
    QString zone;
    for (const QString &domain : { QStringLiteral("example.test"), QStringLiteral("parent.test") })
    {
        const TmailRun dns = tmail({ QStringLiteral("dkim"), QStringLiteral("dns"), domain });
        if (dns.exitCode != 0)
            return {};
        zone += dns.out;
    }
    // Every TXT string is at most 255 octets (RFC 1035 §3.3).
    const QRegularExpression strings(QStringLiteral("\"([^\"]*)\""));
    for (auto it = strings.globalMatch(zone); it.hasNext();)
    {
        if (it.next().captured(1).size() > 255)
            return {};
    }
    const QString zonePath = m_env->path(QStringLiteral("zone.txt"));
    QFile zoneFile(zonePath);
    zoneFile.open(QIODevice::WriteOnly);
    zoneFile.write(zone.toLatin1());
    zoneFile.close();

    // OpenDKIM's TestPublicKeys: "NAME RECORD" lines.
    QString keys;
    const QRegularExpression line(
        QStringLiteral("^(\\S+)\\.\\s+IN\\s+TXT\\s+(.*)$"), QRegularExpression::MultilineOption);
    for (auto it = line.globalMatch(zone); it.hasNext();)
    {
        const QRegularExpressionMatch match = it.next();
        QString record;
        for (auto s = strings.globalMatch(match.captured(2)); s.hasNext();)
            record += s.next().captured(1);
        keys += match.captured(1) + QLatin1Char(' ') + record + QLatin1Char('\n');
    }
    QFile keysFile(m_env->path(QStringLiteral("opendkim-keys.txt")));
    keysFile.open(QIODevice::WriteOnly);
    keysFile.write(keys.toLatin1());
    keysFile.close();
    m_openDkimConf = m_env->path(QStringLiteral("opendkim.conf"));
    QFile conf(m_openDkimConf);
    conf.open(QIODevice::WriteOnly);
    conf.write("Mode v\nSyslog no\nAlwaysAddARHeader yes\nTestPublicKeys " + keysFile.fileName().toLocal8Bit() + "\n");
    conf.close();
    return zonePath;
}

bool TestDkim::waitForCaptured(int count, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs)
    {
        if (QDir(m_sinkDir).entryList({ QStringLiteral("*.eml") }, QDir::Files).size() >= count)
            return true;
        m_daemon->waitForReadyRead(100);
        m_log += m_daemon->readAll();
    }
    return false;
}

QMap<QByteArray, QByteArray> TestDkim::capturedByCase()
{
    QMap<QByteArray, QByteArray> byCase;
    const QDir dir(m_sinkDir);
    for (const QString &name : dir.entryList({ QStringLiteral("*.eml") }, QDir::Files, QDir::Name))
    {
        QFile file(dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray content = file.readAll();
        QByteArray key = headerValue(content, "X-Case");
        if (key.isEmpty())
            key = name.toLatin1();
        byCase.insert(key, content);
    }
    return byCase;
}

bool TestDkim::dkimpyVerifies(const QStringList &files, QString *output)
{
    QProcess verify;
    verify.setProcessChannelMode(QProcess::MergedChannels);
    verify.start(Python, QStringList { SourceDir + QStringLiteral("/verify.py"), m_zoneFile } + files);
    verify.waitForFinished(120000);
    *output = QString::fromUtf8(verify.readAll());
    return verify.exitStatus() == QProcess::NormalExit && verify.exitCode() == 0;
}

int TestDkim::openDkimPasses(const QString &file, QString *output)
{
    QProcess verify;
    verify.setProcessChannelMode(QProcess::MergedChannels);
    verify.start(QStringLiteral("/usr/sbin/opendkim"),
        { QStringLiteral("-vvv"), QStringLiteral("-x"), m_openDkimConf, QStringLiteral("-t"), file });
    verify.waitForFinished(60000);
    *output = QString::fromUtf8(verify.readAll());
    // The Authentication-Results field it would add lists one dkim=RESULT per signature.
    return int(output->count(QLatin1String("dkim=pass")));
}

void TestDkim::badInputChangesNothing_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("not a domain") << QStringList { QStringLiteral("add"), QStringLiteral("not a domain") };
    QTest::newRow("address literal") << QStringList { QStringLiteral("add"), QStringLiteral("[127.0.0.1]") };
    QTest::newRow("single label") << QStringList { QStringLiteral("add"), QStringLiteral("localhost") };
    QTest::newRow("bad selector") << QStringList { QStringLiteral("add"), QStringLiteral("new.test"),
        QStringLiteral("-s"), QStringLiteral("bad_selector") };
    QTest::newRow("selector too long") << QStringList { QStringLiteral("add"), QStringLiteral("new.test"),
        QStringLiteral("-s"), QString(62, QLatin1Char('a')) };
    QTest::newRow("unknown algorithm") << QStringList { QStringLiteral("add"), QStringLiteral("new.test"),
        QStringLiteral("-a"), QStringLiteral("dsa") };
    QTest::newRow("key too small") << QStringList { QStringLiteral("add"), QStringLiteral("new.test"),
        QStringLiteral("--bits"), QStringLiteral("1024") };
    QTest::newRow("key size not a number") << QStringList { QStringLiteral("add"), QStringLiteral("new.test"),
        QStringLiteral("--bits"), QStringLiteral("big") };
    QTest::newRow("selector taken") << QStringList { QStringLiteral("add"), QStringLiteral("parent.test"),
        QStringLiteral("-s"), QStringLiteral("p1") };
    QTest::newRow("del without key") << QStringList { QStringLiteral("del"), QStringLiteral("nokey.test") };
    QTest::newRow("del unknown selector") << QStringList { QStringLiteral("del"), QStringLiteral("example.test"),
        QStringLiteral("-s"), QStringLiteral("nosuch") };
    QTest::newRow("rotate without key") << QStringList { QStringLiteral("rotate"), QStringLiteral("nokey.test") };
    QTest::newRow("dns without key") << QStringList { QStringLiteral("dns"), QStringLiteral("nokey.test") };
    QTest::newRow("list with argument") << QStringList { QStringLiteral("list"), QStringLiteral("extra") };
    QTest::newRow("unknown subcommand") << QStringList { QStringLiteral("publish"), QStringLiteral("example.test") };
}

void TestDkim::badInputChangesNothing()
{
    QFETCH(QStringList, args);
    const TmailRun before = tmail({ QStringLiteral("dkim"), QStringLiteral("list") });
    QCOMPARE(before.exitCode, 0);
    const TmailRun run = tmail(QStringList { QStringLiteral("dkim") } + args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.startsWith(QLatin1String("tmail: ")));
    QCOMPARE(tmail({ QStringLiteral("dkim"), QStringLiteral("list") }).out, before.out);
}

void TestDkim::corpusVerifiesWithDkimpyAndOpenDkim()
{
    const QList<CorpusMessage> messages = corpus();
    QVERIFY(messages.size() >= 20);
    QTcpSocket socket;
    QVERIFY(connectSmtp(socket, QStringLiteral("127.0.0.1"), m_smtpPort));
    for (const CorpusMessage &message : messages)
    {
        const QByteArray reply = sendMessage(socket, message);
        QVERIFY2(reply.startsWith("250 2.0.0"), QByteArray(message.name + ": " + reply).constData());
    }
    smtpExchange(socket, "QUIT");
    QVERIFY2(waitForCaptured(int(messages.size()), 60000), m_log.right(3000).constData());
    const QMap<QByteArray, QByteArray> captured = capturedByCase();

    QStringList files;
    for (const CorpusMessage &message : messages)
    {
        QVERIFY2(captured.contains(message.name),
            QByteArray(message.name + " not among " + QList<QByteArray>(captured.keys()).join(',')).constData());
        const QByteArray content = captured.value(message.name);
        QCOMPARE(signatureCount(content), 2); // RSA and Ed25519
        QVERIFY2(!content.contains("; l="), message.name.constData());
        // Under 78 columns, and From/Subject over-signed.
        const QByteArray header = headerOf(content);
        bool inSignature = false;
        for (const QByteArray &line : header.split('\n'))
        {
            if (!line.startsWith('\t') && !line.startsWith(' '))
                inSignature = line.startsWith("DKIM-Signature:");
            if (inSignature)
                QVERIFY2(line.size() <= 78, line.constData()); // 76 columns and the CR
        }
        QVERIFY2(header.contains("h=from:from:"), header.constData());
        // The body is what the client sent.
        const QByteArray sentBody = message.data.mid(message.data.indexOf("\r\n\r\n") + 4);
        if (message.data.contains("\r\n\r\n"))
            QVERIFY2(content.endsWith(sentBody), message.name.constData());
        const QString file
            = m_env->path(QStringLiteral("signed-") + QString::fromLatin1(message.name) + QStringLiteral(".eml"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(content);
        out.close();
        files.append(file);
    }

    QString output;
    QVERIFY2(dkimpyVerifies(files, &output), qPrintable(output));
    QCOMPARE(int(output.count(QLatin1String(" ok 2"))), int(messages.size()));

    for (const QString &file : std::as_const(files))
    {
        const int passes = openDkimPasses(file, &output);
        QVERIFY2(passes == 2, qPrintable(file + QLatin1Char('\n') + output));
        QVERIFY2(output.contains(QLatin1String("header.a=rsa-sha256"))
                && output.contains(QLatin1String("header.a=ed25519-sha256")),
            qPrintable(output));
    }
    // The parent domain's key signs mail of its subdomain.
    QVERIFY(captured.value("parent-domain").contains("d=parent.test;"));
}

void TestDkim::alteredMessageFailsBothVerifiers()
{
    const QString original = m_env->path(QStringLiteral("signed-plain.eml"));
    QFile file(original);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    file.close();
    const QList<QPair<QByteArray, QByteArray>> changes = {
        { "Hello Bob.", "Hello Bob!" }, // body
        { "Subject: test", "Subject: Test" }, // a signed header
        { "To: Bob <bob@dest.test>\r\n", "To: Bob <bob@dest.test>\r\nSubject: added\r\n" }, // an added Subject
    };
    int index = 0;
    for (const auto &change : changes)
    {
        QByteArray altered = content;
        QVERIFY(altered.contains(change.first));
        altered.replace(change.first, change.second);
        const QString path = m_env->path(QStringLiteral("altered-%1.eml").arg(++index));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(altered);
        out.close();
        QString output;
        QVERIFY2(!dkimpyVerifies({ path }, &output), qPrintable(output));
        QVERIFY2(output.contains(QLatin1String(" fail ")), qPrintable(output));
        QCOMPARE(openDkimPasses(path, &output), 0);
        QVERIFY2(output.contains(QLatin1String("dkim=fail")), qPrintable(output));
    }
}

void TestDkim::authenticatedSubmissionIsSigned()
{
    QSslSocket socket;
    socket.bind(QHostAddress(QStringLiteral("127.0.0.3")));
    socket.connectToHost(QHostAddress::LocalHost, m_smtpPort);
    QVERIFY(socket.waitForConnected(5000));
    QVERIFY(smtpExchange(socket, QByteArray()).startsWith("220"));
    QVERIFY(smtpExchange(socket, "EHLO client.test").startsWith("250"));
    QVERIFY(smtpExchange(socket, "STARTTLS").startsWith("220"));
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.startClientEncryption();
    QVERIFY(socket.waitForEncrypted(10000));
    QVERIFY(smtpExchange(socket, "EHLO client.test").startsWith("250"));
    const QByteArray plain = QByteArray("\0sender@example.test\0secret-pw", 30).toBase64();
    QVERIFY(smtpExchange(socket, "AUTH PLAIN " + plain).startsWith("235"));
    CorpusMessage message;
    message.name = "authenticated";
    message.data = standardHeaders("authenticated") + "\r\nsubmitted with AUTH\r\n";
    const int before = int(QDir(m_sinkDir).entryList({ QStringLiteral("*.eml") }, QDir::Files).size());
    QVERIFY(sendMessage(socket, message).startsWith("250 2.0.0"));
    smtpExchange(socket, "QUIT");
    QVERIFY(waitForCaptured(before + 1, 30000));
    const QByteArray content = capturedByCase().value("authenticated");
    QCOMPARE(signatureCount(content), 2);
    const QString path = m_env->path(QStringLiteral("signed-authenticated.eml"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(content);
    out.close();
    QString output;
    QVERIFY2(dkimpyVerifies({ path }, &output), qPrintable(output));
    QCOMPARE(openDkimPasses(path, &output), 2);
}

void TestDkim::inboundAndAmbiguousMailIsNotSigned()
{
    const int before = int(QDir(m_sinkDir).entryList({ QStringLiteral("*.eml") }, QDir::Files).size());
    // From 127.0.0.2 (not a relay IP, not authenticated): accepted only for a rcpthost.
    QTcpSocket inbound;
    QVERIFY(connectSmtp(inbound, QStringLiteral("127.0.0.2"), m_smtpPort));
    CorpusMessage message;
    message.name = "inbound";
    message.recipients = { "user@inbound.test" };
    message.data = standardHeaders("inbound") + "\r\ninbound mail\r\n";
    QVERIFY(sendMessage(inbound, message).startsWith("250 2.0.0"));
    smtpExchange(inbound, "QUIT");

    QTcpSocket relay;
    QVERIFY(connectSmtp(relay, QStringLiteral("127.0.0.1"), m_smtpPort));
    CorpusMessage twoFroms;
    twoFroms.name = "two-froms";
    twoFroms.data = "From: alice@example.test\r\nFrom: mallory@example.test\r\nTo: bob@dest.test\r\nX-Case: "
                    "two-froms\r\n\r\nx\r\n";
    QVERIFY(sendMessage(relay, twoFroms).startsWith("250 2.0.0"));
    CorpusMessage noFrom;
    noFrom.name = "no-from";
    noFrom.data = "To: bob@dest.test\r\nX-Case: no-from\r\n\r\nx\r\n";
    QVERIFY(sendMessage(relay, noFrom).startsWith("250 2.0.0"));
    CorpusMessage otherDomain;
    otherDomain.name = "other-domain";
    otherDomain.data = "From: someone@unsigned.test\r\nTo: bob@dest.test\r\nX-Case: other-domain\r\n\r\nx\r\n";
    QVERIFY(sendMessage(relay, otherDomain).startsWith("250 2.0.0"));
    smtpExchange(relay, "QUIT");

    QVERIFY(waitForCaptured(before + 4, 30000));
    const QMap<QByteArray, QByteArray> captured = capturedByCase();
    for (const QByteArray &name :
        { QByteArray("inbound"), QByteArray("two-froms"), QByteArray("no-from"), QByteArray("other-domain") })
    {
        QVERIFY2(captured.contains(name), name.constData());
        QCOMPARE(signatureCount(captured.value(name)), 0);
    }
    QVERIFY(TmailEnvironment::waitForLog(*m_daemon, &m_log, "not DKIM-signed: the message has 2 From: headers", 5000));
    QVERIFY(TmailEnvironment::waitForLog(*m_daemon, &m_log, "not DKIM-signed: the message has no From: header", 5000));
}

void TestDkim::rotationSignsWithTheNewSelector()
{
    const TmailRun rotated = tmail({ QStringLiteral("dkim"), QStringLiteral("rotate"), QStringLiteral("parent.test") });
    QVERIFY2(rotated.exitCode == 0, qPrintable(rotated.err));
    const QRegularExpressionMatch selector
        = QRegularExpression(QStringLiteral("DKIM key (\\S+) \\(rsa-sha256\\) added")).match(rotated.out);
    QVERIFY2(selector.hasMatch(), qPrintable(rotated.out));
    // The old key stays published until deleted.
    const TmailRun dns = tmail({ QStringLiteral("dkim"), QStringLiteral("dns"), QStringLiteral("parent.test") });
    QVERIFY(dns.out.contains(QLatin1String("p1-rsa._domainkey.parent.test.")));
    QVERIFY(dns.out.contains(selector.captured(1) + QStringLiteral("._domainkey.parent.test.")));
    const TmailRun list = tmail({ QStringLiteral("dkim"), QStringLiteral("list") });
    QVERIFY(QRegularExpression(QStringLiteral("parent\\.test\\s+p1-rsa\\s+rsa-sha256\\s+3072\\s+\\S+ \\S+\\s+no"))
                .match(list.out)
                .hasMatch());
    m_zoneFile = writeZoneFiles();

    // The daemon notices the change serial within a poll.
    QTest::qWait(1500);
    const int before = int(QDir(m_sinkDir).entryList({ QStringLiteral("*.eml") }, QDir::Files).size());
    QTcpSocket relay;
    QVERIFY(connectSmtp(relay, QStringLiteral("127.0.0.1"), m_smtpPort));
    CorpusMessage message;
    message.name = "after-rotation";
    message.data
        = "From: carol@parent.test\r\nTo: bob@dest.test\r\nSubject: rotated\r\nX-Case: after-rotation\r\n\r\nbody\r\n";
    QVERIFY(sendMessage(relay, message).startsWith("250 2.0.0"));
    smtpExchange(relay, "QUIT");
    QVERIFY(waitForCaptured(before + 1, 30000));
    const QByteArray content = capturedByCase().value("after-rotation");
    QCOMPARE(signatureCount(content), 2);
    QVERIFY2(content.contains(QByteArray("s=" + selector.captured(1).toLatin1() + ';')), content.constData());
    const QString path = m_env->path(QStringLiteral("signed-rotated.eml"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(content);
    out.close();
    QString output;
    QVERIFY2(dkimpyVerifies({ path }, &output), qPrintable(output));
    QCOMPARE(openDkimPasses(path, &output), 2);
}

void TestDkim::privateKeysAppearNowhere()
{
    // The key material: every base64 line of every stored PEM.
    QStringList secrets;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(m_env->path(QStringLiteral("db/tmail.db")));
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(QStringLiteral("SELECT private_key FROM dkim_keys")));
        while (query.next())
        {
            for (const QString &line : query.value(0).toString().split(QLatin1Char('\n')))
            {
                if (!line.startsWith(QLatin1String("-----")) && line.size() >= 40)
                    secrets.append(line);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    QVERIFY(secrets.size() >= 10);

    m_daemon->waitForReadyRead(200);
    m_log += m_daemon->readAll();
    QString seen = QString::fromUtf8(m_log);
    for (const QStringList &args :
        { QStringList { QStringLiteral("list") }, QStringList { QStringLiteral("dns"), QStringLiteral("example.test") },
            QStringList { QStringLiteral("dns"), QStringLiteral("parent.test") } })
    {
        const TmailRun run = tmail(QStringList { QStringLiteral("dkim") } + args);
        seen += run.out + run.err;
    }
    for (const QByteArray &message : capturedByCase())
        seen += QString::fromLatin1(message);
    for (const QString &secret : std::as_const(secrets))
        QVERIFY2(!seen.contains(secret), "a private key line was found in a log, a command's output or a message");
}

// `dkim check` against dnsmasq serving one right record (split into 255-octet strings, as
// `dkim dns` prints it), one record with another key, and nothing for the third selector.
void TestDkim::checkComparesDnsWithTheKeys()
{
    QCOMPARE(tmail({ QStringLiteral("dkim"), QStringLiteral("add"), QStringLiteral("check.test"), QStringLiteral("-s"),
                       QStringLiteral("c1") })
                 .exitCode,
        0);
    QCOMPARE(tmail({ QStringLiteral("dkim"), QStringLiteral("add"), QStringLiteral("check.test"), QStringLiteral("-s"),
                       QStringLiteral("c2"), QStringLiteral("-a"), QStringLiteral("ed25519") })
                 .exitCode,
        0);
    const TmailRun dns = tmail({ QStringLiteral("dkim"), QStringLiteral("dns"), QStringLiteral("check.test") });
    QCOMPARE(dns.exitCode, 0);
    const QRegularExpression rsaLine(
        QStringLiteral("^c1-rsa\\._domainkey\\.check\\.test\\. IN TXT (.*)$"), QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = rsaLine.match(dns.out);
    QVERIFY2(match.hasMatch(), qPrintable(dns.out));
    QStringList strings;
    const QRegularExpression quoted(QStringLiteral("\"([^\"]*)\""));
    for (auto it = quoted.globalMatch(match.captured(1)); it.hasNext();)
        strings.append(it.next().captured(1));
    QVERIFY(strings.size() >= 2); // a 2048-bit key does not fit one string

    const quint16 port = freeLoopbackPort();
    QProcess dnsmasq;
    dnsmasq.setProcessChannelMode(QProcess::MergedChannels);
    dnsmasq.start(QStringLiteral("dnsmasq"),
        { QStringLiteral("--keep-in-foreground"), QStringLiteral("--no-resolv"), QStringLiteral("--no-hosts"),
            QStringLiteral("--port=%1").arg(port), QStringLiteral("--listen-address=127.0.0.1"),
            QStringLiteral("--bind-interfaces"), QStringLiteral("--local=/test/"),
            QStringLiteral("--txt-record=c1-rsa._domainkey.check.test,") + strings.join(QLatin1Char(',')),
            QStringLiteral("--txt-record=c1-ed._domainkey.check.test,v=DKIM1; k=ed25519; "
                           "p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") });
    QVERIFY(dnsmasq.waitForStarted(5000));
    QTest::qWait(500);
    TmailEnvironment &env = *m_env;
    env.set(QStringLiteral("TMAIL_DNS_SERVERS"), QStringLiteral("127.0.0.1:%1").arg(port));
    const TmailRun check = tmail({ QStringLiteral("dkim"), QStringLiteral("check"), QStringLiteral("check.test") });
    env.environment().remove(QStringLiteral("TMAIL_DNS_SERVERS"));
    dnsmasq.kill();
    dnsmasq.waitForFinished(5000);
    QCOMPARE(check.exitCode, 1); // not everything is published
    QVERIFY2(QRegularExpression(QStringLiteral("c1-rsa\\s+rsa-sha256\\s+published")).match(check.out).hasMatch(),
        qPrintable(check.out));
    QVERIFY2(QRegularExpression(QStringLiteral("c1-ed\\s+ed25519-sha256\\s+different key")).match(check.out).hasMatch(),
        qPrintable(check.out));
    QVERIFY2(QRegularExpression(QStringLiteral("c2\\s+ed25519-sha256\\s+missing")).match(check.out).hasMatch(),
        qPrintable(check.out));
}

QTEST_GUILESS_MAIN(TestDkim)
#include "tst_dkim.moc"
